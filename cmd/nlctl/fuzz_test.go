package main

import (
	"encoding/json"
	"io"
	"testing"

	"github.com/mdlayher/netlink"
)

// FuzzDecodeMessage decodes arbitrary messages of the families nlctl knows
// and prints them both ways: a reply from the kernel or from a peer must
// never make nlctl panic or loop.
func FuzzDecodeMessage(f *testing.F) {
	link := netlink.NewAttributeEncoder()
	link.String(3, "lo")
	link.Uint32(4, 65536)
	link.Nested(18, func(ae *netlink.AttributeEncoder) error {
		ae.String(1, "ifb")
		return nil
	})
	attrs, err := link.Encode()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(0, uint16(16), append(make([]byte, 16), attrs...))
	f.Add(16, uint16(16), append([]byte{1, 2, 0, 0}, attrs...))
	f.Add(12, uint16(0x100), append([]byte{2, 0, 0, 0}, attrs...))
	f.Add(0, uint16(netlink.Error), []byte{0xea, 0xff, 0xff, 0xff})
	f.Add(0, uint16(netlink.Error), []byte{0, 0, 0, 0x80})
	f.Add(99, uint16(3), []byte{})

	f.Fuzz(func(t *testing.T, family int, typ uint16, data []byte) {
		m := netlink.Message{
			Header: netlink.Header{Length: uint32(16 + len(data)), Type: netlink.HeaderType(typ)},
			Data:   data,
		}
		v := decodeMessage(family, newDecodeContext(), m)
		writeMessageText(io.Discard, "", v)
		if _, err := json.Marshal(v); err != nil {
			t.Fatalf("JSON of a decoded message: %v", err)
		}
	})
}
