package netlink

// This file holds a reference reader: what a Conn makes of the datagrams its
// socket delivers, written to be obviously correct rather than fast, in the
// manner of net/netip's slow_test.go. FuzzReceiveReference feeds the same
// datagrams to it and to a real Conn and requires the same results. It keeps
// the state a Conn keeps between calls (abandoned exchanges, what is set
// aside for the next receiver) in plain slices, re-reads every rule from the
// package documentation, and shares no code with the reader it checks but
// the decoding of error codes (replyError, doneError) and Validate.

// refConn is the reference model of one Conn on a fake socket.
type refConn struct {
	kind      fakeKind
	dgrams    []fakeDatagram // what the socket delivers next, in order
	checkIntr bool           // CheckDumpInterrupted

	lastSent uint32     // the sequence number of the last request sent
	stale    []refStale // abandoned replies, oldest first, at most 8
	dirty    bool       // an exchange was abandoned
	aside    []refAside // set aside for the next receiver, oldest first
	asideErr error      // a loss to report to the next receiver first
	full     bool       // from a loss until it is reported: keep nothing
}

// refStale is an abandoned reply: its sequence number, and whether every
// receiver drops it (an Execute's) or only Execute (a Receive's).
type refStale struct {
	Seq    uint32
	Orphan bool
}

// refAside is a message set aside, the MessageInfo of its datagram, and
// whether it was the first kept of its datagram.
type refAside struct {
	M     Message
	Info  MessageInfo
	First bool
}

// refCall is one call on the Conn. For the calls that yield (ReceiveIter,
// ExecuteIter, ReceiveWithInfo) the loop body stops the loop at the
// stopAfter-th message, by a break, or by a panic when panics is set; zero
// means it never stops.
type refCall struct {
	op        fakeOp
	stopAfter int
	panics    bool
}

// refOutcome is what a call returned or yielded.
type refOutcome struct {
	Msgs     []Message
	Infos    []MessageInfo // ReceiveWithInfo's, one per message
	Err      *errDesc
	Panicked bool
}

// errDesc describes an error by what a caller can see of it.
type errDesc struct {
	Text     string
	Op       string
	Message  string
	Offset   int
	Sequence uint32
}

func describe(err error) *errDesc {
	if err == nil {
		return nil
	}
	d := &errDesc{Text: err.Error()}
	if oe, ok := err.(*OpError); ok {
		d.Op, d.Message, d.Offset, d.Sequence = oe.Op, oe.Message, oe.Offset, oe.Sequence
	}
	return d
}

// refDatagram is a datagram as the Conn sees it: the messages the socket
// hands over, then, if the datagram is malformed, the error it reports for
// it.
type refDatagram struct {
	msgs  []Message
	err   error
	mcast bool
	info  MessageInfo
}

// next returns the next datagram the socket delivers; once there are none,
// an empty one, which ends any reply.
func (c *refConn) next() refDatagram {
	d := refDatagram{info: MessageInfo{NSID: -1}}
	if len(c.dgrams) == 0 {
		return d
	}
	fd := c.dgrams[0]
	c.dgrams = c.dgrams[1:]
	d.msgs, d.err = refSplit(fd.bytes(c.kind))
	if c.kind == kindDatagram && d.err != nil {
		// A datagramSocket hands over all of a datagram or an error.
		d.msgs = nil
	}
	if c.kind == kindRaw {
		// Only the socket of Dial tells the group.
		d.info.Group = fd.group
		d.mcast = fd.group != 0
	}
	return d
}

// refSplit splits a datagram into its messages: each starts with a header
// whose Length covers at least the header and at most what is left; the
// next starts at the 4-byte aligned end. Fewer bytes than a header at the
// end are ignored.
func refSplit(b []byte) ([]Message, error) {
	var msgs []Message
	for len(b) >= headerLen {
		// As an int64, so that a Length from 2^31 up stays positive on
		// 32-bit platforms too.
		l64 := int64(native.Uint32(b))
		if l64 < headerLen {
			return msgs, errIncorrectMessageLength
		}
		if l64 > int64(len(b)) {
			return msgs, errShortMessage
		}
		l := int(l64)
		var m Message
		m.Header.Length = l32(l)
		m.Header.Type = HeaderType(native.Uint16(b[4:]))
		m.Header.Flags = HeaderFlags(native.Uint16(b[6:]))
		m.Header.Sequence = native.Uint32(b[8:])
		m.Header.PID = native.Uint32(b[12:])
		m.Data = b[headerLen:l:l]
		msgs = append(msgs, m)
		next := (l + 3) &^ 3
		if next > len(b) {
			next = len(b)
		}
		b = b[next:]
	}
	return msgs, nil
}

