//go:build linux

package netlink_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// Config.MessageBufferSize sizes nothing, but a size too small for a message
// header fails every receive, as in v1.11.2, whose own test dials with a
// size of 1 and expects Dial to succeed and Execute to fail.
func TestIntegrationMessageBufferSizeTooSmall(t *testing.T) {
	for _, tt := range []struct {
		size int
		fail bool
	}{
		{size: -1},
		{size: 0},
		{size: 1, fail: true},
		{size: 15, fail: true},
		{size: 16},
		{size: 8192},
	} {
		t.Run(strconv.Itoa(tt.size), func(t *testing.T) {
			c := dialT(t, unix.NETLINK_GENERIC, &netlink.Config{MessageBufferSize: tt.size})
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			_, err := c.Execute(getFamilyRequest(t, "nlctrl"))
			if !tt.fail {
				if err != nil {
					t.Fatalf("Execute: %v", err)
				}
				return
			}
			checkBufferSizeError(t, "Execute", err)
		})
	}
}

// Every way of receiving fails with a too small size, and what is queued
// stays queued rather than being read and lost.
func TestIntegrationMessageBufferSizeTooSmallKeepsQueue(t *testing.T) {
	c := dialT(t, unix.NETLINK_USERSOCK, &netlink.Config{MessageBufferSize: 8})
	send := userSender(t, c)
	send(userMessage(1, 20, 1))
	c.SetReadDeadline(time.Now().Add(5 * time.Second))

	_, err := c.Receive()
	checkBufferSizeError(t, "Receive", err)
	var iterErr error
	for _, err := range c.ReceiveIter() {
		if err != nil {
			iterErr = err
			break
		}
	}
	checkBufferSizeError(t, "ReceiveIter", iterErr)

	rc, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	var perr error
	if err := rc.Control(func(fd uintptr) {
		n, _, perr = unix.Recvfrom(int(fd), make([]byte, 64), unix.MSG_PEEK|unix.MSG_DONTWAIT)
	}); err != nil {
		t.Fatal(err)
	}
	if perr != nil || n != 36 {
		t.Fatalf("peeking at the queue: %d bytes, %v; want the 36-byte datagram still there", n, perr)
	}
}

func checkBufferSizeError(t *testing.T, call string, err error) {
	t.Helper()
	var oe *netlink.OpError
	if !errors.As(err, &oe) || oe.Op != "receive" || !strings.Contains(err.Error(), "MessageBufferSize") {
		t.Fatalf("%s: %v (%#v), want an *OpError of op receive about MessageBufferSize", call, err, err)
	}
}
