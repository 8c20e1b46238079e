//go:build linux

package netlink

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"

	"github.com/mdlayher/netlink/internal/netns"
	"golang.org/x/sys/unix"
)

// A sysSocket is an AF_NETLINK socket driven by the Go runtime's poller: the
// descriptor is non-blocking and wrapped in an *os.File, so reads and writes
// wait in the poller rather than in a thread, deadlines work, and Close wakes
// a goroutine blocked in Receive.
type sysSocket struct {
	f      *os.File
	rc     syscall.RawConn
	closed atomic.Bool

	// Receive state. rmu serialises receivers: the read callback leaves
	// its result in rb and rerr for the caller to pick up.
	rmu    sync.Mutex
	readFn func(fd uintptr) bool     // s.read, made once
	iter   iter.Seq2[Message, error] // s.receiveIter, made once
	rbuf   []byte                    // the reused receive buffer, made by the first read
	rsize  int                       // the size of rbuf to make
	rmsg   unix.Msghdr
	riov   unix.Iovec
	rb     []byte // the datagram just read
	rerr   error  // the error of the read
	nrecv  int    // recvmsg calls made, for tests

	// Send state, guarded by wmu.
	wmu     sync.Mutex
	writeFn func(fd uintptr) bool // s.write, made once
	wbuf    []byte                // reused wire buffer
	wmsg    unix.Msghdr
	wiov    unix.Iovec
	werr    error
	kernel  unix.RawSockaddrNetlink // destination of every send: port 0
}

// minRecvLen is the smallest receive buffer. The kernel sizes the
// datagrams of a dump by the largest length its reader has offered, capped
// at 32 KiB (see netlink_recvmsg and netlink_dump), and recommends a 32 KiB
// buffer; anything smaller makes a dump take more datagrams, and so more
// system calls. A dump never sends a datagram larger than this.
const minRecvLen = 32 << 10

// maxMessageBufferSize bounds Config.MessageBufferSize, so that a wrong
// value is an error from Dial rather than a failed allocation that ends the
// program. No kernel datagram comes near it.
const maxMessageBufferSize = 1 << 30

// maxKeptSendBuffer bounds the send buffer kept between sends, so that one
// huge request does not pin its memory for the life of the socket.
const maxKeptSendBuffer = 64 << 10

// dial opens, binds and wraps a netlink socket of the given family, inside
// the network namespace cfg.NetNS when that is set. It returns the socket
// and the port ID the kernel bound it to. A failed system call comes back
// as its bare *os.SyscallError ("socket", "setns", "bind"), not wrapped in
// an *OpError, as callers compare these errors.
func dial(family int, cfg *Config) (Socket, uint32, error) {
	if cfg == nil {
		cfg = &Config{}
	}

	if cfg.MessageBufferSize > maxMessageBufferSize {
		return nil, 0, fmt.Errorf("netlink: MessageBufferSize of %d bytes is above the limit of %d", cfg.MessageBufferSize, maxMessageBufferSize)
	}

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
	if cfg.NetNS != 0 {
		// A socket belongs to the namespace it is created in, forever;
		// only the creation has to happen inside it.
		err = netns.Do(cfg.NetNS, open)
	} else {
		err = open()
	}
	if err != nil {
		if fd >= 0 {
			unix.Close(fd)
		}
		return nil, 0, err
	}

	pid, err := bind(fd, cfg)
	if err != nil {
		unix.Close(fd)
		return nil, 0, err
	}

	// The descriptor is non-blocking, so os.NewFile registers it with the
	// runtime poller.
	f := os.NewFile(uintptr(fd), "netlink")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, 0, err
	}

	s := &sysSocket{f: f, rc: rc}
	s.kernel.Family = unix.AF_NETLINK
	size := cfg.MessageBufferSize
	if size <= 0 {
		size = max(minRecvLen, os.Getpagesize())
	}
	// The buffer is made on first use: many sockets only ever send, or
	// are closed before they read.
	s.rsize = size
	s.readFn = s.read
	s.writeFn = s.write
	s.iter = s.receiveIter
	return s, pid, nil
}

// bind binds fd to cfg's port ID and multicast groups and returns the port
// ID the kernel chose.
func bind(fd int, cfg *Config) (uint32, error) {
	sa := &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: cfg.Groups, Pid: cfg.PID}
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

// Close closes the socket. A goroutine blocked in Receive or Send returns
// with an error that matches os.ErrClosed; an operation started after Close
// fails with EBADF, as on any closed descriptor. Closing again does nothing.
func (s *sysSocket) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	if err := s.f.Close(); err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return os.NewSyscallError("close", err)
	}
	return nil
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
func (s *sysSocket) pollError(err error) error {
	if s.closed.Load() {
		return errClosed
	}
	return err
}

// closedSyscallError is the error of system call sc on the socket after
// Close: what the kernel says of a closed descriptor.
func closedSyscallError(sc string) error {
	return os.NewSyscallError(sc, unix.EBADF)
}

// Send sends one message; see SendMessages.
func (s *sysSocket) Send(m Message) error {
	return s.SendMessages([]Message{m})
}

