//go:build linux

package nlsock

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"

	"github.com/mdlayher/netlink/internal/netns"
	"golang.org/x/sys/unix"
)

// A Socket is an AF_NETLINK socket driven by the Go runtime's poller: the
// descriptor is non-blocking and, once something has to wait (see
// poller_linux.go), wrapped in an *os.File, so reads and writes wait in the
// poller rather than in a thread, deadlines work, and Close wakes
// a goroutine blocked in RecvDatagram.
type Socket struct {
	closed atomic.Bool

	// The descriptor, used directly until it is registered with the
	// runtime poller, and through f and rc once armed is set; see
	// poller_linux.go. Direct system calls hold fdmu for reading.
	st    *fdState
	fdmu  sync.RWMutex
	armed atomic.Bool
	f     *os.File
	rc    syscall.RawConn

	// Receive state. rmu serialises receivers: the read callback leaves
	// its result in rb, rerr and rmeta for the caller to pick up. The
	// socket holds no receive buffer of its own (see recvarea_linux.go).
	rmu     sync.Mutex
	readFn  func(fd uintptr) bool // s.read, made once
	rmsg    unix.Msghdr
	riov    unix.Iovec
	rb      []byte // the datagram just read
	rerr    error  // the error of the read
	rmeta   Meta   // what is known of the datagram just read
	failErr error  // fails every receive; see FailReceives

	// Control messages: wanted once NETLINK_PKTINFO or
	// NETLINK_LISTEN_ALL_NSID is on (a bit per option), read into rctl
	// and decoded into rmeta.
	cmsgWanted atomic.Uint32
	rctl       [64]byte

	// The sender's address of the datagram read, which names the
	// multicast group it went to even with NETLINK_PKTINFO off.
	rname unix.RawSockaddrNetlink

	// Send state, guarded by wmu.
	wmu     sync.Mutex
	writeFn func(fd uintptr) bool // s.write, made once
	wmsg    unix.Msghdr
	wiov    unix.Iovec
	werr    error
	kernel  unix.RawSockaddrNetlink // destination of every send: port 0
}

// Meta is what is known of a datagram besides its bytes.
type Meta struct {
	// Group is the multicast group the datagram was sent to, as the
	// NETLINK_PKTINFO control message tells it: zero when that option is
	// off or the datagram went to no group.
	Group uint32
	// NSID is the ID of the network namespace the datagram came from, as
	// the NETLINK_LISTEN_ALL_NSID control message tells it; -1 when
	// there is none.
	NSID int
	// Multicast is set when the datagram went to a multicast group: from
	// the group in the sender's address (groups 1 to 32), or from Group
	// (any group, but only with NETLINK_PKTINFO on).
	Multicast bool
}

// Open opens a netlink socket of the given protocol family, inside the
// network namespace whose descriptor is netnsFD unless that is zero, and
// binds it to port pid (zero lets the kernel choose) and to the multicast
// groups of the bit mask groups. It returns the socket and the port ID the
// kernel bound it to. A failed system call comes back as its bare
// *os.SyscallError ("socket", "setns", "bind").
func Open(family, netnsFD int, groups, pid uint32) (*Socket, uint32, error) {
	fd := -1
	open := func() error {
		sfd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, family)
		if err != nil {
			return os.NewSyscallError("socket", err)
		}
		fd = sfd
		return nil
	}
	var err error
	if netnsFD != 0 {
		// A socket belongs to the namespace it is created in, forever;
		// only the creation has to happen inside it.
		err = netns.Do(netnsFD, open)
	} else {
		err = open()
	}
	if err != nil {
		if fd >= 0 {
			unix.Close(fd)
		}
		return nil, 0, err
	}

	port, err := bind(fd, groups, pid)
	if err != nil {
		unix.Close(fd)
		return nil, 0, err
	}
	return newSocket(fd), port, nil
}

// bind binds fd to port pid and the multicast groups of groups, and returns
// the port ID the kernel chose.
func bind(fd int, groups, pid uint32) (uint32, error) {
	sa := &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: groups, Pid: pid}
	if err := unix.Bind(fd, sa); err != nil {
		return 0, os.NewSyscallError("bind", err)
	}
	got, err := unix.Getsockname(fd)
	if err != nil {
		return 0, os.NewSyscallError("getsockname", err)
	}
	nl, ok := got.(*unix.SockaddrNetlink)
	if !ok {
		return 0, fmt.Errorf("getsockname returned a %T, not a netlink address", got)
	}
	return nl.Pid, nil
}

// FailReceives makes every later RecvDatagram fail with err, before it
// reads, so that nothing queued is lost; nil undoes it. It must be called
// before the socket is shared.
func (s *Socket) FailReceives(err error) {
	s.failErr = err
}

