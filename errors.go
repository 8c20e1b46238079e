package netlink

import "errors"

// Errors reported by the message and attribute codec. Their texts are part of
// the observable contract: callers compare them.
var (
	errIncorrectMessageLength = errors.New("netlink message header length incorrect")
	errShortMessage           = errors.New("not enough data to create a netlink message")
	errUnalignedMessage       = errors.New("input data is not properly aligned for netlink message")
	errInvalidAttribute       = errors.New("invalid attribute; length too short or too large")
)

// An OpError is an error returned by an operation on a Conn: a failed system
// call, an error reported by the kernel in a reply, or a closed socket.
type OpError struct {
	// Op names the operation that failed, such as "send" or "receive".
	Op string

	// Err is the underlying error: a unix.Errno from a netlink error
	// message, or an *os.SyscallError from the socket.
	Err error

	// Sequence is the sequence number of the reply that carried the error,
	// if any.
	Sequence uint32

	// Message and Offset come from an extended acknowledgement: the
	// kernel's explanation, and the byte offset in the request of the
	// attribute it rejected.
	Message string
	Offset  int

	// ExtendedAck holds the whole extended acknowledgement, Message and
	// Offset included, when the kernel sent more than those two: a
	// policy, a missing attribute or a cookie (or an Offset too large
	// for an int). Conn.Execute also sets it to report where in the
	// request the offsets point (see ExtendedAck.Path). It is nil
	// otherwise, so that an OpError holding only what v1.11.2 decodes
	// equals one built with v1.11.2's fields.
	ExtendedAck *ExtendedAck
}
