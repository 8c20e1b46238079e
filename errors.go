package netlink

import "errors"

// The package's sentinel errors, in one place. Their texts are part of
// the observable contract: callers compare them, and the texts of those
// that v1.11.2 has are v1.11.2's.
var (
	// The message and attribute codec.
	errIncorrectMessageLength = errors.New("netlink message header length incorrect")
	errShortMessage           = errors.New("not enough data to create a netlink message")
	errUnalignedMessage       = errors.New("input data is not properly aligned for netlink message")
	errInvalidAttribute       = errors.New("invalid attribute; length too short or too large")

	// The AttributeEncoder.
	errStringTooLarge = errors.New("string is too large to fit in a netlink attribute")
	errBytesTooLarge  = errors.New("byte slice is too large to fit in a netlink attribute")
	errDoTooLarge     = errors.New("byte slice produced by Do is too large to fit in a netlink attribute")

	// errEncoderTooLarge is kept by an encoder asked to hold more
	// attributes than a netlink message can.
	errEncoderTooLarge = errors.New("netlink: attributes too large for a netlink message")

	// errNestedDone poisons a nested encoder once its Nested function has
	// returned, so that a kept reference cannot overwrite its parent.
	errNestedDone = errors.New("netlink: nested AttributeEncoder used after its Nested function returned")

	// Decoding and validating replies. Their texts follow "netlink OP: "
	// in OpError.Error.
	errMismatchedSequence = errors.New("mismatched sequence in netlink reply")
	errMismatchedPID      = errors.New("mismatched PID in netlink reply")

	// errShortErrorMessage reports an Error or Done message too short for
	// what its code and flags say it holds.
	errShortErrorMessage = errors.New("not enough data for netlink error code")

	// DecodeExtendedAck and DecodePolicy. Their texts follow "netlink: ".
	errNotAck          = errors.New("not an Error or Done message")
	errMalformedExtAck = errors.New("malformed extended acknowledgement attribute")
	errMalformedPolicy = errors.New("malformed policy attribute")

	// errNoAttributeAt reports an offset that points at no attribute of
	// the request (AttributePath, MissingAttributePath).
	errNoAttributeAt = errors.New("offset does not point into the request's attributes")
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
