package netlink

import (
	"context"
	"errors"
	"iter"
	"math/rand/v2"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/net/bpf"
)

// A Socket is the transport under a Conn. Dial uses an AF_NETLINK socket on
// Linux; NewConn accepts any implementation, such as the fake one in package
// nltest.
//
// A Conn reads a Socket only through ReceiveIter, each use of which yields
// the messages of one datagram; it never calls Receive. Send and
// SendMessages may be called while another goroutine is inside
// ReceiveIter, and Close must end such a call.
//
// Deprecated: a Socket can only exchange messages, so a Conn built on one
// with NewConn loses deadlines, options, filters and most of its other
// methods; it is kept so that existing code builds. Use the Conn returned
// by Dial, and package nltest for tests.
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
	//
	// Deprecated: setting it changes nothing; leave it unset.
	DisableNSLockThread bool

	// PID binds the socket to this port ID. Zero lets the kernel choose.
	PID uint32

	// Strict turns on ExtendedAcknowledge and GetStrictCheck, and makes
	// Dial fail if the kernel refuses either.
	Strict bool

	// MessageBufferSize is accepted for compatibility. It sizes nothing:
	// every datagram up to 16 MiB is received whole, into memory that the
	// Conn does not keep between reads, and received messages never point
	// into it; a larger one is reported as an error (see the package
	// documentation). This differs from v1.11.2 on purpose: there, a
	// datagram larger than MessageBufferSize is reported as truncated and
	// lost, and no size is right for every reply (a dump or an error
	// acknowledgement can exceed any guess).
	//
	// As in v1.11.2, a size from 1 to 15, too small for a message header,
	// makes every receive fail (an *OpError of Op "receive") without
	// reading, so nothing queued is lost; Dial still succeeds. Zero or
	// less means unset. A value above 1 GiB is refused by Dial.
	MessageBufferSize int

	// CheckDumpInterrupted makes Receive, ReceiveIter and Execute report
	// a dump whose contents changed while it was read, with
	// ErrDumpInterrupted; see there. The ConnOption of the same name
	// does the same on any Conn.
	CheckDumpInterrupted bool
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

	// CheckDumpInterrupted is no socket option: Conn.SetOption handles
	// it itself, for any Socket, as Config.CheckDumpInterrupted does.
	CheckDumpInterrupted
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

// A Conn is a netlink connection: requests go out through Send and Execute,
// replies and multicast messages come back through Receive and ReceiveIter.
//
// A Conn is safe for concurrent use, with the guarantees of the original
// package: Execute holds the Conn's receiving side from its Send to the end
// of its reply, so that no other goroutine's Receive, ReceiveIter or Execute
// can take its reply (Execute therefore waits while another goroutine is
// blocked in Receive); concurrent Receive and ReceiveIter calls each get
// whole replies; and Send and SendMessages take no receiving lock, so a
// goroutine blocked in Receive never delays another's Send.
//
// After a failed exchange (a deadline, ENOBUFS or a malformed datagram in
// the middle of a reply, a ReceiveIter loop left early) the Conn stays in
// step: a later Execute gets its own complete reply, never what is left of
// an earlier one.
type Conn struct {
	sock   Socket
	pid    uint32
	family int // the netlink family, or -1 when unknown (NewConn)

	// seq is the last sequence number handed out; it starts at random.
	seq atomic.Uint32

	// rx is the receiving side. A pointer keeps Conn comparable, as
	// it was in the original package.
	rx *receiver
}

// Dial opens a netlink socket of the given family (unix.NETLINK_ROUTE,
// unix.NETLINK_GENERIC, ...) configured by config, which may be nil.
func Dial(family int, config *Config) (*Conn, error) {
	if config == nil {
		config = &Config{}
	}
	sock, pid, err := dial(family, config)
	if err != nil {
		return nil, err
	}
	if config.Strict {
		if err := enableStrict(sock); err != nil {
			_ = sock.Close()
			return nil, err
		}
	}
	c := newConn(sock, pid, family)
	c.rx.checkIntr.Store(config.CheckDumpInterrupted)
	return c, nil
}

// enableStrict turns on the options Config.Strict asks for.
func enableStrict(sock Socket) error {
	s, ok := sock.(optionSetter)
	if !ok {
		return unsupported("set-option")
	}
	for _, o := range [...]ConnOption{ExtendedAcknowledge, GetStrictCheck} {
		if err := s.SetOption(o, true); err != nil {
			return &OpError{Op: "set-option", Err: err}
		}
	}
	return nil
}

// NewConn returns a Conn speaking over sock, whose netlink port ID is pid.
// It is how tests and other transports (see package nltest) plug in.
func NewConn(sock Socket, pid uint32) *Conn {
	return newConn(sock, pid, -1)
}

func newConn(sock Socket, pid uint32, family int) *Conn {
	c := &Conn{sock: sock, pid: pid, family: family, rx: new(receiver)}
	c.seq.Store(rand.Uint32())
	c.rx.iter = c.receiveIter
	c.rx.raw, _ = sock.(rawSocket)
	c.rx.dgram, _ = sock.(datagramSocket)
	c.rx.mcast, _ = sock.(multicastSocket)
	return c
}

