package main

import (
	"testing"

	"golang.org/x/sys/unix"
)

// TestConstantsMatchUnix checks every generated name and value against
// unix, as compiled for this machine.
func TestConstantsMatchUnix(t *testing.T) {
	n := 0
	for prefix, set := range constSets {
		for _, c := range set {
			want, ok := unixValues[c.name]
			if !ok || want != c.value {
				t.Errorf("%s (set %s) = %#x, unix says %#x (known: %t)", c.name, prefix, c.value, want, ok)
			}
			n++
		}
	}
	for name, v := range codeConstValues {
		if unixValues[name] != v {
			t.Errorf("constant %s = %#x, unix says %#x", name, v, unixValues[name])
		}
	}
	if n < 1000 {
		t.Fatalf("only %d constants checked", n)
	}
}

// TestRouteGroupsMatchUnix checks each rtnetlink group nlctl accepts,
// by its monitor name, against unix: the hand-written table this replaces
// was off by one from ipv6-prefix on.
func TestRouteGroupsMatchUnix(t *testing.T) {
	want := map[string]int{
		"link": unix.RTNLGRP_LINK, "ipv4-ifaddr": unix.RTNLGRP_IPV4_IFADDR,
		"decnet-route": unix.RTNLGRP_DECnet_ROUTE, "ipv6-prefix": unix.RTNLGRP_IPV6_PREFIX,
		"ipv6-rule": unix.RTNLGRP_IPV6_RULE, "nd-useropt": unix.RTNLGRP_ND_USEROPT,
		"tunnel": unix.RTNLGRP_TUNNEL, "stats": unix.RTNLGRP_STATS,
		"ipv6-acaddr": unix.RTNLGRP_IPV6_ACADDR,
	}
	for name, v := range want {
		got, ok := routeGroup(name)
		if !ok || int(got) != v {
			t.Errorf("route group %s = %d (found %t), unix says %d", name, got, ok, v)
		}
	}
	names := routeGroupNames()
	if len(names) < 37 {
		t.Fatalf("only %d route groups: %v", len(names), names)
	}
	for _, c := range constSets["RTNLGRP_"] {
		got, ok := routeGroup(routeGroupName(c.name))
		if !ok || uint64(got) != unixValues[c.name] {
			t.Errorf("route group %s (%s) = %d, unix says %d", routeGroupName(c.name), c.name, got, unixValues[c.name])
		}
	}
	for _, bad := range []string{"nop4", "none", "nop2"} {
		if _, ok := routeGroup(bad); ok {
			t.Errorf("route group %q accepted", bad)
		}
	}
}

// TestMessageTypesMatchUnix checks the rtnetlink message type names.
func TestMessageTypesMatchUnix(t *testing.T) {
	for _, tt := range []struct {
		v    uint16
		name string
	}{
		{unix.RTM_NEWLINK, "RTM_NEWLINK"}, {unix.RTM_GETADDR, "RTM_GETADDR"},
		{unix.RTM_DELROUTE, "RTM_DELROUTE"}, {unix.RTM_NEWNEIGH, "RTM_NEWNEIGH"},
		{unix.RTM_NEWVLAN, "RTM_NEWVLAN"}, {unix.RTM_GETTUNNEL, "RTM_GETTUNNEL"},
		{unix.NLMSG_ERROR, "NLMSG_ERROR"}, {unix.NLMSG_DONE, "NLMSG_DONE"},
	} {
		if got := typeName(unix.NETLINK_ROUTE, tt.v); got != tt.name {
			t.Errorf("type %d: %q, want %q", tt.v, got, tt.name)
		}
		if got, ok := parseRouteType(tt.name); !ok || got != tt.v {
			t.Errorf("parseRouteType(%q) = %d, %t", tt.name, got, ok)
		}
	}
	for _, c := range constSets["RTM_"] {
		if v, ok := parseRouteType(c.name); !ok || uint64(v) != unixValues[c.name] {
			t.Errorf("parseRouteType(%q) = %d, unix says %d", c.name, v, unixValues[c.name])
		}
	}
}
