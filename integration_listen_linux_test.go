//go:build linux

package netlink_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// Execute on a Conn that also listens to a multicast group: notifications
// that arrive before or between the datagrams of the reply are set aside
// for the next receiver, each with its own datagram's MessageInfo.

// A linkEvent is what an RTM_NEWLINK or RTM_DELLINK message says.
type linkEvent struct {
	Type  netlink.HeaderType
	Index int32
	Name  string
}

// parseLinkEvent decodes a link message; ok is false for any other.
func parseLinkEvent(m netlink.Message) (linkEvent, bool) {
	t := m.Header.Type
	if (t != unix.RTM_NEWLINK && t != unix.RTM_DELLINK) || len(m.Data) < unix.SizeofIfInfomsg {
		return linkEvent{}, false
	}
	ev := linkEvent{Type: t, Index: int32(binary.NativeEndian.Uint32(m.Data[4:8]))}
	ad, err := netlink.NewAttributeDecoder(m.Data[unix.SizeofIfInfomsg:])
	if err != nil {
		return linkEvent{}, false
	}
	for ad.Next() {
		if ad.Type() == unix.IFLA_IFNAME {
			ev.Name = ad.String()
		}
	}
	return ev, ad.Err() == nil
}

// getLoRequest asks for the loopback link, ifindex 1: a reply of one
// message.
func getLoRequest() netlink.Message {
	data := make([]byte, unix.SizeofIfInfomsg)
	binary.NativeEndian.PutUint32(data[4:8], 1)
	return netlink.Message{
		Header: netlink.Header{Type: unix.RTM_GETLINK, Flags: netlink.Request},
		Data:   data,
	}
}

// checkLo checks that msgs is the reply to getLoRequest.
func checkLo(msgs []netlink.Message) error {
	if len(msgs) != 1 {
		return fmt.Errorf("%d messages, want 1", len(msgs))
	}
	ev, ok := parseLinkEvent(msgs[0])
	if !ok || ev.Type != unix.RTM_NEWLINK || ev.Index != 1 || ev.Name != "lo" {
		return fmt.Errorf("reply %+v, want lo", ev)
	}
	return nil
}

// linkEvents receives on c until nothing comes for quiet, and returns the
// link events in the order they came.
func linkEvents(t *testing.T, c *netlink.Conn, quiet time.Duration) []linkEvent {
	t.Helper()
	defer c.SetReadDeadline(time.Time{})
	var evs []linkEvent
	for {
		c.SetReadDeadline(time.Now().Add(quiet))
		msgs, err := c.Receive()
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return evs
		}
		if err != nil {
			t.Fatalf("Receive after %d events: %v", len(evs), err)
		}
		for _, m := range msgs {
			if ev, ok := parseLinkEvent(m); ok {
				evs = append(evs, ev)
			}
		}
	}
}

