package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl"
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
		{name: "unknown command", args: []string{"frobnicate"}, want: `nlctl: unknown command "frobnicate" (want families, policy, monitor, dump or get)`},
		{name: "unknown option", args: []string{"--bogus", "families"}, want: "nlctl: flag provided but not defined: -bogus"},
		{name: "families with argument", args: []string{"families", "extra"}, want: `nlctl: families takes no arguments, got "extra"`},
		{name: "families unknown option", args: []string{"families", "--colour"}, want: "flag provided but not defined: -colour"},
		{name: "netns without value", args: []string{"families", "--netns"}, want: "flag needs an argument: -netns"},
		{name: "monitor without target", args: []string{"monitor"}, want: "nlctl: monitor needs at least one TARGET, such as route:link"},
		{name: "monitor target without colon", args: []string{"monitor", "link"}, want: `nlctl: target "link": want route:GROUP or FAMILY:GROUP`},
		{name: "monitor empty family", args: []string{"monitor", ":notify"}, want: `target ":notify": want route:GROUP`},
		{name: "monitor empty group", args: []string{"monitor", "nlctrl:"}, want: `target "nlctrl:": want route:GROUP`},
		{name: "monitor unknown route group", args: []string{"monitor", "route:link", "route:nosuch"}, want: `unknown rtnetlink group "nosuch" (want one of brvlan, dcb, decnet-ifaddr,`},
		{name: "monitor route group zero", args: []string{"monitor", "route:0"}, want: `nlctl: target "route:0": rtnetlink group 0 is invalid: groups are numbered from 1`},
		{name: "dump generic without header", args: []string{"dump", "generic", "16"}, want: "nlctl: generic netlink messages start with the 4-byte genetlink header (command, version, two reserved bytes)"},
		{name: "dump attribute without value", args: []string{"dump", "route", "getlink", "IFLA_IFNAME"}, want: `nlctl: attribute "IFLA_IFNAME": want NAME=VALUE`},
		{name: "dump attribute empty child", args: []string{"get", "route", "getlink", "IFLA_LINKINFO..x=1"}, want: `nlctl: attribute "IFLA_LINKINFO..x=1": empty name`},
		{name: "policy without family", args: []string{"policy"}, want: "nlctl: policy needs FAMILY and optionally COMMAND"},
		{name: "policy unknown command", args: []string{"policy", "nlctrl", "frob"}, want: `nlctl: unknown command "frob" for generic netlink family "nlctrl"`},
		{name: "get without type", args: []string{"get", "nlctrl"}, want: "nlctl: get needs FAMILY and TYPE, such as: nlctl get route getlink"},
		{name: "dump without arguments", args: []string{"dump"}, want: "nlctl: dump needs FAMILY and TYPE, such as: nlctl dump route getlink"},
		{name: "dump without type", args: []string{"dump", "route"}, want: "dump needs FAMILY and TYPE"},
		{name: "dump with extra argument", args: []string{"dump", "route", "getlink", "now"}, want: `attribute "now": want NAME=VALUE`},
		{name: "dump unknown route type", args: []string{"dump", "route", "getfoo"}, want: `unknown rtnetlink message type "getfoo"`},
		{name: "dump type too large", args: []string{"dump", "netfilter", "70000"}, want: `message type "70000" for family netfilter: want a number from 0 to 65535`},
		{name: "dump family out of range", args: []string{"dump", "99", "1"}, want: "netlink family 99 is out of range (0 to 31)"},
		{name: "dump family name too long", args: []string{"dump", "averyveryverylongname", "1"}, want: `"averyveryverylongname" is neither a netlink family nor a generic netlink family name`},
		{name: "dump unknown genl command", args: []string{"dump", "nlctrl", "frob"}, want: `unknown command "frob" for generic netlink family "nlctrl" (want a number from 0 to 255 or one of newfamily, delfamily, getfamily,`},
		{name: "dump genl command too large", args: []string{"dump", "devlink", "256"}, want: `unknown command "256" for generic netlink family "devlink"`},
		{name: "dump bad header", args: []string{"dump", "route", "getlink", "--header", "zz"}, want: "nlctl: --header: not hexadecimal bytes"},
		{name: "dump odd attrs", args: []string{"dump", "--attrs", "123", "route", "getlink"}, want: "nlctl: --attrs: not hexadecimal bytes"},
		{name: "dump bad flag", args: []string{"dump", "route", "getlink", "--flags", "request,bogus"}, want: `nlctl: --flags: unknown flag "bogus"`},
		{name: "dump bad timeout", args: []string{"dump", "route", "getlink", "--timeout", "-1s"}, want: "nlctl: --timeout must be positive, got -1s"},
		{name: "dump unparsable timeout", args: []string{"dump", "route", "getlink", "--timeout", "soon"}, want: `invalid value "soon" for flag -timeout`},
		{name: "short header of a spec'd message", args: []string{"dump", "route", "getlink", "--header", "00"},
			want: "nlctl: --header is 1 bytes, but a getlink message starts with struct ifinfomsg of 16 bytes: give all 16 bytes"},
		{name: "short header of a message without spec", args: []string{"dump", "route", "getneigh", "--header", "0a00"},
			want: "nlctl: --header is 2 bytes, but a getneigh message starts with struct ndmsg of 12 bytes"},
		{name: "short genetlink header", args: []string{"get", "nlctrl", "getfamily", "--header", "03"},
			want: "nlctl: --header is 1 bytes, but a getfamily message starts with the genetlink header of 4 bytes"},
		{name: "header and a header field", args: []string{"dump", "route", "getroute", "--header", "000000000000000000000000", "family=inet6"},
			want: "nlctl: --header gives the whole fixed header: set rtm-family there, or leave --header out"},
		{name: "header and a field without spec", args: []string{"dump", "route", "getneigh", "--header", "000000000000000000000000", "ifindex=3"},
			want: "nlctl: --header gives the whole fixed header: set index there"},
		{name: "value breaking the spec", args: []string{"get", "route", "getlink", "IFLA_MTU=big"}, want: "mtu"},
		{name: "unknown header flag without spec", args: []string{"dump", "route", "getneigh", "state=bogus"}, want: `unknown flag "bogus" of state (want NUD_* names)`},
		{name: "header field out of range", args: []string{"dump", "route", "getrule", "table=300"}, want: `"table=300": want a number or a RT_TABLE_* name for table`},
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
			want:  dumpRequest{family: NETLINK_ROUTE, typ: 18, flags: netlink.Request | netlink.Dump},
		},
		{
			name:  "route by RTM name, ack only: request is added",
			pos:   []string{"rtnetlink", "RTM_GETADDR"},
			flags: "ack",
			want:  dumpRequest{family: NETLINK_ROUTE, typ: 22, flags: netlink.Request | netlink.Acknowledge},
		},
		{
			name:   "numeric family and type, header and attributes",
			pos:    []string{"12", "0x0a01"},
			header: "02 00 00 00",
			hdrSet: true,
			attrs:  "0x0800010001000000",
			flags:  "dump,0x10",
			want: dumpRequest{family: NETLINK_NETFILTER, typ: 0x0a01, header: []byte{2, 0, 0, 0},
				attrs: []byte{8, 0, 1, 0, 1, 0, 0, 0}, flags: netlink.Request | netlink.Dump | 0x10},
		},
		{
			name:   "empty header given",
			pos:    []string{"generic", "16"},
			hdrSet: true,
			want:   dumpRequest{family: NETLINK_GENERIC, typ: 16, header: []byte{}, flags: netlink.Request},
		},
		{
			name:  "generic netlink family by name",
			pos:   []string{"nlctrl", "getfamily"},
			flags: "request,dump",
			want:  dumpRequest{family: NETLINK_GENERIC, genl: "nlctrl", cmd: 3, cmdName: "getfamily", flags: netlink.Request | netlink.Dump},
		},
		{
			name:  "generic netlink command by number",
			pos:   []string{"devlink", "1"},
			attrs: "aa:bb:cc:dd",
			want:  dumpRequest{family: NETLINK_GENERIC, genl: "devlink", cmd: 1, cmdName: "DEVLINK_CMD_GET", attrs: []byte{0xaa, 0xbb, 0xcc, 0xdd}, flags: netlink.Request},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseDumpRequest("dump", tt.pos, tt.header, tt.hdrSet, tt.attrs, tt.flags, time.Second)
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
		{"route:link", monitorTarget{spec: "route:link", family: NETLINK_ROUTE, group: "link", id: 1}},
		{"route:ipv4-route", monitorTarget{spec: "route:ipv4-route", family: NETLINK_ROUTE, group: "ipv4-route", id: 7}},
		{"route:IPv6-Route", monitorTarget{spec: "route:IPv6-Route", family: NETLINK_ROUTE, group: "IPv6-Route", id: 11}},
		{"rtnetlink:neigh", monitorTarget{spec: "rtnetlink:neigh", family: NETLINK_ROUTE, group: "neigh", id: 3}},
		{"route:40", monitorTarget{spec: "route:40", family: NETLINK_ROUTE, group: "40", id: 40}},
		{"nlctrl:notify", monitorTarget{spec: "nlctrl:notify", family: NETLINK_GENERIC, genl: "nlctrl", group: "notify"}},
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

func mustAttrs(t testing.TB, attrs ...netlink.Attribute) []byte {
	t.Helper()
	b, err := netlink.MarshalAttributes(attrs)
	if err != nil {
		t.Fatalf("failed to marshal attributes: %v", err)
	}
	return b
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
		{"eth0" + strings.Repeat("\x00", 28), "eth0", true}, // a 32-byte buffer
		{"&" + strings.Repeat("\x00", 39), "", false},       // a counter
		{strings.Repeat("x", 36) + "\x00\x00\x00\x00", strings.Repeat("x", 36), true},
	}
	for _, tt := range tests {
		got, ok := cString([]byte(tt.in))
		if got != tt.want || ok != tt.ok {
			t.Errorf("cString(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestHeaderFlagList(t *testing.T) {
	tests := []struct {
		family int
		typ    uint16
		flags  netlink.HeaderFlags
		want   []string
	}{
		{NETLINK_ROUTE, 24, netlink.Create | netlink.Excl | netlink.Acknowledge, []string{"ack", "excl", "create"}}, // RTM_NEWROUTE
		{NETLINK_ROUTE, 26, netlink.Request | netlink.Dump, []string{"request", "root", "match"}},                   // RTM_GETROUTE
		{NETLINK_ROUTE, 25, netlink.Request | 0x100, []string{"request", "0x100"}},                                  // RTM_DELROUTE
		{NETLINK_ROUTE, NLMSG_ERROR, netlink.Capped | netlink.AcknowledgeTLVs, []string{"capped", "ack-tlvs"}},
		{NETLINK_GENERIC, 0x10, netlink.Multi | netlink.DumpInterrupted, []string{"multi", "dump-interrupted"}},
		{NETLINK_GENERIC, 0x10, 0, []string{}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, headerFlagList(tt.family, tt.typ, tt.flags)); diff != "" {
			t.Errorf("family %d type %d flags %#x (-want +got):\n%s", tt.family, tt.typ, uint16(tt.flags), diff)
		}
	}
}

func TestParseFamily(t *testing.T) {
	ae := netlink.NewAttributeEncoder()
	ae.Uint16(CTRL_ATTR_FAMILY_ID, 0x10)
	ae.String(CTRL_ATTR_FAMILY_NAME, "nlctrl")
	ae.Uint32(CTRL_ATTR_VERSION, 2)
	ae.Uint32(CTRL_ATTR_HDRSIZE, 0)
	ae.Uint32(CTRL_ATTR_MAXATTR, 10)
	ae.Nested(CTRL_ATTR_OPS, func(ops *netlink.AttributeEncoder) error {
		for i, op := range [][2]uint32{{3, 0xe}, {10, 0x24}} {
			ops.Nested(uint16(i+1), func(nae *netlink.AttributeEncoder) error {
				nae.Uint32(CTRL_ATTR_OP_ID, op[0])
				nae.Uint32(CTRL_ATTR_OP_FLAGS, op[1])
				return nil
			})
		}
		return nil
	})
	ae.Nested(CTRL_ATTR_MCAST_GROUPS, func(groups *netlink.AttributeEncoder) error {
		groups.Nested(1, func(nae *netlink.AttributeEncoder) error {
			nae.String(CTRL_ATTR_MCAST_GRP_NAME, "notify")
			nae.Uint32(CTRL_ATTR_MCAST_GRP_ID, 0x10)
			return nil
		})
		return nil
	})
	attrs, err := ae.Encode()
	if err != nil {
		t.Fatalf("failed to encode: %v", err)
	}

	got, err := parseFamily(netlink.Message{Data: append([]byte{1, 2, 0, 0}, attrs...)})
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

	for _, bad := range [][]byte{{1, 2}, {1, 2, 0, 0, 5, 0}, append([]byte{1, 2, 0, 0}, mustAttrs(t, netlink.Attribute{Type: CTRL_ATTR_FAMILY_ID, Data: []byte{1}})...)} {
		if _, err := parseFamily(netlink.Message{Data: bad}); err == nil {
			t.Fatalf("parseFamily(%x): no error", bad)
		}
	}
}

// TestSpecArgPath checks the names the old commands take for the
// attributes and header fields of a spec'd operation.
func TestSpecArgPath(t *testing.T) {
	tests := []struct {
		family, op string
		in, want   []string
	}{
		{"rt-route", "getroute", []string{"RTA_OIF"}, []string{"rta-oif"}},
		{"rt-route", "getroute", []string{"oif"}, []string{"oif"}}, // attrAliases takes it
		{"rt-route", "getroute", []string{"4"}, []string{"rta-oif"}},
		{"rt-route", "getroute", []string{"rtm_family"}, []string{"rtm-family"}},
		{"rt-link", "getlink", []string{"IFLA_MTU"}, []string{"mtu"}},
		{"rt-link", "newlink", []string{"IFLA_LINKINFO", "IFLA_INFO_KIND"}, []string{"linkinfo", "kind"}},
		{"rt-link", "getlink", []string{"IFLA_NOSUCH"}, []string{"IFLA_NOSUCH"}},
		{"nlctrl", "getfamily", []string{"CTRL_ATTR_FAMILY_NAME"}, []string{"family-name"}},
	}
	for _, tt := range tests {
		f, ok := ynl.Lookup(tt.family)
		if !ok {
			t.Fatalf("no spec %s", tt.family)
		}
		got := specArgPath(f, f.Op(tt.op), tt.in)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s %s %q (-want +got):\n%s", tt.family, tt.op, tt.in, diff)
		}
	}
}
