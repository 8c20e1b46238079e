//go:build linux

package netlink_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// Kernel tests of the streaming Execute, of context-aware calls and of the
// control messages the kernel attaches to datagrams.

// makeRoutes brings up a link in the namespace name and adds n /32 routes
// through it, in the benchmarking range 198.18.0.0/15.
func makeRoutes(t *testing.T, name string, n int) {
	t.Helper()
	var lines strings.Builder
	fmt.Fprintf(&lines, "link add nlrt0 type %s\nlink set nlrt0 up\n", linkKind(t))
	for i := range n {
		fmt.Fprintf(&lines, "route add 198.18.%d.%d/32 dev nlrt0\n", i/256, i%256)
	}
	runBatch(t, name, lines.String())
}

var routeDump = netlink.Message{
	Header: netlink.Header{Type: unix.RTM_GETROUTE, Flags: netlink.Request | netlink.Dump},
	Data:   []byte{unix.AF_INET, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
}

// liveHeap returns the bytes of live heap after a collection.
func liveHeap() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func TestIntegrationExecuteIterBoundedMemory(t *testing.T) {
	fd, ns := newNetNS(t)
	const n = 10000
	makeRoutes(t, ns, n)
	c := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})

	all, err := c.Execute(routeDump)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < n {
		t.Fatalf("Execute: %d routes, want at least %d", len(all), n)
	}
	var dumpBytes uint64
	for _, m := range all {
		dumpBytes += uint64(m.Header.Length) + 40 // and its Message
	}
	all = nil

	// Streamed, the dump costs about a datagram of live heap, however
	// large it is.
	base := liveHeap()
	var peak uint64
	k := 0
	for m, err := range c.ExecuteIter(routeDump) {
		if err != nil {
			t.Fatalf("after %d messages: %v", k, err)
		}
		if m.Header.Type != unix.RTM_NEWROUTE {
			t.Fatalf("message %d: type %d", k, m.Header.Type)
		}
		if k++; k%1000 == 0 {
			if h := liveHeap(); h > base {
				peak = max(peak, h-base)
			}
		}
	}
	if k != len(dumpRoutes(t, c)) {
		t.Fatalf("streamed %d messages, Execute returns %d", k, len(dumpRoutes(t, c)))
	}
	t.Logf("dump of %d messages, %d bytes held by Execute; live heap growth while streaming at most %d bytes", k, dumpBytes, peak)
	if peak > dumpBytes/10 {
		t.Errorf("streaming held up to %d bytes of heap, want far below the dump's %d", peak, dumpBytes)
	}

	// Stopped after 10 messages, then a normal Execute on the same Conn.
	k = 0
	for _, err := range c.ExecuteIter(routeDump) {
		if err != nil {
			t.Fatal(err)
		}
		if k++; k == 10 {
			break
		}
	}
	if got := dumpRoutes(t, c); len(got) < n {
		t.Fatalf("Execute after stopping early: %d routes, want %d", len(got), n)
	}
}

func dumpRoutes(t *testing.T, c *netlink.Conn) []netlink.Message {
	t.Helper()
	msgs, err := c.Execute(routeDump)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

// within runs f and fails unless it returns within d.
func within(t *testing.T, d time.Duration, what string, f func() error) error {
	t.Helper()
	start := time.Now()
	err := f()
	if took := time.Since(start); took > d {
		t.Errorf("%s took %v, want at most %v", what, took, d)
	}
	return err
}

func TestIntegrationContextCancelReceive(t *testing.T) {
	fd, _ := newNetNS(t)
	c := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd, Groups: unix.RTMGRP_LINK})

	// The caller's own deadline, far away, is respected and restored.
	userDeadline := time.Now().Add(time.Hour)
	c.SetReadDeadline(userDeadline)

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	err := within(t, time.Second, "a cancelled ReceiveContext", func() error {
		_, err := c.ReceiveContext(ctx)
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("ReceiveContext: %v, want context.Canceled", err)
	}

	// A context deadline acts as a read deadline.
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err = within(t, time.Second, "ReceiveContext past its deadline", func() error {
		_, err := c.ReceiveContext(ctx)
		return err
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("ReceiveContext past its deadline: %v, want context.DeadlineExceeded", err)
	}

	// The caller's deadline is in force again: a plain Receive waits
	// (here, until a nearer deadline the caller sets).
	c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	start := time.Now()
	_, err = c.Receive()
	if !errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || time.Since(start) < 150*time.Millisecond {
		t.Fatalf("Receive after: %v after %v, want the caller's own deadline at 200ms", err, time.Since(start))
	}

	// The caller's deadline, when nearer than the context's, wins, and
	// its error is not the context's.
	c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	ctx, cancel = context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	_, err = c.ReceiveContext(ctx)
	if !errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("ReceiveContext with a nearer own deadline: %v", err)
	}
}

