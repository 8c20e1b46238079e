//go:build linux

package nlsock

import (
	"errors"
	"os"
	"syscall"
	"time"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// The socket options, deadlines and raw access of a Socket. Every
// operation runs as a direct system call or through the file's RawConn (see
// poller_linux.go), so none of them can race with Close and reach a
// descriptor number that was closed and reused.

// control runs fn on the socket's descriptor and returns its error; sc
// names the system call fn makes, for the error after Close.
func (s *Socket) control(sc string, fn func(fd int) error) error {
	if s.closed.Load() {
		return ClosedError(sc)
	}
	var ferr error
	switch ran, closed := s.tryDirect(func(fd int) { ferr = fn(fd) }); {
	case closed:
		return ClosedError(sc)
	case ran:
		return ferr
	}
	if err := s.rc.Control(func(fd uintptr) { ferr = fn(int(fd)) }); err != nil {
		if s.closed.Load() {
			return ClosedError(sc)
		}
		return err
	}
	return ferr
}

// setsockoptInt sets an integer socket option.
func (s *Socket) setsockoptInt(level, opt, value int) error {
	return s.control("setsockopt", func(fd int) error {
		return os.NewSyscallError("setsockopt", unix.SetsockoptInt(fd, level, opt, value))
	})
}

// getsockoptInt reads an integer socket option.
func (s *Socket) getsockoptInt(level, opt int) (int, error) {
	var v int
	err := s.control("getsockopt", func(fd int) error {
		var err error
		v, err = unix.GetsockoptInt(fd, level, opt)
		return os.NewSyscallError("getsockopt", err)
	})
	return v, err
}

// SetOption turns the SOL_NETLINK option opt (a NETLINK_* number) on or
// off. The kernel's refusal comes back as the *os.SyscallError of
// setsockopt.
func (s *Socket) SetOption(opt int, enable bool) error {
	v := 0
	if enable {
		v = 1
	}
	if err := s.setsockoptInt(unix.SOL_NETLINK, opt, v); err != nil {
		return err
	}
	// The options that make the kernel attach control messages.
	var bit uint32
	switch opt {
	case unix.NETLINK_PKTINFO:
		bit = 1
	case unix.NETLINK_LISTEN_ALL_NSID:
		bit = 2
	}
	if enable {
		s.cmsgWanted.Or(bit)
	} else {
		s.cmsgWanted.And(^bit)
	}
	return nil
}

// JoinGroup joins the multicast group with the given number (not a bit
// mask, unlike Config.Groups).
func (s *Socket) JoinGroup(group uint32) error {
	return s.setsockoptInt(unix.SOL_NETLINK, unix.NETLINK_ADD_MEMBERSHIP, int(group))
}

// LeaveGroup leaves the multicast group with the given number.
func (s *Socket) LeaveGroup(group uint32) error {
	return s.setsockoptInt(unix.SOL_NETLINK, unix.NETLINK_DROP_MEMBERSHIP, int(group))
}

// SetBPF attaches a classic BPF program that filters the datagrams the
// socket receives, replacing any earlier one.
func (s *Socket) SetBPF(filter []bpf.RawInstruction) error {
	// The kernel refuses an empty program and counts instructions in 16
	// bits; refuse here as it would, rather than pass a truncated length.
	if len(filter) == 0 || len(filter) > 0xffff {
		return os.NewSyscallError("setsockopt", unix.EINVAL)
	}
	prog := make([]unix.SockFilter, len(filter))
	for i, ins := range filter {
		prog[i] = unix.SockFilter{Code: ins.Op, Jt: ins.Jt, Jf: ins.Jf, K: ins.K}
	}
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	return s.control("setsockopt", func(fd int) error {
		return os.NewSyscallError("setsockopt", unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &fprog))
	})
}

// RemoveBPF detaches the socket's BPF program. It fails (ENOENT) when there
// is none.
func (s *Socket) RemoveBPF() error {
	return s.setsockoptInt(unix.SOL_SOCKET, unix.SO_DETACH_FILTER, 0)
}

// SetReadBuffer sets the socket's receive buffer size. The kernel doubles
// the value for its bookkeeping. A privileged caller (CAP_NET_ADMIN) gets
// the size asked for through SO_RCVBUFFORCE, as a busy multicast listener
// may need more than net.core.rmem_max; any other gets SO_RCVBUF, capped
// at rmem_max.
func (s *Socket) SetReadBuffer(bytes int) error {
	return s.setBuffer(unix.SO_RCVBUFFORCE, unix.SO_RCVBUF, bytes)
}

// SetWriteBuffer sets the socket's send buffer size, which also bounds the
// size of one sent datagram, as SetReadBuffer does with SO_SNDBUFFORCE and
// SO_SNDBUF.
func (s *Socket) SetWriteBuffer(bytes int) error {
	return s.setBuffer(unix.SO_SNDBUFFORCE, unix.SO_SNDBUF, bytes)
}

// setBuffer sets a buffer size with the option force, or with capped when
// the caller lacks the privilege force needs.
func (s *Socket) setBuffer(force, capped, bytes int) error {
	err := s.setsockoptInt(unix.SOL_SOCKET, force, bytes)
	if errors.Is(err, unix.EPERM) {
		err = s.setsockoptInt(unix.SOL_SOCKET, capped, bytes)
	}
	return err
}

// ReadBuffer returns the receive buffer size as the kernel reports it.
func (s *Socket) ReadBuffer() (int, error) {
	return s.getsockoptInt(unix.SOL_SOCKET, unix.SO_RCVBUF)
}

// WriteBuffer returns the send buffer size as the kernel reports it.
func (s *Socket) WriteBuffer() (int, error) {
	return s.getsockoptInt(unix.SOL_SOCKET, unix.SO_SNDBUF)
}

// SetDeadline sets the read and write deadlines. A RecvDatagram or
// SendDatagram waiting past it fails with an error matching
// os.ErrDeadlineExceeded.
func (s *Socket) SetDeadline(t time.Time) error {
	return s.deadline(t, (*os.File).SetDeadline)
}

// SetReadDeadline sets the deadline of RecvDatagram.
func (s *Socket) SetReadDeadline(t time.Time) error {
	return s.deadline(t, (*os.File).SetReadDeadline)
}

// SetWriteDeadline sets the deadline of SendDatagram.
func (s *Socket) SetWriteDeadline(t time.Time) error {
	return s.deadline(t, (*os.File).SetWriteDeadline)
}

// deadline sets deadline t with set, one of the file's deadline setters,
// registering the socket with the poller first (see poller_linux.go). A
// socket that is not registered never had a deadline, so clearing one
// needs nothing. After Close it fails with errClosed, whose text is the
// one *os.File gives.
func (s *Socket) deadline(t time.Time, set func(*os.File, time.Time) error) error {
	if t.IsZero() && !s.armed.Load() && !s.closed.Load() {
		return nil
	}
	err := s.arm()
	if err == nil {
		err = set(s.f, t)
	}
	if err == nil {
		return nil
	}
	if s.closed.Load() {
		return errClosed
	}
	return err
}

// SyscallConn gives raw access to the socket's descriptor, for options
// this package does not cover.
func (s *Socket) SyscallConn() (syscall.RawConn, error) {
	if s.closed.Load() {
		return nil, ClosedError("syscallconn")
	}
	// Whatever is done through it may wait in the poller.
	if err := s.arm(); err != nil {
		return nil, ClosedError("syscallconn")
	}
	return s.rc, nil
}
