//go:build linux

package netlink_test

import (
	"encoding/binary"
	"testing"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// A flood of large datagrams from a user-space peer, received with
// Receive: the cost of the receive path per byte, where the kernel's own
// dumps (32 KiB datagrams) measure its cost per datagram. The file uses
// only the API of v1.11.2, so that the same benchmark can be run against it
// in a module of its own.

// floodDatagrams and floodSize make one operation: 300 datagrams of 1 MiB.
const (
	floodDatagrams = 300
	floodSize      = 1 << 20
)

func BenchmarkReceiveFlood(b *testing.B) {
	c, err := netlink.Dial(unix.NETLINK_USERSOCK, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()

	fd := floodSender(b)
	to := &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Pid: c.PID()}
	wire := make([]byte, floodSize)
	binary.NativeEndian.PutUint32(wire[0:4], floodSize)
	binary.NativeEndian.PutUint16(wire[4:6], 0x20)
	for i := 16; i < len(wire); i++ {
		wire[i] = byte(i * 7)
	}

	b.SetBytes(floodDatagrams * floodSize)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		// The sender blocks while the Conn's receive queue is full,
		// which paces it to the receiver.
		sent := make(chan error, 1)
		go func() {
			for range floodDatagrams {
				if err := unix.Sendto(fd, wire, 0, to); err != nil {
					sent <- err
					return
				}
			}
			sent <- nil
		}()
		for i := range floodDatagrams {
			msgs, err := c.Receive()
			if err != nil {
				b.Fatalf("datagram %d: %v", i, err)
			}
			if len(msgs) != 1 || len(msgs[0].Data) != floodSize-16 {
				b.Fatalf("datagram %d: %d messages, want one of %d bytes", i, len(msgs), floodSize)
			}
		}
		if err := <-sent; err != nil {
			b.Fatal(err)
		}
	}
}

// floodSender opens a blocking NETLINK_USERSOCK socket whose send buffer
// takes a whole flood datagram.
func floodSender(b *testing.B) int {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_USERSOCK)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { unix.Close(fd) })
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		b.Fatal(err)
	}
	// SO_SNDBUFFORCE passes net.core.wmem_max, but only for root.
	const sndbuf = 2 * floodSize
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUFFORCE, sndbuf); err != nil {
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUF, sndbuf); err != nil {
			b.Fatal(err)
		}
	}
	return fd
}
