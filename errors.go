package netlink

import (
	"errors"
	"os"
	"strconv"
	"syscall"

	"github.com/mdlayher/netlink/internal/nlmsg"
)

// The package's sentinel errors, in one place. Their texts are part of
// the observable contract: callers compare them, and the texts of those
// that v1.11.2 has are v1.11.2's.
var (
	// The message and attribute codec.
	errIncorrectMessageLength = nlmsg.ErrIncorrectLength
	errShortMessage           = nlmsg.ErrShort
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

// Error returns "netlink OP: ERR", followed by the offset and message of an
// extended acknowledgement when either is set, exactly as v1.11.2 does:
// programs compare these texts. The rest of the extended acknowledgement
// is not added; ExtendedAckOf returns it, and its String describes it.
func (e *OpError) Error() string {
	if e == nil {
		return "<nil>"
	}
	s := "netlink " + e.Op + ": "
	if e.Err == nil {
		s += "<nil>"
	} else {
		s += e.Err.Error()
	}
	if e.Message != "" || e.Offset != 0 {
		s += ", offset: " + strconv.Itoa(e.Offset) + ", message: " + strconv.Quote(e.Message)
	}
	return s
}

// Unwrap returns the underlying error, so that errors.Is and errors.As see
// through an OpError (errors.Is(err, os.ErrNotExist) holds for ENOENT).
func (e *OpError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Timeout reports whether the operation failed because a deadline passed,
// or because of an error that says of itself that it is a timeout (such as
// EAGAIN or ETIMEDOUT).
func (e *OpError) Timeout() bool {
	if e == nil || e.Err == nil {
		return false
	}
	if errors.Is(e.Err, os.ErrDeadlineExceeded) {
		return true
	}
	var t interface{ Timeout() bool }
	return errors.As(e.Err, &t) && t.Timeout()
}

// Temporary reports whether retrying the operation may succeed. It follows
// the underlying error's own classification: a passed deadline, EINTR,
// EAGAIN, ETIMEDOUT and the other errnos that syscall.Errno.Temporary
// accepts. ENOBUFS is deliberately not temporary: on a netlink socket it
// means the kernel dropped messages, and the caller has to resynchronise
// (dump again) rather than simply retry.
func (e *OpError) Temporary() bool {
	if e == nil || e.Err == nil {
		return false
	}
	if errors.Is(e.Err, os.ErrDeadlineExceeded) {
		return true
	}
	var t interface{ Temporary() bool }
	return errors.As(e.Err, &t) && t.Temporary()
}

// IsNotExist reports whether err says that something does not exist: a
// netlink error reply carrying ENOENT, or any error matching
// os.ErrNotExist.
//
// Deprecated: errors.Is(err, os.ErrNotExist) answers the same question for
// every error this package returns, and works on errors from elsewhere too.
func IsNotExist(err error) bool {
	return errors.Is(err, syscall.ENOENT) || errors.Is(err, os.ErrNotExist)
}