// Close closes the connection and unblocks a Receive waiting on it. Later
// operations fail; closing again does nothing.
func (c *Conn) Close() error {
	err := c.sock.Close()
	if debugger != nil {
		debugger.flush()
	}
	return opError("close", err)
}

// PID returns the netlink port ID of the connection.
func (c *Conn) PID() uint32 { return c.pid }

// Execute sends m, receives the whole reply and checks with Validate that it
// answers m. No other goroutine's Receive, ReceiveIter or Execute can take
// the reply: Execute holds the Conn's receiving side throughout, and so
// waits while another goroutine is blocked in Receive. Leftovers of earlier
// exchanges of this Conn that failed midway are passed over (see Conn).
//
// On a Conn that listens to multicast groups, a notification that arrives
// before the reply or between its datagrams is not taken for the reply: it
// is set aside, with its datagram's MessageInfo, and the next Receive,
// ReceiveIter or ReceiveWithInfo returns it, in the order of arrival. A
// datagram sent to a multicast group is never the reply, whatever its
// messages' headers say (a notification caused by the Conn's own request
// carries the request's sequence number and the Conn's port ID); the group
// is known for groups 1 to 32, and for any group with PacketInfo on.
// Otherwise, a message of the family (not an Error or Done) is set aside
// when its sequence number is not the request's and is zero or comes with
// another port's PID. At most 4 MiB of
// messages is kept: past that, later ones are dropped and the next receive
// fails with ENOBUFS, as when the kernel's queue overflows, before it
// returns what was kept.
func (c *Conn) Execute(m Message) ([]Message, error) {
	return c.execute(context.Background(), m)
}

// execute is Execute and ExecuteContext.
func (c *Conn) execute(ctx context.Context, m Message) ([]Message, error) {
	rx := c.rx
	rx.mu.Lock()
	defer rx.mu.Unlock()
	w, err := c.startExchange(ctx, &m)
	if err != nil {
		return nil, err
	}
	replies, err := c.collectFor(&m, w)
	w.stop()
	return replies, err
}