func l32(l int) uint32 { return uint32(l) }

// The PID of the reference Conn and of the real one it is compared with.
const refPID = 7

// call performs c on the Conn and returns what the caller saw.
func (c *refConn) call(call refCall) refOutcome {
	execute := call.op == opExecute || call.op == opExecuteIter
	yields := call.op != opReceive && call.op != opExecute
	if !execute && (len(c.aside) > 0 || c.asideErr != nil) {
		return c.takeAside(call, yields)
	}

	var req *Message
	if execute {
		// After an exchange was abandoned, Execute first drains what
		// the socket has queued; the fake sockets tell of nothing
		// queued.
		c.dirty = false
		c.lastSent++
		req = &Message{Header: Header{Type: 0x10, Flags: Request | Dump, Sequence: c.lastSent, PID: refPID}}
	}
	var want uint32
	if req != nil {
		want = req.Header.Sequence
	}
	hadStale := len(c.stale) > 0

	var (
		out      refOutcome
		given    int    // messages given to the loop body
		started  bool   // a message of the reply came
		firstSeq uint32 // the sequence number of the first
		multi    bool   // one had the Multi flag
		ended    bool   // the reply is over
		stopped  bool   // the loop body stopped the loop
		intr     bool   // a message said the dump was interrupted
		intrSeq  uint32
		verr     error // the first message that fails Validate (Execute)
		err      error // the call's error
	)
	// fail ends the reply with e, which the caller sees unless it
	// stopped; abandon says that the rest of the reply may still come.
	fail := func(e error, abandon bool) {
		ended, intr = true, false
		if abandon {
			c.dirty = true
			switch {
			case want != 0:
				c.addStale(want, true)
			case !started:
				c.addStale(c.lastSent, false)
			}
			if started && firstSeq != want {
				c.addStale(firstSeq, want != 0)
			}
		}
		if !stopped {
			err = e
		}
	}

	for !ended {
		d := c.next()
		got := 0            // messages of this datagram looked at
		dgReply := false    // one of them is part of the reply
		asidedHere := false // one of them was set aside
		stoppedHere := false
		for _, m := range d.msgs {
			got++
			h := m.Header
			// Execute sets notifications aside: a multicast
			// datagram; a message of the family, in a datagram
			// with nothing of the reply so far, whose sequence
			// number is not the request's and is zero or comes
			// from another port.
			if execute && (d.mcast || (!dgReply && h.Sequence != want && h.Type >= 0x10 &&
				(h.Sequence == 0 || (h.PID != 0 && h.PID != refPID)))) {
				c.setAside(m, d.info, !asidedHere)
				asidedHere = true
				if c.full && c.kind != kindRaw {
					fail(&OpError{Op: "receive", Err: enobufs()}, true)
					stoppedHere = true
					break
				}
				continue
			}
			// The leftovers of abandoned replies are dropped.
			if hadStale && !d.mcast && h.Sequence != want && c.isStale(h.Sequence, want != 0) {
				continue
			}
			if c.checkIntr && h.Type != Error && h.Flags&DumpInterrupted != 0 {
				intr, intrSeq = true, h.Sequence
			}
			dgReply = true
			if !started {
				started, firstSeq = true, h.Sequence
			}
			if h.Flags&Multi != 0 {
				multi = true
			}
			// A Done with Multi closes the reply, an Error with a
			// non-zero code fails it; nothing after either in the
			// datagram is looked at.
			if h.Type == Done && h.Flags&Multi != 0 {
				ended = true
				if e := doneError(&m); e != nil {
					fail(e, false)
				}
				stoppedHere = true
				break
			}
			if h.Type == Error {
				if e := replyError(&m); e != nil {
					ended = true
					fail(e, false)
					stoppedHere = true
					break
				}
			}
			if stopped {
				continue
			}
			if req != nil {
				e := Validate(*req, []Message{m})
				if call.op == opExecuteIter && e != nil {
					fail(e, true)
					stoppedHere = true
					break
				}
				if verr == nil {
					verr = e
				}
			}
			out.Msgs = append(out.Msgs, m)
			out.Infos = append(out.Infos, d.info)
			given++
			if yields && given == call.stopAfter {
				stopped = true
				out.Panicked = call.panics
				if !multi {
					// A single datagram was the reply: the
					// rest of it is dropped unread.
					ended, stoppedHere = true, true
					break
				}
			}
		}
		if !stoppedHere && d.err != nil {
			fail(&OpError{Op: "receive", Err: d.err}, true)
		}
		// The reply goes on while it is multi-part, or nothing of it
		// came yet; an empty datagram ends it.
		if ended || got == 0 || (started && !multi) {
			break
		}
	}
	if intr && !stopped {
		err = &OpError{Op: "receive", Err: ErrDumpInterrupted, Sequence: intrSeq}
	}
	if call.op != opReceiveWithInfo {
		out.Infos = nil
	}
	if yields {
		out.Err = describe(err)
		return out
	}
	// Receive and Execute return the messages unless they failed for
	// another reason than an interrupted dump, or nothing came; a reply
	// that fails Validate is Execute's error instead.
	interrupted := err != nil && intr
	if (err != nil && !interrupted) || !started {
		out.Msgs = nil
	} else if out.Msgs == nil {
		out.Msgs = []Message{}
	}
	if verr != nil && (err == nil || interrupted) {
		out.Msgs, err = nil, verr
	}
	out.Err = describe(err)
	return out
}

