package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/internal/nlfacts"
)

// testPolicy is one attribute of a policy to encode as nlctrl would.
type testPolicy struct {
	attr      uint16
	kind      netlink.PolicyType
	policyIdx uint32 // with hasPolicy
	hasPolicy bool
	maxLen    uint32 // when not 0
	mask      uint32 // bitfield32, when not 0
}

// encodePolicies encodes the body of a CTRL_CMD_GETPOLICY reply: the
// attributes of each policy, then the do and dump policies of commands.
func encodePolicies(t testing.TB, pols map[uint32][]testPolicy, ops map[uint32][2]int) []byte {
	t.Helper()
	ae := netlink.NewAttributeEncoder()
	ae.Uint16(CTRL_ATTR_FAMILY_ID, 0x20)
	ae.Nested(CTRL_ATTR_POLICY, func(pae *netlink.AttributeEncoder) error {
		for idx := range uint32(len(pols)) {
			pae.Nested(uint16(idx), func(aae *netlink.AttributeEncoder) error {
				for _, p := range pols[idx] {
					aae.Nested(p.attr, func(nae *netlink.AttributeEncoder) error {
						nae.Uint32(nlfacts.PolicyAttrType, uint32(p.kind))
						if p.hasPolicy {
							nae.Uint32(nlfacts.PolicyAttrPolicyIdx, p.policyIdx)
							nae.Uint32(nlfacts.PolicyAttrMaxType, 9)
						}
						if p.maxLen != 0 {
							nae.Uint32(nlfacts.PolicyAttrMaxLength, p.maxLen)
						}
						if p.mask != 0 {
							nae.Uint32(nlfacts.PolicyAttrBitfield32, p.mask)
						}
						if p.kind == netlink.PolicyTypeU8 {
							nae.Uint64(nlfacts.PolicyAttrMinValueU, 1)
							nae.Uint64(nlfacts.PolicyAttrMaxValueU, 3)
						}
						return nil
					})
				}
				return nil
			})
		}
		return nil
	})
	ae.Nested(CTRL_ATTR_OP_POLICY, func(oae *netlink.AttributeEncoder) error {
		for cmd, op := range ops {
			oae.Nested(uint16(cmd), func(nae *netlink.AttributeEncoder) error {
				if op[0] >= 0 {
					nae.Uint32(CTRL_ATTR_POLICY_DO, uint32(op[0]))
				}
				if op[1] >= 0 {
					nae.Uint32(CTRL_ATTR_POLICY_DUMP, uint32(op[1]))
				}
				return nil
			})
		}
		return nil
	})
	b, err := ae.Encode()
	if err != nil {
		t.Fatalf("failed to encode policies: %v", err)
	}
	return b
}

// ethtoolPolicies is modelled on ethtool's LINKINFO_GET, with one of every
// type added: policy 0 is the command's, 1 the header's (recursive through
// attribute 9), 2 the items of a nested array.
func ethtoolPolicies(t testing.TB) []byte {
	return encodePolicies(t, map[uint32][]testPolicy{
		0: {
			{attr: 1, kind: netlink.PolicyTypeNested, policyIdx: 1, hasPolicy: true}, // ETHTOOL_A_LINKINFO_HEADER
			{attr: 2, kind: netlink.PolicyTypeU8},                                    // _PORT
			{attr: 3, kind: netlink.PolicyTypeS16},                                   // _PHYADDR
			{attr: 4, kind: netlink.PolicyTypeFlag},                                  // _TP_MDIX
			{attr: 5, kind: netlink.PolicyTypeBitfield32, mask: 0x7},                 // _TP_MDIX_CTRL
			{attr: 6, kind: netlink.PolicyTypeNestedArray, policyIdx: 2, hasPolicy: true},
			{attr: 7, kind: netlink.PolicyTypeU64},
			{attr: 8, kind: netlink.PolicyTypeBinary},
			{attr: 10, kind: 99}, // a type newer than unix knows
		},
		1: {
			{attr: 1, kind: netlink.PolicyTypeU32},                                   // ETHTOOL_A_HEADER_DEV_INDEX
			{attr: 2, kind: netlink.PolicyTypeNulString, maxLen: 15},                 // _DEV_NAME
			{attr: 3, kind: netlink.PolicyTypeU32},                                   // _FLAGS
			{attr: 9, kind: netlink.PolicyTypeNested, policyIdx: 1, hasPolicy: true}, // recursion
		},
		2: {{attr: 1, kind: netlink.PolicyTypeString}},
	}, map[uint32][2]int{2: {0, 0}, 3: {-1, 0}})
}

