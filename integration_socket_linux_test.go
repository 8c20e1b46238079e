//go:build linux

package netlink_test

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// Tests of the socket itself. NETLINK_USERSOCK lets one unprivileged
// socket send datagrams of any shape to another, which the kernel's own
// families never do.

// userSender opens a NETLINK_USERSOCK socket that sends to c.
func userSender(t *testing.T, c *netlink.Conn) func(msgs ...netlink.Message) {
	t.Helper()
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_USERSOCK)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		t.Fatal(err)
	}
	// Room for the largest datagram of the tests.
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUF, 1<<20); err != nil {
		t.Fatal(err)
	}
	to := &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Pid: c.PID()}
	return func(msgs ...netlink.Message) {
		t.Helper()
		var b []byte
		for _, m := range msgs {
			w, err := m.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			b = append(b, w...)
		}
		if err := unix.Sendto(fd, b, 0, to); err != nil {
			t.Fatalf("sending %d bytes: %v", len(b), err)
		}
	}
}

// userMessage makes a message of n bytes of data in a pattern set by seed.
func userMessage(seq uint32, n int, seed byte) netlink.Message {
	data := make([]byte, n)
	for i := range data {
		data[i] = seed + byte(i*7)
	}
	return netlink.Message{
		Header: netlink.Header{
			Length:   uint32(16 + n),
			Type:     0x20,
			Sequence: seq,
			PID:      42,
		},
		Data: data,
	}
}

// bytesEqual compares byte slices as a whole: cmp's element by element
// walk takes seconds over the large ones here.
var bytesEqual = cmp.Comparer(bytes.Equal)

func TestIntegrationLargeDatagram(t *testing.T) {
	// In order on one socket: datagrams of every size arrive whole, on
	// the first try, whether the socket reads into a receive area or by
	// peeking (as on 32-bit systems).
	tests := []struct {
		name string
		msgs []netlink.Message
	}{
		{name: "small", msgs: []netlink.Message{userMessage(1, 4, 1)}},
		{name: "32 KiB exactly", msgs: []netlink.Message{userMessage(2, 32<<10-16, 2)}},
		{name: "32 KiB and four bytes", msgs: []netlink.Message{userMessage(3, 32<<10-16+4, 3)}},
		{name: "100 KiB", msgs: []netlink.Message{userMessage(4, 100<<10, 4)}},
		{name: "small after large", msgs: []netlink.Message{userMessage(5, 8, 5)}},
		{name: "two in 90 KiB", msgs: []netlink.Message{userMessage(6, 40<<10, 6), userMessage(7, 50<<10, 7)}},
		{name: "1 MiB", msgs: []netlink.Message{userMessage(8, 1<<20, 8)}},
		{name: "small after 1 MiB", msgs: []netlink.Message{userMessage(9, 100, 9)}},
	}

	for _, mode := range []string{"area", "peek"} {
		for _, recv := range []struct {
			name    string
			receive func(c *netlink.Conn) ([]netlink.Message, error)
		}{
			{"Receive", (*netlink.Conn).Receive},
			{"ReceiveIter", collectIter},
		} {
			t.Run(mode+"/"+recv.name, func(t *testing.T) {
				c := dialT(t, unix.NETLINK_USERSOCK, nil)
				switch {
				case mode == "peek":
					netlink.SetPeekOnly(c)
				case strconv.IntSize == 64 && !netlink.ReceiveAreasUsable():
					t.Fatal("no receive area on a 64-bit system")
				}
				send := userSender(t, c)
				for _, tt := range tests {
					send(tt.msgs...)
					c.SetReadDeadline(time.Now().Add(5 * time.Second))
					got, err := recv.receive(c)
					if err != nil {
						t.Fatalf("%s: %v", tt.name, err)
					}
					if diff := cmp.Diff(tt.msgs, got, bytesEqual); diff != "" {
						t.Fatalf("%s: messages (-want +got):\n%s", tt.name, diff)
					}
				}
			})
		}
	}
}