func TestIntegrationContextCancelExecute(t *testing.T) {
	// The kernel answers nothing to a message without the Request flag
	// (nor Acknowledge): an Execute of it waits for ever.
	silent := netlink.Message{Header: netlink.Header{Type: unix.RTM_GETLINK}, Data: make([]byte, unix.SizeofIfInfomsg)}
	c := dialT(t, unix.NETLINK_ROUTE, nil)
	probe, err := c.Send(silent)
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err = within(t, time.Second, "ExecuteContext past its deadline", func() error {
		_, err := c.ExecuteContext(ctx, silent)
		return err
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("ExecuteContext: %v, want context.DeadlineExceeded", err)
	}
	var ne interface{ Timeout() bool }
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("ExecuteContext: %v is not a timeout", err)
	}

	// A late reply to the abandoned request never reaches a later
	// caller: here the kernel answers a request sent with its sequence
	// number, then another one.
	abandoned := probe.Header.Sequence + 1
	getLo := netlink.Message{Header: netlink.Header{Type: unix.RTM_GETLINK, Flags: netlink.Request}, Data: bigGetLink(t, 1, 0).Data[:unix.SizeofIfInfomsg]}
	late := getLo
	late.Header.Sequence = abandoned
	if _, err := c.Send(late); err != nil {
		t.Fatal(err)
	}
	next, err := c.Send(getLo)
	if err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	msgs, err := c.Receive()
	if err != nil || len(msgs) == 0 {
		t.Fatalf("Receive after: %d messages, %v", len(msgs), err)
	}
	for _, m := range msgs {
		if m.Header.Sequence != next.Header.Sequence {
			t.Fatalf("Receive after: a message of sequence %d, want only %d's reply", m.Header.Sequence, next.Header.Sequence)
		}
	}
	c.SetReadDeadline(time.Time{})

	// Cancelled while blocked in ExecuteIterContext.
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	err = within(t, time.Second, "a cancelled ExecuteIterContext", func() error {
		for _, err := range c.ExecuteIterContext(ctx, silent) {
			return err
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("ExecuteIterContext: %v, want context.Canceled", err)
	}
	// And the Conn goes on.
	if _, err := c.Execute(linkRequest(t, "", "")); err != nil {
		t.Fatalf("Execute after: %v", err)
	}
}

func TestIntegrationContextMidDump(t *testing.T) {
	fd, ns := newNetNS(t)
	makeRoutes(t, ns, 2000)
	c := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
	want := len(dumpRoutes(t, c))

	// Cancelled in the middle of the dump, then a clean Execute.
	ctx, cancel := context.WithCancel(context.Background())
	k := 0
	var err error
	for _, err = range c.ExecuteIterContext(ctx, routeDump) {
		if err != nil {
			break
		}
		if k++; k == 10 {
			cancel()
		}
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("after %d messages: %v, want context.Canceled", k, err)
	}
	for range 3 {
		if got := len(dumpRoutes(t, c)); got != want {
			t.Fatalf("Execute after the cancellation: %d routes, want %d", got, want)
		}
	}

	// A context deadline that has passed by the time the dump is read.
	ctx, cancel = context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	time.Sleep(5 * time.Millisecond)
	if _, err := c.ExecuteContext(ctx, routeDump); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("ExecuteContext: %v, want context.DeadlineExceeded", err)
	}
	if got := len(dumpRoutes(t, c)); got != want {
		t.Fatalf("Execute after the deadline: %d routes, want %d", got, want)
	}
}

// nextInfo receives until a message of type typ arrives and returns it.
func nextInfo(t *testing.T, c *netlink.Conn, typ netlink.HeaderType) netlink.ReceivedMessage {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		for rm, err := range c.ReceiveWithInfo() {
			if err != nil {
				t.Fatalf("waiting for message type %d: %v", typ, err)
			}
			if rm.Header.Type == typ {
				return rm
			}
		}
	}
}

