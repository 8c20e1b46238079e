//go:build linux

package netlink_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// Execute turns the kernel's offsets into attribute paths for the families
// whose fixed headers it knows.
func TestIntegrationExtendedAckPath(t *testing.T) {
	e := newExtAckEnv(t)
	execute := func(c *netlink.Conn, req netlink.Message) *netlink.ExtendedAck {
		t.Helper()
		_, err := c.Execute(req)
		oe := wantOpErrorAny(t, err)
		a, ok := netlink.ExtendedAckOf(oe)
		if !ok {
			t.Fatalf("%v: no extended acknowledgement", err)
		}
		return a
	}

	a := execute(e.route, linkRequest(t, strings.Repeat("n", 40), "ifb"))
	if diff := cmp.Diff([]uint16{unix.IFLA_IFNAME}, a.Path); diff != "" || a.MissingPath != nil {
		t.Errorf("rtnetlink policy: Path (-want +got):\n%s; MissingPath %v", diff, a.MissingPath)
	}

	id := genlFamilyID(t, e.generic, unix.ETHTOOL_GENL_NAME)
	attrs := encodeAttrs(t, func(ae *netlink.AttributeEncoder) {
		ae.Nested(unix.ETHTOOL_A_TSINFO_HEADER, func(nae *netlink.AttributeEncoder) error {
			nae.Uint32(unix.ETHTOOL_A_HEADER_DEV_INDEX, uint32(e.linkIndex))
			return nil
		})
		ae.Nested(ethtoolTsinfoHwtstampProvider, func(nae *netlink.AttributeEncoder) error {
			nae.Uint32(ethtoolTsProviderQualifier, 0)
			return nil
		})
	})
	a = execute(e.generic, genlRequest(id, unix.ETHTOOL_MSG_TSINFO_GET, attrs))
	want := []uint16{ethtoolTsinfoHwtstampProvider, ethtoolTsProviderIndex}
	if diff := cmp.Diff(want, a.MissingPath); diff != "" || a.Path != nil {
		t.Errorf("generic netlink, missing in a nest: MissingPath (-want +got):\n%s; Path %v", diff, a.Path)
	}
}

// wantOpErrorAny checks that err is an *OpError and returns it.
func wantOpErrorAny(t *testing.T, err error) *netlink.OpError {
	t.Helper()
	oe, ok := err.(*netlink.OpError)
	if !ok {
		t.Fatalf("got %v (%T), want an *OpError", err, err)
	}
	t.Logf("%v", oe)
	return oe
}
