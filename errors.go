package netlink

import (
	"errors"

	"github.com/mdlayher/netlink/internal/nlmsg"
)

// Errors reported by the message and attribute codec and while decoding and
// validating replies. Their texts, which follow "netlink OP: " in
// OpError.Error, are part of the observable contract: callers compare them.
var (
	errIncorrectMessageLength = nlmsg.ErrIncorrectLength
	errShortMessage           = nlmsg.ErrShort
	errUnalignedMessage       = errors.New("input data is not properly aligned for netlink message")
	errInvalidAttribute       = errors.New("invalid attribute; length too short or too large")

	// An Error or Done message too short for what its code and flags
	// say it holds.
	errShortErrorMessage = errors.New("not enough data for netlink error code")

	// A reply that fails Validate.
	errMismatchedSequence = errors.New("mismatched sequence in netlink reply")
	errMismatchedPID      = errors.New("mismatched PID in netlink reply")
)
