//go:build linux

package crosscheck

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl/family/rtaddr"
	"github.com/mdlayher/netlink/ynl/family/rtlink"
	"github.com/mdlayher/netlink/ynl/family/rtroute"
	vnl "github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// newNetNS creates a namespace for the test, with links of several kinds,
// addresses and routes, and returns an open descriptor of it and its name.
func newNetNS(t testing.TB) (int, string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces and links")
	}
	name := fmt.Sprintf("crosscheck-%d-%d", os.Getpid(), len(t.Name()))
	run(t, "ip", "netns", "add", name)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", name).Run() })
	f, err := os.Open("/var/run/netns/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return int(f.Fd()), name
}

func run(t testing.TB, args ...string) {
	t.Helper()
	if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v: %s", strings.Join(args, " "), err, out)
	}
}

func populate(t *testing.T, ns string) {
	ip := func(args ...string) { run(t, append([]string{"ip", "-n", ns}, args...)...) }
	ip("link", "set", "lo", "up")
	ip("link", "add", "ifb0", "type", "ifb")
	ip("link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
	ip("link", "add", "br0", "type", "bridge")
	ip("link", "set", "veth1", "master", "br0")
	for _, l := range []string{"ifb0", "veth0", "veth1", "br0"} {
		ip("link", "set", l, "up")
	}
	ip("link", "set", "ifb0", "mtu", "1400")
	ip("addr", "add", "192.0.2.1/24", "dev", "veth0")
	ip("addr", "add", "192.0.2.9/24", "dev", "veth0", "label", "veth0:1")
	ip("addr", "add", "2001:db8::1/64", "dev", "veth0", "nodad")
	ip("addr", "add", "198.51.100.1/24", "dev", "br0")
	ip("route", "add", "203.0.113.0/24", "via", "192.0.2.2", "dev", "veth0", "metric", "7")
	ip("route", "add", "198.18.0.1/32", "dev", "ifb0", "proto", "static")
	ip("route", "add", "2001:db8:1::/48", "via", "2001:db8::2", "dev", "veth0")
}

func ipString(b []byte) string {
	if a, ok := netip.AddrFromSlice(b); ok {
		return a.String()
	}
	return ""
}

func netIP(ip net.IP) string {
	if ip == nil {
		return ""
	}
	if v4 := ip.To4(); v4 != nil {
		ip = v4
	}
	return ipString(ip)
}

// The descriptions below put the fields that the three packages decode
// into one line per object; equal lists mean equal field values.

func linkLine(index int, name string, mtu, flags uint32, addr net.HardwareAddr, master uint32, kind string) string {
	// vishvananda/netlink leaves an all-zero address (lo's) out.
	if !slices.ContainsFunc(addr, func(b byte) bool { return b != 0 }) {
		addr = nil
	}
	return fmt.Sprintf("%d %s mtu=%d flags=%#x addr=%s master=%d kind=%s", index, name, mtu, flags, addr, master, kind)
}

func addrLine(index uint32, family int, addr string, prefix int, scope uint8, label string) string {
	return fmt.Sprintf("%d af=%d %s/%d scope=%d label=%q", index, family, addr, prefix, scope, label)
}

func routeLine(family int, dst string, dstLen int, gw string, oif, prio uint32, proto, scope, typ int) string {
	if dstLen == 0 {
		dst = "default"
	}
	return fmt.Sprintf("af=%d %s/%d gw=%s oif=%d prio=%d proto=%d scope=%d type=%d", family, dst, dstLen, gw, oif, prio, proto, scope, typ)
}

func typedLists(t *testing.T, fd int) (links, addrs, routes []string) {
	cfg := &netlink.Config{NetNS: fd}
	lc, err := rtlink.Dial(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer lc.Close()
	for l, err := range lc.GetlinkDump(nil) {
		if err != nil {
			t.Fatal(err)
		}
		kind := ""
		if l.Linkinfo != nil {
			kind = l.Linkinfo.Kind.Value
		}
		links = append(links, linkLine(int(l.Header.IfiIndex), l.Ifname.Value, l.Mtu.Value, uint32(l.Header.IfiFlags), net.HardwareAddr(l.Address), l.Master.Value, kind))
	}
	ac, err := rtaddr.Dial(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ac.Close()
	for a, err := range ac.GetaddrDump(nil) {
		if err != nil {
			t.Fatal(err)
		}
		ip := a.IfaLocal
		if ip == nil {
			ip = a.IfaAddress
		}
		addrs = append(addrs, addrLine(a.Header.IfaIndex, int(a.Header.IfaFamily), ipString(ip), int(a.Header.IfaPrefixlen), a.Header.IfaScope, a.IfaLabel.Value))
	}
	rc, err := rtroute.Dial(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	for r, err := range rc.GetrouteDump(nil) {
		if err != nil {
			t.Fatal(err)
		}
		if r.RtaTable.Value != unix.RT_TABLE_MAIN {
			continue
		}
		routes = append(routes, routeLine(int(r.Header.RtmFamily), ipString(r.RtaDst), int(r.Header.RtmDstLen), ipString(r.RtaGateway), r.RtaOif.Value, r.RtaPriority.Value, int(r.Header.RtmProtocol), int(r.Header.RtmScope), int(r.Header.RtmType)))
	}
	return links, addrs, routes
}

func rtnetlinkLists(t *testing.T, fd int) (links, addrs, routes []string) {
	c, err := rtnetlink.Dial(&netlink.Config{NetNS: fd})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ls, err := c.Link.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		a := l.Attributes
		var master uint32
		if a.Master != nil {
			master = *a.Master
		}
		kind := ""
		if a.Info != nil {
			kind = a.Info.Kind
		}
		links = append(links, linkLine(int(l.Index), a.Name, a.MTU, l.Flags, a.Address, master, kind))
	}
	as, err := c.Address.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		ip := a.Attributes.Local
		if ip == nil {
			ip = a.Attributes.Address
		}
		addrs = append(addrs, addrLine(a.Index, int(a.Family), netIP(ip), int(a.PrefixLength), a.Scope, a.Attributes.Label))
	}
	rs, err := c.Route.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Attributes.Table != unix.RT_TABLE_MAIN {
			continue
		}
		routes = append(routes, routeLine(int(r.Family), netIP(r.Attributes.Dst), int(r.DstLength), netIP(r.Attributes.Gateway), r.Attributes.OutIface, r.Attributes.Priority, int(r.Protocol), int(r.Scope), int(r.Type)))
	}
	return links, addrs, routes
}

func vishvanandaLists(t *testing.T, fd int) (links, addrs, routes []string) {
	h, err := vnl.NewHandleAt(netns.NsHandle(fd))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	ls, err := h.LinkList()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		a := l.Attrs()
		kind := l.Type()
		if kind == "device" { // vishvananda's name for a link without a kind
			kind = ""
		}
		links = append(links, linkLine(a.Index, a.Name, uint32(a.MTU), a.RawFlags, a.HardwareAddr, uint32(a.MasterIndex), kind))
	}
	as, err := h.AddrList(nil, vnl.FAMILY_ALL)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		family := unix.AF_INET6
		if a.IP.To4() != nil {
			family = unix.AF_INET
		}
		ones, _ := a.Mask.Size()
		addrs = append(addrs, addrLine(uint32(a.LinkIndex), family, netIP(a.IP), ones, uint8(a.Scope), a.Label))
	}
	rs, err := h.RouteList(nil, vnl.FAMILY_ALL)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		dst, dstLen := "", 0
		if r.Dst != nil {
			dst = netIP(r.Dst.IP)
			dstLen, _ = r.Dst.Mask.Size()
		}
		routes = append(routes, routeLine(r.Family, dst, dstLen, netIP(r.Gw), uint32(r.LinkIndex), uint32(r.Priority), int(r.Protocol), int(r.Scope), r.Type))
	}
	return links, addrs, routes
}