// collectIter gathers what c.ReceiveIter yields, as Receive would return
// it.
func collectIter(c *netlink.Conn) ([]netlink.Message, error) {
	var msgs []netlink.Message
	for m, err := range c.ReceiveIter() {
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

func TestIntegrationMessageBufferSize(t *testing.T) {
	c := dialT(t, unix.NETLINK_USERSOCK, &netlink.Config{MessageBufferSize: 4096})
	send := userSender(t, c)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))

	// Data stays valid after the next datagram is read.
	a, b := userMessage(1, 1000, 1), userMessage(2, 1000, 2)
	send(a)
	gotA, err := c.Receive()
	if err != nil {
		t.Fatal(err)
	}
	send(b)
	gotB, err := c.Receive()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]netlink.Message{{a}, {b}}, [][]netlink.Message{gotA, gotB}); diff != "" {
		t.Fatalf("messages (-want +got):\n%s", diff)
	}

	// A datagram larger than the configured size still arrives whole.
	big := userMessage(3, 8000, 3)
	send(big)
	got, err := c.Receive()
	if err != nil {
		t.Fatalf("datagram larger than MessageBufferSize: %v", err)
	}
	if diff := cmp.Diff([]netlink.Message{big}, got); diff != "" {
		t.Fatalf("messages (-want +got):\n%s", diff)
	}
}

func TestIntegrationBPF(t *testing.T) {
	c := dialT(t, unix.NETLINK_USERSOCK, nil)
	send := userSender(t, c)

	// Accept datagrams longer than 100 bytes, drop the others. The
	// length is the same in either byte order.
	filter, err := bpf.Assemble([]bpf.Instruction{
		bpf.LoadExtension{Num: bpf.ExtLen},
		bpf.JumpIf{Cond: bpf.JumpGreaterThan, Val: 100, SkipFalse: 1},
		bpf.RetConstant{Val: 0xffffffff},
		bpf.RetConstant{Val: 0},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetBPF(filter); err != nil {
		t.Fatalf("SetBPF: %v", err)
	}

	small, large := userMessage(1, 20, 1), userMessage(2, 200, 2)
	send(small)
	send(large)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	got, err := c.Receive()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]netlink.Message{large}, got); diff != "" {
		t.Fatalf("with the filter (-want +got):\n%s", diff)
	}

	// Without it, everything comes through.
	if err := c.RemoveBPF(); err != nil {
		t.Fatalf("RemoveBPF: %v", err)
	}
	send(small)
	got, err = c.Receive()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]netlink.Message{small}, got); diff != "" {
		t.Fatalf("without the filter (-want +got):\n%s", diff)
	}

	// A filter that drops everything.
	dropAll, err := bpf.Assemble([]bpf.Instruction{bpf.RetConstant{Val: 0}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetBPF(dropAll); err != nil {
		t.Fatal(err)
	}
	send(large)
	c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if _, err := c.Receive(); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("with a filter dropping everything: got %v, want a timeout", err)
	}

	if err := c.RemoveBPF(); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveBPF(); !errors.Is(err, unix.ENOENT) {
		t.Errorf("RemoveBPF without a filter: got %v, want ENOENT", err)
	}
	if err := c.SetBPF(nil); !errors.Is(err, unix.EINVAL) {
		t.Errorf("SetBPF(nil): got %v, want EINVAL", err)
	}
	// The kernel checks programs: a jump past the end is refused.
	bad := []bpf.RawInstruction{{Op: unix.BPF_JMP | unix.BPF_JA, K: 10}, {Op: unix.BPF_RET | unix.BPF_K}}
	var oe *netlink.OpError
	if err := c.SetBPF(bad); !errors.As(err, &oe) || !errors.Is(err, unix.EINVAL) {
		t.Errorf("SetBPF(invalid program): got %v, want an *OpError for EINVAL", err)
	}
}

