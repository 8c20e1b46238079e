package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
)

// These tests open no socket: every argument error is found before nlctl
// talks to the kernel.

func TestRunArgumentErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{name: "no arguments", args: nil, want: "usage: nlctl"},
		{name: "only options", args: []string{"--json"}, want: "usage: nlctl"},
		{name: "unknown command", args: []string{"frobnicate"}, want: `nlctl: unknown command "frobnicate" (want families, monitor or dump)`},
		{name: "unknown option", args: []string{"--bogus", "families"}, want: "nlctl: flag provided but not defined: -bogus"},
		{name: "families with argument", args: []string{"families", "extra"}, want: `nlctl: families takes no arguments, got "extra"`},
		{name: "families unknown option", args: []string{"families", "--colour"}, want: "flag provided but not defined: -colour"},
		{name: "netns without value", args: []string{"families", "--netns"}, want: "flag needs an argument: -netns"},
		{name: "monitor without target", args: []string{"monitor"}, want: "nlctl: monitor needs at least one TARGET, such as route:link"},
		{name: "monitor target without colon", args: []string{"monitor", "link"}, want: `nlctl: target "link": want route:GROUP or FAMILY:GROUP`},
		{name: "monitor empty family", args: []string{"monitor", ":notify"}, want: `target ":notify": want route:GROUP`},
		{name: "monitor empty group", args: []string{"monitor", "nlctrl:"}, want: `target "nlctrl:": want route:GROUP`},
		{name: "monitor unknown route group", args: []string{"monitor", "route:link", "route:nosuch"}, want: `unknown rtnetlink group "nosuch" (want a number or one of`},
		{name: "dump without arguments", args: []string{"dump"}, want: "nlctl: dump needs FAMILY and TYPE, such as: nlctl dump route getlink"},
		{name: "dump without type", args: []string{"dump", "route"}, want: "dump needs FAMILY and TYPE"},
		{name: "dump with extra argument", args: []string{"dump", "route", "getlink", "now"}, want: "dump needs FAMILY and TYPE"},
		{name: "dump unknown route type", args: []string{"dump", "route", "getfoo"}, want: `unknown rtnetlink message type "getfoo"`},
		{name: "dump type too large", args: []string{"dump", "netfilter", "70000"}, want: `message type "70000" for family netfilter: want a number from 0 to 65535`},
		{name: "dump family out of range", args: []string{"dump", "99", "1"}, want: "netlink family 99 is out of range (0 to 31)"},
		{name: "dump family name too long", args: []string{"dump", "averyveryverylongname", "1"}, want: `"averyveryverylongname" is neither a netlink family nor a generic netlink family name`},
		{name: "dump unknown genl command", args: []string{"dump", "nlctrl", "frob"}, want: `unknown command "frob" for generic netlink family "nlctrl"`},
		{name: "dump genl command too large", args: []string{"dump", "devlink", "256"}, want: `unknown command "256" for generic netlink family "devlink"`},
		{name: "dump bad header", args: []string{"dump", "route", "getlink", "--header", "zz"}, want: "nlctl: --header: not hexadecimal bytes"},
		{name: "dump odd attrs", args: []string{"dump", "--attrs", "123", "route", "getlink"}, want: "nlctl: --attrs: not hexadecimal bytes"},
		{name: "dump bad flag", args: []string{"dump", "route", "getlink", "--flags", "request,bogus"}, want: `nlctl: --flags: unknown flag "bogus"`},
		{name: "dump bad timeout", args: []string{"dump", "route", "getlink", "--timeout", "-1s"}, want: "nlctl: --timeout must be positive, got -1s"},
		{name: "dump unparsable timeout", args: []string{"dump", "route", "getlink", "--timeout", "soon"}, want: `invalid value "soon" for flag -timeout`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			if code != exitUsage {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, exitUsage, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Fatalf("stderr does not say %q:\n%s", tt.want, stderr.String())
			}
			if stdout.Len() != 0 {
				t.Fatalf("unexpected output on stdout:\n%s", stdout.String())
			}
			if tt.args != nil && tt.args[0] != "--json" && !strings.Contains(stderr.String(), "run nlctl without arguments for its usage") {
				t.Fatalf("stderr does not point to the usage:\n%s", stderr.String())
			}
		})
	}
}

func TestRunHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"dump", "-h"}, {"monitor", "--help"}} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != exitOK {
			t.Fatalf("%q: exit code %d, want 0; stderr:\n%s", args, code, stderr.String())
		}
		if !strings.HasPrefix(stdout.String(), "usage: nlctl") || stderr.Len() != 0 {
			t.Fatalf("%q: want the usage on stdout only, got stdout:\n%s\nstderr:\n%s", args, stdout.String(), stderr.String())
		}
	}
}

func TestParseDumpRequest(t *testing.T) {
	tests := []struct {
		name   string
		pos    []string
		header string
		hdrSet bool
		attrs  string
		flags  string
		want   dumpRequest
	}{
		{
			name:  "route by name",
			pos:   []string{"route", "getlink"},
			flags: "request,dump",
			want:  dumpRequest{family: familyRoute, typ: 18, flags: netlink.Request | netlink.Dump},
		},
		{
			name:  "route by RTM name, ack only: request is added",
			pos:   []string{"rtnetlink", "RTM_GETADDR"},
			flags: "ack",
			want:  dumpRequest{family: familyRoute, typ: 22, flags: netlink.Request | netlink.Acknowledge},
		},
		{
			name:   "numeric family and type, header and attributes",
			pos:    []string{"12", "0x0a01"},
			header: "02 00 00 00",
			hdrSet: true,
			attrs:  "0x0800010001000000",
			flags:  "dump,0x10",
			want: dumpRequest{family: familyNetfilter, typ: 0x0a01, header: []byte{2, 0, 0, 0},
				attrs: []byte{8, 0, 1, 0, 1, 0, 0, 0}, flags: netlink.Request | netlink.Dump | 0x10},
		},
		{
			name:   "empty header given",
			pos:    []string{"generic", "16"},
			hdrSet: true,
			want:   dumpRequest{family: familyGeneric, typ: 16, header: []byte{}, flags: netlink.Request},
		},
		{
			name:  "generic netlink family by name",
			pos:   []string{"nlctrl", "getfamily"},
			flags: "request,dump",
			want:  dumpRequest{family: familyGeneric, genl: "nlctrl", cmd: 3, flags: netlink.Request | netlink.Dump},
		},
		{
			name:  "generic netlink command by number",
			pos:   []string{"devlink", "1"},
			attrs: "aa:bb:cc:dd",
			want:  dumpRequest{family: familyGeneric, genl: "devlink", cmd: 1, attrs: []byte{0xaa, 0xbb, 0xcc, 0xdd}, flags: netlink.Request},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseDumpRequest(tt.pos, tt.header, tt.hdrSet, tt.attrs, tt.flags, time.Second)
			if err != nil {
				t.Fatalf("failed to parse: %v", err)
			}
			tt.want.timeout = time.Second
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(dumpRequest{})); diff != "" {
				t.Fatalf("unexpected request (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in   string
		want monitorTarget
	}{
		{"route:link", monitorTarget{spec: "route:link", family: familyRoute, group: "link", id: 1}},
		{"route:ipv4-route", monitorTarget{spec: "route:ipv4-route", family: familyRoute, group: "ipv4-route", id: 7}},
		{"route:IPv6-Route", monitorTarget{spec: "route:IPv6-Route", family: familyRoute, group: "IPv6-Route", id: 11}},
		{"rtnetlink:neigh", monitorTarget{spec: "rtnetlink:neigh", family: familyRoute, group: "neigh", id: 3}},
		{"route:40", monitorTarget{spec: "route:40", family: familyRoute, group: "40", id: 40}},
		{"nlctrl:notify", monitorTarget{spec: "nlctrl:notify", family: familyGeneric, genl: "nlctrl", group: "notify"}},
	}
	for _, tt := range tests {
		got, err := parseTarget(tt.in)
		if err != nil {
			t.Fatalf("%q: %v", tt.in, err)
		}
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(monitorTarget{})); diff != "" {
			t.Fatalf("%q: unexpected target (-want +got):\n%s", tt.in, diff)
		}
	}
	for _, bad := range []string{"route:0", "route:nosuch", "route", "x:", ":y"} {
		if _, err := parseTarget(bad); err == nil {
			t.Fatalf("%q: no error", bad)
		}
	}
}

func TestParseHeaderFlags(t *testing.T) {
	tests := []struct {
		in   string
		want netlink.HeaderFlags
		ok   bool
	}{
		{"", 0, true},
		{"request", netlink.Request, true},
		{"Request, ACK ,echo", netlink.Request | netlink.Acknowledge | netlink.Echo, true},
		{"dump", netlink.Root | netlink.Match, true},
		{"create,excl", netlink.Create | netlink.Excl, true},
		{"0x300,1", 0x301, true},
		{"0x10000", 0, false},
		{"sometimes", 0, false},
	}
	for _, tt := range tests {
		got, err := parseHeaderFlags(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Fatalf("parseHeaderFlags(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// ne16 and ne32 encode integers in the host's order, as netlink does.
func ne16(v uint16) []byte { return binary.NativeEndian.AppendUint16(nil, v) }
func ne32(v uint32) []byte { return binary.NativeEndian.AppendUint32(nil, v) }

func mustAttrs(t *testing.T, attrs ...netlink.Attribute) []byte {
	t.Helper()
	b, err := netlink.MarshalAttributes(attrs)
	if err != nil {
		t.Fatalf("failed to marshal attributes: %v", err)
	}
	return b
}

func ptr[T any](v T) *T { return &v }

func TestDecodeMessageLink(t *testing.T) {
	ifinfo := append(append([]byte{0, 0}, ne16(772)...), append(ne32(1), append(ne32(0x49), ne32(0)...)...)...)
	m := netlink.Message{
		Header: netlink.Header{Type: 16, Flags: netlink.Multi, Sequence: 7, PID: 42},
		Data: append(ifinfo, mustAttrs(t,
			netlink.Attribute{Type: 3, Data: []byte("lo\x00")},
			netlink.Attribute{Type: 4, Data: ne32(9000)},
			netlink.Attribute{Type: 18, Data: mustAttrs(t, netlink.Attribute{Type: 1, Data: []byte("ifb\x00")})},
			netlink.Attribute{Type: 26 | netlink.Nested, Data: mustAttrs(t, netlink.Attribute{Type: 2, Data: []byte{1}})},
			netlink.Attribute{Type: 23, Data: make([]byte, 40)},
			netlink.Attribute{Type: 5 | netlink.NetByteOrder, Data: []byte{0, 80}},
			netlink.Attribute{Type: 7},
			netlink.Attribute{Type: 8, Data: ne32(4)},
		)...),
	}
	ifb := uint64(binary.NativeEndian.Uint32([]byte("ifb\x00")))
	want := messageView{
		Family: "route", Type: 16, TypeName: "RTM_NEWLINK", Flags: "multi", Sequence: 7, PID: 42,
		Header: hex.EncodeToString(ifinfo),
		Attrs: []attrNode{
			{Type: 3, Length: 3, String: ptr("lo"), Hex: "6c6f00"},
			{Type: 4, Length: 4, Value: ptr(uint64(9000)), Hex: hex.EncodeToString(ne32(9000))},
			{Type: 18, Length: 8, Nested: true, Attrs: []attrNode{
				{Type: 1, Length: 4, String: ptr("ifb"), Value: &ifb, Hex: "69666200"},
			}},
			{Type: 26, NestedFlag: true, Length: 8, Nested: true, Attrs: []attrNode{
				{Type: 2, Length: 1, Value: ptr(uint64(1)), Hex: "01"},
			}},
			{Type: 23, Length: 40, Hex: strings.Repeat("00", 40)},
			{Type: 5, NetByteOrder: true, Length: 2, Value: ptr(uint64(80)), Hex: "0050"},
			{Type: 7},
			{Type: 8, Length: 4, Value: ptr(uint64(4)), Hex: hex.EncodeToString(ne32(4))},
		},
	}
	got := decodeMessage(familyRoute, nil, m)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("unexpected decoding (-want +got):\n%s", diff)
	}

	var b bytes.Buffer
	writeMessageText(&b, "> ", got)
	wantText := "> route RTM_NEWLINK (16) flags=multi seq=7 pid=42\n" +
		"    header: " + spacedHex(hex.EncodeToString(ifinfo)) + "\n" +
		"    [3] \"lo\"\n" +
		"    [4] u32 9000 (0x2328)\n" +
		"    [18] nested:\n" +
		"        [1] \"ifb\"\n" +
		"    [26] nested:\n" +
		"        [2] u8 1 (0x1)\n" +
		"    [23] 40 bytes: " + strings.TrimSpace(strings.Repeat("00 ", 32)) + " ... (8 more)\n" +
		"    [5] be16 80 (0x50)\n" +
		"    [7] (empty)\n" +
		"    [8] u32 4 (0x4)\n"
	if diff := cmp.Diff(wantText, b.String()); diff != "" {
		t.Fatalf("unexpected text (-want +got):\n%s", diff)
	}
}

func TestDecodeMessageOthers(t *testing.T) {
	echoed := make([]byte, 16)
	tests := []struct {
		name   string
		family int
		names  map[uint16]string
		m      netlink.Message
		want   messageView
		json   string
	}{
		{
			name:   "generic netlink with a known family",
			family: familyGeneric,
			names:  map[uint16]string{0x1b: "ethtool"},
			m: netlink.Message{
				Header: netlink.Header{Type: 0x1b, Flags: netlink.Request, Sequence: 1, PID: 2},
				Data:   append([]byte{2, 1, 0, 0}, mustAttrs(t, netlink.Attribute{Type: 1, Data: []byte("eth0\x00")})...),
			},
			want: messageView{
				Family: "generic", Type: 0x1b, TypeName: "ethtool", Flags: "request", Sequence: 1, PID: 2,
				GenlCommand: ptr(uint8(2)), GenlVersion: ptr(uint8(1)), Header: "02010000",
				Attrs: []attrNode{{Type: 1, Length: 5, String: ptr("eth0"), Hex: "6574683000"}},
			},
			json: `{"family":"generic","type":27,"type_name":"ethtool","flags":"request","seq":1,"pid":2,"genl_cmd":2,"genl_version":1,` +
				`"header":"02010000","attrs":[{"type":1,"length":5,"string":"eth0","hex":"6574683000"}]}`,
		},
		{
			name:   "error",
			family: familyRoute,
			m: netlink.Message{
				Header: netlink.Header{Type: netlink.Error, Sequence: 3},
				Data:   append(ne32(uint32(0xffffffed)), echoed...), // -19
			},
			want: messageView{
				Family: "route", Type: 2, TypeName: "NLMSG_ERROR", Flags: "0", Sequence: 3,
				Error:   &errorView{Code: -19, Message: syscall.Errno(19).Error()},
				Payload: hex.EncodeToString(echoed),
			},
		},
		{
			name:   "acknowledgement",
			family: 9,
			m:      netlink.Message{Header: netlink.Header{Type: netlink.Error}, Data: ne32(0)},
			want:   messageView{Family: "audit", Type: 2, TypeName: "NLMSG_ERROR", Flags: "0", Error: &errorView{Code: 0, Message: "ack"}},
			json:   `{"family":"audit","type":2,"type_name":"NLMSG_ERROR","flags":"0","seq":0,"pid":0,"error":{"code":0,"message":"ack"}}`,
		},
		{
			name:   "payload that is not attributes",
			family: familyRoute,
			m:      netlink.Message{Header: netlink.Header{Type: 20}, Data: []byte{2, 24, 0, 0, 1, 0, 0, 0, 1, 2, 3}},
			want:   messageView{Family: "route", Type: 20, TypeName: "RTM_NEWADDR", Flags: "0", Header: "0218000001000000", Payload: "010203"},
		},
		{
			name:   "payload shorter than the family header",
			family: familyRoute,
			m:      netlink.Message{Header: netlink.Header{Type: 16}, Data: []byte{1, 2}},
			want:   messageView{Family: "route", Type: 16, TypeName: "RTM_NEWLINK", Flags: "0", Payload: "0102"},
		},
		{
			name:   "unknown family",
			family: 31,
			m:      netlink.Message{Header: netlink.Header{Type: 100}, Data: mustAttrs(t, netlink.Attribute{Type: 1, Data: []byte{9}})},
			want: messageView{Family: "31", Type: 100, Flags: "0",
				Attrs: []attrNode{{Type: 1, Length: 1, Value: ptr(uint64(9)), Hex: "09"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decodeMessage(tt.family, tt.names, tt.m)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("unexpected decoding (-want +got):\n%s", diff)
			}
			if tt.json == "" {
				return
			}
			b, err := json.Marshal(got)
			if err != nil {
				t.Fatalf("failed to encode: %v", err)
			}
			if diff := cmp.Diff(tt.json, string(b)); diff != "" {
				t.Fatalf("unexpected JSON (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLooksNested(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
		want bool
	}{
		{"two attributes", mustAttrs(t, netlink.Attribute{Type: 1, Data: ne32(1)}, netlink.Attribute{Type: 2}), true},
		{"one flag attribute is too small to tell", mustAttrs(t, netlink.Attribute{Type: 1}), false},
		{"zero type", mustAttrs(t, netlink.Attribute{Type: 0, Data: ne32(1)}), false},
		{"zeros", make([]byte, 16), false},
		{"length past the end", append(ne16(40), append(ne16(1), make([]byte, 4)...)...), false},
		{"not a multiple of 4", []byte{6, 0, 1, 0, 1, 2, 0}, false},
		{"a string", []byte("abcdefg\x00"), false},
	}
	for _, tt := range tests {
		if got := looksNested(tt.b); got != tt.want {
			t.Errorf("%s: looksNested(%x) = %v, want %v", tt.name, tt.b, got, tt.want)
		}
	}
}

func TestCString(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"lo\x00", "lo", true},
		{"eth0\x00\x00\x00\x00", "eth0", true},
		{"\x00", "", false},
		{"no nul", "", false},
		{"a\x00b\x00", "", false},
		{"tab\t\x00", "", false},
		{"\xffx\x00", "", false},
	}
	for _, tt := range tests {
		got, ok := cString([]byte(tt.in))
		if got != tt.want || ok != tt.ok {
			t.Errorf("cString(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseFamily(t *testing.T) {
	ae := netlink.NewAttributeEncoder()
	ae.Uint16(ctrlAttrFamilyID, 0x10)
	ae.String(ctrlAttrFamilyName, "nlctrl")
	ae.Uint32(ctrlAttrVersion, 2)
	ae.Uint32(ctrlAttrHdrSize, 0)
	ae.Uint32(ctrlAttrMaxAttr, 10)
	ae.Nested(ctrlAttrOps, func(ops *netlink.AttributeEncoder) error {
		for i, op := range [][2]uint32{{3, 0xe}, {10, 0x24}} {
			ops.Nested(uint16(i+1), func(nae *netlink.AttributeEncoder) error {
				nae.Uint32(ctrlAttrOpID, op[0])
				nae.Uint32(ctrlAttrOpFlags, op[1])
				return nil
			})
		}
		return nil
	})
	ae.Nested(ctrlAttrMcastGroups, func(groups *netlink.AttributeEncoder) error {
		groups.Nested(1, func(nae *netlink.AttributeEncoder) error {
			nae.String(ctrlAttrMcastGrpName, "notify")
			nae.Uint32(ctrlAttrMcastGrpID, 0x10)
			return nil
		})
		return nil
	})
	attrs, err := ae.Encode()
	if err != nil {
		t.Fatalf("failed to encode: %v", err)
	}

	got, err := parseFamily(netlink.Message{Data: append([]byte{ctrlCmdNewFamily, 2, 0, 0}, attrs...)})
	if err != nil {
		t.Fatalf("failed to parse: %v", err)
	}
	want := genlFamily{
		Name: "nlctrl", ID: 0x10, Version: 2, MaxAttr: 10,
		Ops: []genlOp{
			{ID: 3, Flags: 0xe, Capabilities: []string{"can doit", "can dumpit", "has policy"}},
			{ID: 10, Flags: 0x24, Capabilities: []string{"can dumpit", "0x20"}},
		},
		Groups: []genlGroup{{Name: "notify", ID: 0x10}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("unexpected family (-want +got):\n%s", diff)
	}

	var b strings.Builder
	writeFamilyText(&b, got)
	wantText := "Name: nlctrl\n" +
		"\tID: 0x10  Version: 0x2  header size: 0  max attribs: 10\n" +
		"\tcommands supported:\n" +
		"\t\t#1:  ID-0x3  (can doit; can dumpit; has policy)\n" +
		"\t\t#2:  ID-0xa  (can dumpit; 0x20)\n" +
		"\tmulticast groups:\n" +
		"\t\t#1:  ID-0x10  name: notify\n" +
		"\n"
	if diff := cmp.Diff(wantText, b.String()); diff != "" {
		t.Fatalf("unexpected text (-want +got):\n%s", diff)
	}

	for _, bad := range [][]byte{{1, 2}, {1, 2, 0, 0, 5, 0}, append([]byte{1, 2, 0, 0}, mustAttrs(t, netlink.Attribute{Type: ctrlAttrFamilyID, Data: []byte{1}})...)} {
		if _, err := parseFamily(netlink.Message{Data: bad}); err == nil {
			t.Fatalf("parseFamily(%x): no error", bad)
		}
	}
}
