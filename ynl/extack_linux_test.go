//go:build linux

package ynl_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl"
)

// TestIntegrationErrorNamesAttribute has the kernel refuse an attribute
// deep in a request (a bridge's fdb-n-learned, which the kernel reports but
// its policy rejects in requests, where the spec sets no limit) and checks
// that the error names the attribute by the spec's names, from the
// kernel's extended acknowledgement.
func TestIntegrationErrorNamesAttribute(t *testing.T) {
	fd, _ := newNetNS(t)
	f, _ := ynl.Lookup("rt-link")
	c, err := ynl.Dial(f, &netlink.Config{NetNS: fd, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	create := netlink.Create | netlink.Excl
	_, err = c.Do("newlink", &ynl.Request{Flags: create, Attrs: map[string]any{
		"ifname": "br9",
		"linkinfo": map[string]any{
			"kind": "bridge",
			"data": map[string]any{"fdb-n-learned": 7},
		},
	}})
	var e *ynl.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want a *ynl.Error", err)
	}
	if diff := cmp.Diff([]string{"linkinfo", "data", "fdb-n-learned"}, e.Path); diff != "" {
		t.Errorf("path (-want +got):\n%s\nerror: %v", diff, err)
	}
	if ack, ok := netlink.ExtendedAckOf(err); !ok || ack.Offset == 0 {
		t.Errorf("ExtendedAckOf(%v) = %+v, %v; want an offset", err, ack, ok)
	}
	t.Logf("error: %v", err)

	// The same request with a valid version creates the bridge, and a
	// get by name finds it, decoded.
	if _, err := c.Do("newlink", &ynl.Request{Flags: create, Attrs: map[string]any{
		"ifname":   "br9",
		"linkinfo": map[string]any{"kind": "bridge", "data": map[string]any{"mcast-igmp-version": 3}},
	}}); err != nil {
		t.Fatalf("newlink: %v", err)
	}
	replies, err := c.Do("getlink", &ynl.Request{Attrs: map[string]any{"ifname": "br9"}})
	if err != nil || len(replies) != 1 {
		t.Fatalf("getlink: %d replies, %v", len(replies), err)
	}
	info := ynl.Find(replies[0].Attrs, "linkinfo")
	if info == nil {
		t.Fatal("no linkinfo")
	}
	data := ynl.Find(info.Attrs, "data")
	if data == nil {
		t.Fatal("no linkinfo data")
	}
	if v := ynl.Find(data.Attrs, "mcast-igmp-version"); v == nil || v.Uint != 3 {
		t.Errorf("mcast-igmp-version = %+v, want 3", v)
	}
}

// TestIntegrationExplainError sends a request built by Request itself and
// checks that ExplainError names the refused attribute as Do would.
func TestIntegrationExplainError(t *testing.T) {
	fd, _ := newNetNS(t)
	f, _ := ynl.Lookup("rt-link")
	c, err := ynl.Dial(f, &netlink.Config{NetNS: fd, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	nm, _, err := c.Request("newlink", false, &ynl.Request{Flags: netlink.Create | netlink.Excl, Attrs: map[string]any{
		"ifname":   "br8",
		"linkinfo": map[string]any{"kind": "bridge", "data": map[string]any{"fdb-n-learned": 7}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, kerr := c.Conn().Execute(nm)
	if kerr == nil {
		t.Fatal("the kernel took fdb-n-learned in a request")
	}
	var e *ynl.Error
	if err := c.ExplainError("newlink", nm, kerr); !errors.As(err, &e) {
		t.Fatalf("ExplainError = %v, want a *ynl.Error", err)
	}
	if diff := cmp.Diff([]string{"linkinfo", "data", "fdb-n-learned"}, e.Path); diff != "" {
		t.Errorf("path (-want +got):\n%s", diff)
	}
	if !errors.Is(e, kerr) {
		t.Errorf("the *ynl.Error does not wrap the Conn's error")
	}
	if c.ExplainError("newlink", nm, nil) != nil {
		t.Errorf("ExplainError(nil) is not nil")
	}
}
