package netlink

import "syscall"

// A verdict is what classify makes of a message: what the reader does with
// it.
type verdict uint8

const (
	keep verdict = iota // a message of the reply: give it to the caller
	drop                // nothing for the caller: set aside, stale, or read after the caller stopped
	stop                // the reply is over in this datagram: closed by Done, or failed
)

// classify decides what m, the next message of the current datagram, is to
// the reply, notes what it says of the reply, and returns what to do with
// it; it is the one place that does (see plainPass for its shortcut). In
// order:
//
//   - Execute sets a notification aside for the next receiver (see
//     notification).
//   - The leftovers of exchanges this Conn abandoned are dropped (see
//     receiver).
//   - Anything else is part of the reply. The Multi flag makes the reply
//     multi-part. A Done message with the Multi flag closes it, failing it
//     with the error it carries, if any; an Error message with a non-zero
//     code fails it. Either way nothing after it in the datagram belongs
//     to the reply. An acknowledgement (an Error message with code zero)
//     and a Done message without the Multi flag are ordinary messages.
//   - Once the caller stopped (a loop's break), the rest is dropped.
//   - Execute's reply must pass Validate: ExecuteIter fails at the first
//     message that does not, Execute notes it and reports it at the end.
//   - A context that ended fails the reply.
func (r *replyReader) classify(m *Message) verdict {
	h := &m.Header
	if r.debug {
		r.trace = append(r.trace, *m)
	}
	if r.hasReq && r.notification(h) {
		return r.setAside(m)
	}
	if r.stale && !r.dg.mcast && h.Sequence != r.want && r.c.rx.isStale(h.Sequence, r.want != 0) {
		return drop
	}
	if r.checkIntr && messageInterrupted(m) {
		r.intr, r.intrSeq = true, h.Sequence
	}
	r.dg.reply = true
	if !r.started {
		r.started, r.seq = true, h.Sequence
	}
	if h.Flags&Multi != 0 && !r.multi {
		r.multi, r.newFlags = true, 0
		// Collected from bytes, the reply may now go straight into
		// its result (see sizeFromHint). Messages handed over as a
		// slice, as nltest's socket hands over a whole reply, are
		// copied at once and made to measure, which spares the
		// slack of a sized result.
		r.resize = r.yield == nil && r.hint > firstLen && r.dg.raw
	}
	switch {
	case h.Type == Done && h.Flags&Multi != 0:
		r.ended = true
		if err := doneError(m); err != nil {
			r.fail(err, false)
		}
		return stop
	case h.Type == Error:
		if err := replyError(m); err != nil {
			r.fail(err, false)
			return stop
		}
	}
	if r.stopped {
		return drop
	}
	if r.hasReq && (r.validate || r.verr == nil) {
		if err := validateReply(&r.sent, h); err != nil {
			if r.validate {
				r.fail(err, true)
				return stop
			}
			r.verr = err
		}
	}
	if r.w != nil {
		// The context may end between two messages of a datagram, or
		// in the caller's loop body.
		if err := r.w.ctx.Err(); err != nil {
			r.fail(&OpError{Op: "receive", Err: err}, true)
			return stop
		}
	}
	r.plain = !r.slow
	return keep
}

// plainPass reports whether classify would keep a message with header h
// and change nothing: the common case of a message in the middle of a
// reply, on a reader with nothing more to do per message. The receive loop
// asks it first and calls classify only when it does not hold, which
// spares a call per message; it must stay small enough to be inlined
// there (TestInlining) and agree with classify
// (FuzzReceiveReference, TestPlainPassValidates). It holds when r.plain is
// set (a message of the current datagram was kept, and the reader is not
// slow), h is no Done or Error, has none of newFlags (Multi, until the
// reply is known to be multi-part) and answers the request as Validate
// would have it, tested in the bits of seqMask and pidMask.
func (r *replyReader) plainPass(h *Header) bool {
	return r.plain && h.Type-Error > Done-Error && h.Flags&r.newFlags == 0 &&
		(h.Sequence^r.want)&r.seqMask == 0 && ((h.PID^r.sent.Header.PID)&r.pidMask == 0 || h.PID == 0)
}

