package netlink

import (
	"iter"
	"slices"
	"sync"
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
//
// Concurrent calls of Receive and ReceiveIter take turns by whole replies:
// a multi-part reply is never split between them. A Receive waiting for a
// datagram makes Execute wait too, but never Send.
//
// Notifications that Execute set aside (see there) come first: Receive
// returns all of them at once, without reading the socket; if some were
// lost, it returns ENOBUFS first, alone.
func (c *Conn) Receive() ([]Message, error) {
	rx := c.rx
	rx.mu.Lock()
	defer rx.mu.Unlock()
	return c.collectFor(nil, nil)
}

// ReceiveIter yields the messages of one reply, like Receive, one at a time
// as they arrive. An error is yielded once and ends the sequence. When the
// loop stops early in a multi-part reply, by a break or by a panic or
// runtime.Goexit in its body, the rest of the reply is read and discarded
// so that the next Receive starts with the next reply; otherwise the rest
// of the datagram is dropped.
//
// The Conn's other receivers, and Execute, wait until the sequence ends:
// the body of the loop must not call them on the same Conn (Send is fine).
//
// Notifications that Execute set aside come first, as for Receive; a loop
// left early drops the rest of the datagram it stopped in, and those of
// later datagrams stay for the next receiver.
func (c *Conn) ReceiveIter() iter.Seq2[Message, error] {
	return c.rx.iter
}

// receiveIter is Conn.ReceiveIter's sequence.
func (c *Conn) receiveIter(yield func(Message, error) bool) {
	rx := c.rx
	rx.mu.Lock()
	defer rx.mu.Unlock()
	if rx.hasPending() {
		rx.aside.yield(yield)
		return
	}
	var rd replyReader
	r := &rd
	r.init(c, nil)
	r.yield = yield
	defer r.finish()
	r.read()
}

// collectFor reads one reply and returns its messages: the reply to req
// for Execute, or, with req nil, whatever reply comes next. Execute passes
// over messages of abandoned exchanges of the Conn (see receiver), its
// errors say where in req the kernel found fault, and its reply is checked
// as Validate does. The context that w watches, if any, ends it early.
// c.rx.mu must be held.
func (c *Conn) collectFor(req *Message, w *ctxWatch) ([]Message, error) {
	rx := c.rx
	if req == nil && rx.hasPending() {
		return rx.takePending()
	}
	var rd replyReader
	r := &rd
	r.init(c, req)
	r.w, r.hint = w, rx.replyHint
	r.read()
	var msgs []Message
	res := r.res
	if r.run != nil {
		res = r.run // the whole reply, still in its datagram's slice
	}
	switch {
	case r.err != nil && !r.intr, !r.started:
	case r.direct && cap(res)-len(res) <= len(res)/2+64:
		msgs = res
	default:
		// Made to measure, and non-nil even when empty, as for a dump
		// of nothing: the one allocation of a reply. A result
		// gathered directly but far shorter than the last does not
		// hold on to the difference.
		msgs = make([]Message, len(res))
		copy(msgs, res)
	}
	if r.multi && r.err == nil {
		rx.replyHint = len(msgs)
	}
	err := r.err
	if r.verr != nil && (err == nil || r.intr) {
		// As Execute reports a reply that fails Validate.
		msgs, err = nil, r.verr
	}
	r.release()
	return msgs, err
}

// A replyReader follows one reply, message by message: for ReceiveIter and
// ExecuteIter, which yield the messages, or for Receive and Execute, which
// collect them. It lives on its caller's stack.
type replyReader struct {
	c *Conn

	// yield is the loop body of ReceiveIter or ExecuteIter; nil when
	// collecting, in res.
	yield func(Message, error) bool
	// res holds the messages collected so far, in a slice from gathers
	// (resp), which release gives back; or, with direct set, in the
	// result itself (see sizeFromHint), when hint, the length of the
	// Conn's last multi-part reply, is long. resize is set when that is
	// still to be done. run, when set, is the reply so far while it is
	// one run of the current datagram's slice, not yet copied (see
	// addRun); res is then empty.
	res    []Message
	resp   *[]Message
	run    []Message
	direct bool
	hint   int
	resize bool
	// cur is where a yielded message is decoded.
	cur Message
	// err is the error that ends the reply, when collecting.
	err error

	// With hasReq set, sent is Execute's request and want its sequence
	// number. With validate set (ExecuteIter), a message of the reply
	// that fails Validate fails the reply; otherwise verr notes the
	// first such message, which Execute reports instead of the reply.
	sent     Message
	hasReq   bool
	want     uint32
	validate bool
	verr     error

	// What the caller asked for beyond the reply: checkIntr is the
	// Conn's CheckDumpInterrupted, w watches the context of a
	// context-aware call (nil otherwise), stale is set when the Conn has
	// abandoned replies whose leftovers to drop, debug when NLDEBUG is on
	// (trace then holds the current datagram's messages). slow is set
	// when any of these is, or the caller stopped: classify then looks
	// at every message. plain, newFlags and the masks are classify's
	// shortcut (see plainPass).
	checkIntr        bool
	w                *ctxWatch
	stale            bool
	debug            bool
	trace            []Message
	slow             bool
	plain            bool
	newFlags         HeaderFlags
	seqMask, pidMask uint32

	// What the reply said so far.
	started bool   // a message of the reply came
	seq     uint32 // the sequence number of the first
	multi   bool   // a message had the Multi flag: the reply is multi-part
	intr    bool   // a message said the dump was interrupted (checkIntr)
	intrSeq uint32 // with that sequence number
	stopped bool   // the caller stopped: read on, passing nothing on
	ended   bool   // the reply is over: closed, failed, or abandoned

	// dg is the current datagram, from the message after the one being
	// classified or yielded on: what is left of it when a loop body
	// panics.
	dg datagram
	// inBody is set while the loop body runs: still set when the reader
	// is finished, the body panicked or called runtime.Goexit.
	inBody bool
}

// A datagram is one datagram as the socket handed it over, and what is
// known of it.
type datagram struct {
	// Its messages: as bytes (from a rawSocket: raw is set), or as a
	// slice. pos is where the reader stands in them: a byte offset in
	// b, or an index in msgs (see at).
	b    []byte
	raw  bool
	msgs []Message
	pos  int
	// err is a socket's error instead of the datagram, or the error
	// of a malformed message after those before it.
	err error

	mcast  bool // it went to a multicast group
	reply  bool // a message of it was taken for the reply
	asided bool // a message of it was set aside
}

// set makes d the datagram b (raw set) or msgs, or the error err, with
// nothing known of it yet. Field by field: a composite literal is built
// on the stack and then copied in wide loads, which stall behind the
// narrow stores that just built it, a few nanoseconds a datagram.
func (d *datagram) set(b []byte, raw bool, msgs []Message, err error) {
	d.b, d.raw, d.msgs, d.pos, d.err = b, raw, msgs, 0, err
	d.mcast, d.reply, d.asided = false, false, false
}

// at notes that what is left of the datagram is b or msgs, the tail of
// its bytes or of its slice.
func (d *datagram) at(b []byte, msgs []Message) {
	if d.raw {
		d.pos = len(d.b) - len(b)
	} else {
		d.pos = len(d.msgs) - len(msgs)
	}
}

// init readies the zero replyReader r for one reply on c: the reply to req,
// sent by Execute, or any reply when req is nil.
func (r *replyReader) init(c *Conn, req *Message) {
	r.c = c
	if req != nil {
		// A copy, which keeps the caller's request on its stack.
		r.sent, r.hasReq, r.want = *req, true, req.Header.Sequence
		if r.want != 0 {
			r.seqMask = ^uint32(0)
		}
		if r.sent.Header.PID != 0 {
			r.pidMask = ^uint32(0)
		}
	}
	r.newFlags = Multi
	r.checkIntr = c.rx.checkIntr.Load()
	// Only a failed read adds to the abandoned replies, and it ends
	// the reply: what holds now holds throughout.
	r.stale = c.rx.nstale > 0
	r.debug = debugger != nil
}

// read reads datagrams until the reply ends: it is over, or it is not
// multi-part and a datagram brought some of it. An empty datagram, which
// the kernel never sends and a fake socket sends to say "nothing more",
// also ends it, rather than leave the reader waiting for ever for a Done
// message.
func (r *replyReader) read() {
	r.slow = r.debug || r.stale || r.checkIntr || r.validate || r.w != nil || r.stopped
	for {
		r.receive()
		n := r.walk()
		r.logTrace()
		if r.ended || n == 0 || (r.started && !r.multi) {
			break
		}
	}
	if r.intr && !r.stopped {
		r.tell(dumpInterruptedError(r.intrSeq))
	}
}

// receive reads the next datagram into r.dg. The package's own socket
// hands it over as bytes, which the reader decodes in place; nltest's as
// a slice of messages; any other Socket's ReceiveIter yields its messages,
// which are gathered first, so that all are read alike.
func (r *replyReader) receive() {
	rx := r.c.rx
	r.plain = false
	if r.run != nil {
		// The socket's slice is only good until the next read.
		r.keepRun()
	}
	switch {
	case rx.raw != nil:
		b, err := rx.raw.receiveRaw()
		r.dg.set(b, true, nil, err)
		if err == nil && rx.mcast != nil {
			r.dg.mcast = rx.mcast.datagramMulticast()
		}
	case rx.dgram != nil:
		msgs, err := rx.dgram.ReceiveDatagram()
		r.dg.set(nil, false, msgs, err)
	default:
		msgs, err := rx.receiveIter(r.c.sock)
		r.dg.set(nil, false, msgs, err)
	}
}

// walk passes the messages of the current datagram, from where it stands,
// through classify, gives the caller those it keeps, and returns how many
// it looked at. It stops where the reply stops; a malformed message, or
// an error in place of the datagram, fails the reply. Messages given as
// bytes are decoded once, straight into their place: the next slot of
// res when collecting, cur when yielding. What is left of the datagram is
// kept in locals, and noted in r.dg.pos only before a call that may need
// it (a loop body that panics leaves it there for finish): an integer,
// which costs no write barrier per message as a slice would.
func (r *replyReader) walk() int {
	n := 0
	b, msgs := r.dg.b, r.dg.msgs
	if r.dg.raw {
		b = b[r.dg.pos:]
	} else {
		msgs = msgs[r.dg.pos:]
	}
	var one []Message // m, when it is in msgs
	for {
		var m *Message
		switch {
		case len(msgs) > 0:
			if r.plain && r.yield == nil {
				if k := r.plainRun(msgs); k > 0 {
					msgs = msgs[k:]
					n += k
					continue
				}
			}
			one = msgs[:1]
			m, msgs = &msgs[0], msgs[1:]
		case moreMessages(b):
			switch {
			case r.yield != nil:
				m = &r.cur
			case len(r.res) < cap(r.res):
				m = &r.res[:len(r.res)+1][len(r.res)]
			default:
				m = r.slot()
			}
			rest, err := nextMessage(b, m)
			if err != nil {
				*m = Message{}
				b, r.dg.err = nil, err
				continue
			}
			b = rest
		default:
			r.dg.at(b, msgs)
			if r.dg.err != nil {
				r.fail(&OpError{Op: "receive", Err: r.dg.err}, true)
			}
			return n
		}
		n++
		v := keep
		if !r.plainPass(&m.Header) {
			v = r.classify(m)
		}
		if v == keep && r.yield == nil && !r.resize {
			// Collected: decoded in place, counted in; or, from a
			// slice, added as a run of one.
			if r.dg.raw {
				r.res = r.res[:len(r.res)+1]
			} else {
				r.addRun(one)
			}
			continue
		}
		switch {
		case v == keep && r.yield != nil:
			// Yielded here rather than in a call of keep, which
			// this loop makes once a message. What is left is
			// noted first, should the body panic. A body that
			// stops the loop makes the reader drain the rest of a
			// multi-part reply; a single datagram was the whole
			// reply, and the rest of it is dropped.
			r.dg.at(b, msgs)
			r.inBody = true
			more := r.yield(*m, nil)
			r.inBody = false
			if !more {
				r.stopLoop()
				if r.ended {
					return n
				}
			}
		case v == keep:
			r.keep(m)
		case v == drop:
			r.unslot(m)
		default: // stop
			r.unslot(m)
			return n
		}
	}
}

// plainRun collects at once the messages at the start of msgs that
// plainPass keeps, when collecting with r.plain set (walk checks both, so
// that a yielding reader pays no call), and returns how many: one run,
// rather than a trip around walk's loop for each.
func (r *replyReader) plainRun(msgs []Message) int {
	k := 0
	for k < len(msgs) && r.plainPass(&msgs[k].Header) {
		k++
	}
	if k > 0 {
		r.addRun(msgs[:k])
	}
	return k
}

// addRun adds run, messages of the current datagram's slice, to the reply
// collected. The reply's first run is only noted, and grown while the
// messages kept stay adjacent in the slice: when it turns out to be the
// whole reply, as a reply in one datagram mostly is, collectFor copies it
// once, straight into the result, and no pooled slice is taken, filled and
// cleared. Otherwise (a message dropped within it, or a next datagram)
// it is copied to res first, and the reply goes on there.
func (r *replyReader) addRun(run []Message) {
	switch {
	case len(run) == 0:
		return
	case r.run == nil && len(r.res) == 0:
		r.run = run
		return
	case len(r.run) < cap(r.run) && &r.run[:len(r.run)+1][len(r.run)] == &run[0]:
		r.run = r.run[:len(r.run)+len(run)]
		return
	}
	r.keepRun()
	r.appendRes(run)
}

// keepRun copies the noted run (see addRun) to res.
func (r *replyReader) keepRun() {
	run := r.run
	r.run = nil
	r.appendRes(run)
}

// appendRes appends msgs to res, growing it as needed.
func (r *replyReader) appendRes(msgs []Message) {
	if len(r.res)+len(msgs) > cap(r.res) {
		r.grow(len(msgs))
	}
	r.res = append(r.res, msgs...)
}

// slot returns where the next message given as bytes is decoded when res is
// full (walk takes the common cases itself: cur when yielding, the next
// place in res); keep then counts it in, unslot clears it.
func (r *replyReader) slot() *Message {
	r.grow(1)
	return &r.res[:len(r.res)+1][len(r.res)]
}

// unslot clears m when it is the slot past the end of res, so that the
// pooled slice keeps no message's data alive.
func (r *replyReader) unslot(m *Message) {
	if r.yield == nil && r.dg.raw {
		*m = Message{}
	}
}

// keep adds m, a message of the reply, to res, when collecting, in the
// cases walk does not take itself (walk also yields to a loop body
// itself).
func (r *replyReader) keep(m *Message) {
	if r.dg.raw {
		// Decoded in place by walk.
		r.res = r.res[:len(r.res)+1]
	} else {
		if r.run != nil {
			r.keepRun() // in order: what the run holds came first
		}
		if len(r.res) == cap(r.res) {
			r.grow(1)
		}
		r.res = append(r.res, *m)
	}
	if r.resize {
		r.sizeFromHint()
	}
}

// stopLoop notes that the loop body stopped the loop.
func (r *replyReader) stopLoop() {
	r.stopped, r.slow, r.plain = true, true, false
	if !r.multi {
		r.ended = true
	}
}

// tell gives err, which ends the reply, to the caller, unless it stopped.
func (r *replyReader) tell(err error) {
	switch {
	case r.stopped:
	case r.yield == nil:
		r.err = err
	default:
		r.yield(Message{}, err)
	}
}

// logTrace logs the current datagram's messages for NLDEBUG.
func (r *replyReader) logTrace() {
	if r.debug && len(r.trace) > 0 {
		debugger.log(r.c.family, debugRecv, r.trace)
		r.trace = r.trace[:0]
	}
}

// fail ends the reply with err, which the caller gets unless it stopped.
// An error of the socket (abandon set), rather than one the kernel
// reported, leaves the rest of the reply unread: the Conn remembers it so
// that a later Execute does not take it for its own reply.
func (r *replyReader) fail(err error, abandon bool) {
	r.ended = true
	r.intr = false // a failed reply's error is what counts
	err = r.w.err(err)
	if oe, ok := err.(*OpError); ok && r.hasReq {
		annotateOffset(oe, r.c.family, r.sent)
	}
	if abandon {
		r.c.rx.abandon(r)
	}
	r.tell(err)
}

// finish ends a reader whose messages a loop body consumed (ReceiveIter,
// ExecuteIter): deferred, it runs also when the body panicked or called
// runtime.Goexit, and then leaves the Conn as an early break does. The
// panic goes on unchanged: nothing here recovers it.
//
// After a panic, nothing more is yielded (a sequence must not call its
// yield function again once it failed to return); a single-datagram reply
// is over, and the rest of a multi-part one is read and dropped, starting
// with what follows, in its datagram, the message the body was given. That
// is read by the same code as after a break, which a bad datagram makes
// fail, not panic, and which waits for nothing the kernel is not producing:
// each datagram of a dump is built as the previous one is read. The
// deadlines in force, and a context's end, still end it.
func (r *replyReader) finish() {
	if r.inBody {
		r.inBody = false
		r.stopLoop()
		if !r.ended {
			r.walk()
			r.logTrace()
			if !r.ended {
				r.read()
			}
		}
	}
	r.release()
}

// firstLen is the capacity of the first slice a reply is collected in;
// maxPooled that of the largest slice kept for the next reply (2.5 MiB of
// Messages). Larger ones are left to the garbage collector, so that one
// huge dump does not keep its memory for ever.
const (
	firstLen  = 64
	maxPooled = 1 << 16
)

// gathers pools the slices replies are collected in: a reply of any length
// then costs one allocation, its result, made to measure from the pooled
// slice (see collectFor; TestNoAllocs).
var gathers = sync.Pool{New: func() any {
	c := make([]Message, 0, firstLen)
	return &c
}}

// sizeFromHint moves a reply read as bytes that turned out to be
// multi-part, on a Conn whose last multi-part reply was long, from the
// pooled slice into its result, made about the length of that last one. A
// dump like the last then costs no copy into a result made to measure, and
// does not depend on a pooled slice of its size surviving garbage
// collections. This second store pays for itself: without it, Execute of a
// kernel dump of 10,000 routes (BenchmarkKernelDump) took 9% and 20% longer
// in two sets of six interleaved runs, and one allocation more per dump (21
// against 20).
func (r *replyReader) sizeFromHint() {
	r.resize = false
	if r.resp == nil {
		return // nothing gathered yet: keep has always gathered it
	}
	out := make([]Message, len(r.res), max(r.hint+r.hint/16+4, len(r.res)+1))
	copy(out, r.res)
	// The pooled slice goes back with the reader, as it would have.
	clear(r.res)
	*r.resp = r.res[:0]
	r.res, r.direct = out, true
}

// grow makes room for at least n more messages in res: it takes a slice
// from gathers for the first, and at least doubles it after.
func (r *replyReader) grow(n int) {
	if r.resp == nil {
		r.resp = gathers.Get().(*[]Message)
		r.res = (*r.resp)[:0]
		if cap(r.res) >= n {
			return
		}
	}
	r.res = slices.Grow(r.res, max(len(r.res), firstLen, n))
}

// release gives res back to gathers, cleared, so that the pool keeps no
// reply's data alive, and forgets the datagram gathered from a Socket's
// iterator.
func (r *replyReader) release() {
	r.putGather()
	r.c.rx.forgetIter()
}

// putGather gives the pooled slice res was gathered in back to gathers,
// cleared.
func (r *replyReader) putGather() {
	if r.resp == nil {
		return
	}
	if !r.direct {
		clear(r.res)
		*r.resp = r.res[:0]
	}
	if cap(*r.resp) <= maxPooled {
		gathers.Put(r.resp)
	}
	r.res, r.resp = nil, nil
}
