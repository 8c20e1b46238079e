//go:build linux

package crosscheck

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl"
)

// newYNLNetNS creates a private network namespace with links, addresses and
// routes, and returns an open descriptor of it.
func newYNLNetNS(t *testing.T) int {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces and links")
	}
	name := fmt.Sprintf("crosscheck-ynl-%d", os.Getpid())
	ip := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	ip("netns", "add", name)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", name).Run() })
	in := func(args ...string) { ip(append([]string{"-n", name}, args...)...) }
	in("link", "set", "lo", "up")
	in("link", "add", "ifb0", "type", "ifb")
	in("link", "add", "veth0", "mtu", "1400", "type", "veth", "peer", "name", "veth1")
	in("link", "add", "br0", "type", "bridge")
	in("link", "set", "veth1", "master", "br0")
	for _, l := range []string{"ifb0", "veth0", "veth1", "br0"} {
		in("link", "set", l, "up")
	}
	in("addr", "add", "192.0.2.1/24", "dev", "veth0")
	in("addr", "add", "2001:db8::1/64", "dev", "veth0", "nodad")
	in("addr", "add", "198.51.100.1/25", "brd", "+", "dev", "br0", "label", "br0:x")
	in("route", "add", "203.0.113.0/24", "via", "192.0.2.2", "dev", "veth0", "metric", "7")
	in("route", "add", "2001:db8:1::/48", "via", "2001:db8::2", "dev", "veth0", "table", "100")
	f, err := os.Open("/var/run/netns/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return int(f.Fd())
}