// notification reports whether a message with header h, read by Execute
// (or ExecuteIter) while it waits for its reply, is no part of that reply
// but a message for the Conn's next receiver, typically a notification of
// a multicast group the Conn joined. Such a message is set aside rather
// than taken for the reply or failing it.
//
// The rule, which a datagram from the kernel always meets, is:
//
//   - A datagram sent to a multicast group is no reply, whatever sequence
//     number and PID its messages carry: a notification that the Conn's own
//     request caused carries that request's sequence number and the Conn's
//     port ID (rtnetlink does this), and arrives before the reply. The
//     socket of Dial tells a multicast datagram by the group in its
//     sender's address, for groups 1 to 32, and by PacketInfo's group, for
//     any group with that option on.
//   - Otherwise, the messages of a datagram that holds a message of the
//     reply are the reply: the kernel never mixes the messages of two
//     exchanges, or a reply and a notification, in one datagram.
//   - Otherwise, a message is set aside only when Validate would reject it
//     as part of the reply and it cannot be a reply of this Conn: it is no
//     control message (Error, Done: types below 0x10, which answer requests
//     and which no group sends), and its sequence number is not the
//     request's and either is zero (the kernel's own notifications) or
//     comes with the PID of another port (a notification caused by another
//     socket's request, or a message another socket sent). Any other
//     message is taken for the reply, and checked as Validate checks it: a
//     reply of another sequence number from this Conn's port still fails
//     Execute with a mismatched sequence, and an Error message of sequence
//     zero from a fake socket is still Execute's error, as before.
//
// The one case the rule cannot see is a notification that this Conn's own
// request caused, sent to a multicast group above 32 with PacketInfo off,
// or read through a Socket that does not tell groups: it carries the
// request's sequence number and port, and is taken for the reply. Turning
// PacketInfo on makes the split exact for every group.
func (r *replyReader) notification(h *Header) bool {
	if r.dg.mcast {
		return true
	}
	if r.dg.reply || h.Sequence == r.want || h.Type < nlmsgMinType {
		return false
	}
	if h.Sequence == 0 {
		return true
	}
	pid := r.sent.Header.PID
	return pid != 0 && h.PID != 0 && h.PID != pid && h.PID != r.c.pid
}

// Validate checks that every reply answers request: a reply's sequence
// number must equal the request's unless the request's is zero, and its PID
// must equal the request's unless either is zero (the kernel sends zero).
func Validate(request Message, replies []Message) error {
	for i := range replies {
		if err := validateReply(&request, &replies[i].Header); err != nil {
			return err
		}
	}
	return nil
}

// validateReply checks one reply's header h against request; see Validate.
// plainPass makes the same test in masks.
func validateReply(request *Message, h *Header) error {
	if request.Header.Sequence != 0 && h.Sequence != request.Header.Sequence {
		return &OpError{Op: "validate", Err: errMismatchedSequence}
	}
	if request.Header.PID != 0 && h.PID != 0 && h.PID != request.Header.PID {
		return &OpError{Op: "validate", Err: errMismatchedPID}
	}
	return nil
}

// errorCodeLen is the size of the error code that starts the payload of an
// Error message and, when a dump fails, of a Done message.
const errorCodeLen = 4

// replyError decodes the error carried by m, an Error message. It returns
// nil for an acknowledgement (code zero), and an *OpError for a failure or
// for a message too short to hold what it announces.
func replyError(m *Message) error {
	return codeError(m, true)
}

// doneError decodes the error a Done message ending a multi-part reply may
// carry when the dump failed. A Done message with no data, or a zero code,
// ends the dump normally and gives nil.
func doneError(m *Message) error {
	if len(m.Data) == 0 {
		return nil
	}
	return codeError(m, false)
}

// codeError decodes the error code that starts m's data, and with
// AcknowledgeTLVs set the extended acknowledgement: after the request that
// an Error message (echoed) repeats, or right after the code in a Done
// message. (A flag rather than a function value, which would make m
// escape, and cost every Done message an allocation.)
func codeError(m *Message, echoed bool) error {
	if len(m.Data) < errorCodeLen {
		return &OpError{Op: "receive", Err: errShortErrorMessage}
	}
	code := int32(native.Uint32(m.Data))
	if code == 0 {
		return nil
	}
	e := &OpError{Op: "receive", Err: errnoOf(code), Sequence: m.Header.Sequence}
	if m.Header.Flags&AcknowledgeTLVs != 0 {
		tlvs, ok := m.Data[errorCodeLen:], true
		if echoed {
			tlvs, ok = echoedRequestEnd(m)
		}
		if !ok {
			return &OpError{Op: "receive", Err: errShortErrorMessage}
		}
		e.fillExtAck(tlvs)
	}
	return e
}

// errnoOf turns the code of an error reply, the negated errno the kernel
// sends, into the errno. A positive code, which no kernel sends, is negated
// all the same, so that it shows as a negative errno ("errno -1") rather
// than passing for a real one.
func errnoOf(code int32) syscall.Errno {
	return syscall.Errno(-int64(code))
}
