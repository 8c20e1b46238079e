//go:build linux

package netlink_test

import (
	"errors"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// Tests of when a socket registers with the runtime poller (see
// internal/nlsock/poller_linux.go): only once something has to wait, or
// needs deadlines or raw access.

func TestIntegrationPollerRegistration(t *testing.T) {
	tests := []struct {
		name string
		do   func(t *testing.T, c *netlink.Conn)
		want bool
	}{
		{
			name: "dial",
			do:   func(*testing.T, *netlink.Conn) {},
		},
		{
			name: "execute",
			do: func(t *testing.T, c *netlink.Conn) {
				for range 3 {
					if _, err := c.Execute(getFamilyRequest(t, "")); err != nil {
						t.Fatal(err)
					}
				}
			},
		},
		{
			name: "options and groups",
			do: func(t *testing.T, c *netlink.Conn) {
				if err := c.SetOption(netlink.ExtendedAcknowledge, true); err != nil {
					t.Fatal(err)
				}
				if err := c.SetReadBuffer(1 << 20); err != nil {
					t.Fatal(err)
				}
				if _, err := c.ReadBuffer(); err != nil {
					t.Fatal(err)
				}
			},
		},
		{
			name: "drain after an abandoned dump",
			do: func(t *testing.T, c *netlink.Conn) {
				if _, err := c.Send(getFamilyRequest(t, "")); err != nil {
					t.Fatal(err)
				}
				for _, err := range c.ReceiveIter() {
					if err != nil {
						t.Fatal(err)
					}
					break
				}
				if _, err := c.Execute(getFamilyRequest(t, "")); err != nil {
					t.Fatal(err)
				}
			},
		},
		{
			name: "zero deadlines",
			do: func(t *testing.T, c *netlink.Conn) {
				for _, set := range []func(time.Time) error{c.SetDeadline, c.SetReadDeadline, c.SetWriteDeadline} {
					if err := set(time.Time{}); err != nil {
						t.Fatal(err)
					}
				}
			},
		},
		{
			name: "read deadline",
			do: func(t *testing.T, c *netlink.Conn) {
				if err := c.SetReadDeadline(time.Now().Add(time.Hour)); err != nil {
					t.Fatal(err)
				}
			},
			want: true,
		},
		{
			name: "syscallconn",
			do: func(t *testing.T, c *netlink.Conn) {
				if _, err := c.SyscallConn(); err != nil {
					t.Fatal(err)
				}
			},
			want: true,
		},
		{
			name: "receive past a deadline",
			do: func(t *testing.T, c *netlink.Conn) {
				if err := c.SetReadDeadline(time.Now().Add(20 * time.Millisecond)); err != nil {
					t.Fatal(err)
				}
				if _, err := c.Receive(); !errors.Is(err, os.ErrDeadlineExceeded) {
					t.Fatalf("Receive: %v, want a timeout", err)
				}
				if err := c.SetReadDeadline(time.Time{}); err != nil {
					t.Fatal(err)
				}
			},
			want: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dialT(t, unix.NETLINK_GENERIC, nil)
			tt.do(t, c)
			if got := netlink.Registered(c); got != tt.want {
				t.Errorf("registered with the poller: %v, want %v", got, tt.want)
			}
			// Whichever way, the Conn goes on working.
			msgs, err := c.Execute(getFamilyRequest(t, "nlctrl"))
			if err != nil || len(msgs) != 1 {
				t.Fatalf("Execute afterwards: %d messages, %v", len(msgs), err)
			}
		})
	}
}