// SendMessages sends msgs to the kernel in one datagram. Each header must
// hold the message's length, as Message.MarshalBinary requires; Data is cut
// or zero-padded to it. No messages make an empty datagram, which the
// kernel refuses.
func (s *sysSocket) SendMessages(msgs []Message) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.closed.Load() {
		return closedSyscallError("sendmsg")
	}

	b := s.wbuf[:0]
	for i := range msgs {
		l := int64(msgs[i].Header.Length)
		if l < headerLen || l%nlAlignTo != 0 {
			return errIncorrectMessageLength
		}
		// The kernel takes no datagram longer than the largest send
		// buffer, which is below MaxInt32; refusing earlier also keeps a
		// bogus Length from asking for gigabytes.
		if l > math.MaxInt32-int64(len(b)) {
			return fmt.Errorf("%d-byte message makes the datagram too large to send", l)
		}
		b = appendMessage(b, &msgs[i])
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
	err := s.rc.Write(s.writeFn)
	s.wiov.Base = nil
	if cap(b) <= maxKeptSendBuffer {
		s.wbuf = b[:0]
	} else {
		s.wbuf = nil
	}
	if err != nil {
		return s.pollError(err)
	}
	return s.werr
}

// write is the callback of rc.Write: it returns false to wait until the
// socket is writable.
func (s *sysSocket) write(fd uintptr) bool {
	for {
		_, err := sendmsg(int(fd), &s.wmsg, 0)
		switch err {
		case nil:
			return true
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return false
		}
		s.werr = os.NewSyscallError("sendmsg", err)
		return true
	}
}

// Receive reads one datagram and returns its messages. Their Data point
// into a slice made for this datagram alone.
func (s *sysSocket) Receive() ([]Message, error) {
	b, err := s.receive()
	if err != nil {
		return nil, err
	}
	return parseMessages(b)
}

// ReceiveIter reads one datagram and yields its messages one at a time.
// Each use of the sequence reads a new datagram.
func (s *sysSocket) ReceiveIter() iter.Seq2[Message, error] {
	return s.iter
}

// receiveIter is ReceiveIter's sequence.
func (s *sysSocket) receiveIter(yield func(Message, error) bool) {
	b, err := s.receive()
	if err != nil {
		yield(Message{}, err)
		return
	}
	for len(b) > 0 {
		m, rest, err := nextMessage(b)
		if err != nil {
			yield(Message{}, err)
			return
		}
		if !yield(m, nil) {
			return
		}
		b = rest
	}
}

// receive reads one datagram and returns a copy of it in a new slice of
// its exact size.
//
// It makes one system call per datagram, into the reused buffer, and copies
// the datagram out so that returned messages stay valid after the next
// receive. Asking for each datagram's size first (a peek) would double the
// system calls, and the kernel never sends a dump datagram larger than the
// default buffer. A larger datagram (a big unicast reply, or one from a
// user-space peer) does not fit and the kernel drops what does not fit;
// MSG_TRUNC reveals it, so receive reports the loss as an error, never
// silently, and grows the buffer so that the next such datagram fits.
func (s *sysSocket) receive() ([]byte, error) {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	if s.closed.Load() {
		return nil, closedSyscallError("recvmsg")
	}

	s.rb, s.rerr = nil, nil
	if err := s.rc.Read(s.readFn); err != nil {
		return nil, s.pollError(err)
	}
	b, err := s.rb, s.rerr
	s.rb, s.rerr = nil, nil
	return b, err
}

// read is the callback of rc.Read; see receive. It returns false to wait
// until the socket is readable.
func (s *sysSocket) read(fd uintptr) bool {
	if s.rbuf == nil {
		s.rbuf = make([]byte, s.rsize)
	}
	for {
		s.setRecvIov(s.rbuf)
		n, flags, err := s.recvmsg(int(fd), unix.MSG_TRUNC)
		s.setRecvIov(nil)
		switch err {
		case nil:
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return false
		default:
			s.rerr = os.NewSyscallError("recvmsg", err)
			return true
		}
		if n > len(s.rbuf) || flags&unix.MSG_TRUNC != 0 {
			s.rerr = &truncatedError{size: n, buf: len(s.rbuf)}
			s.rbuf = make([]byte, max(n, len(s.rbuf)))
			return true
		}
		b := make([]byte, n)
		copy(b, s.rbuf)
		s.rb = b
		return true
	}
}

// A truncatedError reports a datagram that did not fit the receive buffer
// and was lost.
type truncatedError struct {
	size, buf int
}

func (e *truncatedError) Error() string {
	return fmt.Sprintf("%d-byte datagram did not fit the %d-byte receive buffer and was lost", e.size, e.buf)
}

// setRecvIov points the receive msghdr at b, or at nothing when b is empty
// so that the buffer is not kept reachable through it.
func (s *sysSocket) setRecvIov(b []byte) {
	s.rmsg = unix.Msghdr{}
	s.riov = unix.Iovec{}
	if len(b) > 0 {
		s.riov.Base = &b[0]
		s.riov.SetLen(len(b))
		s.rmsg.Iov = &s.riov
		s.rmsg.SetIovlen(1)
	}
}

// recvmsg calls recvmsg(2) with the prepared msghdr and returns the length
// and the flags the kernel reported.
func (s *sysSocket) recvmsg(fd, flags int) (n, rflags int, err error) {
	s.nrecv++
	n, err = recvmsg(fd, &s.rmsg, flags)
	return n, int(s.rmsg.Flags), err
}
