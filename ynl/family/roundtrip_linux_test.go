//go:build linux

package family_test

import (
	"context"
	"encoding"
	"errors"
	"net/netip"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl"
	"github.com/mdlayher/netlink/ynl/family/rtaddr"
	"github.com/mdlayher/netlink/ynl/family/rtlink"
	"github.com/mdlayher/netlink/ynl/family/rtroute"
	"golang.org/x/sys/unix"
)

// checkTyped encodes a typed message that a Client returned, decodes the
// bytes with ynl and compares the two, as checkMessage does for messages
// read raw.
func checkTyped(t *testing.T, family string, typ uint16, v encoding.BinaryMarshaler) {
	t.Helper()
	b, err := v.MarshalBinary()
	if err != nil {
		t.Fatalf("%s: %v", family, err)
	}
	f, _ := ynl.Lookup(family)
	m, err := ynl.Decode(f, netlink.Message{Header: netlink.Header{Type: netlink.HeaderType(typ)}, Data: b})
	if err != nil {
		t.Fatalf("%s: ynl decode: %v", family, err)
	}
	diffs, n := compareMessage(v, m)
	for _, d := range diffs {
		t.Errorf("%s: typed and ynl differ: %s", family, d)
	}
	if n == 0 {
		t.Errorf("%s: no value compared", family)
	}
}

