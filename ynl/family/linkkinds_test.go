//go:build linux

package family_test

import (
	"encoding/hex"
	"go/token"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl"
	"github.com/mdlayher/netlink/ynl/family/rtlink"
	"golang.org/x/sys/unix"
)

// Most link kinds cannot be created on every kernel (this project's test
// machine has no vlan, gre, geneve, bond, vrf or netkit), so the kernel
// round trips cannot prove rtlink's sub-message formats. The tests here do
// it offline: package ynl, whose decoder and encoder read the spec's
// tables at run time, writes a link message carrying each format's data
// from names and values; the typed package must decode it into its variant
// for that kind, encode it back to the same bytes, and hold the same
// values as ynl's decoding. For vlan, bytes that iproute2 wrote serve as a
// third, independent writer.

// linkKind is a format of one of rt-link's linkinfo sub-messages with
// representative values of its attributes, by the spec's names.
type linkKind struct {
	sub   string // "data" (linkinfo-data-msg) or "slave-data" (linkinfo-member-data-msg)
	kind  string
	attrs map[string]any
}

var linkKinds = []linkKind{
	{"data", "bond", map[string]any{
		"mode": 4, "miimon": 100, "updelay": 200, "downdelay": 300,
		"arp-ip-target":   []any{uint32(0xc0000201), uint32(0xc0000202)}, // big-endian u32s
		"ns-ip6-target":   []any{"2001:db8::1"},
		"ad-actor-system": "02:00:00:00:00:01", "ad-actor-sys-prio": 65535,
		"ad-info":          map[string]any{"aggregator": 3, "num-ports": 2, "partner-mac": "02:00:00:00:00:02"},
		"xmit-hash-policy": 2, "coupled-control": 1,
	}},
	{"data", "bridge", map[string]any{
		"forward-delay": 1500, "stp-state": 1, "priority": 0x8000, "vlan-filtering": 1,
		"vlan-protocol": 0x8100, "hello-timer": uint64(1) << 40,
		"root-id":       map[string]any{"prio": 0x8000, "addr": "02:00:00:00:00:03"},
		"group-addr":    "01:80:c2:00:00:00",
		"multi-boolopt": map[string]any{"optval": 1, "optmask": 3},
	}},
	{"data", "erspan", map[string]any{"link": 2, "local": "192.0.2.1", "remote": "198.51.100.1", "erspan-index": 7, "erspan-ver": 2, "erspan-dir": 1, "erspan-hwid": 9}},
	{"data", "gre", map[string]any{"iflags": 0x2000, "oflags": 0x2000, "ikey": 42, "okey": 43, "ttl": 64, "pmtudisc": 1, "collect-metadata": true}},
	{"data", "gretap", map[string]any{"local": "192.0.2.1", "remote": "198.51.100.1", "encap-type": 1, "encap-sport": 4000, "encap-dport": 5000, "ignore-df": 1, "fwmark": 7}},
	{"data", "geneve", map[string]any{"id": 1000, "remote": "198.51.100.1", "port": 6081, "remote6": "2001:db8::2", "label": 5, "collect-metadata": true, "inner-proto-inherit": true}},
	{"data", "ipip", map[string]any{"link": 2, "local": "192.0.2.1", "remote": "198.51.100.1", "ttl": 64, "proto": 4, "flowinfo": 9}},
	{"data", "sit", map[string]any{"6rd-prefix": "2001:db8::", "6rd-relay-prefix": "192.0.2.0", "6rd-prefixlen": 32, "6rd-relay-prefixlen": 24, "flags": 1}},
	{"data", "tun", map[string]any{"owner": 1000, "group": 100, "type": 2, "pi": 0, "multi-queue": 1, "num-queues": 4}},
	{"data", "vlan", map[string]any{
		"id":          5,
		"flag":        map[string]any{"flags": []string{"reorder-hdr", "gvrp", "mvrp"}, "mask": 0x1f},
		"egress-qos":  map[string]any{"mapping": []any{map[string]any{"from": 1, "to": 2}, map[string]any{"from": 3, "to": 4}}},
		"ingress-qos": map[string]any{"mapping": []any{map[string]any{"from": 5, "to": 6}}},
		"protocol":    "8021ad",
	}},
	{"data", "vrf", map[string]any{"table": 10}},
	{"data", "netkit", map[string]any{"primary": 1, "policy": "blackhole", "peer-policy": "forward", "mode": "l2"}},
	{"slave-data", "bridge", map[string]any{"state": 3, "priority": 32, "cost": 100, "learning": 1, "flush": true, "backup-port": 4, "root-id": map[string]any{"prio": 0x8000, "addr": "02:00:00:00:00:03"}}},
	{"slave-data", "bond", map[string]any{"state": 0, "mii-status": 1, "link-failure-count": 2, "perm-hwaddr": "02:00:00:00:00:04", "queue-id": 1, "prio": 10}},
}

