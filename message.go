package netlink

import (
	"encoding/binary"
	"math"
	"strconv"

	"github.com/mdlayher/netlink/internal/nlmsg"
)

// native is the byte order of the host, which netlink uses on the wire.
var native = binary.NativeEndian

// A HeaderType is the type of a netlink message. Values below 0x10 are
// reserved for the control messages defined here; families define their own.
type HeaderType uint16

// Control message types shared by every netlink family.
const (
	// Noop asks the receiver to ignore the message.
	Noop HeaderType = 0x1

	// Error carries an error code, or zero for an acknowledgement.
	Error HeaderType = 0x2

	// Done ends a multi-part message.
	Done HeaderType = 0x3

	// Overrun reports that data was lost.
	Overrun HeaderType = 0x4
)

// String returns the name of a control message type, or "unknown(N)".
func (t HeaderType) String() string {
	switch t {
	case Noop:
		return "noop"
	case Error:
		return "error"
	case Done:
		return "done"
	case Overrun:
		return "overrun"
	}
	return "unknown(" + strconv.FormatUint(uint64(t), 10) + ")"
}

// HeaderFlags are the flags of a netlink message header.
type HeaderFlags uint16

// Flags that apply to any request or reply.
const (
	// Request marks a message as a request.
	Request HeaderFlags = 0x1

	// Multi marks one part of a multi-part reply, ended by Done.
	Multi HeaderFlags = 0x2

	// Acknowledge asks the receiver to reply with an acknowledgement.
	Acknowledge HeaderFlags = 0x4

	// Echo asks the kernel to echo the request back.
	Echo HeaderFlags = 0x8

	// DumpInterrupted reports that a dump changed while it was read and may
	// be inconsistent.
	DumpInterrupted HeaderFlags = 0x10

	// DumpFiltered reports that a dump was filtered as requested.
	DumpFiltered HeaderFlags = 0x20
)

// Modifiers of GET requests.
const (
	// Root returns the whole table rather than one entry.
	Root HeaderFlags = 0x100

	// Match returns every entry that matches the request.
	Match HeaderFlags = 0x200

	// Atomic asks for an atomic snapshot of the table.
	Atomic HeaderFlags = 0x400

	// Dump is the usual flag set of a dump request.
	Dump HeaderFlags = Root | Match
)

// Modifiers of NEW requests.
const (
	// Replace replaces an existing object.
	Replace HeaderFlags = 0x100

	// Excl fails if the object already exists.
	Excl HeaderFlags = 0x200

	// Create creates the object if it does not exist.
	Create HeaderFlags = 0x400

	// Append adds to the end of a list.
	Append HeaderFlags = 0x800
)

// Modifiers of acknowledgements (Error messages).
const (
	// Capped reports that the echoed request was cut to its header.
	Capped HeaderFlags = 0x100

	// AcknowledgeTLVs reports that extended acknowledgement attributes
	// follow the echoed request.
	AcknowledgeTLVs HeaderFlags = 0x200
)

// flagNames holds the names of the low flags, in bit order.
var flagNames = [...]string{
	"request",
	"multi",
	"acknowledge",
	"echo",
	"dumpinterrupted",
	"dumpfiltered",
}

// String names the low flags in bit order, joined by "|", and appends any
// other bits as one hexadecimal value. The modifier bits have no names
// because their meaning depends on the request.
func (f HeaderFlags) String() string {
	if f == 0 {
		return "0"
	}
	var (
		buf [96]byte
		b   = buf[:0]
	)
	for i, name := range flagNames {
		if f&(1<<i) == 0 {
			continue
		}
		if len(b) > 0 {
			b = append(b, '|')
		}
		b = append(b, name...)
	}
	if rest := f &^ (1<<len(flagNames) - 1); rest != 0 {
		if len(b) > 0 {
			b = append(b, '|')
		}
		b = append(b, "0x"...)
		b = strconv.AppendUint(b, uint64(rest), 16)
	}
	return string(b)
}

// A Header is the fixed part of every netlink message.
type Header struct {
	// Length of the whole message, header included. Send fills a zero value.
	Length uint32

	// Type of the message: a control type or one of the family's own.
	Type HeaderType

	// Flags that modify the request or describe the reply.
	Flags HeaderFlags

	// Sequence number that pairs replies with their request. Send fills a
	// zero value.
	Sequence uint32

	// PID is the port ID of the sender. Send fills a zero value with the
	// Conn's port ID.
	PID uint32
}

// A Message is one netlink message: a Header and its payload.
type Message struct {
	Header Header
	Data   []byte
}