func linkClient(t *testing.T, fd int) *rtlink.Client {
	t.Helper()
	c, err := rtlink.Dial(&netlink.Config{NetNS: fd, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// getLink gets a link by name, checking the reply against ynl.
func getLink(t *testing.T, c *rtlink.Client, name string) *rtlink.LinkMsg {
	t.Helper()
	l, err := c.Getlink(&rtlink.LinkMsg{LinkAttrs: rtlink.LinkAttrs{Ifname: rtlink.Some(name)}})
	if err != nil {
		t.Fatalf("getlink %s: %v", name, err)
	}
	if l.Ifname.Value != name {
		t.Fatalf("getlink %s: got %q", name, l.Ifname.Value)
	}
	checkTyped(t, "rt-link", unix.RTM_NEWLINK, l)
	return l
}

// deleteLink deletes a link by index and checks that it is gone.
func deleteLink(t *testing.T, c *rtlink.Client, l *rtlink.LinkMsg) {
	t.Helper()
	if err := c.Dellink(&rtlink.LinkMsg{Header: rtlink.Ifinfomsg{IfiIndex: l.Header.IfiIndex}}); err != nil {
		t.Fatalf("dellink %s: %v", l.Ifname.Value, err)
	}
	_, err := c.Getlink(&rtlink.LinkMsg{Header: rtlink.Ifinfomsg{IfiIndex: l.Header.IfiIndex}})
	if !errors.Is(err, os.ErrNotExist) && !errors.Is(err, unix.ENODEV) {
		t.Fatalf("getlink after dellink %s: %v, want no such device", l.Ifname.Value, err)
	}
}

// TestIntegrationTypedLinkRoundTrip creates ifb, veth and bridge links
// with the typed Client, gets them back with their kind-specific data, and
// deletes them. TestIntegrationTypedVlanRoundTrip does the same for a vlan.
func TestIntegrationTypedLinkRoundTrip(t *testing.T) {
	fd, _ := newNetNS(t)
	c := linkClient(t, fd)
	create := netlink.Create | netlink.Excl

	// ifb: a kind with no data.
	err := c.Newlink(&rtlink.LinkMsg{LinkAttrs: rtlink.LinkAttrs{
		Ifname:   rtlink.Some("tifb0"),
		Mtu:      rtlink.Some(uint32(1400)),
		Linkinfo: &rtlink.LinkinfoAttrs{Kind: rtlink.Some("ifb")},
	}}, create)
	if err != nil {
		t.Fatalf("newlink ifb: %v", err)
	}
	ifb := getLink(t, c, "tifb0")
	if ifb.Mtu.Value != 1400 || ifb.Linkinfo == nil || ifb.Linkinfo.Kind.Value != "ifb" {
		t.Errorf("ifb: mtu %v, linkinfo %+v", ifb.Mtu, ifb.Linkinfo)
	}

	// bridge: data of the bridge format.
	err = c.Newlink(&rtlink.LinkMsg{LinkAttrs: rtlink.LinkAttrs{
		Ifname: rtlink.Some("tbr0"),
		Linkinfo: &rtlink.LinkinfoAttrs{
			Kind: rtlink.Some("bridge"),
			Data: &rtlink.LinkinfoDataMsgBridge{LinkinfoBridgeAttrs: rtlink.LinkinfoBridgeAttrs{
				// This kernel has no VLAN filtering in bridges.
				StpState:   rtlink.Some(uint32(1)),
				AgeingTime: rtlink.Some(uint32(20000)),
			}},
		},
	}}, create)
	if err != nil {
		t.Fatalf("newlink bridge: %v", err)
	}
	br := getLink(t, c, "tbr0")
	data, ok := br.Linkinfo.Data.(*rtlink.LinkinfoDataMsgBridge)
	if !ok {
		t.Fatalf("bridge data is %T", br.Linkinfo.Data)
	}
	if data.StpState.Value != 1 || data.AgeingTime.Value != 20000 {
		t.Errorf("bridge: stp-state %v, ageing-time %v", data.StpState, data.AgeingTime)
	}

	// veth: the 6.12 spec has no veth format, so the peer goes as raw
	// data (VETH_INFO_PEER holding an ifinfomsg and attributes).
	peer, err := (&rtlink.LinkMsg{LinkAttrs: rtlink.LinkAttrs{Ifname: rtlink.Some("tveth1")}}).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	ae := netlink.NewAttributeEncoder()
	ae.Bytes(1, peer)
	peerData, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}
	err = c.Newlink(&rtlink.LinkMsg{LinkAttrs: rtlink.LinkAttrs{
		Ifname:   rtlink.Some("tveth0"),
		Master:   rtlink.Some(uint32(br.Header.IfiIndex)),
		Linkinfo: &rtlink.LinkinfoAttrs{Kind: rtlink.Some("veth"), Data: &rtlink.LinkinfoDataMsgRaw{Value: "veth", Data: peerData}},
	}}, create)
	if err != nil {
		t.Fatalf("newlink veth: %v", err)
	}
	veth0, veth1 := getLink(t, c, "tveth0"), getLink(t, c, "tveth1")
	if veth0.Link.Value != uint32(veth1.Header.IfiIndex) || veth0.Master.Value != uint32(br.Header.IfiIndex) {
		t.Errorf("veth: link %v (peer %d), master %v (bridge %d)", veth0.Link, veth1.Header.IfiIndex, veth0.Master, br.Header.IfiIndex)
	}
	if sk := veth0.Linkinfo.SlaveKind; sk.Value != "bridge" {
		t.Errorf("veth in a bridge: slave-kind %v", sk)
	}
	if _, ok := veth0.Linkinfo.SlaveData.(*rtlink.LinkinfoMemberDataMsgBridge); !ok {
		t.Errorf("veth in a bridge: slave data %T", veth0.Linkinfo.SlaveData)
	}

	deleteLink(t, c, veth0)
	deleteLink(t, c, br)
	deleteLink(t, c, ifb)
}

// TestIntegrationTypedVlanRoundTrip creates a vlan with all its
// attributes on an ifb link, gets it back and deletes it. A kernel without
// vlan support (no 8021q) refuses the kind: the test then skips, quoting
// the kernel's answer; TestLinkKindsOffline and TestVlanIproute2 check the
// vlan format without a kernel.
func TestIntegrationTypedVlanRoundTrip(t *testing.T) {
	fd, ns := newNetNS(t)
	run(t, "ip", "-n", ns, "link", "add", "tifb0", "type", "ifb")
	c := linkClient(t, fd)
	lower := getLink(t, c, "tifb0")

	err := c.Newlink(&rtlink.LinkMsg{LinkAttrs: rtlink.LinkAttrs{
		Ifname: rtlink.Some("tifb0.10"),
		Link:   rtlink.Some(uint32(lower.Header.IfiIndex)),
		Linkinfo: &rtlink.LinkinfoAttrs{
			Kind: rtlink.Some("vlan"),
			Data: &rtlink.LinkinfoDataMsgVlan{LinkinfoVlanAttrs: wantVlanKernel},
		},
	}}, netlink.Create|netlink.Excl)
	if errors.Is(err, unix.EOPNOTSUPP) {
		t.Skipf("the kernel refuses kind vlan (no 8021q): %v", err)
	}
	if err != nil {
		t.Fatalf("newlink vlan: %v", err)
	}
	vlan := getLink(t, c, "tifb0.10")
	d, ok := vlan.Linkinfo.Data.(*rtlink.LinkinfoDataMsgVlan)
	if !ok {
		t.Fatalf("vlan data is %T", vlan.Linkinfo.Data)
	}
	// The kernel reports the flags with the mask of all it knows and
	// the egress map only for priorities it holds.
	if d.Id != wantVlanKernel.Id || d.Protocol != wantVlanKernel.Protocol || d.Flag.Value.Flags != wantVlanKernel.Flag.Value.Flags {
		t.Errorf("vlan: id %v, protocol %v, flags %v; want %v, %v, %v", d.Id, d.Protocol, d.Flag.Value.Flags,
			wantVlanKernel.Id, wantVlanKernel.Protocol, wantVlanKernel.Flag.Value.Flags)
	}
	if d.EgressQos == nil || d.IngressQos == nil || !slices.ContainsFunc(d.EgressQos.Mapping, func(m rtlink.IflaVlanQosMapping) bool { return m.From == 1 && m.To == 2 }) {
		t.Errorf("vlan qos maps: egress %+v, ingress %+v", d.EgressQos, d.IngressQos)
	}
	deleteLink(t, c, vlan)
}

// wantVlanKernel is the vlan data TestIntegrationTypedVlanRoundTrip
// creates: every attribute of the vlan format.
var wantVlanKernel = rtlink.LinkinfoVlanAttrs{
	Id:         rtlink.Some(uint16(10)),
	Flag:       rtlink.Some(rtlink.IflaVlanFlags{Flags: rtlink.VlanFlagsReorderHdr | rtlink.VlanFlagsLooseBinding, Mask: uint32(rtlink.VlanFlagsReorderHdr | rtlink.VlanFlagsLooseBinding)}),
	EgressQos:  &rtlink.IflaVlanQos{Mapping: []rtlink.IflaVlanQosMapping{{From: 1, To: 2}}},
	IngressQos: &rtlink.IflaVlanQos{Mapping: []rtlink.IflaVlanQosMapping{{From: 3, To: 4}}},
	Protocol:   rtlink.Some(rtlink.VlanProtocolsN8021ad),
}

// TestIntegrationTypedAddrRouteRoundTrip adds an address and a route with
// the typed Clients, finds them, and deletes them.
func TestIntegrationTypedAddrRouteRoundTrip(t *testing.T) {
	fd, ns := newNetNS(t)
	run(t, "ip", "-n", ns, "link", "add", "tifb0", "type", "ifb")
	run(t, "ip", "-n", ns, "link", "set", "tifb0", "up")
	lc := linkClient(t, fd)
	ifindex := uint32(getLink(t, lc, "tifb0").Header.IfiIndex)
	cfg := &netlink.Config{NetNS: fd, Strict: true}

	ac, err := rtaddr.Dial(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ac.Close()
	local := netip.MustParseAddr("192.0.2.1")
	addr := &rtaddr.AddrMsg{
		Header:    rtaddr.Ifaddrmsg{IfaFamily: unix.AF_INET, IfaPrefixlen: 24, IfaIndex: ifindex},
		AddrAttrs: rtaddr.AddrAttrs{IfaLocal: local.AsSlice(), IfaAddress: local.AsSlice(), IfaLabel: rtaddr.Some("tifb0")},
	}
	if err := ac.Newaddr(addr, netlink.Create|netlink.Excl); err != nil {
		t.Fatalf("newaddr: %v", err)
	}
	findAddr := func() *rtaddr.AddrMsg {
		var found *rtaddr.AddrMsg
		for a, err := range ac.GetaddrDump(&rtaddr.AddrMsg{Header: rtaddr.Ifaddrmsg{IfaFamily: unix.AF_INET, IfaIndex: ifindex}}) {
			if err != nil {
				t.Fatalf("getaddr: %v", err)
			}
			checkTyped(t, "rt-addr", unix.RTM_NEWADDR, &a)
			if ip, _ := netip.AddrFromSlice(a.IfaLocal); ip == local && a.Header.IfaIndex == ifindex {
				found = &a
			}
		}
		return found
	}
	a := findAddr()
	if a == nil {
		t.Fatal("address not found after newaddr")
	}
	if a.Header.IfaPrefixlen != 24 || a.IfaLabel.Value != "tifb0" || !a.IfaCacheinfo.Present {
		t.Errorf("address: prefix %d, label %v, cacheinfo %v", a.Header.IfaPrefixlen, a.IfaLabel, a.IfaCacheinfo.Present)
	}

	rc, err := rtroute.Dial(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	dst := netip.MustParseAddr("203.0.113.0")
	route := &rtroute.RouteMsg{
		Header: rtroute.Rtmsg{RtmFamily: unix.AF_INET, RtmDstLen: 24, RtmTable: unix.RT_TABLE_MAIN,
			RtmProtocol: unix.RTPROT_STATIC, RtmScope: unix.RT_SCOPE_UNIVERSE, RtmType: unix.RTN_UNICAST},
		RouteAttrs: rtroute.RouteAttrs{RtaDst: dst.AsSlice(), RtaGateway: netip.MustParseAddr("192.0.2.2").AsSlice(), RtaOif: rtroute.Some(ifindex), RtaPriority: rtroute.Some(uint32(77))},
	}
	if err := rc.Newroute(route, netlink.Create|netlink.Excl); err != nil {
		t.Fatalf("newroute: %v", err)
	}
	// The do form of getroute looks up the route to an address.
	got, err := rc.Getroute(&rtroute.RouteMsg{
		Header:     rtroute.Rtmsg{RtmFamily: unix.AF_INET, RtmDstLen: 32},
		RouteAttrs: rtroute.RouteAttrs{RtaDst: netip.MustParseAddr("203.0.113.9").AsSlice()},
	})
	if err != nil {
		t.Fatalf("getroute: %v", err)
	}
	checkTyped(t, "rt-route", unix.RTM_NEWROUTE, got)
	if gw, _ := netip.AddrFromSlice(got.RtaGateway); got.RtaOif.Value != ifindex || gw != netip.MustParseAddr("192.0.2.2") {
		t.Errorf("getroute: oif %v, gateway %v", got.RtaOif, gw)
	}
	countRoutes := func() int {
		n := 0
		for r, err := range rc.GetrouteDump(&rtroute.RouteMsg{Header: rtroute.Rtmsg{RtmFamily: unix.AF_INET}}) {
			if err != nil {
				t.Fatalf("getroute dump: %v", err)
			}
			checkTyped(t, "rt-route", unix.RTM_NEWROUTE, &r)
			if ip, _ := netip.AddrFromSlice(r.RtaDst); ip == dst && r.Header.RtmDstLen == 24 && r.RtaPriority.Value == 77 {
				n++
			}
		}
		return n
	}
	if n := countRoutes(); n != 1 {
		t.Fatalf("route found %d times after newroute", n)
	}
	if err := rc.Delroute(route); err != nil {
		t.Fatalf("delroute: %v", err)
	}
	if n := countRoutes(); n != 0 {
		t.Fatalf("route found %d times after delroute", n)
	}
	if err := ac.Deladdr(addr); err != nil {
		t.Fatalf("deladdr: %v", err)
	}
	if findAddr() != nil {
		t.Fatal("address found after deladdr")
	}
}

// TestIntegrationTypedNotifications watches rt-link's link group while
// links come and go, and expects them as typed messages.
func TestIntegrationTypedNotifications(t *testing.T) {
	fd, _ := newNetNS(t)
	watcher, actor := linkClient(t, fd), linkClient(t, fd)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	type note struct {
		op   string
		link *rtlink.LinkMsg
		err  error
	}
	notes := make(chan note, 64)
	go func() {
		defer close(notes)
		for n, err := range watcher.WatchRtnlgrpLink(ctx) {
			if err != nil {
				notes <- note{err: err}
				return
			}
			l, ok := n.Msg.(*rtlink.LinkMsg)
			if !ok {
				notes <- note{err: errors.New("notification of type " + n.Op)}
				return
			}
			notes <- note{op: n.Op, link: l}
		}
	}()
	// The watcher joins the group when its loop starts: make links until
	// one is announced.
	var created []string
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case n := <-notes:
			if n.err != nil {
				t.Fatalf("watch: %v", n.err)
			}
			if n.link.Linkinfo == nil || n.link.Linkinfo.Kind.Value != "ifb" {
				t.Errorf("notification %s of %v without its kind", n.op, n.link.Ifname)
			}
			checkTyped(t, "rt-link", unix.RTM_NEWLINK, n.link)
			// Deleting a link announces it with RTM_DELLINK.
			if err := actor.Dellink(&rtlink.LinkMsg{Header: rtlink.Ifinfomsg{IfiIndex: n.link.Header.IfiIndex}}); err != nil {
				t.Fatal(err)
			}
			for m := range notes {
				if m.err != nil {
					t.Fatalf("watch: %v", m.err)
				}
				if m.op == "dellink" && m.link.Header.IfiIndex == n.link.Header.IfiIndex {
					t.Logf("typed notifications: %s then dellink of %s (created %v)", n.op, n.link.Ifname.Value, created)
					return
				}
			}
			t.Fatal("no dellink notification")
		case <-tick.C:
			name := "tn" + string(rune('a'+i))
			if err := actor.Newlink(&rtlink.LinkMsg{LinkAttrs: rtlink.LinkAttrs{Ifname: rtlink.Some(name), Linkinfo: &rtlink.LinkinfoAttrs{Kind: rtlink.Some("ifb")}}}, netlink.Create|netlink.Excl); err != nil {
				t.Fatal(err)
			}
			created = append(created, name)
		case <-ctx.Done():
			t.Fatal("no notification within 10s")
		}
	}
}