// Close closes the socket. A goroutine blocked in RecvDatagram or
// SendDatagram returns with an error that matches os.ErrClosed; an
// operation started after Close fails with EBADF, as on any closed
// descriptor. Closing again does nothing.
func (s *Socket) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	if err := s.closeFD(); err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return os.NewSyscallError("close", err)
	}
	return nil
}

// Closed reports whether Close was called.
func (s *Socket) Closed() bool {
	return s.closed.Load()
}

// errClosed is the error of an operation that Close interrupted.
var errClosed error = closedError{}

// closedError reports an operation interrupted by Close. Its text is the
// runtime poller's; it matches both os.ErrClosed and net.ErrClosed: code
// written for files tests the first, code written for network connections
// the second.
type closedError struct{}

func (closedError) Error() string { return "use of closed file" }

func (closedError) Is(target error) bool {
	return target == os.ErrClosed || target == net.ErrClosed
}

// pollError returns the error that the runtime poller gave instead of
// running a system call: the socket was closed, or a deadline passed (the
// poller's error, which matches os.ErrDeadlineExceeded, as it is).
func (s *Socket) pollError(err error) error {
	if s.closed.Load() {
		return errClosed
	}
	return err
}

// ClosedError is the error of system call sc on a socket after Close:
// what the kernel says of a closed descriptor.
func ClosedError(sc string) error {
	return os.NewSyscallError(sc, unix.EBADF)
}

// SendDatagram sends b to the kernel as one datagram. Netlink datagrams
// are sent whole or not at all.
func (s *Socket) SendDatagram(b []byte) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.closed.Load() {
		return ClosedError("sendmsg")
	}
	s.wiov = unix.Iovec{}
	if len(b) > 0 {
		s.wiov.Base = &b[0]
		s.wiov.SetLen(len(b))
	}
	s.wmsg.Name = (*byte)(unsafe.Pointer(&s.kernel))
	s.wmsg.Namelen = unix.SizeofSockaddrNetlink
	s.wmsg.Iov = &s.wiov
	s.wmsg.SetIovlen(1)
	s.werr = nil
	err := s.run("sendmsg", waitWrite, s.writeFn)
	// Keep no pointer to b: it is the caller's.
	s.wiov.Base = nil
	if err != nil {
		return err
	}
	return s.werr
}

// write is the operation of SendDatagram; see run.
func (s *Socket) write(fd uintptr) bool {
	done, err := retry(func() error {
		_, err := sendmsg(int(fd), &s.wmsg, 0)
		return err
	})
	if err != nil {
		s.werr = os.NewSyscallError("sendmsg", err)
	}
	return done
}

// RecvDatagram reads one datagram, whole up to 16 MiB at least (see
// recvarea_linux.go), and returns a copy of it in a new slice, so that it
// stays valid after the next read, with what is known of it. The slice's
// length is rounded up to the 4-byte message alignment with zeros, so that
// a last message whose sender left off its padding reads as if it had it.
// Unless wait is set, it returns a nil slice and no error at once when no
// datagram is queued, and looks at no read deadline.
func (s *Socket) RecvDatagram(wait bool) ([]byte, Meta, error) {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	if s.closed.Load() {
		return nil, Meta{}, ClosedError("recvmsg")
	}
	if s.failErr != nil {
		// Fail before reading, so that no datagram is lost.
		return nil, Meta{}, s.failErr
	}

	s.rb, s.rerr = nil, nil
	s.rmeta = Meta{NSID: -1}
	m := waitRead
	if !wait {
		m = noWait
	}
	if err := s.run("recvmsg", m, s.readFn); err != nil {
		return nil, Meta{}, err
	}
	b, err := s.rb, s.rerr
	s.rb, s.rerr = nil, nil
	return b, s.rmeta, err
}

// read is the operation of RecvDatagram; see run.
func (s *Socket) read(fd uintptr) bool {
	if !s.peekOnly() {
		if a := getArea(); a != nil {
			return s.readArea(int(fd), a)
		}
	}
	return s.readPeek(int(fd))
}

// readArea reads one datagram into the receive area a, which it gives back.
func (s *Socket) readArea(fd int, a *recvArea) bool {
	var n, flags int
	done, err := retry(func() (err error) {
		n, flags, err = s.recvmsg(fd, a.b, unix.MSG_TRUNC, true)
		return err
	})
	switch {
	case !done:
		putArea(a, 0)
		return false
	case err != nil:
		putArea(a, 0)
		s.rerr = os.NewSyscallError("recvmsg", err)
	case n > len(a.b) || flags&unix.MSG_TRUNC != 0:
		// Larger than an area: the kernel dropped the rest of it (see
		// recvarea_linux.go).
		putArea(a, len(a.b))
		s.rerr = &truncatedError{size: n, buf: len(a.b)}
	default:
		s.rb = copyDatagram(a.b[:n])
		putArea(a, n)
	}
	return true
}