// MarshalBinary encodes m. Header.Length must already hold the size of the
// whole message, aligned to four bytes, and at most math.MaxInt32, the most
// any kernel takes; Data is cut or zero-padded to fit.
func (m Message) MarshalBinary() ([]byte, error) {
	// Checked as a uint32: converted first, a Length of 2^31 or more
	// would be negative on 32-bit systems and huge on the others.
	if m.Header.Length < headerLen || m.Header.Length > math.MaxInt32 || m.Header.Length%nlAlignTo != 0 {
		return nil, errIncorrectMessageLength
	}
	l := int(m.Header.Length)
	b := make([]byte, l)
	m.put(b)
	return b, nil
}

// put writes m into b, which must be exactly Header.Length bytes long.
func (m *Message) put(b []byte) {
	native.PutUint32(b[0:4], m.Header.Length)
	native.PutUint16(b[4:6], uint16(m.Header.Type))
	native.PutUint16(b[6:8], uint16(m.Header.Flags))
	native.PutUint32(b[8:12], m.Header.Sequence)
	native.PutUint32(b[12:16], m.Header.PID)
	copy(b[headerLen:], m.Data)
}

// UnmarshalBinary decodes one message from b. Data aliases b.
func (m *Message) UnmarshalBinary(b []byte) error {
	if len(b) < headerLen {
		return errShortMessage
	}
	if len(b)%nlAlignTo != 0 {
		return errUnalignedMessage
	}
	// The Length is stored even when it is then found wrong, as callers
	// may look at it to see why the message was refused.
	l := native.Uint32(b[0:4])
	m.Header.Length = l
	if l < headerLen || uint64(l) > uint64(len(b)) {
		return errShortMessage
	}
	decodeHeader(&m.Header, b)
	m.Data = b[headerLen:l:l] // appending must not overwrite b
	return nil
}

// decodeHeader decodes the header at the start of b, which holds at least
// headerLen bytes, into h. Storing each field in place, rather than copying
// a Header built on the stack, keeps the hot paths free of a wide load that
// would wait for five narrow stores.
func decodeHeader(h *Header, b []byte) {
	_ = b[headerLen-1] // one bounds check for all fields
	h.Length = native.Uint32(b[0:4])
	h.Type = HeaderType(native.Uint16(b[4:6]))
	h.Flags = HeaderFlags(native.Uint16(b[6:8]))
	h.Sequence = native.Uint32(b[8:12])
	h.PID = native.Uint32(b[12:16])
}

// moreMessages reports whether b, the rest of a datagram after the
// messages read from it so far, holds another message: see nlmsg.More.
// Datagrams are read into a buffer padded to 4 bytes, so b is aligned: a
// tail of 13 to 15 bytes becomes 16, a header (as in v1.11.2), which the
// rule for missing padding accepts when its Length is 16.
//
// moreMessages and nextMessage are the one walker over a datagram's
// messages, whose rule is nlmsg's: every parser of datagrams (the receive
// loop, parseMessages, yieldMessages, nltest.Datagram) goes through them
// or through nlmsg itself.
func moreMessages(b []byte) bool {
	return nlmsg.More(b)
}

// parseMessages splits a datagram into its messages. A message whose Length
// is not aligned is accepted (some families send them); the next one starts
// at the aligned offset. A tail too short for a header is ignored (see
// moreMessages). Data aliases b.
func parseMessages(b []byte) ([]Message, error) {
	// Counted first, for a result made to measure.
	n := 0
	for rest := b; moreMessages(rest); n++ {
		_, next, err := nlmsg.Next(rest)
		if err != nil {
			return nil, err
		}
		rest = rest[next:]
	}
	msgs := make([]Message, n)
	for i := range msgs {
		b, _ = nextMessage(b, &msgs[i])
	}
	return msgs, nil
}

// nextMessage decodes the message at the start of b into *m and returns the
// rest of b after it. It stores into *m rather than return a Message, which
// would be built on the stack and copied: see decodeHeader.
func nextMessage(b []byte, m *Message) ([]byte, error) {
	l, next, err := nlmsg.Next(b)
	if err != nil {
		return nil, err
	}
	decodeHeader(&m.Header, b)
	m.Data = b[headerLen:l:l]
	return b[next:], nil
}

// yieldMessages yields the messages of the datagram b, or the error of a
// malformed one after the messages before it.
func yieldMessages(b []byte, yield func(Message, error) bool) {
	var m Message
	for moreMessages(b) {
		rest, err := nextMessage(b, &m)
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

// appendMessage appends the wire form of m to b, filling nothing: m's
// Length must already be set and valid.
func appendMessage(b []byte, m *Message) []byte {
	l := int(m.Header.Length)
	n := len(b)
	b = append(b, make([]byte, l)...)
	m.put(b[n : n+l])
	return b
}
