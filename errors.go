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
//
// Its fields are v1.11.2's, in v1.11.2's order, and nothing else: programs
// compare whole OpErrors with reflect.DeepEqual or cmp.Diff (which panics
// on an unexported field), and print them with %#v. What the kernel's
// extended acknowledgement holds beyond Message and Offset (the broken
// policy, the missing attribute, the cookie, the attribute paths) is kept
// beside the error and read with ExtendedAckOf.
type OpError struct {
	// Op names the operation that failed, such as "send" or "receive".
	Op string

	// Err is the underlying error: a unix.Errno from a netlink error
	// message, or an *os.SyscallError from the socket.
	Err error

	// Message and Offset come from an extended acknowledgement: the
	// kernel's explanation, and the byte offset in the request of the
	// attribute it rejected. Offset stays zero when the kernel's offset
	// does not fit in an int (from 2^31 up on 32-bit platforms);
	// ExtendedAckOf has it then.
	Message string
	Offset  int

	// Sequence is the sequence number of the reply that carried the error,
	// if any.
	Sequence uint32
}
