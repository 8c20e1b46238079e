package main

import (
	"encoding/json"
	"io"
	"strings"
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

// FuzzPolicyDecode parses arbitrary nlctrl policy replies and decodes
// arbitrary attributes by them, then prints both the messages and the
// policy trees: neither a policy nor a message from the kernel (or from a
// peer posing as it) may make nlctl panic or loop, including policies
// that nest in themselves.
func FuzzPolicyDecode(f *testing.F) {
	pols := ethtoolPolicies(f)
	attrs := mustAttrs(f,
		netlink.Attribute{Type: 1 | netlink.Nested, Data: mustAttrs(f,
			netlink.Attribute{Type: 1, Data: []byte{7, 0, 0, 0}},
			netlink.Attribute{Type: 2, Data: []byte("eth0\x00")},
			netlink.Attribute{Type: 9, Data: mustAttrs(f, netlink.Attribute{Type: 9, Data: mustAttrs(f, netlink.Attribute{Type: 2, Data: []byte("x\x00")})})},
		)},
		netlink.Attribute{Type: 2, Data: []byte{3}},
		netlink.Attribute{Type: 4},
		netlink.Attribute{Type: 5, Data: make([]byte, 8)},
		netlink.Attribute{Type: 6, Data: mustAttrs(f, netlink.Attribute{Type: 1, Data: mustAttrs(f, netlink.Attribute{Type: 1, Data: []byte("a\x00")})})},
		netlink.Attribute{Type: 7, Data: make([]byte, 8)},
	)
	f.Add(pols, uint8(2), attrs)
	f.Add(pols, uint8(1), attrs)
	f.Add(pols, uint8(3), []byte{})
	f.Add([]byte{}, uint8(0), attrs)
	f.Add(encodePolicies(f, map[uint32][]testPolicy{0: {{attr: 1, kind: netlink.PolicyTypeNestedArray, policyIdx: 0, hasPolicy: true}}}, nil), uint8(0), attrs)

	f.Fuzz(func(t *testing.T, policy []byte, cmd uint8, data []byte) {
		fp := &familyPolicies{policies: make(map[uint32]map[uint16]policyAttr), ops: make(map[uint32]opPolicy)}
		if err := fp.parse(policy); err != nil {
			fp = nil // as fetchPolicies does, decode without them
		}
		for _, name := range []string{"ethtool", "nlctrl", "nosuch"} {
			dctx := newDecodeContext()
			dctx.add(genlFamily{Name: name, ID: 0x20, Version: 1}, fp)
			for _, flags := range []netlink.HeaderFlags{0, netlink.Dump} {
				m := netlink.Message{Header: netlink.Header{Type: 0x20, Flags: flags}, Data: append([]byte{cmd, 1, 0, 0}, data...)}
				v := decodeMessage(NETLINK_GENERIC, dctx, m)
				writeMessageText(io.Discard, "", v)
				if _, err := json.Marshal(v); err != nil {
					t.Fatalf("JSON of a decoded message: %v", err)
				}
			}
			if fp == nil {
				continue
			}
			info := dctx.genl[0x20]
			pv, schemas := buildPolicyView(info)
			var b strings.Builder
			writePolicyText(&b, pv, info, schemas)
			if _, err := json.Marshal(pv); err != nil {
				t.Fatalf("JSON of a policy: %v", err)
			}
		}
	})
}
