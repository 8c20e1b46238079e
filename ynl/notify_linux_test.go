//go:build linux

package ynl_test

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl"
	"github.com/mdlayher/netlink/ynl/spec"
)

// receiveUntil receives notifications on c until match accepts one, and
// fails the test after a few seconds.
func receiveUntil(t *testing.T, c *ynl.Client, what string, match func(*ynl.Message) bool) *ynl.Message {
	t.Helper()
	if err := c.Conn().SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	for {
		msgs, err := c.Receive()
		if err != nil && msgs == nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("no %s notification within 5s", what)
			}
			t.Fatalf("receive: %v", err)
		}
		for _, m := range msgs {
			if m != nil && match(m) {
				return m
			}
		}
	}
}

// TestIntegrationNotifications subscribes to rt-link's link group and to
// netdev's "mgmt" group (a generic netlink group, whose ID nlctrl gives by
// name), creates and deletes an ifb link in a private namespace, and
// checks that both notifications arrive decoded by name.
func TestIntegrationNotifications(t *testing.T) {
	fd, ns := newNetNS(t)
	rtLink, _ := ynl.Lookup("rt-link")
	links, err := ynl.Dial(rtLink, &netlink.Config{NetNS: fd})
	if err != nil {
		t.Fatal(err)
	}
	defer links.Close()
	if err := links.Subscribe("rtnlgrp-link"); err != nil {
		t.Fatal(err)
	}
	netdev, _ := ynl.Lookup("netdev")
	devs, err := ynl.Dial(netdev, &netlink.Config{NetNS: fd})
	if ynl.IsNotAvailable(err) {
		t.Log("netdev is not in this kernel: the generic group goes unchecked")
	} else if err != nil {
		t.Fatal(err)
	} else {
		defer devs.Close()
		if err := devs.Subscribe("mgmt"); err != nil {
			t.Fatal(err)
		}
	}

	run(t, "ip", "-n", ns, "link", "add", "ntf0", "type", "ifb")
	byName := func(op string) func(*ynl.Message) bool {
		return func(m *ynl.Message) bool {
			name := ynl.Find(m.Attrs, "ifname")
			return m.Op != nil && name != nil && name.Str == "ntf0" && m.Header.Type == netlink.HeaderType(typeOf(t, rtLink.Op(op)))
		}
	}
	m := receiveUntil(t, links, "new link", byName("getlink"))
	kind := ynl.Find(m.Attrs, "linkinfo")
	if kind == nil || ynl.Find(kind.Attrs, "kind") == nil || ynl.Find(kind.Attrs, "kind").Str != "ifb" {
		t.Errorf("new link notification without linkinfo kind ifb: %+v", kind)
	}
	idx := ynl.FindField(m.Fields, "ifi-index")
	if idx == nil || idx.Int <= 0 {
		t.Fatalf("new link notification without an ifi-index: %+v", m.Fields)
	}
	if mtu := ynl.Find(m.Attrs, "mtu"); mtu == nil || mtu.Uint != 1500 {
		t.Errorf("mtu %+v, want 1500", mtu)
	}

	if devs != nil {
		d := receiveUntil(t, devs, "netdev dev-add", func(m *ynl.Message) bool {
			i := ynl.Find(m.Attrs, "ifindex")
			return m.Op != nil && m.Op.Name == "dev-add-ntf" && i != nil && int64(i.Uint) == idx.Int
		})
		if ynl.Find(d.Attrs, "xdp-features") == nil {
			t.Errorf("dev-add-ntf without xdp-features: %+v", d.Attrs)
		}
	}

	run(t, "ip", "-n", ns, "link", "del", "ntf0")
	receiveUntil(t, links, "deleted link", func(m *ynl.Message) bool {
		name := ynl.Find(m.Attrs, "ifname")
		return name != nil && name.Str == "ntf0" && m.Header.Type == netlink.HeaderType(typeOf(t, rtLink.Op("dellink")))
	})
	if devs != nil {
		receiveUntil(t, devs, "netdev dev-del", func(m *ynl.Message) bool {
			i := ynl.Find(m.Attrs, "ifindex")
			return m.Op != nil && m.Op.Name == "dev-del-ntf" && i != nil && int64(i.Uint) == idx.Int
		})
	}
}

// typeOf returns the message type the kernel sends for op: its reply type,
// or its request type for an operation without a reply (RTM_DELLINK is
// both the request and the notification of a deleted link).
func typeOf(t *testing.T, op *spec.Op) uint16 {
	t.Helper()
	if op == nil {
		t.Fatal("no such operation")
	}
	if op.Reply != 0 {
		return op.Reply
	}
	return op.Request
}