// A Receive that finds nothing queued and has no deadline registers the
// socket, waits in the poller, and is woken by a datagram or by Close.
func TestIntegrationPollerWaitingReceive(t *testing.T) {
	c := dialT(t, unix.NETLINK_USERSOCK, nil)
	send := userSender(t, c)

	type result struct {
		msgs []netlink.Message
		err  error
	}
	receive := func() chan result {
		ch := make(chan result, 1)
		go func() {
			msgs, err := c.Receive()
			ch <- result{msgs, err}
		}()
		return ch
	}
	waitRegistered := func() {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); !netlink.Registered(c); {
			if time.Now().After(deadline) {
				t.Fatal("the waiting Receive did not register the socket")
			}
			time.Sleep(time.Millisecond)
		}
	}

	ch := receive()
	waitRegistered()
	send(userMessage(1, 8, 1))
	select {
	case r := <-ch:
		if r.err != nil || len(r.msgs) != 1 || r.msgs[0].Header.Sequence != 1 {
			t.Fatalf("Receive: %d messages, %v; want the one sent", len(r.msgs), r.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Receive was not woken by a datagram")
	}

	ch = receive()
	time.Sleep(20 * time.Millisecond) // let it block
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-ch:
		if !errors.Is(r.err, os.ErrClosed) {
			t.Fatalf("Receive after Close: %v, want an error matching os.ErrClosed", r.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Receive was not woken by Close")
	}
}

// Close of a socket that never registered closes its descriptor, and every
// operation afterwards fails as on a closed socket.
func TestIntegrationPollerCloseUnregistered(t *testing.T) {
	c, err := netlink.Dial(unix.NETLINK_GENERIC, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Execute(getFamilyRequest(t, "nlctrl")); err != nil {
		t.Fatal(err)
	}
	fd, ino := netlink.SocketFD(c), socketInode(t, netlink.SocketFD(c))
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if netlink.Registered(c) {
		t.Fatal("the socket registered with the poller")
	}
	if got, err := fdInode(fd); err == nil && got == ino {
		t.Fatalf("descriptor %d still refers to the socket after Close", fd)
	}
	if _, err := c.Execute(getFamilyRequest(t, "nlctrl")); !errors.Is(err, unix.EBADF) {
		t.Errorf("Execute after Close: %v, want EBADF", err)
	}
	if err := c.SetOption(netlink.ExtendedAcknowledge, true); !errors.Is(err, unix.EBADF) {
		t.Errorf("SetOption after Close: %v, want EBADF", err)
	}
	if err := c.SetReadDeadline(time.Time{}); !errors.Is(err, os.ErrClosed) {
		t.Errorf("SetReadDeadline after Close: %v, want an error matching os.ErrClosed", err)
	}
}

// A Conn dropped without Close has its descriptor closed by the garbage
// collector, registered or not, as an *os.File would.
func TestIntegrationPollerLostConn(t *testing.T) {
	for _, registered := range []bool{false, true} {
		t.Run("registered="+strconv.FormatBool(registered), func(t *testing.T) {
			fd, ino := func() (int, string) {
				c, err := netlink.Dial(unix.NETLINK_GENERIC, nil)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := c.Execute(getFamilyRequest(t, "nlctrl")); err != nil {
					t.Fatal(err)
				}
				if registered {
					if _, err := c.SyscallConn(); err != nil {
						t.Fatal(err)
					}
				}
				fd := netlink.SocketFD(c)
				return fd, socketInode(t, fd)
			}()
			for deadline := time.Now().Add(10 * time.Second); ; {
				runtime.GC()
				if got, err := fdInode(fd); err != nil || got != ino {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("descriptor %d of a lost Conn is still open", fd)
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
}

// Close racing with Executes on an unregistered socket: every Execute either
// works or fails as on a closed socket, and nothing runs on a closed
// descriptor (which -race and the descriptor checks of TestMain watch).
func TestIntegrationPollerCloseRace(t *testing.T) {
	for range 20 {
		c, err := netlink.Dial(unix.NETLINK_GENERIC, nil)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for {
					_, err := c.Execute(getFamilyRequest(t, "nlctrl"))
					if err == nil {
						continue
					}
					if !errors.Is(err, unix.EBADF) && !errors.Is(err, os.ErrClosed) {
						t.Errorf("Execute racing Close: %v", err)
					}
					return
				}
			})
		}
		time.Sleep(2 * time.Millisecond)
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
	}
}

// socketInode returns what /proc says descriptor fd refers to.
func socketInode(t *testing.T, fd int) string {
	t.Helper()
	ino, err := fdInode(fd)
	if err != nil {
		t.Fatal(err)
	}
	return ino
}

func fdInode(fd int) (string, error) {
	return os.Readlink("/proc/self/fd/" + strconv.Itoa(fd))
}