func TestIntegrationExecuteOnListeningConn(t *testing.T) {
	kind := linkKind(t)
	fd, _ := newNetNS(t)
	c := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
	if err := c.JoinGroup(unix.RTNLGRP_LINK); err != nil {
		t.Fatal(err)
	}
	// A plain listener in the same group hears the same events, in the
	// order the kernel sent them: the reference. Its buffer holds them
	// all until they are read at the end.
	ref := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd, Groups: unix.RTMGRP_LINK})
	if err := ref.SetReadBuffer(32 << 20); err != nil {
		t.Fatal(err)
	}
	maker := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})

	// Churn: create and delete links, each of a name of its own, until
	// the Executes are done.
	var (
		stop      atomic.Bool
		wg        sync.WaitGroup
		created   atomic.Int64
		deleted   atomic.Int64
		churnErrs []error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			name := fmt.Sprintf("nlls%d", i)
			if err := addLink(maker, name, kind, t); err != nil {
				churnErrs = append(churnErrs, err)
				return
			}
			created.Add(1)
			del := linkRequest(t, name, kind)
			del.Header.Type = unix.RTM_DELLINK
			del.Header.Flags = netlink.Request | netlink.Acknowledge
			if _, err := maker.Execute(del); err != nil {
				churnErrs = append(churnErrs, err)
				return
			}
			deleted.Add(1)
		}
	}()

	// Wait for the churn to start, so that the Executes meet it.
	for created.Load() == 0 && len(churnErrs) == 0 {
		time.Sleep(time.Millisecond)
	}
	const n = 400
	var failures int
	for i := range n {
		// Spread over about two seconds, so that the churn goes on
		// throughout.
		time.Sleep(5 * time.Millisecond)
		msgs, err := c.Execute(getLoRequest())
		if err == nil {
			err = checkLo(msgs)
		}
		if err != nil {
			failures++
			if failures <= 5 {
				t.Errorf("Execute %d: %v", i, err)
			}
		}
	}
	stop.Store(true)
	wg.Wait()
	if len(churnErrs) > 0 {
		t.Fatalf("churn: %v", churnErrs)
	}
	if failures > 0 {
		t.Fatalf("%d of %d Executes failed", failures, n)
	}

	// Every event comes once, in order: as the reference heard them.
	want := linkEvents(t, ref, 500*time.Millisecond)
	got := linkEvents(t, c, 500*time.Millisecond)
	t.Logf("churn: %d links created, %d deleted; %d events", created.Load(), deleted.Load(), len(want))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("events of the listening Conn (-reference +got):\n%s", diff)
	}
	// And the reference heard what the churn did: each link's deletion
	// once, in the order of the churn.
	var dels []string
	for _, ev := range want {
		if ev.Type == unix.RTM_DELLINK {
			dels = append(dels, ev.Name)
		}
	}
	var wantDels []string
	for i := range deleted.Load() {
		wantDels = append(wantDels, fmt.Sprintf("nlls%d", i))
	}
	if diff := cmp.Diff(wantDels, dels); diff != "" {
		t.Fatalf("deletions heard (-churn +heard):\n%s", diff)
	}
	if deleted.Load() < 10 {
		t.Errorf("only %d links churned during %d Executes: the test proves little", deleted.Load(), n)
	}
}

// addrRequest asks to add 198.18.0.n/24 to the loopback link, with the
// given sequence number.
func addrRequest(n byte, seq uint32) netlink.Message {
	data := []byte{unix.AF_INET, 24, 0, 0, 0, 0, 0, 0} // ifaddrmsg
	binary.NativeEndian.PutUint32(data[4:], 1)
	ae := netlink.NewAttributeEncoder()
	ae.Bytes(unix.IFA_LOCAL, []byte{198, 18, 0, n})
	ae.Bytes(unix.IFA_ADDRESS, []byte{198, 18, 0, n})
	attrs, err := ae.Encode()
	if err != nil {
		panic(err)
	}
	return netlink.Message{
		Header: netlink.Header{
			Type:     unix.RTM_NEWADDR,
			Flags:    netlink.Request | netlink.Acknowledge | netlink.Create | netlink.Excl,
			Sequence: seq,
		},
		Data: append(data, attrs...),
	}
}

