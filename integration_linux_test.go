//go:build linux

package netlink_test

import (
	"errors"
	"fmt"
	"math"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// Integration tests against the running kernel. Generic netlink and
// NETLINK_USERSOCK need no privilege; whatever creates a network namespace
// or links skips unless run as root.

// skipUnlessRoot skips tests that create namespaces or links.
func skipUnlessRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces and links")
	}
}

var netnsSeq atomic.Int32

// newNetNS creates a network namespace that lives for the test and returns
// an open descriptor of it and its name.
func newNetNS(t *testing.T) (fd int, name string) {
	t.Helper()
	skipUnlessRoot(t)
	name = fmt.Sprintf("nltest-%d-%d", os.Getpid(), netnsSeq.Add(1))
	runIP(t, "netns", "add", name)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", name).Run() })
	f, err := os.Open("/var/run/netns/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return int(f.Fd()), name
}

func runIP(t *testing.T, args ...string) {
	t.Helper()
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

func dialT(t *testing.T, family int, cfg *netlink.Config) *netlink.Conn {
	t.Helper()
	c, err := netlink.Dial(family, cfg)
	if err != nil {
		t.Fatalf("Dial(%d): %v", family, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Generic netlink controller (include/uapi/linux/genetlink.h).
const (
	ctrlCmdNewFamily   = 1
	ctrlCmdGetFamily   = 3
	ctrlAttrFamilyID   = 1
	ctrlAttrFamilyName = 2
)

// getFamilyRequest asks the generic netlink controller about one family, or
// about all of them when name is empty (with the Dump flags).
func getFamilyRequest(t testing.TB, name string) netlink.Message {
	t.Helper()
	data := []byte{ctrlCmdGetFamily, 1, 0, 0}
	flags := netlink.Request
	if name == "" {
		flags |= netlink.Dump
	} else {
		ae := netlink.NewAttributeEncoder()
		ae.String(ctrlAttrFamilyName, name)
		attrs, err := ae.Encode()
		if err != nil {
			t.Fatal(err)
		}
		data = append(data, attrs...)
	}
	return netlink.Message{
		Header: netlink.Header{Type: unix.GENL_ID_CTRL, Flags: flags},
		Data:   data,
	}
}

type genlFamily struct {
	ID   uint16
	Name string
}

// parseFamily decodes a CTRL_CMD_NEWFAMILY reply.
func parseFamily(m netlink.Message) (genlFamily, error) {
	if m.Header.Type != unix.GENL_ID_CTRL {
		return genlFamily{}, fmt.Errorf("message type %d, want %d", m.Header.Type, unix.GENL_ID_CTRL)
	}
	if len(m.Data) < 4 || m.Data[0] != ctrlCmdNewFamily {
		return genlFamily{}, fmt.Errorf("not a CTRL_CMD_NEWFAMILY message: % x", m.Data[:min(len(m.Data), 4)])
	}
	ad, err := netlink.NewAttributeDecoder(m.Data[4:])
	if err != nil {
		return genlFamily{}, err
	}
	var f genlFamily
	for ad.Next() {
		switch ad.Type() {
		case ctrlAttrFamilyID:
			f.ID = ad.Uint16()
		case ctrlAttrFamilyName:
			f.Name = ad.String()
		}
	}
	return f, ad.Err()
}

func TestIntegrationGenericFamily(t *testing.T) {
	c := dialT(t, unix.NETLINK_GENERIC, nil)

	msgs, err := c.Execute(getFamilyRequest(t, "nlctrl"))
	if err != nil {
		t.Fatalf("Execute(nlctrl): %v", err)
	}
	if len(msgs) != 1 {
		t.Fatalf("got %d messages, want 1", len(msgs))
	}
	f, err := parseFamily(msgs[0])
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(genlFamily{ID: unix.GENL_ID_CTRL, Name: "nlctrl"}, f); diff != "" {
		t.Fatalf("family (-want +got):\n%s", diff)
	}
	if msgs[0].Header.PID != c.PID() {
		t.Errorf("reply addressed to port %d, want ours (%d)", msgs[0].Header.PID, c.PID())
	}

	// The dump lists every family: nlctrl with its fixed ID among them,
	// each name once.
	msgs, err = c.Execute(getFamilyRequest(t, ""))
	if err != nil {
		t.Fatalf("Execute(dump): %v", err)
	}
	seen := make(map[string]uint16)
	for _, m := range msgs {
		if m.Header.Flags&netlink.Multi == 0 {
			t.Errorf("dump message without the Multi flag: %+v", m.Header)
		}
		f, err := parseFamily(m)
		if err != nil {
			t.Fatal(err)
		}
		if _, dup := seen[f.Name]; dup {
			t.Errorf("family %q listed twice", f.Name)
		}
		seen[f.Name] = f.ID
	}
	if id, ok := seen["nlctrl"]; !ok || id != unix.GENL_ID_CTRL {
		t.Fatalf("dump of %d families: nlctrl has ID %d (listed: %v), want %d", len(msgs), id, ok, unix.GENL_ID_CTRL)
	}
	t.Logf("%d generic netlink families", len(msgs))

	// An unknown family is ENOENT, reported with the request's sequence.
	req, err := c.Send(getFamilyRequest(t, "nltest-nofam"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Receive()
	var oe *netlink.OpError
	if !errors.As(err, &oe) || !netlink.IsNotExist(err) || !errors.Is(err, unix.ENOENT) {
		t.Fatalf("unknown family: got %v (%T), want an *OpError for ENOENT", err, err)
	}
	if oe.Op != "receive" || oe.Sequence != req.Header.Sequence {
		t.Errorf("OpError op %q sequence %d, want receive and %d", oe.Op, oe.Sequence, req.Header.Sequence)
	}
}

// familyNames returns the names of the generic netlink families.
func familyNames(t *testing.T, c *netlink.Conn) []string {
	t.Helper()
	msgs, err := c.Execute(getFamilyRequest(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range msgs {
		f, err := parseFamily(m)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, f.Name)
	}
	return names
}

func TestIntegrationConcurrentExecute(t *testing.T) {
	c := dialT(t, unix.NETLINK_GENERIC, nil)
	names := familyNames(t, c)
	if len(names) < 2 {
		t.Fatalf("only %d families", len(names))
	}

	const workers, rounds = 8, 50
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range rounds {
				want := names[(w*rounds+i)%len(names)]
				msgs, err := c.Execute(getFamilyRequest(t, want))
				if err != nil {
					errc <- fmt.Errorf("Execute(%q): %v", want, err)
					return
				}
				if len(msgs) != 1 {
					errc <- fmt.Errorf("Execute(%q): %d messages", want, len(msgs))
					return
				}
				f, err := parseFamily(msgs[0])
				if err != nil || f.Name != want {
					errc <- fmt.Errorf("Execute(%q): got family %q (err %v)", want, f.Name, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
}

func TestIntegrationReadDeadline(t *testing.T) {
	c := dialT(t, unix.NETLINK_GENERIC, nil)

	for _, tt := range []struct {
		name    string
		receive func() error
	}{
		{"Receive", func() error { _, err := c.Receive(); return err }},
		{"ReceiveIter", func() error {
			for _, err := range c.ReceiveIter() {
				if err != nil {
					return err
				}
			}
			return errors.New("ReceiveIter ended without an error")
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := c.SetReadDeadline(time.Now().Add(50 * time.Millisecond)); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			err := tt.receive()
			elapsed := time.Since(start)

			var oe *netlink.OpError
			if !errors.As(err, &oe) {
				t.Fatalf("got %v (%T), want an *OpError", err, err)
			}
			if !errors.Is(err, os.ErrDeadlineExceeded) || !oe.Timeout() {
				t.Fatalf("got %v: Is(ErrDeadlineExceeded) %v, Timeout() %v; want both true",
					err, errors.Is(err, os.ErrDeadlineExceeded), oe.Timeout())
			}
			// The poller's error, as it is: "netlink receive: i/o timeout".
			if oe.Op != "receive" || err.Error() != "netlink receive: i/o timeout" {
				t.Errorf("got op %q, error %q; want receive and the poller's i/o timeout", oe.Op, err)
			}
			if elapsed < 40*time.Millisecond || elapsed > 5*time.Second {
				t.Errorf("returned after %v, want about 50ms", elapsed)
			}
		})
	}

	// Clearing the deadline makes the socket usable again.
	if err := c.SetReadDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Execute(getFamilyRequest(t, "nlctrl")); err != nil {
		t.Fatalf("Execute after the deadline was cleared: %v", err)
	}

	// A write deadline in the past stops a Send before it starts.
	if err := c.SetDeadline(time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Send(getFamilyRequest(t, "nlctrl")); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Send past the deadline: got %v, want ErrDeadlineExceeded", err)
	}
	if err := c.SetWriteDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Send(getFamilyRequest(t, "nlctrl")); err != nil {
		t.Fatalf("Send after the deadline was cleared: %v", err)
	}
}

func TestIntegrationCloseUnblocksReceive(t *testing.T) {
	c, err := netlink.Dial(unix.NETLINK_GENERIC, nil)
	if err != nil {
		t.Fatal(err)
	}

	errc := make(chan error, 1)
	go func() {
		_, err := c.Receive()
		errc <- err
	}()
	time.Sleep(50 * time.Millisecond)
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	select {
	case err := <-errc:
		var oe *netlink.OpError
		if !errors.As(err, &oe) || oe.Op != "receive" {
			t.Fatalf("Receive: got %v (%T), want a receive *OpError", err, err)
		}
		if !errors.Is(err, os.ErrClosed) || !errors.Is(err, net.ErrClosed) {
			t.Fatalf("Receive: got %v, want it to match os.ErrClosed and net.ErrClosed", err)
		}
	case <-time.After(time.Second):
		t.Fatal("Receive still blocked one second after Close")
	}

	// Closing again does nothing.
	if err := c.Close(); err != nil {
		t.Errorf("Close after Close: %v", err)
	}
}

func TestIntegrationCompatOperationsAfterClose(t *testing.T) {
	// An operation started after Close fails as a system call on a closed
	// descriptor does, EBADF, wrapped as callers of the original expect
	// (genetlink's tests look for the *os.SyscallError in OpError.Err).
	c, err := netlink.Dial(unix.NETLINK_GENERIC, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	checks := []struct {
		name string
		err  error
		want string
	}{
		{"Send", second(c.Send(getFamilyRequest(t, "nlctrl"))), "netlink send: sendmsg: bad file descriptor"},
		{"SendMessages", second(c.SendMessages([]netlink.Message{getFamilyRequest(t, "nlctrl")})), "netlink send-messages: sendmsg: bad file descriptor"},
		{"Execute", second(c.Execute(getFamilyRequest(t, "nlctrl"))), "netlink send: sendmsg: bad file descriptor"},
		{"Receive", second(c.Receive()), "netlink receive: recvmsg: bad file descriptor"},
		{"SetOption", c.SetOption(netlink.ExtendedAcknowledge, true), "netlink set-option: setsockopt: bad file descriptor"},
		{"JoinGroup", c.JoinGroup(1), "netlink join-group: setsockopt: bad file descriptor"},
		{"SetReadBuffer", c.SetReadBuffer(1 << 20), "netlink set-read-buffer: setsockopt: bad file descriptor"},
		{"ReadBuffer", second(c.ReadBuffer()), "netlink get-read-buffer: getsockopt: bad file descriptor"},
		{"SetReadDeadline", c.SetReadDeadline(time.Now()), "netlink set-read-deadline: use of closed file"},
		{"SyscallConn", second(c.SyscallConn()), "syscallconn: bad file descriptor"},
	}
	for _, ch := range checks {
		if ch.err == nil || ch.err.Error() != ch.want {
			t.Errorf("%s after Close: got %v, want %q", ch.name, ch.err, ch.want)
		}
	}
	var oe *netlink.OpError
	_, err = c.Receive()
	if !errors.As(err, &oe) {
		t.Fatalf("Receive after Close: %T, want an *OpError", err)
	}
	if se, ok := oe.Err.(*os.SyscallError); !ok || se.Err != unix.EBADF {
		t.Errorf("Receive after Close: OpError.Err %#v, want an *os.SyscallError of EBADF", oe.Err)
	}
}

func second[T any](_ T, err error) error { return err }

func TestIntegrationSendWhileReceiving(t *testing.T) {
	c := dialT(t, unix.NETLINK_GENERIC, nil)

	type result struct {
		msgs []netlink.Message
		err  error
	}
	got := make(chan result, 1)
	go func() {
		msgs, err := c.Receive()
		got <- result{msgs, err}
	}()
	time.Sleep(50 * time.Millisecond) // let Receive block

	sent := make(chan error, 1)
	var req netlink.Message
	go func() {
		var err error
		req, err = c.Send(getFamilyRequest(t, "nlctrl"))
		sent <- err
	}()
	select {
	case err := <-sent:
		if err != nil {
			t.Fatalf("Send: %v", err)
		}
	case <-time.After(time.Second):
		t.Fatal("Send blocked behind a pending Receive")
	}

	// The pending Receive gets the reply to that request.
	select {
	case r := <-got:
		if r.err != nil {
			t.Fatalf("Receive: %v", r.err)
		}
		if err := netlink.Validate(req, r.msgs); err != nil || len(r.msgs) != 1 {
			t.Fatalf("Receive: %d messages not answering the request: %v", len(r.msgs), err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Receive got no reply")
	}
}

func TestIntegrationDialErrors(t *testing.T) {
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()

	tests := []struct {
		name    string
		family  int
		cfg     *netlink.Config
		syscall string
		errno   error
	}{
		{"bad family", -1, nil, "socket", unix.EPROTONOSUPPORT},
		{"namespace not a namespace", unix.NETLINK_GENERIC, &netlink.Config{NetNS: int(devNull.Fd())}, "setns", unix.EINVAL},
		{"namespace bad descriptor", unix.NETLINK_GENERIC, &netlink.Config{NetNS: -2}, "setns", unix.EBADF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := netlink.Dial(tt.family, tt.cfg)
			if err == nil {
				c.Close()
				t.Fatal("Dial succeeded")
			}
			// The bare *os.SyscallError, as callers of the original
			// compare it: "setns: bad file descriptor".
			se, ok := err.(*os.SyscallError)
			if !ok || se.Syscall != tt.syscall || se.Err != tt.errno {
				t.Fatalf("got %#v, want the *os.SyscallError of %s: %v", err, tt.syscall, tt.errno)
			}
		})
	}

	// A receive buffer no datagram needs is refused before any socket
	// is made.
	if c, err := netlink.Dial(unix.NETLINK_GENERIC, &netlink.Config{MessageBufferSize: math.MaxInt}); err == nil || !strings.Contains(err.Error(), "MessageBufferSize") {
		if c != nil {
			c.Close()
		}
		t.Fatalf("Dial with a MessageBufferSize of MaxInt: got %v, want an error about it", err)
	}

	// Two sockets cannot share a port ID.
	pid := uint32(0x7fff0000 | os.Getpid()&0xffff)
	c := dialT(t, unix.NETLINK_GENERIC, &netlink.Config{PID: pid})
	if c.PID() != pid {
		t.Fatalf("PID() = %d, want the configured %d", c.PID(), pid)
	}
	if c2, err := netlink.Dial(unix.NETLINK_GENERIC, &netlink.Config{PID: pid}); !errors.Is(err, unix.EADDRINUSE) {
		if c2 != nil {
			c2.Close()
		}
		t.Fatalf("second Dial with PID %d: got %v, want EADDRINUSE", pid, err)
	}
}
