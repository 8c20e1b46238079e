//go:build linux

package netlink

import (
	"sync"
	"sync/atomic"
	"weak"

	"github.com/mdlayher/netlink/internal/nlsock"
)

// sockHooks is what the nlsock test hooks installed by watch know of each
// socket, keyed by weak pointers so that a socket the test forgets can
// still be collected.
var sockHooks struct {
	once  sync.Once
	peek  sync.Map // weak.Pointer[nlsock.Socket] → struct{}
	calls sync.Map // weak.Pointer[nlsock.Socket] → *atomic.Int64
}

// watch installs the nlsock test hooks, once, and returns the nlsock
// socket under c, which must come from Dial. Until a test calls it, the
// sockets run without hooks.
func watch(c *Conn) *nlsock.Socket {
	sockHooks.once.Do(func() {
		nlsock.SetHooks(&nlsock.Hooks{
			PeekOnly: func(s *nlsock.Socket) bool {
				_, ok := sockHooks.peek.Load(weak.Make(s))
				return ok
			},
			Recvmsg: func(s *nlsock.Socket) {
				if n, ok := sockHooks.calls.Load(weak.Make(s)); ok {
					n.(*atomic.Int64).Add(1)
				}
			},
		})
	})
	return c.sock.(*sysSocket).Socket
}

// RecvmsgCalls returns how many recvmsg system calls the socket under c has
// made since the first call of RecvmsgCalls for it, for the integration
// tests of package netlink_test. c must come from Dial.
func RecvmsgCalls(c *Conn) int {
	n, _ := sockHooks.calls.LoadOrStore(weak.Make(watch(c)), new(atomic.Int64))
	return int(n.(*atomic.Int64).Load())
}

// SetPeekOnly makes the socket under c read every datagram by peeking at it
// first, as it does where no receive area can be had.
func SetPeekOnly(c *Conn) {
	sockHooks.peek.Store(weak.Make(watch(c)), struct{}{})
}

// ReceiveAreasUsable reports whether reads can use receive areas here.
func ReceiveAreasUsable() bool {
	return nlsock.AreasUsable()
}

// Registered reports whether the socket under c is registered with the
// runtime poller. c must come from Dial.
func Registered(c *Conn) bool {
	return c.sock.(*sysSocket).Registered()
}

// SocketFD returns the descriptor of the socket under c, for tests that
// look at it from outside. c must come from Dial.
func SocketFD(c *Conn) int {
	return c.sock.(*sysSocket).FD()
}