func TestIntegrationOptions(t *testing.T) {
	c := dialT(t, unix.NETLINK_ROUTE, nil)
	rc, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	getsockopt := func(level, opt int) int {
		t.Helper()
		var (
			v    int
			gerr error
		)
		if err := rc.Control(func(fd uintptr) { v, gerr = unix.GetsockoptInt(int(fd), level, opt) }); err != nil {
			t.Fatal(err)
		}
		if gerr != nil {
			t.Fatalf("getsockopt(%d, %d): %v", level, opt, gerr)
		}
		return v
	}

	options := []struct {
		name    string
		option  netlink.ConnOption
		sockopt int
	}{
		{"PacketInfo", netlink.PacketInfo, unix.NETLINK_PKTINFO},
		{"BroadcastError", netlink.BroadcastError, unix.NETLINK_BROADCAST_ERROR},
		{"NoENOBUFS", netlink.NoENOBUFS, unix.NETLINK_NO_ENOBUFS},
		{"ListenAllNSID", netlink.ListenAllNSID, unix.NETLINK_LISTEN_ALL_NSID},
		{"CapAcknowledge", netlink.CapAcknowledge, unix.NETLINK_CAP_ACK},
		{"ExtendedAcknowledge", netlink.ExtendedAcknowledge, unix.NETLINK_EXT_ACK},
		{"GetStrictCheck", netlink.GetStrictCheck, unix.NETLINK_GET_STRICT_CHK},
	}
	for _, o := range options {
		t.Run(o.name, func(t *testing.T) {
			for _, on := range []bool{true, false} {
				err := c.SetOption(o.option, on)
				if o.option == netlink.ListenAllNSID && os.Geteuid() != 0 {
					// Needs CAP_NET_BROADCAST: the kernel's refusal
					// comes back as is.
					if !errors.Is(err, unix.EPERM) {
						t.Fatalf("SetOption(%v) unprivileged: got %v, want EPERM", on, err)
					}
					return
				}
				if err != nil {
					t.Fatalf("SetOption(%v): %v", on, err)
				}
				want := 0
				if on {
					want = 1
				}
				if got := getsockopt(unix.SOL_NETLINK, o.sockopt); got != want {
					t.Fatalf("after SetOption(%v) the kernel reports %d, want %d", on, got, want)
				}
			}
		})
	}

	// An option this package does not know, and one the kernel refuses:
	// group 0 does not exist.
	var oe *netlink.OpError
	if err := c.SetOption(netlink.ConnOption(100), true); !errors.As(err, &oe) || !errors.Is(err, unix.ENOPROTOOPT) {
		t.Errorf("SetOption(unknown): got %v, want an *OpError for ENOPROTOOPT", err)
	}
	var se *os.SyscallError
	if err := c.JoinGroup(0); !errors.As(err, &oe) || !errors.As(err, &se) || se.Syscall != "setsockopt" || !errors.Is(err, unix.EINVAL) {
		t.Errorf("JoinGroup(0): got %v, want an *OpError wrapping setsockopt's EINVAL", err)
	}
	if err := c.JoinGroup(unix.RTNLGRP_LINK); err != nil {
		t.Errorf("JoinGroup: %v", err)
	}
	if err := c.LeaveGroup(unix.RTNLGRP_LINK); err != nil {
		t.Errorf("LeaveGroup: %v", err)
	}

	// The kernel doubles buffer sizes for its bookkeeping.
	if err := c.SetReadBuffer(48 << 10); err != nil {
		t.Fatal(err)
	}
	if err := c.SetWriteBuffer(40 << 10); err != nil {
		t.Fatal(err)
	}
	rb, rerr := c.ReadBuffer()
	wb, werr := c.WriteBuffer()
	if rerr != nil || werr != nil || rb != 96<<10 || wb != 80<<10 {
		t.Errorf("ReadBuffer %d (%v), WriteBuffer %d (%v); want %d and %d", rb, rerr, wb, werr, 96<<10, 80<<10)
	}
	if got := getsockopt(unix.SOL_SOCKET, unix.SO_RCVBUF); got != rb {
		t.Errorf("SO_RCVBUF %d, ReadBuffer %d", got, rb)
	}

	// SyscallConn reaches the socket itself.
	if got := getsockopt(unix.SOL_SOCKET, unix.SO_PROTOCOL); got != unix.NETLINK_ROUTE {
		t.Errorf("SO_PROTOCOL %d, want NETLINK_ROUTE", got)
	}
	var sa unix.Sockaddr
	rc.Control(func(fd uintptr) { sa, err = unix.Getsockname(int(fd)) })
	if nl, ok := sa.(*unix.SockaddrNetlink); err != nil || !ok || nl.Pid != c.PID() || c.PID() == 0 {
		t.Errorf("getsockname %+v (%v), PID() %d: want the same non-zero port ID", sa, err, c.PID())
	}
}