// TestIntegrationCrossCheck lists the links, addresses and routes (of the
// main table) of a namespace with the typed packages, rtnetlink/v2 and
// vishvananda/netlink, and compares what each decoded.
func TestIntegrationCrossCheck(t *testing.T) {
	fd, ns := newNetNS(t)
	populate(t, ns)
	tl, ta, tr := typedLists(t, fd)
	rl, ra, rr := rtnetlinkLists(t, fd)
	vl, va, vr := vishvanandaLists(t, fd)
	for _, l := range [][]string{tl, ta, tr, rl, ra, rr, vl, va, vr} {
		slices.Sort(l)
	}
	for _, c := range []struct {
		what, other  string
		typed, their []string
	}{
		{"links", "rtnetlink/v2", tl, rl},
		{"addresses", "rtnetlink/v2", ta, ra},
		{"routes", "rtnetlink/v2", tr, rr},
		{"links", "vishvananda/netlink", tl, vl},
		{"addresses", "vishvananda/netlink", ta, va},
		{"routes", "vishvananda/netlink", tr, vr},
	} {
		if diff := cmp.Diff(c.their, c.typed); diff != "" {
			t.Errorf("%s: typed differs from %s (-%s +typed):\n%s", c.what, c.other, c.other, diff)
		}
	}
	if len(tl) < 5 || len(ta) < 4 || len(tr) < 5 {
		t.Fatalf("too little compared: %d links, %d addresses, %d routes", len(tl), len(ta), len(tr))
	}
	t.Logf("equal in all three: %d links, %d addresses, %d routes of the main table:\n%s", len(tl), len(ta), len(tr), strings.Join(slices.Concat(tl, ta, tr), "\n"))
}
