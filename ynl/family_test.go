package ynl_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink/ynl"
)

func TestLookup(t *testing.T) {
	var names []string
	for _, f := range ynl.Families() {
		names = append(names, f.Name)
		got, ok := ynl.Lookup(f.Name)
		if !ok || got != f {
			t.Errorf("Lookup(%q) = %p, %v; want %p", f.Name, got, ok, f)
		}
	}
	want := []string{"devlink", "dpll", "ethtool", "fou", "handshake", "mptcp_pm", "netdev", "nfsd", "nftables", "nlctrl", "ovs_datapath", "ovs_flow", "ovs_vport", "rt-addr", "rt-link", "rt-route", "tc", "tcp_metrics", "team"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("families (-want +got):\n%s", diff)
	}
	if _, ok := ynl.Lookup("no-such-family"); ok {
		t.Error("Lookup found a family that does not exist")
	}
}
