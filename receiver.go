package netlink

import (
	"iter"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
)

// A receiver is the receiving side of a Conn: the lock that gives whole
// replies to one caller at a time, and what the Conn remembers of exchanges
// it gave up on, so that their leftovers never pass for a later reply.
//
// An exchange is abandoned when reading its reply fails for a reason of the
// socket rather than the kernel (a deadline, ENOBUFS, a malformed datagram,
// Close) before the reply ended. The rest of the reply may still come; a
// dump, moreover, stays open in the kernel until it is read to its end, and
// the kernel answers any new dump request on the socket with EBUSY until
// then. So the Conn records the sequence numbers of abandoned replies, and
// before Execute sends its request it reads what the socket has queued
// without waiting (which also lets the kernel finish an open dump, since it
// builds each next datagram of a dump as the previous one is read),
// dropping those leftovers. Other messages found on the way, such as
// multicast notifications, are set aside for the next Receive. While
// reading its reply, Execute also passes over any leftover that arrives
// late, and sets aside the notifications that arrive (see
// replyReader.notification).
type receiver struct {
	mu sync.Mutex // held by a receiver for a whole reply; by Execute from its Send on

	// Guarded by mu.
	stale  [8]staleReply // abandoned replies, most recent last
	nstale int           // how many of stale are in use
	dirty  bool          // an exchange was abandoned since Execute last drained
	// aside holds what a drain or Execute read that is for the next
	// receiver: messages of no exchange of this Conn, and errors. It is
	// made when first needed (see store), as most Conns never need it,
	// and an idle Conn should hold little.
	aside *asideStore

	// replyHint is the length of the last multi-part reply collected,
	// from which the next one is sized (see replyReader.sizeFromHint).
	replyHint int

	// lastSent is the sequence number of the last message sent, which a
	// Receive that fails before any message arrived gives up on.
	lastSent atomic.Uint32

	// checkIntr is the CheckDumpInterrupted opt-in.
	checkIntr atomic.Bool

	// The Socket as a rawSocket or a datagramSocket, when it is one:
	// asserted once, rather than for every datagram.
	raw   rawSocket
	dgram datagramSocket
	// mcast is the Socket as a multicastSocket, when it is one.
	mcast multicastSocket
	// For any other Socket, gather holds what one use of its ReceiveIter
	// yields; made on the first such read.
	gather *iterGather

	// iter is Conn.receiveIter as a function value, made once.
	iter iter.Seq2[Message, error]

	// deadlines shares the socket's read deadline between the caller's
	// setters and context-aware calls.
	deadlines readDeadlines
}

// abandon records that r's reply was given up on. The reply of an Execute
// is nobody else's, so its leftovers are dropped by every receiver; those
// of a reply a Receive or ReceiveIter gave up on only by Execute, since
// the caller may still go on reading it (after a deadline, say).
func (rx *receiver) abandon(r *replyReader) {
	rx.dirty = true
	switch {
	case r.want != 0:
		rx.addStale(r.want, true)
	case !r.started:
		rx.addStale(rx.lastSent.Load(), false)
	}
	if r.started && r.seq != r.want {
		rx.addStale(r.seq, r.want != 0)
	}
}

// A staleReply is the sequence number of an abandoned reply.
type staleReply struct {
	seq    uint32
	orphan bool // abandoned by Execute: dropped by every receiver
}

// addStale records seq as the sequence number of an abandoned reply,
// forgetting the oldest one when full. Sequence numbers grow with each
// request, so an old one does not come back for billions of requests.
func (rx *receiver) addStale(seq uint32, orphan bool) {
	if seq == 0 {
		return
	}
	for i := range rx.stale[:rx.nstale] {
		if rx.stale[i].seq == seq {
			rx.stale[i].orphan = rx.stale[i].orphan || orphan
			return
		}
	}
	if rx.nstale == len(rx.stale) {
		copy(rx.stale[:], rx.stale[1:])
		rx.nstale--
	}
	rx.stale[rx.nstale] = staleReply{seq, orphan}
	rx.nstale++
}

// isStale reports whether a message with sequence number seq is what is
// left of an abandoned reply, for Execute or, with execute false, for
// another receiver.
func (rx *receiver) isStale(seq uint32, execute bool) bool {
	for _, s := range rx.stale[:rx.nstale] {
		if s.seq == seq {
			return execute || s.orphan
		}
	}
	return false
}