// subMessageOf names the sub-message of a linkinfo attribute.
var subMessageOf = map[string]string{"data": "linkinfo-data-msg", "slave-data": "linkinfo-member-data-msg"}

// newlinkRequest builds a newlink message with ynl from names: a link
// named tk0 whose linkinfo holds attrs, which must include the kind
// (and slave kind) selecting its data.
func newlinkRequest(t *testing.T, linkinfo map[string]any) netlink.Message {
	t.Helper()
	f, _ := ynl.Lookup("rt-link")
	c, err := ynl.NewClient(nil, f)
	if err != nil {
		t.Fatal(err)
	}
	nm, _, err := c.Request("newlink", false, &ynl.Request{Attrs: map[string]any{"ifname": "tk0", "linkinfo": linkinfo}})
	if err != nil {
		t.Fatalf("ynl request: %v", err)
	}
	return nm
}

// TestLinkKindsOffline checks every format of rt-link's linkinfo
// sub-messages through ynl's encoder and decoder and the typed package.
func TestLinkKindsOffline(t *testing.T) {
	f, _ := ynl.Lookup("rt-link")
	tf, _ := lookupTyped("rt-link")

	// The table must cover every format the spec has.
	for sub, name := range subMessageOf {
		sm := f.SubMessage(name)
		if sm == nil {
			t.Fatalf("rt-link has no sub-message %s", name)
		}
		for _, fm := range sm.Formats {
			found := false
			for _, lk := range linkKinds {
				found = found || lk.sub == sub && lk.kind == fm.Value
			}
			if !found {
				t.Errorf("%s format %q has no test case", name, fm.Value)
			}
		}
	}

	for _, lk := range linkKinds {
		t.Run(lk.sub+"/"+lk.kind, func(t *testing.T) {
			fm := f.SubMessage(subMessageOf[lk.sub]).Format(lk.kind)
			if fm == nil {
				t.Fatalf("the spec has no format %q", lk.kind)
			}
			selector := "kind"
			if lk.sub == "slave-data" {
				selector = "slave-kind"
			}
			nm := newlinkRequest(t, map[string]any{selector: lk.kind, lk.sub: lk.attrs})
			nm.Header.Type = unix.RTM_NEWLINK

			// ynl must have typed every attribute given, by name.
			m, err := ynl.Decode(f, nm)
			if err != nil {
				t.Fatalf("ynl decode: %v", err)
			}
			data := ynl.Find(ynl.Find(m.Attrs, "linkinfo").Attrs, lk.sub)
			if data == nil {
				t.Fatalf("ynl decoded no %s", lk.sub)
			}
			var names []string
			for _, a := range data.Attrs {
				if a.Problem != "" || a.Name == "" {
					t.Errorf("ynl: %s attribute %d: %q", lk.sub, a.Type, a.Problem)
				}
				names = append(names, a.Name)
			}
			if len(data.Attrs) != len(lk.attrs) {
				t.Errorf("ynl decoded %d attributes %v, want %d", len(data.Attrs), names, len(lk.attrs))
			}

			// The typed package: same bytes back, same values as ynl.
			typed := checkMessage(t, tf, nm)
			l, ok := typed.(*rtlink.LinkMsg)
			if !ok || l.Linkinfo == nil {
				t.Fatalf("typed decoding %T without linkinfo", typed)
			}
			var v interface{ Selector() string }
			if lk.sub == "data" {
				v = l.Linkinfo.Data
			} else {
				v = l.Linkinfo.SlaveData
			}
			if v == nil || v.Selector() != lk.kind || strings.HasSuffix(reflect.TypeOf(v).Elem().Name(), "Raw") {
				t.Fatalf("typed %s is %T, want the variant of %q", lk.sub, v, lk.kind)
			}
			if u := reflect.ValueOf(v).Elem().Field(0).FieldByName("Unknown"); u.Len() != 0 {
				t.Errorf("typed %s kept %d attributes raw: %v", lk.sub, u.Len(), u)
			}
		})
	}
}

