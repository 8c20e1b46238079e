package netlink

import (
	"iter"
	"syscall"
	"time"

	"golang.org/x/net/bpf"
)

// A Socket is the transport under a Conn. Dial uses an AF_NETLINK socket on
// Linux; NewConn accepts any implementation, such as the fake one in package
// nltest.
type Socket interface {
	Close() error
	Send(m Message) error
	SendMessages(m []Message) error
	Receive() ([]Message, error)
	ReceiveIter() iter.Seq2[Message, error]
}

// A Config configures a Conn made by Dial. The zero value, or a nil *Config,
// is a sensible default.
type Config struct {
	// Groups is a bitmask of multicast groups joined when the socket is
	// bound. Use Conn.JoinGroup for groups above 32.
	Groups uint32

	// NetNS is a file descriptor of a network namespace to create the
	// socket in. Zero means the namespace of the calling thread.
	NetNS int

	// DisableNSLockThread is kept for compatibility and has no effect: the
	// socket is created on a locked thread that is always restored.
	DisableNSLockThread bool

	// PID binds the socket to this port ID. Zero lets the kernel choose.
	PID uint32

	// Strict turns on ExtendedAcknowledge and GetStrictCheck, and makes
	// Dial fail if the kernel refuses either.
	Strict bool

	// MessageBufferSize, when positive, receives into one reused buffer of
	// that size.
	MessageBufferSize int
}

// A ConnOption is a boolean socket option set with Conn.SetOption.
type ConnOption int

// Socket options; each maps to the NETLINK_* option of the same meaning.
const (
	PacketInfo ConnOption = iota
	BroadcastError
	NoENOBUFS
	ListenAllNSID
	CapAcknowledge
	ExtendedAcknowledge
	GetStrictCheck
)

// Optional capabilities of a Socket. Conn's methods of the same names use
// them when the Socket has them.
type (
	groupJoiner interface {
		JoinGroup(group uint32) error
		LeaveGroup(group uint32) error
	}
	bpfSetter interface {
		SetBPF(filter []bpf.RawInstruction) error
		RemoveBPF() error
	}
	deadlineSetter interface {
		SetDeadline(t time.Time) error
		SetReadDeadline(t time.Time) error
		SetWriteDeadline(t time.Time) error
	}
	optionSetter interface {
		SetOption(option ConnOption, enable bool) error
	}
	bufferSetter interface {
		SetReadBuffer(bytes int) error
		SetWriteBuffer(bytes int) error
		ReadBuffer() (int, error)
		WriteBuffer() (int, error)
	}
	syscallConner interface {
		SyscallConn() (syscall.RawConn, error)
	}
)