// hasPending reports whether anything was set aside for the next
// receiver.
func (rx *receiver) hasPending() bool {
	return rx.aside != nil && rx.aside.has()
}

// store returns the Conn's store of what is set aside, made on first use.
func (rx *receiver) store() *asideStore {
	if rx.aside == nil {
		rx.aside = new(asideStore)
	}
	return rx.aside
}

// takePending returns what was set aside for the next receiver: an error
// noted, alone, or else every message.
func (rx *receiver) takePending() ([]Message, error) {
	return rx.aside.take()
}

// setAside keeps *m, with its datagram's MessageInfo, for the Conn's next
// receiver (see replyReader.notification), and returns classify's verdict:
// drop, or stop when the reply failed.
func (r *replyReader) setAside(m *Message) verdict {
	rx := r.c.rx
	info := MessageInfo{NSID: -1}
	if rx.mcast != nil {
		info = rx.mcast.datagramInfo()
	}
	st := rx.store()
	st.add(m, info, !r.dg.asided)
	r.dg.asided = true
	if st.full && rx.mcast == nil {
		// A Socket that cannot tell a multicast datagram, such as a
		// fake one, that sent 4 MiB of messages and no reply will
		// not send it: end here rather than read for ever.
		r.fail(&OpError{Op: "receive", Err: os.NewSyscallError("recvmsg", syscall.ENOBUFS)}, true)
		return stop
	}
	return drop
}

// An iterGather gathers what one use of a Socket's ReceiveIter yields.
type iterGather struct {
	msgs []Message
	err  error
	keep func(Message, error) bool // g.keepIter, made once
}

// receiveIter reads one datagram through sock's ReceiveIter, for a Socket
// that hands datagrams over in no other way: it returns the messages
// yielded, and the error yielded after them, if any. The slice is the
// receiver's, good until the next call or forgetIter.
func (rx *receiver) receiveIter(sock Socket) ([]Message, error) {
	rx.forgetIter()
	g := rx.gather
	if g == nil {
		g = new(iterGather)
		g.keep = g.keepIter
		rx.gather = g
	}
	sock.ReceiveIter()(g.keep)
	return g.msgs, g.err
}

// keepIter is the yield function of receiveIter.
func (g *iterGather) keepIter(m Message, err error) bool {
	if err != nil {
		g.err = err
		return false
	}
	g.msgs = append(g.msgs, m)
	return true
}

// forgetIter clears what receiveIter gathered, keeping no message's data
// alive.
func (rx *receiver) forgetIter() {
	if g := rx.gather; g != nil {
		clear(g.msgs)
		g.msgs, g.err = g.msgs[:0], nil
	}
}

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

// A multicastSocket is a Socket that tells, of the datagram whose messages
// it is handing over, its MessageInfo and whether it went to a multicast
// group; the socket of Dial is one.
type multicastSocket interface {
	infoSocket
	datagramMulticast() bool
}

// A drainer is a Socket that can read what is queued without waiting for
// more; the socket of Dial is one.
type drainer interface {
	receiveNow() ([]byte, datagramMeta, error)
}

// drain reads without waiting what the socket has queued, dropping the
// leftovers of abandoned replies and setting anything else aside, with its
// datagram's MessageInfo, for the next receiver; see receiver. An error of
// the socket ends it and is kept for the next receiver too. c.rx.mu must
// be held.
func (c *Conn) drain() {
	rx := c.rx
	rx.dirty = false
	d, ok := c.sock.(drainer)
	if !ok {
		return
	}
	for {
		b, meta, err := d.receiveNow()
		if err != nil {
			rx.store().fail(err)
			return
		}
		if b == nil {
			return
		}
		first := true
		var failed bool
		yieldMessages(b, func(m Message, err error) bool {
			if err != nil {
				rx.store().fail(err)
				failed = true
				return false
			}
			if debugger != nil {
				debugger.log(c.family, debugRecv, []Message{m})
			}
			// A multicast datagram is nobody's reply, whatever
			// sequence number it carries.
			if meta.multicast || !rx.isStale(m.Header.Sequence, true) {
				rx.store().add(&m, meta.info, first)
				first = false
			}
			return true
		})
		if failed {
			return
		}
	}
}