// wantVlan is the vlan data of the vlan test case (and of iproute2's
// request below) as typed values.
var wantVlan = rtlink.LinkinfoVlanAttrs{
	Id:         rtlink.Some(uint16(5)),
	Flag:       rtlink.Some(rtlink.IflaVlanFlags{Flags: rtlink.VlanFlagsReorderHdr | rtlink.VlanFlagsGvrp | rtlink.VlanFlagsMvrp, Mask: 0x1f}),
	EgressQos:  &rtlink.IflaVlanQos{Mapping: []rtlink.IflaVlanQosMapping{{From: 1, To: 2}, {From: 3, To: 4}}},
	IngressQos: &rtlink.IflaVlanQos{Mapping: []rtlink.IflaVlanQosMapping{{From: 5, To: 6}}},
	Protocol:   rtlink.Some(rtlink.VlanProtocolsN8021ad),
}

// exportedOnly makes cmp skip unexported fields (the typed packages'
// record of attribute order and struct lengths).
var exportedOnly = cmp.FilterPath(func(p cmp.Path) bool {
	sf, ok := p.Last().(cmp.StructField)
	return ok && !token.IsExported(sf.Name())
}, cmp.Ignore())

// iproute2Vlan is the body (ifinfomsg and attributes) of the RTM_NEWLINK
// request that iproute2 6.1 sent for
//
//	ip link add link lo name vl0 type vlan id 5 protocol 802.1ad \
//		reorder_hdr on gvrp on loose_binding off mvrp on bridge_binding off \
//		egress-qos-map 1:2 3:4 ingress-qos-map 5:6
//
// as strace -e write=all showed it (the kernel refused it: no vlan),
// with one change: iproute2 sends the kind "vlan" without its NUL (the
// kernel's policy allows that), which the typed packages keep raw (see
// TestVlanIproute2Unterminated), so that the kind would not select the
// vlan format; here it has its NUL, as the kernel writes it. iproute2
// orders the vlan attributes id, protocol, egress, ingress, flags, unlike
// the spec.
const iproute2Vlan = "00000000000000000000000000000000" +
	"0800050001000000" + // link 1
	"08000300766c3000" + // ifname vl0
	"5c001200" + // linkinfo
	"09000100766c616e00000000" + // kind vlan, NUL, padding
	"4c000200" + // data
	"0600010005000000" + // id 5
	"0600050088a80000" + // protocol 0x88a8, big endian
	"1c000300" + "0c000100" + "0100000002000000" + "0c000100" + "0300000004000000" + // egress-qos 1:2 3:4
	"10000400" + "0c000100" + "0500000006000000" + // ingress-qos 5:6
	"0c000200" + "0b0000001f000000" // flags reorder-hdr|gvrp|mvrp, mask 0x1f

