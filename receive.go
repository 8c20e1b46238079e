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
	r.collect, r.w, r.hint = true, w, rx.replyHint
	r.read()
	var msgs []Message
	switch {
	case r.err != nil && !r.intr, !r.started:
	case r.run != nil:
		// The whole reply came in one run of a datagram's messages.
		msgs = make([]Message, len(r.run))
		copy(msgs, r.run)
	case r.out != nil:
		msgs = r.out
		if cap(msgs)-len(msgs) > len(msgs)/2+64 {
			// Far shorter than the last: do not hold on to the
			// difference.
			msgs = slices.Clone(msgs)
		}
	default:
		// Made to measure, and non-nil even when empty, as for a
		// dump of nothing.
		n := len(r.res)
		for _, c := range r.full {
			n += len(*c)
		}
		msgs = make([]Message, n)
		k := 0
		for _, c := range r.full {
			k += copy(msgs[k:], *c)
		}
		copy(msgs[k:], r.res)
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

// firstLen is the capacity of the first slice a reply is gathered in, and
// chunkLen that of the slices a longer reply goes on in: the first grows to
// chunkLen, then more slices of chunkLen messages follow. All are reused,
// so a reply of any length costs one allocation for its result, made to
// measure, and is copied once.
const (
	firstLen = 64
	chunkLen = 4096
)

// gathers pools the slices replies are gathered in that are shorter than
// chunkLen; chunks pools those of chunkLen.
var (
	gathers = sync.Pool{New: func() any {
		c := make([]Message, 0, firstLen)
		return &c
	}}
	chunks = sync.Pool{New: func() any {
		c := make([]Message, 0, chunkLen)
		return &c
	}}
)

// init readies the zero replyReader r for one reply on c: the reply to req,
// sent by Execute, or any reply when req is nil. A replyReader lives on its
// caller's stack; it takes gathering slices from the pools only when a
// reply needs them, and release gives them back.
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

// finish ends a reader whose messages a loop body consumed (ReceiveIter,
// ExecuteIter): deferred, it runs also when the body panicked or called
// runtime.Goexit, and then leaves the Conn as an early break does (see
// bodyLeft). The panic goes on unchanged: nothing here recovers it.
func (r *replyReader) finish() {
	if r.inBody {
		r.inBody = false
		r.bodyLeft()
	}
	r.release()
}

// bodyLeft finishes the reply after the loop body was left by a panic or
// runtime.Goexit, as one does after a break: nothing more is yielded (a
// sequence must not call its yield function again once it failed to
// return), a single-datagram reply is over, and the rest of a multi-part
// reply is read and dropped, starting with what follows the message the
// body was given in its datagram, which holds the closing Done message
// when that message was the last. That part is read by the same code as a
// break's, which a bad datagram makes fail, not panic; and it waits for
// nothing that the kernel is not producing: each datagram of a dump is
// built as the previous one is read. The deadlines in force, and a
// context's end, still end it.
func (r *replyReader) bodyLeft() {
	r.stopped, r.slow, r.plain = true, true, false
	if !r.multi {
		r.ended = true
	}
	if r.ended {
		return
	}
	if r.lost {
		// The Socket's iterator held the rest of the datagram, and
		// the panic took it: without its end, the reply is only
		// known as one to pass over when its leftovers come.
		r.ended = true
		rx := r.c.rx
		rx.dirty = true
		rx.addStale(r.seq, true)
		return
	}
	rest, msgs := r.restRaw, r.restMsgs
	r.restRaw, r.restMsgs = nil, nil
	r.passRaw(rest)
	r.passMsgs(msgs)
	if r.debug && len(r.trace) > 0 {
		debugger.log(r.c.family, debugRecv, r.trace)
		r.trace = r.trace[:0]
	}
	if r.more() {
		r.read()
	}
}

// release gives the slices r gathered the reply in back to the pools,
// cleared, so that the pools keep no reply's data alive.
func (r *replyReader) release() {
	if r.resp != nil || r.full != nil {
		r.putGathers()
	}
}

// putGathers is release for a reader that took slices from the pools.
func (r *replyReader) putGathers() {
	for _, p := range r.full {
		putGather(p, *p)
	}
	if r.resp != nil {
		putGather(r.resp, r.res)
	}
	r.res, r.resp, r.full = nil, nil, nil
}

// putGather clears c and gives it back to its pool in p, which it came in
// (or, grown, in which the slice it grew from came).
func putGather(p *[]Message, c []Message) {
	clear(c)
	*p = c[:0]
	if cap(c) == chunkLen {
		chunks.Put(p)
	} else {
		gathers.Put(p)
	}
}

// A replyReader follows a reply message by message, for ReceiveIter (which
// yields the messages) or for Receive and Execute (which collect them).
type replyReader struct {
	c *Conn

	// ReceiveIter's consumer; unused when collecting.
	yield func(Message, error) bool

	// Receive's results, when collect is set.
	collect bool
	res     []Message    // the messages gathered in the current slice
	resp    *[]Message   // what res came from the pool in
	full    []*[]Message // earlier slices, each chunkLen messages long
	// run, when set, is the reply so far: a run of messages of the
	// current datagram, in the datagramSocket's slice and not yet copied
	// (see addRun).
	run  []Message
	hint int       // the length of the Conn's last multi-part reply
	out  []Message // the result, when gathered straight into it
	err  error

	// With hasReq set, sent is Execute's request and want its sequence
	// number. With validate set (ExecuteIter, which always has a
	// request), each message of the reply is checked against it as
	// Validate does.
	sent     Message
	hasReq   bool
	want     uint32
	validate bool

	// intr is set when the reply is a dump that a message, or the Done
	// closing it, says was interrupted; with checkIntr (the Conn's
	// CheckDumpInterrupted) the reply then ends with ErrDumpInterrupted.
	checkIntr bool
	intr      bool
	intrSeq   uint32
	// w watches the context of a context-aware call; nil otherwise.
	w *ctxWatch

	// plain is set when check has only the common case to look at: the
	// reply started, the reader is not slow, and a message of the current
	// datagram went through checkAll. Then a message that is no Done or
	// Error, has none of newFlags and matches the request (in the bits
	// of seqMask and pidMask) changes nothing.
	plain            bool
	newFlags         HeaderFlags
	seqMask, pidMask uint32
	verr             error  // Execute's reply fails Validate: see noteInvalid
	started          bool   // a message of the reply arrived
	seq              uint32 // the sequence number of its first message
	multi            bool   // a message had the Multi flag: the reply is multi-part
	stopped          bool   // the consumer stopped: read on, passing nothing on
	ended            bool   // the reply is over: closed, failed, or abandoned

	got   int       // messages in the current datagram
	trace []Message // the current datagram's messages, for NLDEBUG only
	debug bool      // NLDEBUG is on
	stale bool      // the Conn has abandoned replies whose leftovers to skip

	// inBody is set while the consumer's loop body runs: still set when
	// the reader is finished, the body panicked or called Goexit. What
	// follows the message it was given in its datagram is then in
	// restRaw or restMsgs; or, with lost set, was in a Socket's iterator.
	inBody   bool
	restRaw  []byte
	restMsgs []Message
	lost     bool
	// slow is set when any of debug, stale, checkIntr, validate, w or
	// stopped is: check then does more than the common case.
	slow bool

	// For Execute: mcast is set when the current datagram went to a
	// multicast group, dgReply once a message of it was taken for the
	// reply, and asided once one of it was set aside (see notification).
	mcast   bool
	dgReply bool
	asided  bool
}

// read reads datagrams through the socket's iterator, which makes no slice
// per datagram, until the reply ends.
func (r *replyReader) read() {
	r.slow = r.debug || r.stale || r.checkIntr || r.validate || r.w != nil || r.stopped
	for {
		r.got, r.plain = 0, false
		r.mcast, r.dgReply, r.asided = false, false, false
		r.readDatagram()
		if r.debug && len(r.trace) > 0 {
			debugger.log(r.c.family, debugRecv, r.trace)
			r.trace = r.trace[:0]
		}
		if !r.more() {
			break
		}
	}
	if r.intr && !r.stopped {
		err := dumpInterruptedError(r.intrSeq)
		if r.collect {
			r.err = err
		} else {
			r.yield(Message{}, err)
		}
	}
}

// more reports whether the reply goes on in another datagram: it is
// multi-part and not over, or only messages of abandoned exchanges came so
// far. An empty datagram, which the kernel never sends and a fake socket
// sends to say "nothing more", also ends it, rather than leave the reader
// waiting for ever for a Done message.
func (r *replyReader) more() bool {
	return !r.ended && r.got > 0 && (r.multi || !r.started)
}

// readDatagram reads one datagram and passes its messages to one. The
// package's own sockets hand the datagram over whole, which spares a call
// through a function value per message; any other Socket is read through
// its ReceiveIter.
func (r *replyReader) readDatagram() {
	rx := r.c.rx
	switch {
	case rx.raw != nil:
		b, err := rx.raw.receiveRaw()
		if err != nil {
			r.fail(&OpError{Op: "receive", Err: err}, true)
			return
		}
		if rx.mcast != nil {
			r.mcast = rx.mcast.datagramMulticast()
		}
		if r.collect {
			r.collectRaw(b)
			return
		}
		r.passRaw(b)
	case rx.dgram != nil:
		if r.run != nil {
			// The socket's slice is only good until the next read.
			r.keepRun()
		}
		msgs, err := rx.dgram.ReceiveDatagram()
		if err != nil {
			r.fail(&OpError{Op: "receive", Err: err}, true)
			return
		}
		if r.collect {
			r.collectDatagram(msgs)
			return
		}
		r.passMsgs(msgs)
	default:
		r.readIter()
	}
}

// passRaw passes the messages of the datagram b, or of what is left of it,
// to one.
func (r *replyReader) passRaw(b []byte) {
	var m Message
	for moreMessages(b) {
		rest, err := nextMessage(b, &m)
		if err != nil {
			r.fail(&OpError{Op: "receive", Err: err}, true)
			return
		}
		r.restRaw = rest
		if !r.one(&m) {
			return
		}
		b = rest
	}
}

// passMsgs passes msgs, the messages of a datagram or what is left of
// them, to one.
func (r *replyReader) passMsgs(msgs []Message) {
	for i := range msgs {
		r.restMsgs = msgs[i+1:]
		if !r.one(&msgs[i]) {
			return
		}
	}
}

// readIter reads one datagram through the Socket's ReceiveIter. The
// function value it passes the iterator may be kept by it, so it cannot
// point to r, which is on its caller's stack: the reading goes on in a
// pooled replyReader on the heap, r's state copied to it and back.
func (r *replyReader) readIter() {
	h := iterReaders.Get().(*iterReader)
	h.r = *r
	defer r.iterDone(h)
	r.c.sock.ReceiveIter()(h.next)
}

// iterDone copies back the state of readIter's heap reader, also when the
// loop body panicked in the Socket's iterator, which then took the rest of
// the datagram with it.
func (r *replyReader) iterDone(h *iterReader) {
	*r = h.r
	r.lost = r.inBody
	h.r = replyReader{}
	iterReaders.Put(h)
}

// An iterReader is the heap replyReader of readIter, with its function
// value made once.
type iterReader struct {
	r    replyReader
	next func(Message, error) bool // r.next
}

var iterReaders = sync.Pool{New: func() any {
	h := new(iterReader)
	h.next = h.r.next
	return h
}}

// A rawSocket is a Socket that hands over each datagram as it came, with
// the MessageInfo it keeps for datagramInfo; the socket of Dial is one.
type rawSocket interface {
	receiveRaw() ([]byte, error)
}

// A datagramSocket is a Socket that hands over the messages of a datagram
// as a slice, which are those ReceiveIter would yield; the fake socket of
// package nltest is one. The slice is read, never modified or kept.
type datagramSocket interface {
	ReceiveDatagram() ([]Message, error)
}

// next is the yield function given to a socket's iterator: it passes on
// one message of the reply, or the error it carries, and reports whether
// to go on with the datagram.
func (r *replyReader) next(m Message, err error) bool {
	if err != nil {
		r.fail(&OpError{Op: "receive", Err: err}, true)
		return false
	}
	return r.one(&m)
}

// What check makes of a message.
const (
	msgPass = iota // a message of the reply, to pass on
	msgSkip        // nothing to pass on: a leftover, or the reader drains
	msgStop        // the datagram is over for the reply: it ended or failed
)

// check decides what m means for the reply; it is the one place that does.
// It notes what m says of the reply (started, multi-part, interrupted) and
// ends the reply on a closing Done, an error, a reply that fails
// validation (ExecuteIter) or a context that ended.
func (r *replyReader) check(m *Message) int {
	if r.plainPass(&m.Header) {
		return msgPass
	}
	return r.checkAll(m)
}

// plainPass reports whether check would pass a message with header h and
// change nothing else: the common case of a message in the middle of a
// reply, on a reader with nothing more to do, which Execute's request would
// pass: its sequence and PID test is validateReply's, in masks, and must
// stay so (TestPlainPassValidates). It is small enough to be inlined where
// messages are collected.
func (r *replyReader) plainPass(h *Header) bool {
	return r.plain && h.Type-Error > Done-Error && h.Flags&r.newFlags == 0 &&
		(h.Sequence^r.want)&r.seqMask == 0 && ((h.PID^r.sent.Header.PID)&r.pidMask == 0 || h.PID == 0)
}

// checkAll is check for any message.
func (r *replyReader) checkAll(m *Message) int {
	r.got++
	if r.debug {
		r.trace = append(r.trace, *m)
	}
	if r.hasReq && r.notification(&m.Header) {
		return r.setAside(m)
	}
	if r.slow {
		if r.stale && !r.mcast && m.Header.Sequence != r.want && r.c.rx.isStale(m.Header.Sequence, r.want != 0) {
			// What is left of an exchange this Conn gave up on.
			return msgSkip
		}
		if r.checkIntr && messageInterrupted(m) {
			r.intr, r.intrSeq = true, m.Header.Sequence
		}
	}
	r.dgReply = true
	if !r.started {
		r.started, r.seq = true, m.Header.Sequence
	}
	if m.Header.Flags&Multi != 0 {
		r.multi = true
	}
	if t := m.Header.Type; t == Done || t == Error {
		if closes, err := closesReply(m); closes {
			// What follows in the datagram is not part of the
			// reply.
			r.ended = true
			if err != nil {
				r.fail(err, false)
			}
			return msgStop
		}
	}
	if !r.slow {
		if r.hasReq {
			r.noteInvalid(&m.Header)
		}
		// Only Execute's collecting readers have a request and are
		// not slow (ExecuteIter's validate makes it slow).
		r.plain = r.started
		if r.multi {
			r.newFlags = 0
		}
		return msgPass
	}
	if r.stopped {
		// Drain: the consumer wants nothing more.
		return msgSkip
	}
	if r.validate {
		if err := validateReply(&r.sent, &m.Header); err != nil {
			r.fail(err, true)
			return msgStop
		}
	}
	if r.w != nil {
		// The context may end between two messages of a datagram, or
		// in the consumer's loop body.
		if err := r.w.ctx.Err(); err != nil {
			r.fail(&OpError{Op: "receive", Err: err}, true)
			return msgStop
		}
	}
	if r.hasReq && !r.validate {
		r.noteInvalid(&m.Header)
	}
	return msgPass
}

// noteInvalid notes in r.verr the first message of Execute's reply that
// fails Validate, which Execute then reports as Validate would have: the
// reply is checked as it is read, not in a second pass.
func (r *replyReader) noteInvalid(h *Header) {
	if r.verr == nil {
		r.verr = validateReply(&r.sent, h)
	}
}

// one passes on *m, a message of the datagram, as check decides, and
// reports whether to go on with the datagram.
func (r *replyReader) one(m *Message) bool {
	switch r.check(m) {
	case msgSkip:
		return true
	case msgStop:
		return false
	}
	if r.collect {
		r.add(m)
		return true
	}
	r.inBody = true
	more := r.yield(*m, nil)
	r.inBody = false
	if !more {
		r.stopped, r.slow, r.plain = true, true, false
		if !r.multi {
			// Not multi-part, so this datagram is the whole reply.
			r.ended = true
			return false
		}
	}
	return true
}

// collectRaw gathers the messages of the datagram b that check passes,
// decoding each straight into its place in the result: a message decoded
// elsewhere and then copied would be read back, in wide loads, from the
// narrow stores that just wrote it (see decodeHeader).
func (r *replyReader) collectRaw(b []byte) {
	for moreMessages(b) {
		if r.out == nil && len(r.res) == cap(r.res) {
			r.grow()
		}
		m := r.slot()
		rest, err := nextMessage(b, m)
		if err != nil {
			*m = Message{}
			r.fail(&OpError{Op: "receive", Err: err}, true)
			return
		}
		if r.plainPass(&m.Header) {
			r.commit()
			b = rest
			continue
		}
		switch r.checkAll(m) {
		case msgPass:
			r.commit()
		case msgSkip:
			*m = Message{}
		case msgStop:
			*m = Message{}
			return
		}
		b = rest
	}
}

// slot returns where the next message of the reply goes, past the end of
// the messages gathered so far; commit then counts it in. In r.res there
// is always room for it (see collectRaw).
func (r *replyReader) slot() *Message {
	if r.out != nil {
		if len(r.out) == cap(r.out) {
			r.out = slices.Grow(r.out, 1)
		}
		return &r.out[:len(r.out)+1][len(r.out)]
	}
	return &r.res[:len(r.res)+1][len(r.res)]
}

// commit counts in the message that slot returned.
func (r *replyReader) commit() {
	if r.out != nil {
		r.out = r.out[:len(r.out)+1]
		return
	}
	r.res = r.res[:len(r.res)+1]
	if r.multi {
		r.sizeFromHint()
	}
}

// collectDatagram gathers the messages of msgs that check passes, copying
// each run of them at once.
func (r *replyReader) collectDatagram(msgs []Message) {
	start := 0
	for i := range msgs {
		if r.plainPass(&msgs[i].Header) {
			continue
		}
		switch r.checkAll(&msgs[i]) {
		case msgSkip:
			r.addRun(msgs[start:i])
			start = i + 1
		case msgStop:
			r.addRun(msgs[start:i])
			return
		}
	}
	r.addRun(msgs[start:])
}

// addRun adds msgs, messages of the current datagram, to the collected
// reply. The first run of a reply is only noted, not copied: when it turns
// out to be the whole reply, as it most often is, collectFor copies it once
// into the result, made to measure.
func (r *replyReader) addRun(msgs []Message) {
	if len(msgs) == 0 {
		return
	}
	if r.run == nil && len(r.res) == 0 && r.out == nil && len(r.full) == 0 {
		r.run = msgs
		return
	}
	if r.run != nil {
		r.keepRun()
	}
	r.copyRun(msgs)
}

// keepRun copies the noted run (see addRun) to the collected reply.
func (r *replyReader) keepRun() {
	run := r.run
	r.run = nil
	r.copyRun(run)
}

// copyRun copies msgs to the collected reply.
func (r *replyReader) copyRun(msgs []Message) {
	if r.out == nil {
		r.sizeFromHint()
	}
	if r.out != nil {
		r.out = append(r.out, msgs...)
		return
	}
	for len(msgs) > 0 {
		if len(r.res) == cap(r.res) {
			r.grow()
		}
		n := copy(r.res[len(r.res):cap(r.res)], msgs)
		r.res = r.res[:len(r.res)+n]
		msgs = msgs[n:]
	}
}

// add adds *m to the collected reply: addRun for one message, without the
// cost of a copy of a slice.
func (r *replyReader) add(m *Message) {
	if r.run != nil {
		r.keepRun()
	}
	if r.out == nil {
		r.sizeFromHint()
	}
	if r.out != nil {
		r.out = append(r.out, *m)
		return
	}
	if len(r.res) == cap(r.res) {
		r.grow()
	}
	r.res = append(r.res, *m)
}

// sizeFromHint starts gathering the reply straight into its result when it
// is a dump like the last one of this Conn and longer than the first slice
// a reply is gathered in: the result then has about its size, which spares
// a copy.
func (r *replyReader) sizeFromHint() {
	if r.multi && r.hint > firstLen && len(r.full) == 0 {
		r.out = append(make([]Message, 0, r.hint+r.hint/16+4), r.res...)
		clear(r.res)
		r.res = r.res[:0]
	}
}

// grow makes room for more messages in r.res: it doubles it up to
// chunkLen, then goes on in a new chunk.
func (r *replyReader) grow() {
	if r.resp == nil {
		r.resp = gathers.Get().(*[]Message)
		r.res = (*r.resp)[:0]
		return
	}
	if cap(r.res) < chunkLen {
		r.res = slices.Grow(r.res, min(len(r.res), chunkLen-len(r.res)))
		return
	}
	*r.resp = r.res
	r.full = append(r.full, r.resp)
	r.resp = chunks.Get().(*[]Message)
	r.res = (*r.resp)[:0]
}

// closesReply reports whether m ends the reply it belongs to, and with
// which error: a Done message closing a multi-part reply (with the error of
// a failed dump, if any), or an Error message carrying a failure. An
// acknowledgement (an Error message with code zero) and a Done message
// without the Multi flag are ordinary messages of the reply.
func closesReply(m *Message) (bool, error) {
	switch m.Header.Type {
	case Done:
		if m.Header.Flags&Multi != 0 {
			return true, doneError(m)
		}
	case Error:
		if err := replyError(m); err != nil {
			return true, err
		}
	}
	return false, nil
}

// fail ends the reply with err, which the consumer gets unless it stopped.
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
	switch {
	case r.stopped:
	case r.collect:
		r.err = err
	default:
		r.yield(Message{}, err)
	}
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
func validateReply(request *Message, h *Header) error {
	if request.Header.Sequence != 0 && h.Sequence != request.Header.Sequence {
		return &OpError{Op: "validate", Err: errMismatchedSequence}
	}
	if request.Header.PID != 0 && h.PID != 0 && h.PID != request.Header.PID {
		return &OpError{Op: "validate", Err: errMismatchedPID}
	}
	return nil
}
