//go:build linux

package family_test

import (
	"bytes"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl/family/rtlink"
	"golang.org/x/sys/unix"
)

// TestUnknownAttributesKept adds attributes that the spec does not know
// (as a newer kernel would send them) to a captured link message, at the
// top and inside a nest, and checks that the typed package keeps them and
// sends them back in place.
func TestUnknownAttributesKept(t *testing.T) {
	var link capturedMessage
	for _, cm := range capturedMessages(t) {
		if cm.family == "rt-link" {
			link = cm
			break
		}
	}
	var l rtlink.LinkMsg
	if err := l.UnmarshalBinary(link.msg.Data); err != nil {
		t.Fatal(err)
	}
	if l.Linkinfo != nil {
		t.Fatalf("captured link %s has linkinfo already", l.Ifname.Value)
	}
	ae := netlink.NewAttributeEncoder()
	ae.Uint32(500, 7) // unknown at the top
	ae.Nested(unix.IFLA_LINKINFO, func(nae *netlink.AttributeEncoder) error {
		nae.String(1, "ifb")
		nae.Bytes(99, []byte{1, 2, 3}) // unknown inside linkinfo
		return nil
	})
	extra, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}
	data := append(append([]byte(nil), link.msg.Data...), extra...)
	l = rtlink.LinkMsg{}
	if err := l.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if len(l.Unknown) == 0 || l.Unknown[len(l.Unknown)-1].Type != 500 {
		t.Fatalf("top-level unknown attribute not kept: %+v", l.Unknown)
	}
	if l.Linkinfo == nil || len(l.Linkinfo.Unknown) != 1 || l.Linkinfo.Unknown[0].Type != 99 {
		t.Fatalf("unknown attribute in linkinfo not kept: %+v", l.Linkinfo)
	}
	back, err := l.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back, data) {
		t.Fatalf("round trip differs:\n got %x\nwant %x", back, data)
	}
}