// TestVlanIproute2 decodes iproute2's vlan request with the typed package
// and ynl, and compares it with the same link built by ynl from names.
func TestVlanIproute2(t *testing.T) {
	body, err := hex.DecodeString(iproute2Vlan)
	if err != nil {
		t.Fatal(err)
	}
	// The attribute types iproute2 used are the kernel's (if_link.h).
	for _, c := range []struct {
		off  int
		want uint16
	}{{0x36, unix.IFLA_VLAN_ID}, {0x3e, unix.IFLA_VLAN_PROTOCOL}, {0x46, unix.IFLA_VLAN_EGRESS_QOS}, {0x4a, unix.IFLA_VLAN_QOS_MAPPING}, {0x62, unix.IFLA_VLAN_INGRESS_QOS}, {0x72, unix.IFLA_VLAN_FLAGS}} {
		if got := uint16(body[c.off]) | uint16(body[c.off+1])<<8; got != c.want {
			t.Fatalf("fixture: type %d at %#x, want %d", got, c.off, c.want)
		}
	}
	tf, _ := lookupTyped("rt-link")
	raw := netlink.Message{Header: netlink.Header{Type: unix.RTM_NEWLINK}, Data: body}
	l, ok := checkMessage(t, tf, raw).(*rtlink.LinkMsg)
	if !ok {
		t.Fatal("iproute2's request did not decode")
	}
	vlan, ok := l.Linkinfo.Data.(*rtlink.LinkinfoDataMsgVlan)
	if !ok {
		t.Fatalf("iproute2's vlan data decoded as %T", l.Linkinfo.Data)
	}
	if diff := cmp.Diff(wantVlan, vlan.LinkinfoVlanAttrs, exportedOnly); diff != "" {
		t.Errorf("iproute2's vlan data (-want +got):\n%s", diff)
	}
	if l.Link.Value != 1 || l.Ifname.Value != "vl0" {
		t.Errorf("link %v, ifname %v", l.Link, l.Ifname)
	}

	// ynl, from the names of the test case, writes the same values (in
	// the spec's order).
	var attrs map[string]any
	for _, lk := range linkKinds {
		if lk.sub == "data" && lk.kind == "vlan" {
			attrs = lk.attrs
		}
	}
	nm := newlinkRequest(t, map[string]any{"kind": "vlan", "data": attrs})
	var built rtlink.LinkMsg
	if err := built.UnmarshalBinary(nm.Data); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(vlan, built.Linkinfo.Data, exportedOnly); diff != "" {
		t.Errorf("ynl's vlan data differs from iproute2's (-iproute2 +ynl):\n%s", diff)
	}

	// Typed encoding of the typed value keeps iproute2's order.
	back, err := l.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if string(back) != string(body) {
		t.Errorf("typed encoding of iproute2's request:\n got %x\nwant %x", back, body)
	}
}

// TestVlanIproute2Unterminated decodes iproute2's request verbatim, its
// kind without a NUL. ynl reads the kind and the vlan data; the typed
// package keeps the kind raw (its strings are the kernel's, NUL-ended),
// and with it the data, but sends every byte back as it came.
func TestVlanIproute2Unterminated(t *testing.T) {
	body, err := hex.DecodeString(strings.Replace(iproute2Vlan, "5c001200"+"09000100766c616e00000000", "58001200"+"08000100766c616e", 1))
	if err != nil {
		t.Fatal(err)
	}
	f, _ := ynl.Lookup("rt-link")
	m, err := ynl.Decode(f, netlink.Message{Header: netlink.Header{Type: unix.RTM_NEWLINK}, Data: body})
	if err != nil {
		t.Fatal(err)
	}
	li := ynl.Find(m.Attrs, "linkinfo")
	if k := ynl.Find(li.Attrs, "kind"); k == nil || k.Str != "vlan" || !k.Unterminated {
		t.Errorf("ynl: kind %v, want vlan without NUL", k)
	}
	if d := ynl.Find(li.Attrs, "data"); d == nil || ynl.Find(d.Attrs, "id") == nil || ynl.Find(d.Attrs, "id").Uint != 5 {
		t.Errorf("ynl: vlan data %v, want id 5", d)
	}
	var l rtlink.LinkMsg
	if err := l.UnmarshalBinary(body); err != nil {
		t.Fatalf("typed decode: %v", err)
	}
	back, err := l.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if string(back) != string(body) {
		t.Errorf("typed encoding:\n got %x\nwant %x", back, body)
	}
}