func TestPolicyDrivenDecoding(t *testing.T) {
	fp := &familyPolicies{policies: make(map[uint32]map[uint16]policyAttr), ops: make(map[uint32]opPolicy)}
	if err := fp.parse(ethtoolPolicies(t)); err != nil {
		t.Fatalf("failed to parse the policies: %v", err)
	}
	if len(fp.policies) != 3 || len(fp.ops) != 2 || fp.ops[3].do != nil || *fp.ops[3].dump != 0 {
		t.Fatalf("unexpected policies: %+v", fp)
	}
	dctx := newDecodeContext()
	dctx.add(genlFamily{Name: "ethtool", ID: 0x20, Version: 1}, fp)

	ne64 := func(v uint64) []byte { return binary.NativeEndian.AppendUint64(nil, v) }
	attrs := mustAttrs(t,
		netlink.Attribute{Type: 1 | netlink.Nested, Data: mustAttrs(t,
			netlink.Attribute{Type: 1, Data: ne32(7)},
			netlink.Attribute{Type: 2, Data: []byte("eth0\x00")},
			netlink.Attribute{Type: 3, Data: ne16(1)}, // a u32 of 2 bytes
			netlink.Attribute{Type: 9, Data: mustAttrs(t, netlink.Attribute{Type: 2, Data: []byte("deep\x00")})},
		)},
		netlink.Attribute{Type: 2, Data: []byte{3}},
		netlink.Attribute{Type: 3, Data: ne16(0xfffe)},
		netlink.Attribute{Type: 4},
		netlink.Attribute{Type: 5, Data: append(ne32(1), ne32(3)...)},
		netlink.Attribute{Type: 6, Data: mustAttrs(t,
			netlink.Attribute{Type: 1, Data: mustAttrs(t, netlink.Attribute{Type: 1, Data: []byte("a\x00")})},
			netlink.Attribute{Type: 2, Data: []byte{1, 2}}, // not nested
		)},
		netlink.Attribute{Type: 7, Data: ne64(1<<63 + 1)},
		netlink.Attribute{Type: 8, Data: []byte("bin\x00")},
		netlink.Attribute{Type: 10, Data: []byte{5}},
		netlink.Attribute{Type: 11, Data: []byte{9}}, // in no policy
	)
	// ETHTOOL_MSG_LINKINFO_GET_REPLY (2): typed by the policy of
	// ETHTOOL_MSG_LINKINFO_GET.
	m := netlink.Message{Header: netlink.Header{Type: 0x20}, Data: append([]byte{2, 1, 0, 0}, attrs...)}
	v := decodeMessage(NETLINK_GENERIC, dctx, m)
	var b bytes.Buffer
	writeMessageText(&b, "", v)
	want := `generic ethtool ETHTOOL_MSG_LINKINFO_GET_REPLY version 1 flags [] seq 0 pid 0
    ETHTOOL_A_LINKINFO_HEADER {
        ETHTOOL_A_HEADER_DEV_INDEX 7
        ETHTOOL_A_HEADER_DEV_NAME "eth0"
        ETHTOOL_A_HEADER_FLAGS 2 bytes: ` + spacedHex(strings.TrimSpace(hexOf(ne16(1)))) + ` (not a valid u32)
        [9] {
            ETHTOOL_A_HEADER_DEV_NAME "deep"
        }
    }
    ETHTOOL_A_LINKINFO_PORT 3
    ETHTOOL_A_LINKINFO_PHYADDR -2
    ETHTOOL_A_LINKINFO_TP_MDIX (flag)
    ETHTOOL_A_LINKINFO_TP_MDIX_CTRL value 0x1 selector 0x3
    ETHTOOL_A_LINKINFO_TRANSCEIVER {
        [1] {
            [1] "a"
        }
        [2] 2 bytes: 01 02 (not a valid nested item)
    }
    [7] 9223372036854775809
    [8] "bin"
    [10] u8 5 (0x5)
    [11] u8 9 (0x9)
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Fatalf("unexpected text (-want +got):\n%s", diff)
	}
	js, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		`{"type":7,"kind":"u64","length":8,"value":"9223372036854775809"}`,
		`{"type":4,"name":"ETHTOOL_A_LINKINFO_TP_MDIX","kind":"flag","length":0,"value":true}`,
		`"kind":"bitfield32","length":8,"value":{"value":1,"selector":3}}`,
		`"genl":{"cmd":2,"cmd_name":"ETHTOOL_MSG_LINKINFO_GET_REPLY","version":1}`,
	} {
		if !strings.Contains(string(js), s) {
			t.Errorf("JSON does not hold %s:\n%s", s, js)
		}
	}
}

func hexOf(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		s.WriteString("0123456789abcdef"[c>>4 : c>>4+1])
		s.WriteString("0123456789abcdef"[c&15 : c&15+1])
	}
	return s.String()
}

func TestPolicyText(t *testing.T) {
	fp := &familyPolicies{policies: make(map[uint32]map[uint16]policyAttr), ops: make(map[uint32]opPolicy)}
	if err := fp.parse(ethtoolPolicies(t)); err != nil {
		t.Fatalf("failed to parse the policies: %v", err)
	}
	info := &genlInfo{family: genlFamily{Name: "ethtool", ID: 0x20, Version: 1}, pols: fp, naming: genlNamings["ethtool"]}
	v, schemas := buildPolicyView(info)
	var b strings.Builder
	writePolicyText(&b, v, info, schemas)
	// A policy shared by commands is named by the first: LINKINFO_SET
	// shows LINKINFO_GET's names (they are the same here anyway).
	tree := `        ETHTOOL_A_LINKINFO_HEADER (1) nested of policy 1 {
            ETHTOOL_A_HEADER_DEV_INDEX (1) u32
            ETHTOOL_A_HEADER_DEV_NAME (2) nul-string, length at most 15
            ETHTOOL_A_HEADER_FLAGS (3) u32
            [9] nested of policy 1 (see above)
        }
        ETHTOOL_A_LINKINFO_PORT (2) u8, range 1..3
        ETHTOOL_A_LINKINFO_PHYADDR (3) s16
        ETHTOOL_A_LINKINFO_TP_MDIX (4) flag
        ETHTOOL_A_LINKINFO_TP_MDIX_CTRL (5) bitfield32, mask 0x7
        ETHTOOL_A_LINKINFO_TRANSCEIVER (6) nested-array of policy 2 {
            [1] string
        }
        [7] u64
        [8] binary
        [10] type 99