// takeAside gives the next receiver what was set aside: a loss first, alone;
// else every message, or to a loop the messages until it stops, dropping the
// rest of the datagram it stopped in.
func (c *refConn) takeAside(call refCall, yields bool) refOutcome {
	var out refOutcome
	if c.asideErr != nil {
		out.Err = describe(&OpError{Op: "receive", Err: c.asideErr})
		c.asideErr, c.full = nil, false
		return out
	}
	for len(c.aside) > 0 {
		a := c.aside[0]
		c.aside = c.aside[1:]
		out.Msgs = append(out.Msgs, a.M)
		out.Infos = append(out.Infos, a.Info)
		if yields && len(out.Msgs) == call.stopAfter {
			out.Panicked = call.panics
			for len(c.aside) > 0 && !c.aside[0].First {
				c.aside = c.aside[1:]
			}
			break
		}
	}
	if call.op != opReceiveWithInfo {
		out.Infos = nil
	}
	if !yields && out.Msgs == nil {
		out.Msgs = []Message{}
	}
	return out
}

// setAside keeps m for the next receiver, up to maxAside bytes of messages;
// past that, nothing more until the loss is reported.
func (c *refConn) setAside(m Message, info MessageInfo, first bool) {
	n := headerLen + len(m.Data)
	total := 0
	for _, a := range c.aside {
		total += headerLen + len(a.M.Data)
	}
	if c.full || total+n > maxAside {
		c.full = true
		if c.asideErr == nil {
			c.asideErr = enobufs()
		}
		return
	}
	c.aside = append(c.aside, refAside{m, info, first})
}

// addStale remembers an abandoned reply; an Execute's mark wins; only the
// 8 latest are kept.
func (c *refConn) addStale(seq uint32, orphan bool) {
	if seq == 0 {
		return
	}
	for i := range c.stale {
		if c.stale[i].Seq == seq {
			c.stale[i].Orphan = c.stale[i].Orphan || orphan
			return
		}
	}
	c.stale = append(c.stale, refStale{seq, orphan})
	if len(c.stale) > 8 {
		c.stale = c.stale[1:]
	}
}

// isStale reports whether a message of sequence number seq is what is left
// of an abandoned reply, for Execute (execute set) or another receiver.
func (c *refConn) isStale(seq uint32, execute bool) bool {
	for _, s := range c.stale {
		if s.Seq == seq {
			return execute || s.Orphan
		}
	}
	return false
}
