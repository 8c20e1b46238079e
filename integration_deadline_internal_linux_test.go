//go:build linux

package netlink

import (
	"context"
	"errors"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// A restoreHook is a kernel socket that, at the first change of its read
// deadline after a datagram was read (which is ExecuteContext putting the
// caller's deadline back), first runs hook and gives it up to a while to
// finish: a deterministic form of a race that a stress test meets once in
// a million calls.
type restoreHook struct {
	*sysSocket
	read  atomic.Bool // a datagram was read since the hook last ran
	hook  func()
	ran   atomic.Bool
	while time.Duration
}

func (h *restoreHook) receiveRaw() ([]byte, error) {
	b, err := h.sysSocket.receiveRaw()
	h.read.Store(true)
	return b, err
}

func (h *restoreHook) SetReadDeadline(t time.Time) error {
	if h.read.Swap(false) && h.hook != nil {
		h.ran.Store(true)
		done := make(chan struct{})
		go func() {
			defer close(done)
			h.hook()
		}()
		select {
		case <-done:
		case <-time.After(h.while):
		}
	}
	return h.sysSocket.SetReadDeadline(t)
}

func TestIntegrationContextRestoreKeepsLaterDeadline(t *testing.T) {
	kc, err := Dial(unix.NETLINK_GENERIC, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer kc.Close()
	h := &restoreHook{sysSocket: kc.sock.(*sysSocket), while: 100 * time.Millisecond}
	c := newConn(h, kc.pid, kc.family)

	// The user sets a past read deadline while ExecuteContext puts the
	// one it found back.
	userDone := make(chan error, 1)
	h.hook = func() { userDone <- c.SetReadDeadline(time.Now().Add(-time.Second)) }

	ae := NewAttributeEncoder()
	ae.String(unix.CTRL_ATTR_FAMILY_NAME, "nlctrl")
	attrs, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}
	req := Message{
		Header: Header{Type: unix.GENL_ID_CTRL, Flags: Request},
		Data:   append([]byte{unix.CTRL_CMD_GETFAMILY, 1, 0, 0}, attrs...),
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	if _, err := c.ExecuteContext(ctx, req); err != nil {
		t.Fatalf("ExecuteContext: %v", err)
	}
	if !h.ran.Load() {
		t.Fatal("ExecuteContext put no read deadline back")
	}
	select {
	case err := <-userDone:
		if err != nil {
			t.Fatalf("SetReadDeadline: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("SetReadDeadline blocked")
	}

	// The user's past deadline is in force: Receive times out at once.
	got := make(chan error, 1)
	go func() {
		_, err := c.Receive()
		got <- err
	}()
	select {
	case err := <-got:
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("Receive: %v, want a timeout", err)
		}
	case <-time.After(2 * time.Second):
		c.Close()
		<-got
		t.Fatal("Receive blocked: the deadline the user set last was lost")
	}
}
