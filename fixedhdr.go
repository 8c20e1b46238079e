package netlink

import "github.com/mdlayher/netlink/internal/nlfacts"

// fixedHeaderLen returns the length of the fixed header that precedes the
// attributes of req, a request of message type msgType in the given
// netlink family, when package nlfacts knows it: generic netlink's
// genlmsghdr (a family's own extra header, its hdrsize, is not known here
// and is rarely used), netfilter's nfgenmsg, and rtnetlink's header by
// message type, padded to 4 bytes. ok is false for other families and
// types, control messages, and a request too short to hold the header, so
// that no path is reported from a guess.
func fixedHeaderLen(family int, msgType HeaderType, req Message) (n int, ok bool) {
	n = nlfacts.FixedHeaderLen(family, uint16(msgType))
	if n == 0 || n > len(req.Data) {
		return 0, false
	}
	return n, true
}

// annotateOffset adds Path and MissingPath to the extended acknowledgement
// stored for e (see ExtendedAckOf), when e is the kernel's error answering
// req, a request sent on a socket of the given netlink family, and the
// offsets it reports point into req's attributes. Conn.Execute calls it,
// before e leaves the package: only there is the request known. It does
// nothing when e has no extended acknowledgement, or one with no offset
// or missing attribute, when the family's fixed header is unknown, or
// when the paths cannot be found.
func annotateOffset(e *OpError, family int, req Message) {
	if e == nil || e.Sequence != req.Header.Sequence {
		return
	}
	a := storedExtAck(e)
	if a == nil || (a.Offset == 0 && a.MissingType == 0) {
		return
	}
	hl, ok := fixedHeaderLen(family, req.Header.Type, req)
	if !ok {
		return
	}
	var path, missingPath []uint16
	if a.Offset != 0 {
		path, _ = AttributePath(req, hl, a.Offset)
	}
	if a.MissingType != 0 {
		missingPath, _ = MissingAttributePath(req, hl, a.MissingNest, a.MissingType)
	}
	if path == nil && missingPath == nil {
		return
	}
	// Stored entries are never modified: the new one replaces it.
	n := *a
	n.Path, n.MissingPath = path, missingPath
	setExtAck(e, &n)
}