// dump runs a dump of the family's op in the namespace and returns the
// decoded messages.
func dump(t *testing.T, ns int, family, op string, req *ynl.Request) []*ynl.Message {
	t.Helper()
	f, ok := ynl.Lookup(family)
	if !ok {
		t.Fatalf("no spec %s", family)
	}
	c, err := ynl.Dial(f, &netlink.Config{NetNS: ns, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var out []*ynl.Message
	for m, err := range c.Dump(op, req) {
		if err != nil {
			t.Fatalf("%s %s: %v", family, op, err)
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		t.Fatalf("%s %s: no messages", family, op)
	}
	return out
}

// field and attr read a header field or top-level attribute as a number,
// text or bytes, whichever ynl decoded; absent ones are zero.
func field(m *ynl.Message, name string) uint64 {
	f := ynl.FindField(m.Fields, name)
	switch {
	case f == nil:
		return 0
	case f.Kind == ynl.KindInt:
		return uint64(f.Int)
	}
	return f.Uint
}

func attr(m *ynl.Message, name string) *ynl.Attr { return ynl.Find(m.Attrs, name) }

func attrUint(m *ynl.Message, name string) uint64 {
	if a := attr(m, name); a != nil {
		return a.Uint
	}
	return 0
}

func attrStr(m *ynl.Message, name string) string {
	if a := attr(m, name); a != nil {
		return a.Str
	}
	return ""
}

func attrIP(m *ynl.Message, name string) string {
	if a := attr(m, name); a != nil && len(a.Bytes) > 0 {
		return net.IP(a.Bytes).String()
	}
	return ""
}

func ipText(ip net.IP) string {
	if ip == nil {
		return ""
	}
	return ip.String()
}

// TestLinks compares every link of the namespace.
func TestLinks(t *testing.T) {
	ns := newYNLNetNS(t)
	type link struct {
		Family, Type, Index, Flags, Change uint64
		Name, Kind, Qdisc                  string
		MTU, TxQLen, Master, OperState     uint64
		Address, Broadcast                 string
	}
	names := map[string]bool{}
	for _, m := range dump(t, ns, "rt-link", "getlink", nil) {
		var lm rtnetlink.LinkMessage
		if err := lm.UnmarshalBinary(m.Data); err != nil {
			t.Fatalf("rtnetlink: %v", err)
		}
		la := lm.Attributes
		theirs := link{
			Family: uint64(lm.Family), Type: uint64(lm.Type), Index: uint64(lm.Index), Flags: uint64(lm.Flags), Change: uint64(lm.Change),
			Name: la.Name, Qdisc: la.QueueDisc, MTU: uint64(la.MTU), OperState: uint64(la.OperationalState),
			Address: la.Address.String(), Broadcast: la.Broadcast.String(),
		}
		if la.Info != nil {
			theirs.Kind = la.Info.Kind
		}
		if la.TxQueueLen != nil {
			theirs.TxQLen = uint64(*la.TxQueueLen)
		}
		if la.Master != nil {
			theirs.Master = uint64(*la.Master)
		}
		ours := link{
			Family: field(m, "ifi-family"), Type: field(m, "ifi-type"), Index: field(m, "ifi-index"),
			Flags: field(m, "ifi-flags"), Change: field(m, "ifi-change"),
			Name: attrStr(m, "ifname"), Qdisc: attrStr(m, "qdisc"), MTU: attrUint(m, "mtu"),
			TxQLen: attrUint(m, "txqlen"), Master: attrUint(m, "master"), OperState: attrUint(m, "operstate"),
			Address: attr(m, "address").String(), Broadcast: attr(m, "broadcast").String(),
		}
		if li := attr(m, "linkinfo"); li != nil {
			if k := ynl.Find(li.Attrs, "kind"); k != nil {
				ours.Kind = k.Str
			}
		}
		if diff := cmp.Diff(theirs, ours); diff != "" {
			t.Errorf("link %s (-rtnetlink +ynl):\n%s", la.Name, diff)
		}
		names[ours.Name] = true
	}
	for _, want := range []string{"lo", "ifb0", "veth0", "veth1", "br0"} {
		if !names[want] {
			t.Errorf("no link %s in the dump", want)
		}
	}
}

// TestAddresses compares every address of the namespace.
func TestAddresses(t *testing.T) {
	ns := newYNLNetNS(t)
	type addr struct {
		Family, PrefixLen, Flags, Scope, Index uint64
		Address, Local, Broadcast, Label       string
		AttrFlags                              uint64
	}
	seen := map[string]bool{}
	for _, m := range dump(t, ns, "rt-addr", "getaddr", nil) {
		var am rtnetlink.AddressMessage
		if err := am.UnmarshalBinary(m.Data); err != nil {
			t.Fatalf("rtnetlink: %v", err)
		}
		aa := am.Attributes
		theirs := addr{
			Family: uint64(am.Family), PrefixLen: uint64(am.PrefixLength), Flags: uint64(am.Flags), Scope: uint64(am.Scope), Index: uint64(am.Index),
			Address: ipText(aa.Address), Local: ipText(aa.Local), Broadcast: ipText(aa.Broadcast), Label: aa.Label, AttrFlags: uint64(aa.Flags),
		}
		ours := addr{
			Family: field(m, "ifa-family"), PrefixLen: field(m, "ifa-prefixlen"), Flags: field(m, "ifa-flags"), Scope: field(m, "ifa-scope"), Index: field(m, "ifa-index"),
			Address: attrIP(m, "ifa-address"), Local: attrIP(m, "ifa-local"), Broadcast: attrIP(m, "ifa-broadcast"), Label: attrStr(m, "ifa-label"), AttrFlags: attrUint(m, "ifa-flags"),
		}
		if diff := cmp.Diff(theirs, ours); diff != "" {
			t.Errorf("address %s (-rtnetlink +ynl):\n%s", theirs.Address, diff)
		}
		seen[fmt.Sprintf("%s/%d %s", ours.Address, ours.PrefixLen, ours.Label)] = true
	}
	for _, want := range []string{"192.0.2.1/24 veth0", "2001:db8::1/64 ", "198.51.100.1/25 br0:x"} {
		if !seen[want] {
			t.Errorf("no address %q in the dump: %v", want, seen)
		}
	}
}

// TestRoutes compares every route of the namespace, IPv4 and IPv6.
func TestRoutes(t *testing.T) {
	ns := newYNLNetNS(t)
	type route struct {
		Family, DstLen, SrcLen, Tos, Table, Protocol, Scope, Type, Flags uint64
		Dst, PrefSrc, Gateway                                            string
		OIF, Priority, TableAttr                                         uint64
	}
	seen := map[string]bool{}
	for _, family := range []string{"inet", "inet6"} {
		fam := map[string]int{"inet": 2, "inet6": 10}[family]
		for _, m := range dump(t, ns, "rt-route", "getroute", &ynl.Request{Header: map[string]any{"rtm-family": fam}}) {
			var rm rtnetlink.RouteMessage
			if err := rm.UnmarshalBinary(m.Data); err != nil {
				t.Fatalf("rtnetlink: %v", err)
			}
			ra := rm.Attributes
			theirs := route{
				Family: uint64(rm.Family), DstLen: uint64(rm.DstLength), SrcLen: uint64(rm.SrcLength), Tos: uint64(rm.Tos),
				Table: uint64(rm.Table), Protocol: uint64(rm.Protocol), Scope: uint64(rm.Scope), Type: uint64(rm.Type), Flags: uint64(rm.Flags),
				// rtnetlink keeps RTA_PREFSRC in Src (and has no RTA_SRC).
				Dst: ipText(ra.Dst), PrefSrc: ipText(ra.Src), Gateway: ipText(ra.Gateway),
				OIF: uint64(ra.OutIface), Priority: uint64(ra.Priority), TableAttr: uint64(ra.Table),
			}
			ours := route{
				Family: field(m, "rtm-family"), DstLen: field(m, "rtm-dst-len"), SrcLen: field(m, "rtm-src-len"), Tos: field(m, "rtm-tos"),
				Table: field(m, "rtm-table"), Protocol: field(m, "rtm-protocol"), Scope: field(m, "rtm-scope"), Type: field(m, "rtm-type"), Flags: field(m, "rtm-flags"),
				Dst: attrIP(m, "rta-dst"), PrefSrc: attrIP(m, "rta-prefsrc"), Gateway: attrIP(m, "rta-gateway"),
				OIF: attrUint(m, "rta-oif"), Priority: attrUint(m, "rta-priority"), TableAttr: attrUint(m, "rta-table"),
			}
			if diff := cmp.Diff(theirs, ours); diff != "" {
				t.Errorf("route to %s/%d (-rtnetlink +ynl):\n%s", theirs.Dst, theirs.DstLen, diff)
			}
			seen[fmt.Sprintf("%s/%d via %s table %d metric %d", ours.Dst, ours.DstLen, ours.Gateway, ours.TableAttr, ours.Priority)] = true
		}
	}
	for _, want := range []string{"203.0.113.0/24 via 192.0.2.2 table 254 metric 7", "2001:db8:1::/48 via 2001:db8::2 table 100 metric 1024"} {
		if !seen[want] {
			t.Errorf("no route %q in the dumps: %v", want, seen)
		}
	}
}