// startExchange begins an Execute of *m: it drains what abandoned
// exchanges left (see receiver), starts watching ctx, and sends *m, filled
// in place as Send fills it. c.rx.mu must be held.
func (c *Conn) startExchange(ctx context.Context, m *Message) (*ctxWatch, error) {
	if c.rx.dirty {
		c.drain()
	}
	w, err := c.watch(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.send(m); err != nil {
		w.stop()
		return nil, err
	}
	return w, nil
}

// Send sends m and returns it as sent: a zero Header.Length is replaced by
// the message's length, a zero Sequence by the Conn's next sequence number
// and a zero PID by the Conn's port ID.
func (c *Conn) Send(m Message) (Message, error) {
	if err := c.send(&m); err != nil {
		return Message{}, err
	}
	return m, nil
}

// send fills *m as Send does, in place, and sends it.
func (c *Conn) send(m *Message) error {
	c.fill(m)
	if err := c.sock.Send(*m); err != nil {
		return &OpError{Op: "send", Err: err}
	}
	if debugger != nil {
		debugger.log(c.family, debugSend, []Message{*m})
	}
	return nil
}

// SendMessages fills each message as Send does and sends them all in one
// write. It returns the messages as sent; msgs itself is not modified.
func (c *Conn) SendMessages(msgs []Message) ([]Message, error) {
	filled := make([]Message, len(msgs))
	for i := range msgs {
		filled[i] = msgs[i]
		c.fill(&filled[i])
	}
	if err := c.sock.SendMessages(filled); err != nil {
		return nil, &OpError{Op: "send-messages", Err: err}
	}
	if debugger != nil {
		debugger.log(c.family, debugSend, filled)
	}
	return filled, nil
}

// fill sets the zero fields of m's header that Send fills.
func (c *Conn) fill(m *Message) {
	if m.Header.Length == 0 {
		m.Header.Length = uint32(nlmsgAlign(headerLen + len(m.Data)))
	}
	if m.Header.Sequence == 0 {
		m.Header.Sequence = c.nextSequence()
	}
	c.rx.lastSent.Store(m.Header.Sequence)
	if m.Header.PID == 0 {
		m.Header.PID = c.pid
	}
}

// nextSequence returns a new sequence number, never zero: a zero sequence
// means "none" to Validate.
func (c *Conn) nextSequence() uint32 {
	for {
		if s := c.seq.Add(1); s != 0 {
			return s
		}
	}
}

// JoinGroup joins the multicast group with the given number.
func (c *Conn) JoinGroup(group uint32) error {
	s, ok := c.sock.(groupJoiner)
	if !ok {
		return unsupported("join-group")
	}
	return opError("join-group", s.JoinGroup(group))
}

// LeaveGroup leaves the multicast group with the given number.
func (c *Conn) LeaveGroup(group uint32) error {
	s, ok := c.sock.(groupJoiner)
	if !ok {
		return unsupported("leave-group")
	}
	return opError("leave-group", s.LeaveGroup(group))
}

// SetBPF attaches a classic BPF program that filters received messages.
func (c *Conn) SetBPF(filter []bpf.RawInstruction) error {
	s, ok := c.sock.(bpfSetter)
	if !ok {
		return unsupported("set-bpf")
	}
	return opError("set-bpf", s.SetBPF(filter))
}

// RemoveBPF detaches the BPF program set by SetBPF.
func (c *Conn) RemoveBPF() error {
	s, ok := c.sock.(bpfSetter)
	if !ok {
		return unsupported("remove-bpf")
	}
	return opError("remove-bpf", s.RemoveBPF())
}

// SetOption turns a socket option on or off. The kernel's refusal comes
// back as an *OpError wrapping its errno.
func (c *Conn) SetOption(option ConnOption, enable bool) error {
	if option == CheckDumpInterrupted {
		c.rx.checkIntr.Store(enable)
		return nil
	}
	s, ok := c.sock.(optionSetter)
	if !ok {
		return unsupported("set-option")
	}
	return opError("set-option", s.SetOption(option, enable))
}

// SetReadBuffer sets the size of the socket's receive buffer.
func (c *Conn) SetReadBuffer(bytes int) error {
	s, ok := c.sock.(bufferSetter)
	if !ok {
		return unsupported("set-read-buffer")
	}
	return opError("set-read-buffer", s.SetReadBuffer(bytes))
}

// SetWriteBuffer sets the size of the socket's send buffer.
func (c *Conn) SetWriteBuffer(bytes int) error {
	s, ok := c.sock.(bufferSetter)
	if !ok {
		return unsupported("set-write-buffer")
	}
	return opError("set-write-buffer", s.SetWriteBuffer(bytes))
}

// ReadBuffer returns the size of the socket's receive buffer.
func (c *Conn) ReadBuffer() (int, error) {
	s, ok := c.sock.(bufferSetter)
	if !ok {
		return 0, unsupported("get-read-buffer")
	}
	n, err := s.ReadBuffer()
	return n, opError("get-read-buffer", err)
}

// WriteBuffer returns the size of the socket's send buffer.
func (c *Conn) WriteBuffer() (int, error) {
	s, ok := c.sock.(bufferSetter)
	if !ok {
		return 0, unsupported("get-write-buffer")
	}
	n, err := s.WriteBuffer()
	return n, opError("get-write-buffer", err)
}

// SetDeadline sets the read and write deadlines; see net.Conn. The read
// deadline works with context-aware calls as SetReadDeadline says.
func (c *Conn) SetDeadline(t time.Time) error {
	s, ok := c.sock.(deadlineSetter)
	if !ok {
		return unsupported("set-deadline")
	}
	return opError("set-deadline", c.rx.deadlines.setBoth(s, t))
}

// SetReadDeadline sets the deadline of Receive and ReceiveIter, and of
// Execute's wait for its reply.
//
// It may be called at any time, also while a context-aware call
// (ExecuteContext, ReceiveContext, ExecuteIterContext) is blocked in
// another goroutine: that call still ends within milliseconds of its
// context's end, whatever deadline is set meanwhile, and until it returns
// the earlier of this deadline and the context's applies. Once it has
// returned, the deadline set last is the one in force.
func (c *Conn) SetReadDeadline(t time.Time) error {
	s, ok := c.sock.(deadlineSetter)
	if !ok {
		return unsupported("set-read-deadline")
	}
	return opError("set-read-deadline", c.rx.deadlines.setRead(s, t))
}

// SetWriteDeadline sets the deadline of Send and SendMessages.
func (c *Conn) SetWriteDeadline(t time.Time) error {
	s, ok := c.sock.(deadlineSetter)
	if !ok {
		return unsupported("set-write-deadline")
	}
	return opError("set-write-deadline", s.SetWriteDeadline(t))
}

// SyscallConn returns the raw connection under the socket, for options this
// package does not wrap. The socket's error is returned as it is.
func (c *Conn) SyscallConn() (syscall.RawConn, error) {
	s, ok := c.sock.(syscallConner)
	if !ok {
		return nil, unsupported("syscall-conn")
	}
	return s.SyscallConn()
}

// opError wraps err, an error of the socket, as the *OpError of the Conn's
// operation op; nil stays nil. The socket's error is wrapped whatever it is,
// even an *OpError of its own, so that Op always names the Conn method.
func opError(op string, err error) error {
	if err == nil {
		return nil
	}
	return &OpError{Op: op, Err: err}
}

// unsupported is the error of an operation that the Conn's Socket cannot do,
// such as setting a deadline on the fake socket of package nltest. It
// matches errors.ErrUnsupported. Failing loudly, rather than pretending to
// succeed, keeps a test from passing while believing that a filter, a
// deadline or an option is in effect.
func unsupported(op string) error {
	return &OpError{Op: op, Err: errNotSupported{}}
}

// errNotSupported is the error of an operation a Socket does not have.
type errNotSupported struct{}

func (errNotSupported) Error() string { return "operation not supported" }

// Is makes the error match errors.ErrUnsupported, whose own text differs.
func (errNotSupported) Is(target error) bool { return target == errors.ErrUnsupported }