func TestIntegrationSendMessages(t *testing.T) {
	c := dialT(t, unix.NETLINK_GENERIC, nil)

	// Two requests in one datagram get two replies.
	sent, err := c.SendMessages([]netlink.Message{getFamilyRequest(t, "nlctrl"), getFamilyRequest(t, "nlctrl")})
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != 2 || sent[0].Header.Sequence == sent[1].Header.Sequence {
		t.Fatalf("sent %+v, want two messages with their own sequence numbers", sent)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for _, req := range sent {
		msgs, err := c.Receive()
		if err != nil {
			t.Fatal(err)
		}
		if err := netlink.Validate(req, msgs); err != nil {
			t.Fatalf("reply to request %d: %v", req.Header.Sequence, err)
		}
	}

	// Headers that cannot be sent as they are.
	for _, l := range []uint32{1, 15, 21} {
		m := getFamilyRequest(t, "nlctrl")
		m.Header.Length = l
		_, err := c.Send(m)
		var oe *netlink.OpError
		if !errors.As(err, &oe) || oe.Op != "send" || !strings.Contains(err.Error(), "netlink message header length incorrect") {
			t.Errorf("Length %d: got %v, want a send *OpError about the length", l, err)
		}
	}
}

// TestIntegrationReceiveCopies checks that received Data is private to each
// datagram: changing one message's bytes affects no other.
func TestIntegrationReceiveCopies(t *testing.T) {
	c := dialT(t, unix.NETLINK_USERSOCK, nil)
	send := userSender(t, c)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))

	send(userMessage(1, 64, 1))
	first, err := c.Receive()
	if err != nil {
		t.Fatal(err)
	}
	keep := bytes.Clone(first[0].Data)
	send(userMessage(2, 64, 9))
	if _, err := c.Receive(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(keep, first[0].Data) {
		t.Fatal("a later Receive changed the Data of an earlier message")
	}
}

func TestIntegrationCompatBufferSizesAboveSysctlLimit(t *testing.T) {
	// A privileged caller gets the size it asks for, above
	// net.core.rmem_max and wmem_max, as with SO_RCVBUFFORCE and
	// SO_SNDBUFFORCE; the kernel doubles it for its bookkeeping.
	if os.Geteuid() != 0 {
		t.Skip("forcing buffer sizes needs CAP_NET_ADMIN")
	}
	c := dialT(t, unix.NETLINK_ROUTE, nil)
	for _, tt := range []struct {
		sysctl string
		set    func(int) error
		get    func() (int, error)
	}{
		{"rmem_max", c.SetReadBuffer, c.ReadBuffer},
		{"wmem_max", c.SetWriteBuffer, c.WriteBuffer},
	} {
		b, err := os.ReadFile("/proc/sys/net/core/" + tt.sysctl)
		if err != nil {
			t.Fatal(err)
		}
		limit, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		want := 2 * limit
		if err := tt.set(want); err != nil {
			t.Fatalf("%s: setting %d bytes: %v", tt.sysctl, want, err)
		}
		if got, err := tt.get(); err != nil || got != 2*want {
			t.Errorf("%s %d: buffer %d (%v) after setting %d, want %d", tt.sysctl, limit, got, err, want, 2*want)
		}
	}
}

func TestIntegrationCompatSocketErrors(t *testing.T) {
	// Each Conn method wraps the socket's error in an *OpError of its
	// own name; what the kernel refuses comes back as its system call's
	// error, as callers of the original compare them.
	c := dialT(t, unix.NETLINK_ROUTE, nil)
	_, sendErr := c.SendMessages(nil)
	_, lenErr := c.SendMessages([]netlink.Message{{Header: netlink.Header{Length: 3}}})
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"SetOption unknown", c.SetOption(netlink.ConnOption(100), true), "netlink set-option: setsockopt: protocol not available"},
		{"SetBPF empty", c.SetBPF(nil), "netlink set-bpf: setsockopt: invalid argument"},
		{"RemoveBPF none", c.RemoveBPF(), "netlink remove-bpf: setsockopt: no such file or directory"},
		{"JoinGroup 0", c.JoinGroup(0), "netlink join-group: setsockopt: invalid argument"},
		{"LeaveGroup 0", c.LeaveGroup(0), "netlink leave-group: setsockopt: invalid argument"},
		{"SendMessages none", sendErr, "netlink send-messages: sendmsg: no data available"},
		{"SendMessages bad Length", lenErr, "netlink send-messages: netlink message header length incorrect"},
	}
	for _, tt := range tests {
		if tt.err == nil || tt.err.Error() != tt.want {
			t.Errorf("%s: got %v, want %q", tt.name, tt.err, tt.want)
		}
	}
}
