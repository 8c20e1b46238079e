//go:build linux

package netlink_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
	"golang.org/x/sys/unix"
)

// A datagram whose messages are followed by fewer bytes than a header
// holds: v1.11.2 returns the messages and ignores those bytes, and so must
// a drop-in. The datagram is read into a buffer padded to 4 bytes, so a
// tail of 13 to 15 bytes is padded to a header, which is then read as one
// (here a malformed one: an error, as in v1.11.2). The fake socket of
// nltest must make the same of each datagram.
func TestIntegrationDatagramTail(t *testing.T) {
	first, last := userMessage(1, 20, 1), userMessage(2, 8, 2)
	msgs := append(mustMarshal(t, first), mustMarshal(t, last)...)

	type tailCase struct {
		name string
		tail []byte
		want []netlink.Message // nil: an error
	}
	var tests []tailCase
	for n := 1; n < 16; n++ {
		for _, fill := range []byte{0, 0xff} {
			tc := tailCase{
				name: fmt.Sprintf("%d bytes of %#x", n, fill),
				tail: bytes.Repeat([]byte{fill}, n),
				want: []netlink.Message{first, last},
			}
			if n > 12 {
				tc.want = nil
			}
			tests = append(tests, tc)
		}
	}
	// A tail of 13 bytes that, padded, is a header of Length 16: a
	// message whose last bytes were left off (the PID, zero, so that the
	// padding restores it in either byte order), taken as such.
	hdr := mustMarshal(t, netlink.Message{Header: netlink.Header{Length: 16, Type: 0x21, Sequence: 3}})
	tests = append(tests,
		tailCase{name: "none", want: []netlink.Message{first, last}},
		tailCase{
			name: "13 bytes of a 16-byte header",
			tail: hdr[:13],
			want: []netlink.Message{first, last, {Header: netlink.Header{Length: 16, Type: 0x21, Sequence: 3}, Data: []byte{}}},
		},
	)

	readModes(t, func(t *testing.T) *netlink.Conn {
		return dialT(t, unix.NETLINK_USERSOCK, nil)
	}, func(t *testing.T, c *netlink.Conn) {
		send := rawSender(t, c)
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				dgram := append(append([]byte(nil), msgs...), tt.tail...)

				// The fake socket first.
				fake, ferr := nltest.Datagram(dgram)
				checkTail(t, "nltest.Datagram", tt.want, fake, ferr)

				send(dgram)
				got, err := c.Receive()
				checkTail(t, "Receive", tt.want, got, err)

				send(dgram)
				got, err = nil, nil
				for m, ierr := range c.ReceiveIter() {
					if ierr != nil {
						err = ierr
						break
					}
					got = append(got, m)
				}
				if tt.want == nil && err != nil {
					// The messages before the malformed tail come
					// first, then its error.
					if diff := cmp.Diff([]netlink.Message{first, last}, got); diff != "" {
						t.Errorf("ReceiveIter before the error (-want +got):\n%s", diff)
					}
					got = nil
				}
				checkTail(t, "ReceiveIter", tt.want, got, err)
			})
		}
	})
}

// checkTail checks what a receive made of a datagram: want, or an error
// when want is nil.
func checkTail(t *testing.T, call string, want, got []netlink.Message, err error) {
	t.Helper()
	if want == nil {
		if err == nil {
			t.Errorf("%s: %d messages and no error, want an error", call, len(got))
		}
		return
	}
	if err != nil {
		t.Errorf("%s: %v", call, err)
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: messages (-want +got):\n%s", call, diff)
	}
}

// rawSender returns a function that sends b, as it is, to c from c's own
// socket.
func rawSender(t *testing.T, c *netlink.Conn) func(b []byte) {
	rc, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	to := &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Pid: c.PID()}
	return func(b []byte) {
		t.Helper()
		var serr error
		err := rc.Write(func(fd uintptr) bool {
			serr = unix.Sendto(int(fd), b, 0, to)
			return true
		})
		if err != nil || serr != nil {
			t.Fatalf("sendto: %v, %v", err, serr)
		}
	}
}
