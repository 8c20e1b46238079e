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
// descriptor is non-blocking and, once something has to wait (see
// poller_linux.go), wrapped in an *os.File, so reads and writes wait in the
// poller rather than in a thread, deadlines work, and Close wakes
// a goroutine blocked in Receive.
type sysSocket struct {
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
	// its result in rb and rerr for the caller to pick up. The socket
	// holds no receive buffer of its own (see recvarea_linux.go).
	rmu      sync.Mutex
	readFn   func(fd uintptr) bool     // s.read, made once
	iter     iter.Seq2[Message, error] // s.receiveIter, made once
	rmsg     unix.Msghdr
	riov     unix.Iovec
	rb       []byte // the datagram just read
	rerr     error  // the error of the read
	rnowait  bool   // return at once when nothing is queued
	peekOnly bool   // never use a receive area, for tests
	sizeErr  error  // fails every receive; see messageBufferSizeError
	nrecv    int    // recvmsg calls made, for tests

	// Control messages: wanted once PacketInfo or ListenAllNSID is on
	// (a bit per option), read into rctl, decoded into rinfo for the
	// datagram read, and kept in info for the datagram being yielded.
	cmsgWanted atomic.Uint32
	rctl       [64]byte
	rinfo      MessageInfo
	info       MessageInfo

	// The sender's address of the datagram read, which names the
	// multicast group it went to even with PacketInfo off; rmcast says
	// whether it went to one, and mcast keeps that for the datagram
	// being yielded (see datagramMulticast).
	rname  unix.RawSockaddrNetlink
	rmcast bool
	mcast  bool

	// Send state, guarded by wmu.
	wmu     sync.Mutex
	writeFn func(fd uintptr) bool // s.write, made once
	wmsg    unix.Msghdr
	wiov    unix.Iovec
	werr    error
	kernel  unix.RawSockaddrNetlink // destination of every send: port 0
}

// maxMessageBufferSize bounds Config.MessageBufferSize, so that a wrong
// value is an error from Dial rather than a failed allocation that ends the
// program. No kernel datagram comes near it.
const maxMessageBufferSize = 1 << 30

// maxKeptSendBuffer bounds the send buffers kept for reuse, so that one
// huge request does not pin its memory.
const maxKeptSendBuffer = 64 << 10

// sendBuffers pools the buffers requests are laid out in before sending:
// shared by all sockets, so that an idle socket holds none.
var sendBuffers = sync.Pool{New: func() any { return new([]byte) }}

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

	// Config.MessageBufferSize sizes nothing: every datagram up to 16 MiB
	// is received whole, into memory that no socket keeps. Only a
	// size too small for a message header is remembered, to fail receives.
	s := newSysSocket(fd)
	s.sizeErr = messageBufferSizeError(cfg.MessageBufferSize)
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
	if err := s.closeFD(); err != nil {
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

	bp := sendBuffers.Get().(*[]byte)
	b := (*bp)[:0]
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
	err := s.writeMsg()
	s.wiov.Base = nil
	if cap(b) <= maxKeptSendBuffer {
		*bp = b[:0]
		sendBuffers.Put(bp)
	}
	if err != nil {
		return s.pollError(err)
	}
	return s.werr
}