// readPeek reads one datagram by peeking at it first; see
// recvarea_linux.go.
func (s *Socket) readPeek(fd int) bool {
	bp := peekBuffers.Get().(*[]byte)
	defer peekBuffers.Put(bp)
	buf := *bp
	var n int
	done, err := retry(func() (err error) {
		n, _, err = s.recvmsg(fd, buf, unix.MSG_PEEK|unix.MSG_TRUNC, true)
		return err
	})
	switch {
	case !done:
		return false
	case err != nil:
		s.rerr = os.NewSyscallError("recvmsg", err)
		return true
	}

	var b []byte
	into := []byte(nil) // a zero-length read takes the datagram off
	if n <= len(buf) {
		b = copyDatagram(buf[:n])
	} else {
		b = make([]byte, align(n))
		into = b[:n]
	}
	var got int
	done, err = retry(func() (err error) {
		got, _, err = s.recvmsg(fd, into, unix.MSG_TRUNC, false)
		return err
	})
	if !done {
		// The datagram peeked at is gone; see below.
		err = unix.EAGAIN
	}
	switch {
	case err != nil:
		s.rerr = os.NewSyscallError("recvmsg", err)
	case got != n:
		// Only another reader of the same descriptor, in another
		// process, could have taken the peeked datagram.
		s.rerr = fmt.Errorf("the %d-byte datagram peeked at was taken by another reader; read a %d-byte one instead", n, got)
	default:
		s.rb = b
	}
	return true
}

// A truncatedError reports a datagram that did not fit the receive buffer
// and was lost. It matches EMSGSIZE, the error of a datagram too large.
type truncatedError struct {
	size, buf int
}

func (e *truncatedError) Error() string {
	return fmt.Sprintf("%d-byte datagram did not fit the %d-byte receive buffer and was lost", e.size, e.buf)
}

func (e *truncatedError) Unwrap() error { return unix.EMSGSIZE }

// recvmsg calls recvmsg(2) into b and returns the length and the flags the
// kernel reported. With meta set, it also notes in s.rmeta whether the
// datagram went to a multicast group and, with NETLINK_PKTINFO or
// NETLINK_LISTEN_ALL_NSID on, what its control messages tell.
func (s *Socket) recvmsg(fd int, b []byte, flags int, meta bool) (n, rflags int, err error) {
	if h := hooks.Load(); h != nil && h.Recvmsg != nil {
		h.Recvmsg(s)
	}
	s.rmsg = unix.Msghdr{}
	s.riov = unix.Iovec{}
	if len(b) > 0 {
		s.riov.Base = &b[0]
		s.riov.SetLen(len(b))
		s.rmsg.Iov = &s.riov
		s.rmsg.SetIovlen(1)
	}
	if meta {
		s.rname = unix.RawSockaddrNetlink{}
		s.rmsg.Name = (*byte)(unsafe.Pointer(&s.rname))
		s.rmsg.Namelen = unix.SizeofSockaddrNetlink
	}
	control := meta && s.cmsgWanted.Load() != 0
	if control {
		s.rmsg.Control = &s.rctl[0]
		s.rmsg.SetControllen(len(s.rctl))
	}
	n, err = recvmsg(fd, &s.rmsg, flags)
	rflags = int(s.rmsg.Flags)
	// Keep no pointer to b: it may be a pooled buffer or an area.
	s.riov.Base = nil
	if control && err == nil {
		s.rmeta.Group, s.rmeta.NSID = parseControl(s.rctl[:min(int(s.rmsg.Controllen), len(s.rctl))])
	}
	if meta && err == nil {
		// The kernel names groups 1 to 32 in the address; NETLINK_PKTINFO
		// tells any group.
		s.rmeta.Multicast = s.rname.Groups != 0 || s.rmeta.Group != 0
	}
	return n, rflags, err
}

// parseControl decodes the control messages of a netlink datagram: the
// multicast group it went to and the ID of the namespace it came from (-1
// when they do not say).
func parseControl(b []byte) (group uint32, nsid int) {
	nsid = -1
	cmsgs, err := unix.ParseSocketControlMessage(b)
	if err != nil {
		return group, nsid
	}
	for _, cm := range cmsgs {
		if cm.Header.Level != unix.SOL_NETLINK || len(cm.Data) < 4 {
			continue
		}
		switch cm.Header.Type {
		case unix.NETLINK_PKTINFO:
			group = binary.NativeEndian.Uint32(cm.Data)
		case unix.NETLINK_LISTEN_ALL_NSID:
			nsid = int(int32(binary.NativeEndian.Uint32(cm.Data)))
		}
	}
	return group, nsid
}
