package netlink

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// Error returns "netlink OP: ERR", followed by the offset and message of an
// extended acknowledgement when the kernel sent either.
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
func IsNotExist(err error) bool {
	return errors.Is(err, syscall.ENOENT) || errors.Is(err, os.ErrNotExist)
}

// Errors reported while decoding replies and validating them. Their texts
// follow "netlink OP: " in OpError.Error.
var (
	errMismatchedSequence = errors.New("mismatched sequence in netlink reply")
	errMismatchedPID      = errors.New("mismatched PID in netlink reply")
)

// Kernel extended acknowledgement attributes (enum nlmsgerr_attrs).
const (
	nlmsgerrAttrMsg  = 1 // NLMSGERR_ATTR_MSG: NUL-terminated explanation
	nlmsgerrAttrOffs = 2 // NLMSGERR_ATTR_OFFS: u32 offset into the request
)

// errorCodeLen is the size of the error code that starts the payload of an
// Error message and, when a dump fails, of a Done message.
const errorCodeLen = 4

// replyError decodes the error carried by m, an Error message. It returns
// nil for an acknowledgement (code zero), and an *OpError for a failure or
// for a message too short to hold a code.
func replyError(m *Message) error {
	if len(m.Data) < errorCodeLen {
		return &OpError{
			Op:       "receive",
			Err:      fmt.Errorf("error message has %d bytes of data, too few for a %d-byte error code", len(m.Data), errorCodeLen),
			Sequence: m.Header.Sequence,
		}
	}
	code := int32(native.Uint32(m.Data))
	if code == 0 {
		return nil
	}
	e := &OpError{Op: "receive", Err: errnoOf(code), Sequence: m.Header.Sequence}
	if m.Header.Flags&AcknowledgeTLVs != 0 {
		if tlvs, ok := echoedRequestEnd(m); ok {
			e.fillExtAck(tlvs)
		}
	}
	return e
}

// doneError decodes the error a Done message may carry when a dump failed.
// A Done message with no code, or a zero code, ends a dump normally and
// gives nil.
func doneError(m *Message) error {
	if len(m.Data) < errorCodeLen {
		return nil
	}
	code := int32(native.Uint32(m.Data))
	if code == 0 {
		return nil
	}
	e := &OpError{Op: "receive", Err: errnoOf(code), Sequence: m.Header.Sequence}
	if m.Header.Flags&AcknowledgeTLVs != 0 {
		// A Done message echoes no request: its attributes follow the code.
		e.fillExtAck(m.Data[errorCodeLen:])
	}
	return e
}

// errnoOf turns the code of an error reply into an errno. The kernel sends
// the negated errno; a positive value is accepted as the errno itself.
func errnoOf(code int32) syscall.Errno {
	c := int64(code)
	if c < 0 {
		c = -c
	}
	return syscall.Errno(c)
}

// echoedRequestEnd returns the extended acknowledgement attributes of m,
// an Error message: its data is the error code, then the header of the
// request that failed and, unless the Capped flag says it was cut, the rest
// of that request. The echoed header's Length tells where the request ends.
//
// ok is false when what follows the code does not look like the request m
// answers (too short, a Length below a header's size, or a sequence number
// other than m's). The kernel always echoes the request with m's sequence
// number, while replies built by hand (nltest.Error copies only the
// request's payload) do not, and their payload must not be misread as
// attributes.
func echoedRequestEnd(m *Message) (tlvs []byte, ok bool) {
	b := m.Data[errorCodeLen:]
	if len(b) < headerLen {
		return nil, false
	}
	h := readHeader(b)
	if h.Length < headerLen || h.Sequence != m.Header.Sequence {
		return nil, false
	}
	n := headerLen
	if m.Header.Flags&Capped == 0 {
		n = nlmsgAlign(int(min(h.Length, uint32(len(b)))))
	}
	return b[min(n, len(b)):], true
}

// fillExtAck sets e.Message and e.Offset from the extended acknowledgement
// attributes in b. Malformed input ends the walk; what was read before it
// is kept.
func (e *OpError) fillExtAck(b []byte) {
	for len(b) >= attrHeaderLen {
		l := int(native.Uint16(b[0:2]))
		if l < attrHeaderLen || l > len(b) {
			return
		}
		data := b[attrHeaderLen:l]
		switch native.Uint16(b[2:4]) &^ 0xc000 { // without the Nested and NetByteOrder bits
		case nlmsgerrAttrMsg:
			if i := bytes.IndexByte(data, 0); i >= 0 {
				data = data[:i]
			}
			e.Message = string(data)
		case nlmsgerrAttrOffs:
			if len(data) == 4 {
				e.Offset = int(native.Uint32(data))
			}
		}
		b = b[min(nlaAlign(l), len(b)):]
	}
}