`
	want := "ethtool (id 0x20, version 1)\n" +
		"ETHTOOL_MSG_LINKINFO_GET (2)\n    do and dump:\n" + tree +
		"ETHTOOL_MSG_LINKINFO_SET (3)\n    dump:\n" + tree
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Fatalf("unexpected text (-want +got):\n%s", diff)
	}
	if len(v.Policies) != 3 || v.Policies[1].Attrs[1].Name != "ETHTOOL_A_HEADER_DEV_NAME" || v.Commands[1].Do != nil {
		t.Fatalf("unexpected view: %+v", v.Policies)
	}
}

func TestEncodeAttrArgs(t *testing.T) {
	fp := &familyPolicies{policies: make(map[uint32]map[uint16]policyAttr), ops: make(map[uint32]opPolicy)}
	if err := fp.parse(ethtoolPolicies(t)); err != nil {
		t.Fatalf("failed to parse the policies: %v", err)
	}
	info := &genlInfo{family: genlFamily{Name: "ethtool", ID: 0x20}, pols: fp, naming: genlNamings["ethtool"]}
	genl := info.schemaFor(2, false)
	link := rtnlSchema(18)

	tests := []struct {
		name string
		s    *schema
		args []string
		want []netlink.Attribute // nil: an error
		err  string
	}{
		{
			name: "nested and typed by policy",
			s:    genl,
			args: []string{"ETHTOOL_A_LINKINFO_HEADER.ETHTOOL_A_HEADER_DEV_NAME=eth0", "port=2", "header.dev_index=7", "ETHTOOL_A_LINKINFO_TP_MDIX=", "5=3/7", "3=-2"},
			want: []netlink.Attribute{
				{Type: 1 | netlink.Nested, Data: mustAttrs(t,
					netlink.Attribute{Type: 2, Data: []byte("eth0\x00")},
					netlink.Attribute{Type: 1, Data: ne32(7)},
				)},
				{Type: 2, Data: []byte{2}},
				{Type: 4, Data: []byte{}},
				{Type: 5, Data: append(ne32(3), ne32(7)...)},
				{Type: 3, Data: ne16(0xfffe)},
			},
		},
		{name: "flag false is left out", s: genl, args: []string{"TP_MDIX=false"}, want: []netlink.Attribute{}},
		{name: "binary as hex", s: genl, args: []string{"8=0x0102"}, want: []netlink.Attribute{{Type: 8, Data: []byte{1, 2}}}},
		{
			name: "rtnetlink typed tables",
			s:    link,
			args: []string{"IFLA_IFNAME=lo", "IFLA_ADDRESS=02:00:00:00:00:01", "mtu=9000", "IFLA_LINKINFO.IFLA_INFO_KIND=ifb"},
			want: []netlink.Attribute{
				{Type: 3, Data: []byte("lo\x00")},
				{Type: 1, Data: []byte{2, 0, 0, 0, 0, 1}},
				{Type: 4, Data: ne32(9000)},
				{Type: 18 | netlink.Nested, Data: mustAttrs(t, netlink.Attribute{Type: 1, Data: []byte("ifb\x00")})},
			},
		},
		{name: "address", s: rtnlSchema(20), args: []string{"IFA_LOCAL=10.0.0.1", "IFA_ADDRESS=fe80::1"}, want: []netlink.Attribute{
			{Type: 2, Data: []byte{10, 0, 0, 1}}, {Type: 1, Data: []byte{0xfe, 0x80, 15: 1}},
		}},
		{name: "enum by name", s: rtnlSchema(32), args: []string{"FRA_TABLE=main"}, want: []netlink.Attribute{{Type: 15, Data: ne32(254)}}},
		{name: "unknown name", s: genl, args: []string{"NOPE=1"}, err: `attribute "NOPE=1": unknown attribute "NOPE" (want a number or a ETHTOOL_A_LINKINFO_* name)`},
		{name: "out of range", s: genl, args: []string{"port=256"}, err: "ETHTOOL_A_LINKINFO_PORT: want an unsigned 8-bit number, got \"256\""},
		{name: "not nested", s: genl, args: []string{"port.x=1"}, err: "ETHTOOL_A_LINKINFO_PORT is a u8, not nested"},
		{name: "twice", s: genl, args: []string{"port=1", "port=2"}, err: "ETHTOOL_A_LINKINFO_PORT is given more than once"},
		{name: "unknown type needs hex", s: genl, args: []string{"11=5"}, err: "its type is unknown: give its bytes in hexadecimal"},
		{name: "bad address", s: link, args: []string{"IFLA_ADDRESS=nope"}, err: "want a link-layer address"},
		{name: "bad flag value", s: genl, args: []string{"TP_MDIX=yes"}, err: "a flag takes no value, true or false"},
		{name: "no names", s: nil, args: []string{"X=1"}, err: `nlctl knows no attribute names here; give "X" as a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args, err := parseAttrArgs(tt.args)
			if err != nil {
				t.Fatalf("failed to parse: %v", err)
			}
			got, err := encodeAttrArgs(args, tt.s, 0)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("failed to encode: %v", err)
			}
			want := mustAttrs(t, tt.want...)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("unexpected attributes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPolicyVariableWidth checks what nlctl takes from netlink.DecodePolicy:
// the sint and uint kinds, and bounds sent in 4 bytes.
func TestPolicyVariableWidth(t *testing.T) {
	ae := netlink.NewAttributeEncoder()
	ae.Nested(CTRL_ATTR_POLICY, func(pae *netlink.AttributeEncoder) error {
		pae.Nested(0, func(aae *netlink.AttributeEncoder) error {
			aae.Nested(1, func(nae *netlink.AttributeEncoder) error {
				nae.Uint32(nlfacts.PolicyAttrType, uint32(netlink.PolicyTypeSint))
				nae.Int32(nlfacts.PolicyAttrMinValueS, -5)
				nae.Int32(nlfacts.PolicyAttrMaxValueS, 5)
				return nil
			})
			aae.Nested(2, func(nae *netlink.AttributeEncoder) error {
				nae.Uint32(nlfacts.PolicyAttrType, uint32(netlink.PolicyTypeUint))
				nae.Uint32(nlfacts.PolicyAttrMinValueU, 1)
				nae.Uint64(nlfacts.PolicyAttrMaxValueU, 10)
				return nil
			})
			return nil
		})
		return nil
	})
	b, err := ae.Encode()
	if err != nil {
		t.Fatalf("failed to encode: %v", err)
	}
	fp := &familyPolicies{policies: make(map[uint32]map[uint16]policyAttr), ops: make(map[uint32]opPolicy)}
	if err := fp.parse(b); err != nil {
		t.Fatalf("failed to parse the policies: %v", err)
	}
	type limits struct {
		Kind     string
		Limits   string
		Min, Max any
	}
	got := make(map[uint16]limits)
	for typ, pa := range fp.policies[0] {
		l := limits{Kind: pa.kindName(), Limits: policyLimits(pa)}
		if pa.MinSigned != nil {
			l.Min, l.Max = *pa.MinSigned, *pa.MaxSigned
		}
		if pa.MinUnsigned != nil {
			l.Min, l.Max = *pa.MinUnsigned, *pa.MaxUnsigned
		}
		got[typ] = l
	}
	want := map[uint16]limits{
		1: {Kind: "sint", Limits: ", range -5..5", Min: int64(-5), Max: int64(5)},
		2: {Kind: "uint", Limits: ", range 1..10", Min: uint64(1), Max: uint64(10)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("unexpected policies (-want +got):\n%s", diff)
	}

	values := []struct {
		kind  string
		data  []byte
		value any
		ok    bool
	}{
		{kindSint, ne32(uint32(0xfffffffd)), int64(-3), true},
		{kindSint, binary.NativeEndian.AppendUint64(nil, 1<<40), int64(1 << 40), true},
		{kindSint, ne16(1), nil, false},
		{kindUint, ne32(7), uint64(7), true},
		{kindUint, binary.NativeEndian.AppendUint64(nil, 1<<63), uint64(1 << 63), true},
		{kindUint, []byte{1, 2, 3}, nil, false},
	}
	for _, v := range values {
		var n attrNode
		ok := decodeTyped(&n, v.data, attrSpec{kind: v.kind}, 0)
		if ok != v.ok || (ok && !cmp.Equal(n.Value, v.value)) {
			t.Errorf("decoding %s %x: %v, %t; want %v, %t", v.kind, v.data, n.Value, ok, v.value, v.ok)
		}
		if !ok {
			continue
		}
		enc, _, err := encodeValue(attrSpec{kind: v.kind}, fmt.Sprint(v.value))
		if err != nil || !bytes.Equal(enc, v.data) {
			t.Errorf("encoding %s %v: %x, %v; want %x", v.kind, v.value, enc, err, v.data)
		}
	}
}