func TestIntegrationExecuteOwnNotification(t *testing.T) {
	// A request of the listening Conn itself makes the kernel notify the
	// group, before the acknowledgement, with the request's sequence
	// number and the Conn's port: only the datagram's group tells it from
	// the reply. With PacketInfo off, the group comes from the sender's
	// address.
	for _, pktinfo := range []bool{false, true} {
		t.Run(fmt.Sprintf("PacketInfo=%v", pktinfo), func(t *testing.T) {
			fd, _ := newNetNS(t)
			c := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
			if err := c.JoinGroup(unix.RTNLGRP_IPV4_IFADDR); err != nil {
				t.Fatal(err)
			}
			if err := c.SetOption(netlink.PacketInfo, pktinfo); err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				req := addrRequest(byte(i+1), 7000+uint32(i))
				msgs, err := c.Execute(req)
				if err != nil {
					t.Fatalf("address %d: %v", i, err)
				}
				if len(msgs) != 1 || msgs[0].Header.Type != netlink.Error || binary.NativeEndian.Uint32(msgs[0].Data) != 0 {
					t.Fatalf("address %d: reply %+v, want an acknowledgement", i, msgs)
				}

				c.SetReadDeadline(time.Now().Add(5 * time.Second))
				var got []netlink.ReceivedMessage
				for rm, err := range c.ReceiveWithInfo() {
					if err != nil {
						t.Fatalf("ReceiveWithInfo: %v", err)
					}
					got = append(got, rm)
				}
				c.SetReadDeadline(time.Time{})
				wantGroup := uint32(0)
				if pktinfo {
					wantGroup = unix.RTNLGRP_IPV4_IFADDR
				}
				if len(got) != 1 || got[0].Header.Type != unix.RTM_NEWADDR || got[0].Info.Group != wantGroup {
					t.Fatalf("address %d: received %+v, want one notification of group %d", i, got, wantGroup)
				}
				// The premise: what tells it from the reply is its
				// datagram, not its header.
				if h := got[0].Header; h.Sequence != req.Header.Sequence || h.PID != c.PID() {
					t.Fatalf("address %d: notification of sequence %d and PID %d, want %d and %d",
						i, h.Sequence, h.PID, req.Header.Sequence, c.PID())
				}
			}
		})
	}
}

func TestIntegrationSetAsideKeepsInfo(t *testing.T) {
	kind := linkKind(t)
	fd, ns := newNetNS(t)
	// listener returns a new Conn that listens to link events with
	// PacketInfo on.
	listener := func(t *testing.T) *netlink.Conn {
		c := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
		if err := c.JoinGroup(unix.RTNLGRP_LINK); err != nil {
			t.Fatal(err)
		}
		if err := c.SetOption(netlink.PacketInfo, true); err != nil {
			t.Fatal(err)
		}
		return c
	}

	// firstInfo returns the first message that ReceiveWithInfo yields.
	firstInfo := func(t *testing.T, c *netlink.Conn) netlink.ReceivedMessage {
		t.Helper()
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		defer c.SetReadDeadline(time.Time{})
		for rm, err := range c.ReceiveWithInfo() {
			if err != nil {
				t.Fatalf("ReceiveWithInfo: %v", err)
			}
			return rm
		}
		t.Fatal("ReceiveWithInfo: nothing")
		return netlink.ReceivedMessage{}
	}
	check := func(t *testing.T, rm netlink.ReceivedMessage, name string) {
		t.Helper()
		ev, _ := parseLinkEvent(rm.Message)
		if ev.Type != unix.RTM_NEWLINK || ev.Name != name {
			t.Fatalf("first message: %+v, want the notification for %s", ev, name)
		}
		if want := (netlink.MessageInfo{Group: unix.RTNLGRP_LINK, NSID: -1}); rm.Info != want {
			t.Fatalf("notification for %s: info %+v, want %+v", name, rm.Info, want)
		}
	}

	t.Run("set aside by Execute", func(t *testing.T) {
		c := listener(t)
		runIP(t, "-n", ns, "link", "add", "nlinfo0", "type", kind)
		msgs, err := c.Execute(getLoRequest())
		if err == nil {
			err = checkLo(msgs)
		}
		if err != nil {
			t.Fatalf("Execute: %v", err)
		}
		check(t, firstInfo(t, c), "nlinfo0")
	})

	t.Run("kept by a drain", func(t *testing.T) {
		c := listener(t)
		// A dump abandoned at once, then a notification behind it,
		// which the next Execute's drain keeps.
		c.SetReadDeadline(time.Now().Add(-time.Second))
		if _, err := c.Execute(linkRequest(t, "", "")); !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("Execute: %v, want a timeout", err)
		}
		c.SetReadDeadline(time.Time{})
		runIP(t, "-n", ns, "link", "add", "nlinfo1", "type", kind)
		msgs, err := c.Execute(getLoRequest())
		if err == nil {
			err = checkLo(msgs)
		}
		if err != nil {
			t.Fatalf("Execute: %v", err)
		}
		check(t, firstInfo(t, c), "nlinfo1")
	})
}