// writeMsg sends s.wmsg: directly while the socket is not registered with
// the poller and the kernel takes it at once, else through the poller.
func (s *sysSocket) writeMsg() error {
	done := false
	switch ran, closed := s.tryDirect(func(fd int) { done = s.write(uintptr(fd)) }); {
	case closed:
		return closedSyscallError("sendmsg")
	case ran && done:
		return nil
	}
	if err := s.arm(); err != nil {
		return err
	}
	return s.rc.Write(s.writeFn)
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
// into a slice made for this datagram alone. Conn does not use it: it reads
// through ReceiveIter.
func (s *sysSocket) Receive() ([]Message, error) {
	b, _, err := s.receive(true)
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
	b, err := s.receiveRaw()
	if err != nil {
		yield(Message{}, err)
		return
	}
	yieldMessages(b, yield)
}

// receiveRaw reads one datagram and returns it, keeping its MessageInfo
// for datagramInfo and whether it went to a multicast group for
// datagramMulticast.
func (s *sysSocket) receiveRaw() ([]byte, error) {
	b, meta, err := s.receive(true)
	if err != nil {
		return nil, err
	}
	s.info, s.mcast = meta.info, meta.multicast
	return b, nil
}

// datagramInfo returns the MessageInfo of the datagram whose messages
// ReceiveIter is yielding.
func (s *sysSocket) datagramInfo() MessageInfo {
	return s.info
}

// datagramMulticast reports whether the datagram whose messages
// ReceiveIter is yielding was sent to a multicast group.
func (s *sysSocket) datagramMulticast() bool {
	return s.mcast
}

// receive reads one datagram, whole up to 16 MiB at least (see
// recvarea_linux.go), and returns a copy of it in a new slice, so that
// returned messages stay valid after the next receive. Unless wait is set,
// it returns a nil slice and no error at once when no datagram is queued.
func (s *sysSocket) receive(wait bool) ([]byte, datagramMeta, error) {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	if s.closed.Load() {
		return nil, datagramMeta{}, closedSyscallError("recvmsg")
	}
	if s.sizeErr != nil {
		// Fail before reading, so that no datagram is lost.
		return nil, datagramMeta{}, s.sizeErr
	}

	s.rb, s.rerr, s.rnowait = nil, nil, true
	s.rinfo, s.rmcast = MessageInfo{NSID: -1}, false
	switch ran, closed := s.tryDirect(func(fd int) { s.read(uintptr(fd)) }); {
	case closed:
		return nil, datagramMeta{}, closedSyscallError("recvmsg")
	case ran && (s.rb != nil || s.rerr != nil || !wait):
		return s.took()
	}
	// Nothing was queued, and the caller waits: from now on, through
	// the poller.
	if err := s.arm(); err != nil {
		return nil, datagramMeta{}, err
	}
	s.rnowait = !wait
	// A read that does not wait goes through Control, which neither
	// waits nor looks at the read deadline: a drain must not fail for
	// a deadline that passed, nor wait for one.
	var err error
	if wait {
		err = s.rc.Read(s.readFn)
	} else {
		err = s.rc.Control(func(fd uintptr) { s.read(fd) })
	}
	if err != nil {
		return nil, datagramMeta{}, s.pollError(err)
	}
	return s.took()
}

// took returns what the read callback left, and forgets it.
func (s *sysSocket) took() ([]byte, datagramMeta, error) {
	b, err := s.rb, s.rerr
	s.rb, s.rerr = nil, nil
	return b, datagramMeta{s.rinfo, s.rmcast}, err
}

// receiveNow reads a datagram already queued, or returns nil at once.
func (s *sysSocket) receiveNow() ([]byte, datagramMeta, error) {
	return s.receive(false)
}

// read is the callback of rc.Read; see receive. It returns false to wait
// until the socket is readable.
func (s *sysSocket) read(fd uintptr) bool {
	var done bool
	if a := s.area(); a != nil {
		done = s.readArea(int(fd), a)
	} else {
		done = s.readPeek(int(fd))
	}
	if !done && s.rnowait {
		return true
	}
	return done
}

// area returns a receive area for the next read, or nil to peek.
func (s *sysSocket) area() *recvArea {
	if s.peekOnly {
		return nil
	}
	return getArea()
}

// readArea reads one datagram into the receive area a, which it gives back.
func (s *sysSocket) readArea(fd int, a *recvArea) bool {
	for {
		n, flags, err := s.recvmsg(fd, a.b, unix.MSG_TRUNC, true)
		switch err {
		case nil:
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			putArea(a, 0)
			return false
		default:
			putArea(a, 0)
			s.rerr = os.NewSyscallError("recvmsg", err)
			return true
		}
		if n > len(a.b) || flags&unix.MSG_TRUNC != 0 {
			// Larger than an area: the kernel dropped the rest of it
			// (see recvarea_linux.go).
			putArea(a, len(a.b))
			s.rerr = &truncatedError{size: n, buf: len(a.b)}
			return true
		}
		s.rb = copyDatagram(a.b[:n])
		putArea(a, n)
		return true
	}
}

// readPeek reads one datagram by peeking at it first; see
// recvarea_linux.go.
func (s *sysSocket) readPeek(fd int) bool {
	bp := peekBuffers.Get().(*[]byte)
	defer peekBuffers.Put(bp)
	buf := *bp
	for {
		n, _, err := s.recvmsg(fd, buf, unix.MSG_PEEK|unix.MSG_TRUNC, true)
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

		var b []byte
		into := []byte(nil) // a zero-length read takes the datagram off
		if n <= len(buf) {
			b = copyDatagram(buf[:n])
		} else {
			b = make([]byte, nlmsgAlign(n))
			into = b[:n]
		}
		got, _, err := s.recvmsg(fd, into, unix.MSG_TRUNC, false)
		for err == unix.EINTR {
			got, _, err = s.recvmsg(fd, into, unix.MSG_TRUNC, false)
		}
		switch {
		case err != nil:
			s.rerr = os.NewSyscallError("recvmsg", err)
		case got != n:
			// Only another reader of the same descriptor, in
			// another process, could have taken the peeked datagram.
			s.rerr = fmt.Errorf("the %d-byte datagram peeked at was taken by another reader; read a %d-byte one instead", n, got)
		default:
			s.rb = b
		}
		return true
	}
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
// kernel reported. With control set, it also notes in s.rmcast whether the
// datagram went to a multicast group and, with PacketInfo or ListenAllNSID
// on, decodes the datagram's control messages into s.rinfo.
func (s *sysSocket) recvmsg(fd int, b []byte, flags int, control bool) (n, rflags int, err error) {
	s.nrecv++
	s.rmsg = unix.Msghdr{}
	s.riov = unix.Iovec{}
	if len(b) > 0 {
		s.riov.Base = &b[0]
		s.riov.SetLen(len(b))
		s.rmsg.Iov = &s.riov
		s.rmsg.SetIovlen(1)
	}
	meta := control
	if meta {
		s.rname = unix.RawSockaddrNetlink{}
		s.rmsg.Name = (*byte)(unsafe.Pointer(&s.rname))
		s.rmsg.Namelen = unix.SizeofSockaddrNetlink
	}
	control = control && s.cmsgWanted.Load() != 0
	if control {
		s.rmsg.Control = &s.rctl[0]
		s.rmsg.SetControllen(len(s.rctl))
	}
	n, err = recvmsg(fd, &s.rmsg, flags)
	rflags = int(s.rmsg.Flags)
	// Keep no pointer to b: it may be a pooled buffer or an area.
	s.riov.Base = nil
	if control && err == nil {
		s.rinfo = parseControl(s.rctl[:min(int(s.rmsg.Controllen), len(s.rctl))])
	}
	if meta && err == nil {
		// The kernel names groups 1 to 32 in the address; PacketInfo
		// tells any group.
		s.rmcast = s.rname.Groups != 0 || s.rinfo.Group != 0
	}
	return n, rflags, err
}

// parseControl decodes the control messages of a netlink datagram.
func parseControl(b []byte) MessageInfo {
	info := MessageInfo{NSID: -1}
	cmsgs, err := unix.ParseSocketControlMessage(b)
	if err != nil {
		return info
	}
	for _, cm := range cmsgs {
		if cm.Header.Level != unix.SOL_NETLINK || len(cm.Data) < 4 {
			continue
		}
		switch cm.Header.Type {
		case unix.NETLINK_PKTINFO:
			info.Group = native.Uint32(cm.Data)
		case unix.NETLINK_LISTEN_ALL_NSID:
			info.NSID = int(int32(native.Uint32(cm.Data)))
		}
	}
	return info
}
