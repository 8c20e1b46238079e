package netlink_test

import (
	"fmt"
	"log"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nlenc"
)

// Attribute types of a made-up family, for the examples.
const (
	exAttrName     = 1
	exAttrMTU      = 2
	exAttrUp       = 3
	exAttrStats    = 4
	exStatsPackets = 1
	exStatsBytes   = 2
)

// The examples print decoded values rather than raw bytes, because netlink
// uses the host's byte order and the bytes differ between hosts.

func ExampleAttributeEncoder() {
	ae := netlink.NewAttributeEncoder()
	ae.String(exAttrName, "eth0")
	ae.Uint32(exAttrMTU, 1500)
	ae.Flag(exAttrUp, true)
	ae.Nested(exAttrStats, func(nae *netlink.AttributeEncoder) error {
		nae.Uint64(exStatsPackets, 42)
		nae.Uint64(exStatsBytes, 4200)
		return nil
	})

	b, err := ae.Encode()
	if err != nil {
		log.Fatalf("failed to encode attributes: %v", err)
	}

	attrs, err := netlink.UnmarshalAttributes(b)
	if err != nil {
		log.Fatalf("failed to decode attributes: %v", err)
	}
	fmt.Printf("%d bytes, %d attributes\n", len(b), len(attrs))
	for _, a := range attrs {
		fmt.Printf("type %#04x, length %d\n", a.Type, a.Length)
	}
	// Output:
	// 52 bytes, 4 attributes
	// type 0x0001, length 9
	// type 0x0002, length 8
	// type 0x0003, length 4
	// type 0x8004, length 28
}

func ExampleAttributeDecoder() {
	// A reply as the kernel might send it.
	b, err := netlink.MarshalAttributes([]netlink.Attribute{
		{Type: exAttrName, Data: nlenc.Bytes("eth0")},
		{Type: exAttrMTU, Data: nlenc.Uint32Bytes(1500)},
		{Type: exAttrUp},
		{Type: exAttrStats | netlink.Nested, Data: exMustMarshal([]netlink.Attribute{
			{Type: exStatsPackets, Data: nlenc.Uint64Bytes(42)},
			{Type: exStatsBytes, Data: nlenc.Uint64Bytes(4200)},
		})},
	})
	if err != nil {
		log.Fatalf("failed to encode attributes: %v", err)
	}

	ad, err := netlink.NewAttributeDecoder(b)
	if err != nil {
		log.Fatalf("failed to create attribute decoder: %v", err)
	}

	var (
		name    string
		mtu     uint32
		up      bool
		packets uint64
		bytes   uint64
	)
	for ad.Next() {
		switch ad.Type() {
		case exAttrName:
			name = ad.String()
		case exAttrMTU:
			mtu = ad.Uint32()
		case exAttrUp:
			up = ad.Flag()
		case exAttrStats:
			ad.Nested(func(nad *netlink.AttributeDecoder) error {
				for nad.Next() {
					switch nad.Type() {
					case exStatsPackets:
						packets = nad.Uint64()
					case exStatsBytes:
						bytes = nad.Uint64()
					}
				}
				return nil
			})
		}
	}
	if err := ad.Err(); err != nil {
		log.Fatalf("failed to decode attributes: %v", err)
	}

	fmt.Printf("%s: mtu %d, up %v, %d packets, %d bytes\n", name, mtu, up, packets, bytes)
	// Output:
	// eth0: mtu 1500, up true, 42 packets, 4200 bytes
}

func ExampleAttributeDecoder_Err() {
	b := exMustMarshal([]netlink.Attribute{{Type: exAttrMTU, Data: []byte{0x05}}})

	ad, err := netlink.NewAttributeDecoder(b)
	if err != nil {
		log.Fatalf("failed to create attribute decoder: %v", err)
	}
	for ad.Next() {
		// The attribute holds one byte, not four: the getter returns
		// zero, and the error stops the loop.
		fmt.Println("mtu:", ad.Uint32())
	}
	fmt.Println("error:", ad.Err())
	// Output:
	// mtu: 0
	// error: netlink: attribute 2 is not a uint32; length: 1
}

func ExampleMessage_MarshalBinary() {
	m := netlink.Message{
		Header: netlink.Header{
			// The whole message: a 16-byte header and 4 bytes of data.
			Length:   20,
			Type:     netlink.Noop,
			Flags:    netlink.Request | netlink.Acknowledge,
			Sequence: 1,
		},
		Data: []byte{0xde, 0xad, 0xbe, 0xef},
	}
	b, err := m.MarshalBinary()
	if err != nil {
		log.Fatalf("failed to encode message: %v", err)
	}

	var got netlink.Message
	if err := got.UnmarshalBinary(b); err != nil {
		log.Fatalf("failed to decode message: %v", err)
	}
	fmt.Printf("%d bytes: type %s, flags %s, sequence %d, data %x\n",
		len(b), got.Header.Type, got.Header.Flags, got.Header.Sequence, got.Data)
	// Output:
	// 20 bytes: type noop, flags request|acknowledge, sequence 1, data deadbeef
}

func ExampleHeaderFlags_String() {
	fmt.Println(netlink.Request | netlink.Dump)
	fmt.Println(netlink.Multi | netlink.DumpInterrupted)
	fmt.Println(netlink.HeaderFlags(0))
	// Output:
	// request|0x300
	// multi|dumpinterrupted
	// 0
}

// exMustMarshal encodes attrs or stops the example.
func exMustMarshal(attrs []netlink.Attribute) []byte {
	b, err := netlink.MarshalAttributes(attrs)
	if err != nil {
		log.Fatalf("failed to encode attributes: %v", err)
	}
	return b
}
