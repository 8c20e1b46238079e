// Package nlmsg holds the one rule by which a datagram splits into netlink
// messages, shared by package netlink, which reads datagrams from sockets,
// and package nltest, whose Datagram makes of bytes what a socket would.
package nlmsg

import (
	"encoding/binary"
	"errors"
)

// HeaderLen is the length of a netlink message header (NLMSG_HDRLEN).
const HeaderLen = 16

// The errors of a malformed message. Their texts are part of package
// netlink's observable contract, as v1.11.2 words them: callers compare
// them.
var (
	ErrIncorrectLength = errors.New("netlink message header length incorrect")
	ErrShort           = errors.New("not enough data to create a netlink message")
)

// More reports whether b, the rest of a datagram after the messages read
// from it so far, holds another message. Fewer bytes than a message header
// cannot; they are ignored rather than refused, as v1.11.2 ignores them, so
// that no datagram it delivers is refused here.
func More(b []byte) bool {
	return len(b) >= HeaderLen
}

// Next checks the message at the start of b, for which More holds, and
// returns its Length l and the offset of the next message: the 4-byte
// aligned end of this one, or the end of b when the last message lacks its
// padding. A Length below a header's is reported as v1.11.2 reports it on
// receive; one past the end of b as a short message.
func Next(b []byte) (l, next int, err error) {
	if len(b) < HeaderLen {
		return 0, 0, ErrShort
	}
	// The Length is compared as a uint32: converted to an int first, one
	// from 2^31 up would be negative on 32-bit platforms.
	l32 := binary.NativeEndian.Uint32(b[0:4])
	if l32 < HeaderLen {
		return 0, 0, ErrIncorrectLength
	}
	if uint64(l32) > uint64(len(b)) {
		return 0, 0, ErrShort
	}
	l = int(l32)
	return l, min((l+3)&^3, len(b)), nil
}
