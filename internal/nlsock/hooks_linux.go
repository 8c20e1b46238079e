//go:build linux

package nlsock

import "sync/atomic"

// Hooks let tests change and watch what sockets do. They are kept apart
// from the Socket, whose hot paths pay one atomic load for them.
type Hooks struct {
	// PeekOnly, when set, is asked before each read of s whether to read
	// by peeking at the datagram first, as where no receive area can be
	// had (see recvarea_linux.go), rather than into an area.
	PeekOnly func(s *Socket) bool
	// Recvmsg, when set, is called before each recvmsg(2) call on s,
	// with s's receiving side locked.
	Recvmsg func(s *Socket)
}

// hooks are the Hooks in force; nil outside tests.
var hooks atomic.Pointer[Hooks]

// SetHooks puts h (nil for none) in force for every socket and returns the
// Hooks it replaces. Only tests use it.
func SetHooks(h *Hooks) *Hooks {
	return hooks.Swap(h)
}

// peekOnly reports whether the Hooks ask s to read by peeking.
func (s *Socket) peekOnly() bool {
	h := hooks.Load()
	return h != nil && h.PeekOnly != nil && h.PeekOnly(s)
}

// AreasUsable reports whether reads can use receive areas here.
func AreasUsable() bool {
	a := getArea()
	if a == nil {
		return false
	}
	putArea(a, 0)
	return true
}

// Registered reports whether s is registered with the runtime poller (see
// poller_linux.go), for tests.
func (s *Socket) Registered() bool {
	return s.armed.Load()
}

// FD returns s's descriptor, for tests that look at it from outside.
func (s *Socket) FD() int {
	return s.st.fd
}
