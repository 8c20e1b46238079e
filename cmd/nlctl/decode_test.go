package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
)

var update = flag.Bool("update", false, "rewrite the golden files of the decoding tests")

// goldenMessage builds one message for a golden test. Every multi-byte
// integer is written in the host's order, as the kernel does, and no
// attribute is left to guessing in a way that depends on it: the same
// golden files hold on little- and big-endian machines (run the tests
// under qemu-s390x-static to check).
type goldenMessage struct {
	name   string
	family int
	build  func(t testing.TB) []netlink.Message
}

// The layouts below are those of <linux/rtnetlink.h>: ifinfomsg is
// family, pad, type u16, index s32, flags u32, change u32; ifaddrmsg is
// family, prefixlen, flags, scope, index u32; rtmsg is family, dst_len,
// src_len, tos, table, protocol, scope, type, flags u32; ndmsg is family,
// 3 pad bytes, index s32, state u16, flags u8, type u8.

func ifinfomsg(typ uint16, index int32, flags, change uint32) []byte {
	b := []byte{0, 0}
	b = append(b, ne16(typ)...)
	b = append(b, ne32(uint32(index))...)
	b = append(b, ne32(flags)...)
	return append(b, ne32(change)...)
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

var goldenMessages = []goldenMessage{
	{
		name: "link", family: NETLINK_ROUTE,
		build: func(t testing.TB) []netlink.Message {
			data := cat(
				ifinfomsg(1, 5, 0x11043, math.MaxUint32), // ARPHRD_ETHER; UP, BROADCAST, RUNNING, MULTICAST, LOWER_UP
				mustAttrs(t,
					netlink.Attribute{Type: 3, Data: []byte("nlctltest0\x00")},                   // IFLA_IFNAME
					netlink.Attribute{Type: 4, Data: ne32(1500)},                                 // IFLA_MTU
					netlink.Attribute{Type: 13, Data: ne32(32)},                                  // IFLA_TXQLEN
					netlink.Attribute{Type: 1, Data: []byte{2, 0, 0, 0, 0, 1}},                   // IFLA_ADDRESS
					netlink.Attribute{Type: 2, Data: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}, // IFLA_BROADCAST
					netlink.Attribute{Type: 16, Data: []byte{6}},                                 // IFLA_OPERSTATE
					netlink.Attribute{Type: 37, Data: ne32(math.MaxUint32)},                      // IFLA_LINK_NETNSID -1
					netlink.Attribute{Type: 18 | netlink.Nested, Data: mustAttrs(t, // IFLA_LINKINFO
						netlink.Attribute{Type: 1, Data: []byte("vxlan\x00")}, // IFLA_INFO_KIND
						netlink.Attribute{Type: 2 | netlink.Nested, Data: mustAttrs(t, // IFLA_INFO_DATA
							netlink.Attribute{Type: 7, Data: []byte{1}}, // IFLA_VXLAN_LEARNING
						)},
					)},
					netlink.Attribute{Type: 52 | netlink.Nested, Data: mustAttrs(t, // IFLA_PROP_LIST
						netlink.Attribute{Type: 53, Data: []byte("alt0\x00")}, // IFLA_ALT_IFNAME
					)},
					netlink.Attribute{Type: 6, Data: []byte("noqueue\x00")},       // IFLA_QDISC
					netlink.Attribute{Type: 20, Data: []byte("eth\x00")},          // IFLA_IFALIAS: text, yet 4 bytes
					netlink.Attribute{Type: 4000, Data: []byte{0xaa, 0xbb, 0xcc}}, // unknown
					netlink.Attribute{Type: 4001, Data: []byte("hello\x00")},      // unknown, text
				),
			)
			return []netlink.Message{{Header: netlink.Header{Type: 16, Flags: netlink.Multi, Sequence: 7, PID: 42}, Data: data}}
		},
	},
	{
		name: "address", family: NETLINK_ROUTE,
		build: func(t testing.TB) []netlink.Message {
			v4 := cat([]byte{2, 24, 0x80, 0}, ne32(5), mustAttrs(t, // AF_INET, /24, PERMANENT, universe
				netlink.Attribute{Type: 1, Data: []byte{10, 9, 9, 3}},                                      // IFA_ADDRESS
				netlink.Attribute{Type: 2, Data: []byte{10, 9, 9, 3}},                                      // IFA_LOCAL
				netlink.Attribute{Type: 4, Data: []byte{10, 9, 9, 255}},                                    // IFA_BROADCAST
				netlink.Attribute{Type: 3, Data: []byte("nlctltest0\x00")},                                 // IFA_LABEL
				netlink.Attribute{Type: 8, Data: ne32(0x280)},                                              // IFA_FLAGS: PERMANENT, NOPREFIXROUTE
				netlink.Attribute{Type: 6, Data: cat(ne32(math.MaxUint32), ne32(600), ne32(22), ne32(23))}, // IFA_CACHEINFO
			))
			v6 := cat([]byte{10, 64, 0x02, 253}, ne32(5), mustAttrs(t, // AF_INET6, /64, NODAD, link
				netlink.Attribute{Type: 1, Data: []byte{0xfe, 0x80, 15: 1}}, // IFA_ADDRESS fe80::1
				netlink.Attribute{Type: 8, Data: ne32(0x0)},                 // IFA_FLAGS: none
				netlink.Attribute{Type: 11, Data: []byte{2}},                // IFA_PROTO, which unix lacks
			))
			return []netlink.Message{
				{Header: netlink.Header{Type: 20}, Data: v4},
				{Header: netlink.Header{Type: 21, Flags: netlink.Request | netlink.Acknowledge, Sequence: 1}, Data: v6},
			}
		},
	},
	{
		name: "neighbour", family: NETLINK_ROUTE,
		build: func(t testing.TB) []netlink.Message {
			data := cat([]byte{2, 0, 0, 0}, ne32(5), ne16(0x2), []byte{0x80, 1}, mustAttrs(t, // AF_INET, REACHABLE, ROUTER, unicast
				netlink.Attribute{Type: 1, Data: []byte{10, 9, 9, 1}},                                  // NDA_DST
				netlink.Attribute{Type: 2, Data: []byte{2, 0, 0, 0, 0, 2}},                             // NDA_LLADDR
				netlink.Attribute{Type: 4, Data: ne32(3)},                                              // NDA_PROBES
				netlink.Attribute{Type: 3, Data: cat(ne32(10), ne32(20), ne32(30), ne32(1), ne32(99))}, // NDA_CACHEINFO, and 4 bytes more
				netlink.Attribute{Type: 5, Data: ne16(100)},                                            // NDA_VLAN
				netlink.Attribute{Type: 12, Data: []byte{4}},                                           // NDA_PROTOCOL, which unix lacks
			))
			return []netlink.Message{{Header: netlink.Header{Type: 28}, Data: data}}
		},
	},
	{
		name: "error", family: NETLINK_ROUTE,
		build: func(t testing.TB) []netlink.Message {
			return []netlink.Message{
				{Header: netlink.Header{Type: netlink.Error, Sequence: 3}, Data: append(ne32(uint32(0xffffffed)), make([]byte, 16)...)}, // -ENODEV
				{Header: netlink.Header{Type: netlink.Error}, Data: ne32(0)},
				{Header: netlink.Header{Type: 16}, Data: []byte{1, 2}}, // shorter than ifinfomsg
			}
		},
	},
}

// TestDecodeGolden decodes each golden message set and compares the text
// and JSON output with testdata/golden. Run with -update to rewrite them.
func TestDecodeGolden(t *testing.T) {
	for _, g := range goldenMessages {
		t.Run(g.name, func(t *testing.T) {
			var text bytes.Buffer
			views := []messageView{}
			for _, m := range g.build(t) {
				v := decodeMessage(g.family, newDecodeContext(), m)
				writeMessageText(&text, "", v)
				views = append(views, v)
			}
			var js bytes.Buffer
			if err := writeJSON(&js, views); err != nil {
				t.Fatalf("failed to write JSON: %v", err)
			}
			checkGolden(t, g.name+".txt", text.Bytes())
			checkGolden(t, g.name+".json", js.Bytes())
			if !json.Valid(js.Bytes()) {
				t.Fatalf("invalid JSON:\n%s", js.Bytes())
			}
		})
	}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("failed to read the golden file (run with -update): %v", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

func TestJSONValues(t *testing.T) {
	tests := []struct {
		name string
		node attrNode
		want string
	}{
		{"small u64", attrNode{Type: 1, Kind: kindU64, Length: 8, Value: uint64(1 << 53)}, `{"type":1,"kind":"u64","length":8,"value":9007199254740992}`},
		{"large u64", attrNode{Type: 1, Kind: kindU64, Length: 8, Value: uint64(1<<53 + 1)}, `{"type":1,"kind":"u64","length":8,"value":"9007199254740993"}`},
		{"very negative s64", attrNode{Type: 1, Kind: kindS64, Length: 8, Value: int64(math.MinInt64)}, `{"type":1,"kind":"s64","length":8,"value":"-9223372036854775808"}`},
		{"negative s32", attrNode{Type: 1, Kind: kindS32, Length: 4, Value: int64(-1)}, `{"type":1,"kind":"s32","length":4,"value":-1}`},
		{"empty nest", attrNode{Type: 2, Kind: kindNested, Nested: true}, `{"type":2,"kind":"nested","length":0,"attrs":[]}`},
		{"flags none", attrNode{Type: 3, Kind: kindU32, Length: 4, Value: uint64(0), Flags: flagNames("IFA_F_", 0)}, `{"type":3,"kind":"u32","length":4,"value":0,"flags":[]}`},
		{"flag", attrNode{Type: 4, Kind: kindFlag, Value: true}, `{"type":4,"kind":"flag","length":0,"value":true}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.node)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if diff := cmp.Diff(tt.want, string(b)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	// A message with nothing in it still lists its attributes and flags.
	b, err := json.Marshal(decodeMessage(NETLINK_ROUTE, nil, netlink.Message{Header: netlink.Header{Type: 3}}))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"family":"route","type":3,"type_name":"NLMSG_DONE","flags":[],"seq":0,"pid":0,"attrs":[]}`; string(b) != want {
		t.Errorf("empty message: got %s, want %s", b, want)
	}
}

// TestTypedTables builds every typed table: a name unix lacks panics.
func TestTypedTables(t *testing.T) {
	for obj, s := range rtnlSchemas() {
		if s.prefix == "" || !hasSet(s.prefix) {
			t.Errorf("rtnetlink %s: set %q is not generated", obj, s.prefix)
		}
	}
	for prefix := range genlStatic() {
		if !hasSet(prefix) {
			t.Errorf("generic netlink set %q is not generated", prefix)
		}
	}
	for name, n := range genlNamings {
		for _, p := range []string{n.cmd, n.attrs} {
			if p != "" && !hasSet(p) {
				t.Errorf("family %s: set %q is not generated", name, p)
			}
		}
		for attr, p := range n.nests {
			if !hasSet(p) {
				t.Errorf("family %s: set %q of %s is not generated", name, p, attr)
			}
		}
	}
	for name, defs := range rtnlHeaderFields {
		for _, d := range defs {
			for _, p := range []string{d.enum, d.flags} {
				if p != "" && !hasSet(p) {
					t.Errorf("%s.%s: set %q is not generated", name, d.name, p)
				}
			}
		}
	}
	if !strings.HasPrefix(constName("RTM_", 16), "RTM_NEWLINK") {
		t.Errorf("RTM 16 is %q", constName("RTM_", 16))
	}
}