func TestIntegrationPacketInfo(t *testing.T) {
	fd, ns := newNetNS(t)
	c := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
	for _, g := range []uint32{unix.RTNLGRP_LINK, unix.RTNLGRP_IPV4_IFADDR} {
		if err := c.JoinGroup(g); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.SetOption(netlink.PacketInfo, true); err != nil {
		t.Fatal(err)
	}

	runIP(t, "-n", ns, "link", "add", "nlpi0", "type", linkKind(t))
	if rm := nextInfo(t, c, unix.RTM_NEWLINK); rm.Info.Group != unix.RTNLGRP_LINK || rm.Info.NSID != -1 {
		t.Errorf("link event: info %+v, want group %d and no nsid", rm.Info, unix.RTNLGRP_LINK)
	}
	runIP(t, "-n", ns, "addr", "add", "198.18.0.1/24", "dev", "nlpi0")
	if rm := nextInfo(t, c, unix.RTM_NEWADDR); rm.Info.Group != unix.RTNLGRP_IPV4_IFADDR {
		t.Errorf("address event: info %+v, want group %d", rm.Info, unix.RTNLGRP_IPV4_IFADDR)
	}

	// A unicast reply has no group.
	if _, err := c.Send(netlink.Message{Header: netlink.Header{Type: unix.RTM_GETLINK, Flags: netlink.Request | netlink.Dump}, Data: make([]byte, unix.SizeofIfInfomsg)}); err != nil {
		t.Fatal(err)
	}
	for rm, err := range c.ReceiveWithInfo() {
		if err != nil {
			t.Fatal(err)
		}
		if rm.Header.Flags&netlink.Multi != 0 && rm.Info.Group != 0 {
			t.Fatalf("dump reply: info %+v, want group 0", rm.Info)
		}
	}

	// Off again, no information.
	if err := c.SetOption(netlink.PacketInfo, false); err != nil {
		t.Fatal(err)
	}
	runIP(t, "-n", ns, "link", "set", "nlpi0", "mtu", "1400")
	if rm := nextInfo(t, c, unix.RTM_NEWLINK); rm.Info.Group != 0 {
		t.Errorf("with PacketInfo off: info %+v, want none", rm.Info)
	}
}

func TestIntegrationListenAllNSID(t *testing.T) {
	fdA, nsA := newNetNS(t)
	_, nsB := newNetNS(t)
	const id = 7
	runIP(t, "-n", nsA, "netns", "set", nsB, fmt.Sprint(id))

	c := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fdA, Groups: unix.RTMGRP_LINK})
	if err := c.SetOption(netlink.ListenAllNSID, true); err != nil {
		t.Fatal(err)
	}

	runIP(t, "-n", nsB, "link", "add", "nlnsb0", "type", linkKind(t))
	rm := nextInfo(t, c, unix.RTM_NEWLINK)
	if l, _ := parseLink(rm.Message); l.Name != "nlnsb0" || rm.Info.NSID != id {
		t.Errorf("event from the other namespace: link %q, info %+v; want nlnsb0 and nsid %d", l.Name, rm.Info, id)
	}

	runIP(t, "-n", nsA, "link", "add", "nlnsa0", "type", linkKind(t))
	rm = nextInfo(t, c, unix.RTM_NEWLINK)
	if l, _ := parseLink(rm.Message); l.Name != "nlnsa0" || rm.Info.NSID != -1 {
		t.Errorf("event from its own namespace: link %q, info %+v; want nlnsa0 and nsid -1", l.Name, rm.Info)
	}
}
