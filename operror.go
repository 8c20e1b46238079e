package netlink

import (
	"errors"
	"os"
	"strconv"
	"syscall"
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

// echoedRequestEnd returns the extended acknowledgement attributes of m,
// an Error message: its data is the error code, then the request that
// failed, of which only the header is there when the Capped flag is set.
// Without Capped, the echoed header's Length tells where the request ends.
// ok is false when the data is too short for the header, or for the
// request its Length announces.
func echoedRequestEnd(m *Message) (tlvs []byte, ok bool) {
	b := m.Data[errorCodeLen:]
	if len(b) < headerLen {
		return nil, false
	}
	if m.Header.Flags&Capped != 0 {
		return b[headerLen:], true
	}
	// The length is compared as a uint64: converted to an int first, a
	// length from 2^31 up would be negative on 32-bit platforms and pass.
	l := native.Uint32(b[0:4])
	if uint64(l) > uint64(len(b)) {
		return nil, false
	}
	// The attributes start at the aligned end of the request; a request
	// of less than a header still has its whole header echoed.
	n := max(int(l), headerLen)
	return b[min(nlmsgAlign(n), len(b)):], true
}

// fillExtAck sets e's Message and Offset from the extended acknowledgement
// attributes in b, and keeps the whole acknowledgement beside e for
// ExtendedAckOf. What was decoded before a malformed attribute is kept, and
// known attributes of the wrong size are ignored: the errno is what
// matters, and a reply the kernel would not send must not hide it. Offset
// gets the kernel's offset only when it fits in an int.
func (e *OpError) fillExtAck(b []byte) {
	if len(b) == 0 {
		return
	}
	a := new(ExtendedAck)
	_ = a.decode(b)
	e.Message = a.Message
	if offsetFitsInt(a.Offset) {
		e.Offset = int(a.Offset)
	}
	setExtAck(e, a)
}
