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
}
