package ynl_test

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl"
)

// TestDecodeNotifyLayout decodes a netdev dev-add-ntf, which the spec
// declares as "notify: dev-get" without an attribute set of its own: its
// attributes must decode by dev-get's set, and encode back the same.
func TestDecodeNotifyLayout(t *testing.T) {
	f, _ := ynl.Lookup("netdev")
	data := []byte{2, 1, 0, 0} // genetlink header: command 2, version 1
	attr := make([]byte, 8)
	binary.NativeEndian.PutUint16(attr[0:], 8)
	binary.NativeEndian.PutUint16(attr[2:], f.Attr("dev", "ifindex").Value)
	binary.NativeEndian.PutUint32(attr[4:], 7)
	data = append(data, attr...)
	m, err := ynl.Decode(f, netlink.Message{Header: netlink.Header{Type: 0x20}, Data: data})
	if err != nil {
		t.Fatal(err)
	}
	if m.Op == nil || m.Op.Name != "dev-add-ntf" {
		t.Fatalf("op %v, want dev-add-ntf", m.Op)
	}
	if a := ynl.Find(m.Attrs, "ifindex"); a == nil || a.Uint != 7 {
		t.Fatalf("ifindex not decoded: %+v", m.Attrs)
	}
	back, err := ynl.Encode(f, m)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back.Data, data) {
		t.Errorf("encoded %x, want %x", back.Data, data)
	}
}
