package netlink

import (
	"errors"

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
