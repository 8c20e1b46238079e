package netlink

import (
	"iter"
	"slices"
)

// Receive returns the messages of one reply, or of one multicast datagram.
// A reply is multi-part once one of its messages has the Multi flag: it is
// then read, datagram after datagram, up to the Done message with the Multi
// flag that closes it, which is not returned (nor is anything after it in
// its datagram). A Done message without the Multi flag closes nothing and
// is returned like any other message. An error reported by the kernel (an
// Error message with a non-zero code, or a closing Done message carrying
// one) is returned as an *OpError wrapping the errno; an acknowledgement
// (code zero) is returned as a message.
func (c *Conn) Receive() ([]Message, error) {
	// The first datagram comes as a slice: most replies (acknowledgements,
	// single answers, a fake socket's whole reply) end in it, and its slice
	// is then returned as is.
	msgs, err := c.sock.Receive()
	if err != nil {
		return nil, &OpError{Op: "receive", Err: err}
	}
	if debugger != nil {
		debugger.log(c.family, debugRecv, msgs)
	}
	if len(msgs) == 0 {
		// A kernel datagram always holds a message; a fake socket
		// signals "nothing" this way.
		return nil, nil
	}
	keep, more, err := checkReplies(msgs)
	if err != nil {
		return nil, err
	}
	if !more {
		return keep, nil
	}

	// The rest of a multi-part reply is gathered message by message into
	// one slice, rather than as one more slice per datagram. keep belongs
	// to the socket and its spare capacity may hold other data: clipping
	// it makes the first append copy.
	r := &replyReader{c: c, collect: true, multi: true, res: keep[:len(keep):len(keep)]}
	r.read()
	if r.err != nil {
		return nil, r.err
	}
	return r.res, nil
}

// checkReplies inspects the messages of one datagram. It returns the
// messages before the Done message that closes a multi-part reply (all of
// them when there is none), whether more datagrams of a multi-part reply
// follow, and the first error an Error or closing Done message carries.
// The result is a subslice of msgs: nothing has to move.
func checkReplies(msgs []Message) (keep []Message, more bool, err error) {
	multi := false
	for i := range msgs {
		m := &msgs[i]
		if m.Header.Flags&Multi != 0 {
			multi = true
		}
		switch m.Header.Type {
		case Done:
			if m.Header.Flags&Multi != 0 {
				if err := doneError(m); err != nil {
					return nil, false, err
				}
				return msgs[:i:i], false, nil
			}
		case Error:
			if err := replyError(m); err != nil {
				return nil, false, err
			}
		}
	}
	return msgs, multi, nil
}

// ReceiveIter yields the messages of one reply, like Receive, one at a time
// as they arrive. An error is yielded once and ends the sequence. When the
// loop stops early in a multi-part reply, the rest of the reply is read and
// discarded so that the next Receive starts with the next reply; otherwise
// the rest of the datagram is dropped.
func (c *Conn) ReceiveIter() iter.Seq2[Message, error] {
	return c.iter
}

// receiveIter is Conn.ReceiveIter's sequence. It reads through the
// socket's iterator, which builds no slice of messages.
func (c *Conn) receiveIter(yield func(Message, error) bool) {
	r := &replyReader{c: c, yield: yield}
	r.read()
}

// A replyReader follows a reply message by message, for ReceiveIter (which
// yields the messages) or for Receive (which collects them).
type replyReader struct {
	c *Conn

	// ReceiveIter's consumer; unused when collecting.
	yield func(Message, error) bool

	// Receive's results, when collect is set.
	collect bool
	res     []Message
	err     error

	multi   bool // a message had the Multi flag: the reply is multi-part
	stopped bool // the consumer stopped: read on, passing nothing on
	ended   bool // the reply is over: closed, failed, or abandoned

	got int // messages in the current datagram
}

// read reads datagrams through the socket's iterator, which makes no slice
// per datagram, until the reply ends.
func (r *replyReader) read() {
	next := r.next // one function value for every datagram
	for {
		r.got = 0
		r.c.sock.ReceiveIter()(next)
		if !r.more() {
			return
		}
	}
}

// more reports whether the reply goes on in another datagram: it is
// multi-part and not over. An empty datagram, which the kernel never sends
// and a fake socket sends to say "nothing more", also ends it, rather than
// leave the reader waiting for ever for a Done message.
func (r *replyReader) more() bool {
	return r.multi && !r.ended && r.got > 0
}

// next is the yield function given to the socket's iterator: it passes on
// one message of the reply, or the error it carries, and reports whether
// to go on with the datagram.
func (r *replyReader) next(m Message, err error) bool {
	if err != nil {
		r.fail(&OpError{Op: "receive", Err: err})
		return false
	}
	r.got++
	if debugger != nil {
		debugger.log(r.c.family, debugRecv, []Message{m})
	}
	if m.Header.Flags&Multi != 0 {
		r.multi = true
	}
	switch m.Header.Type {
	case Done:
		if m.Header.Flags&Multi != 0 {
			// The reply is closed; what follows in the datagram is not
			// part of it.
			r.ended = true
			if err := doneError(&m); err != nil {
				r.fail(err)
			}
			return false
		}
	case Error:
		if err := replyError(&m); err != nil {
			r.fail(err)
			return false
		}
	}
	switch {
	case r.stopped:
		// Drain: the consumer wants nothing more.
	case r.collect:
		r.add(m)
	case !r.yield(m, nil):
		r.stopped = true
		if !r.multi {
			// Not multi-part, so this datagram is the whole reply.
			r.ended = true
			return false
		}
	}
	return true
}

// fail ends the reply with err, which the consumer gets unless it stopped.
func (r *replyReader) fail(err error) {
	r.ended = true
	switch {
	case r.stopped:
	case r.collect:
		r.err = err
	default:
		r.yield(Message{}, err)
	}
}

// add appends m to the collected reply.
func (r *replyReader) add(m Message) {
	if len(r.res) == cap(r.res) {
		// Double, where append would grow a large slice by a quarter:
		// a dump of thousands of messages then takes a few copies
		// instead of dozens.
		r.res = slices.Grow(r.res, len(r.res)+16)
	}
	r.res = append(r.res, m)
}

// Validate checks that every reply answers request: a reply's sequence
// number must equal the request's unless the request's is zero, and its PID
// must equal the request's unless either is zero (the kernel sends zero).
func Validate(request Message, replies []Message) error {
	for i := range replies {
		h := &replies[i].Header
		if request.Header.Sequence != 0 && h.Sequence != request.Header.Sequence {
			return &OpError{Op: "validate", Err: errMismatchedSequence}
		}
		if request.Header.PID != 0 && h.PID != 0 && h.PID != request.Header.PID {
			return &OpError{Op: "validate", Err: errMismatchedPID}
		}
	}
	return nil
}
