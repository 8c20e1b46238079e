//go:build linux

package nlsock

import (
	"os"
	"runtime"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// Registering with the runtime poller only when it is needed.
//
// A descriptor registered with the runtime poller (epoll, edge-triggered)
// costs a wakeup on every change of its state: each datagram the kernel
// queues, each send buffer it frees, wakes the thread that waits in
// epoll_wait whenever the program has an idle P. Measured on a generic
// netlink family dump, that is 4-5 µs of system time per request, about 15%
// of the whole exchange, for nothing: the kernel answers a request while
// the sending system call runs, and produces each further datagram of a
// dump while the previous one is read, so a reader that asks right away
// never has to wait.
//
// So a socket starts out unregistered: its sends, reads (waiting or not)
// and options make their non-blocking system calls on the descriptor
// directly. The first time something has to wait (a read that finds
// nothing queued, a send that finds no room), or needs the poller's
// deadlines or raw access (SetDeadline and the like, SyscallConn), the
// descriptor is handed to an *os.File, which registers it, and from then on
// every operation goes through the file's RawConn as before. Nothing can be
// waiting in the poller before that, so Close still wakes every waiter.
//
// Direct system calls hold fdmu for reading, and Close holds it for writing
// before it closes the descriptor: none of them can reach a descriptor
// number that was closed and then reused. Registration holds it for
// writing too, so that after it no direct call is still running.

// A fdState is what a socket's cleanup needs to know to close a
// descriptor the program forgot to close: it is kept apart from the
// Socket, which the cleanup must not keep alive.
type fdState struct {
	fd int
	// handed is set once the descriptor belongs to an *os.File (which
	// closes it on its own) or was closed.
	handed atomic.Bool
}

// closeLost closes the descriptor of a Socket that became unreachable
// unclosed and unregistered, as an *os.File's cleanup would.
func closeLost(st *fdState) {
	if !st.handed.Swap(true) {
		unix.Close(st.fd)
	}
}

// newSocket wraps the bound, non-blocking descriptor fd, unregistered.
func newSocket(fd int) *Socket {
	s := &Socket{}
	s.st = &fdState{fd: fd}
	runtime.AddCleanup(s, closeLost, s.st)
	s.kernel.Family = unix.AF_NETLINK
	s.readFn = s.read
	s.writeFn = s.write
	return s
}

// How run waits.
type waitMode int

const (
	waitRead  waitMode = iota // until the socket is readable
	waitWrite                 // until it is writable
	noWait                    // not at all: one attempt
)

// run runs op, one attempt at reading or writing that reports false when
// the socket was not ready (see retry), until it is done: directly on the
// descriptor while the socket is not registered with the poller, and
// through the poller from the first time it has to wait, which registers
// the socket. With noWait it makes one attempt whatever its outcome, and
// through the poller looks at no deadline: a drain must not fail for
// a deadline that passed, nor wait for one. sc names the system call op
// makes, for the error after Close; an operation that Close interrupts
// fails with errClosed, one that a deadline ends with the poller's error.
func (s *Socket) run(sc string, mode waitMode, op func(fd uintptr) bool) error {
	done := false
	switch ran, closed := s.tryDirect(func(fd int) { done = op(uintptr(fd)) }); {
	case closed:
		return ClosedError(sc)
	case ran && (done || mode == noWait):
		return nil
	}
	if err := s.arm(); err != nil {
		return err
	}
	var err error
	switch mode {
	case waitRead:
		err = s.rc.Read(op)
	case waitWrite:
		err = s.rc.Write(op)
	default:
		err = s.rc.Control(func(fd uintptr) { op(fd) })
	}
	if err != nil {
		return s.pollError(err)
	}
	return nil
}

// tryDirect runs fn on the descriptor if the socket is not registered, and
// reports whether it did. After Close it runs nothing and reports true
// with closed set.
func (s *Socket) tryDirect(fn func(fd int)) (ran, closed bool) {
	if s.armed.Load() {
		return false, false
	}
	s.fdmu.RLock()
	defer s.fdmu.RUnlock()
	switch {
	case s.closed.Load():
		return true, true
	case s.armed.Load():
		return false, false
	}
	fn(s.st.fd)
	return true, false
}

// arm registers the descriptor with the runtime poller, once; it fails
// only after Close, with errClosed.
func (s *Socket) arm() error {
	if s.armed.Load() {
		return nil
	}
	s.fdmu.Lock()
	defer s.fdmu.Unlock()
	if s.armed.Load() {
		return nil
	}
	if s.closed.Load() {
		return errClosed
	}
	// The descriptor is non-blocking, so os.NewFile registers it.
	// SyscallConn fails only on a nil *File, which NewFile does not
	// return for a valid descriptor.
	f := os.NewFile(uintptr(s.st.fd), "netlink")
	rc, _ := f.SyscallConn()
	s.st.handed.Store(true)
	s.f, s.rc = f, rc
	s.armed.Store(true)
	return nil
}

// closeFD closes the descriptor, through the file once registered. No
// direct system call is running on it when it does (see above).
func (s *Socket) closeFD() error {
	s.fdmu.Lock()
	defer s.fdmu.Unlock()
	if s.f != nil {
		return s.f.Close()
	}
	s.st.handed.Store(true)
	if err := unix.Close(s.st.fd); err != nil {
		return &os.PathError{Op: "close", Path: "netlink", Err: err}
	}
	return nil
}
