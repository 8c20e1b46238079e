package netlink

import (
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"os"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// FuzzReceiveReference plays arbitrary datagram sequences (replies, stale
// replies of abandoned exchanges, notifications to set aside, Error and
// Done messages with codes, multi-part replies with and without their
// Done, interrupted dumps, malformed messages and tails) to a real Conn and
// to the reference reader of receive_slow_test.go, through calls of
// Receive, ReceiveIter, Execute, ExecuteIter and ReceiveWithInfo, some of
// whose loops stop early by a break or a panic, and requires the same
// results: messages, errors, what is set aside and which exchanges are
// remembered as abandoned. The datagrams reach the Conn as bytes (as from
// the socket of Dial, which tells multicast groups), as slices of messages
// (as from nltest's socket) or through a Socket's ReceiveIter. decodeScript
// tells how an input reads; the seed corpus, in
// testdata/fuzz/FuzzReceiveReference, is named after what each input does.
func FuzzReceiveReference(f *testing.F) {
	f.Fuzz(func(t *testing.T, script []byte) {
		s := decodeScript(script)
		ref := &refConn{kind: s.kind, dgrams: s.dgrams, checkIntr: s.checkIntr}
		sock := newFakeSocket(s.kind, s.dgrams)
		c := NewConn(sock, refPID)
		c.seq.Store(0) // requests take sequence numbers 1, 2, ...
		if s.checkIntr {
			if err := c.SetOption(CheckDumpInterrupted, true); err != nil {
				t.Fatal(err)
			}
		}
		for i, call := range s.calls {
			want := ref.call(call)
			got := realCall(c, call)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("%s\ncall %d (%v): reference (-) and Conn (+) differ:\n%s", s, i, call, diff)
			}
		}
		if diff := cmp.Diff(ref.state(), realState(c), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("%s\nafter the calls: reference (-) and Conn (+) differ:\n%s", s, diff)
		}
	})
}

// refState is what a Conn keeps between calls.
type refState struct {
	Stale    []refStale
	Dirty    bool
	Aside    []refAside
	AsideErr string
	Full     bool
}

func (c *refConn) state() refState {
	s := refState{Stale: c.stale, Dirty: c.dirty, Aside: c.aside, Full: c.full}
	if c.asideErr != nil {
		s.AsideErr = c.asideErr.Error()
	}
	return s
}

func realState(c *Conn) refState {
	rx := c.rx
	s := refState{Dirty: rx.dirty}
	for _, st := range rx.stale[:rx.nstale] {
		s.Stale = append(s.Stale, refStale{st.seq, st.orphan})
	}
	a := rx.aside
	if a == nil {
		return s
	}
	s.Full = a.full
	for _, m := range a.msgs[a.head:] {
		s.Aside = append(s.Aside, refAside{m.m, m.info, m.first})
	}
	if a.err != nil {
		s.AsideErr = a.err.Error()
	}
	return s
}

// realCall performs call on the Conn c, as refConn.call does on the model.
func realCall(c *Conn, call refCall) (out refOutcome) {
	req := Message{Header: Header{Type: 0x10, Flags: Request | Dump}}
	switch call.op {
	case opReceive:
		msgs, err := c.Receive()
		return refOutcome{Msgs: msgs, Err: describe(err)}
	case opExecute:
		msgs, err := c.Execute(req)
		return refOutcome{Msgs: msgs, Err: describe(err)}
	}
	defer func() {
		if v := recover(); v != nil {
			if v != errFuzzPanic {
				panic(v)
			}
			out.Panicked = true
		}
	}()
	// body takes one message and reports whether the loop goes on.
	body := func(m Message) bool {
		out.Msgs = append(out.Msgs, m)
		if len(out.Msgs) == call.stopAfter {
			if call.panics {
				panic(errFuzzPanic)
			}
			return false
		}
		return true
	}
	switch call.op {
	case opReceiveIter, opExecuteIter:
		seq := c.ReceiveIter()
		if call.op == opExecuteIter {
			seq = c.ExecuteIter(req)
		}
		for m, err := range seq {
			if err != nil {
				out.Err = describe(err)
				break
			}
			if !body(m) {
				break
			}
		}
	case opReceiveWithInfo:
		for rm, err := range c.ReceiveWithInfo() {
			if err != nil {
				out.Err = describe(err)
				break
			}
			out.Infos = append(out.Infos, rm.Info)
			if !body(rm.Message) {
				break
			}
		}
	}
	return out
}

var errFuzzPanic = errors.New("panic in the loop body")

func enobufs() error { return os.NewSyscallError("recvmsg", syscall.ENOBUFS) }

// A fakeOp is a call on the Conn.
type fakeOp int

const (
	opReceive fakeOp = iota
	opReceiveIter
	opExecute
	opExecuteIter
	opReceiveWithInfo
	numOps
)

func (o fakeOp) String() string {
	return [...]string{"Receive", "ReceiveIter", "Execute", "ExecuteIter", "ReceiveWithInfo"}[o]
}

func (c refCall) String() string {
	s := c.op.String()
	if c.stopAfter > 0 {
		how := "break"
		if c.panics {
			how = "panic"
		}
		s += fmt.Sprintf(", %s at message %d", how, c.stopAfter)
	}
	return s
}

// A fakeKind is the way a fake socket hands datagrams to the Conn.
type fakeKind int

const (
	kindRaw      fakeKind = iota // as bytes, telling groups: the socket of Dial
	kindDatagram                 // as a slice of messages: nltest's socket
	kindIter                     // through ReceiveIter: any other Socket
	numKinds
)

// A fakeDatagram is a datagram a fake socket delivers and the multicast
// group it went to, zero for none.
type fakeDatagram struct {
	b     []byte
	group uint32
}

// bytes returns a copy of the datagram as a socket of kind k reads it: the
// socket of Dial reads it into a buffer padded to 4 bytes.
func (d fakeDatagram) bytes(k fakeKind) []byte {
	n := len(d.b)
	if k == kindRaw {
		n = nlmsgAlign(n)
	}
	b := make([]byte, n)
	copy(b, d.b)
	return b
}

// fakeSocket replays datagrams, one per read; once they are used up, it
// delivers empty ones.
type fakeSocket struct {
	kind   fakeKind
	dgrams []fakeDatagram
	cur    fakeDatagram
}

func (s *fakeSocket) Close() error                 { return nil }
func (s *fakeSocket) Send(Message) error           { return nil }
func (s *fakeSocket) SendMessages([]Message) error { return nil }
func (s *fakeSocket) Receive() ([]Message, error)  { panic("Conn must not call Socket.Receive") }

// next returns the bytes of the next datagram.
func (s *fakeSocket) next() []byte {
	s.cur = fakeDatagram{}
	if len(s.dgrams) > 0 {
		s.cur, s.dgrams = s.dgrams[0], s.dgrams[1:]
	}
	return s.cur.bytes(s.kind)
}

func (s *fakeSocket) ReceiveIter() iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) { yieldMessages(s.next(), yield) }
}

// fakeDatagramSocket is a datagramSocket, as nltest's is.
type fakeDatagramSocket struct{ fakeSocket }

func (s *fakeDatagramSocket) ReceiveDatagram() ([]Message, error) { return parseMessages(s.next()) }

// fakeRawSocket is a rawSocket and a multicastSocket, as the socket of Dial
// is.
type fakeRawSocket struct{ fakeSocket }

func (s *fakeRawSocket) receiveRaw() ([]byte, error) { return s.next(), nil }
func (s *fakeRawSocket) datagramInfo() MessageInfo {
	return MessageInfo{Group: s.cur.group, NSID: -1}
}
func (s *fakeRawSocket) datagramMulticast() bool { return s.cur.group != 0 }

func newFakeSocket(k fakeKind, dgrams []fakeDatagram) Socket {
	f := fakeSocket{kind: k, dgrams: dgrams}
	switch k {
	case kindRaw:
		return &fakeRawSocket{f}
	case kindDatagram:
		return &fakeDatagramSocket{f}
	}
	return &f
}

// A fuzzScript is what a fuzz input decodes to.
type fuzzScript struct {
	kind      fakeKind
	checkIntr bool
	calls     []refCall
	dgrams    []fakeDatagram
}

func (s fuzzScript) String() string {
	out := fmt.Sprintf("socket kind %d, CheckDumpInterrupted %v, calls %v, datagrams:", s.kind, s.checkIntr, s.calls)
	for _, d := range s.dgrams {
		out += fmt.Sprintf("\n\tgroup %d: %x", d.group, d.b)
	}
	return out
}

// decodeScript makes a script of b, in which every byte string is valid:
//
//	byte 0: socket kind (bits 0-1, %3), CheckDumpInterrupted (bit 2),
//	    calls - 1 (bits 3-4)
//	one byte per call: op (bits 0-2, %5), stop at message 1-3 (bits 3-4,
//	    0: never),
//	    by a panic (bit 5) rather than a break
//	then datagrams, each: a byte with its number of messages (bits 0-2;
//	    7: raw bytes instead, their count in the next byte), its group
//	    (bits 3-4) and a tail (bits 5-7) after the messages; then two
//	    bytes per message (see fuzzMessage).
func decodeScript(b []byte) fuzzScript {
	var s fuzzScript
	get := func() byte {
		if len(b) == 0 {
			return 0
		}
		c := b[0]
		b = b[1:]
		return c
	}
	h := get()
	s.kind = fakeKind(h&3) % numKinds
	s.checkIntr = h&4 != 0
	for range 1 + int(h>>3&3) {
		c := get()
		s.calls = append(s.calls, refCall{op: fakeOp(c&7) % numOps, stopAfter: int(c >> 3 & 3), panics: c&0x20 != 0})
	}
	for len(b) > 0 {
		h := get()
		d := fakeDatagram{group: uint32(h >> 3 & 3)}
		if n := int(h & 7); n == 7 {
			l := int(get())
			for range l {
				d.b = append(d.b, get())
			}
		} else {
			for range n {
				d.b = append(d.b, fuzzMessage(get(), get())...)
			}
		}
		d.b = append(d.b, fuzzTails[h>>5]...)
		s.dgrams = append(s.dgrams, d)
	}
	return s
}

// fuzzTails are bytes after a datagram's messages: too few for a header
// (ignored), 13 of them (padded to a header by the socket of Dial), and
// malformed headers.
var fuzzTails = [8][]byte{
	nil,
	{0, 0, 0},
	{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
	{16, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0},
	{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
	{8, 0, 0, 0, 0x10, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0},
	{100, 0, 0, 0, 0x10, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0},
	nil,
}

// fuzzMessage makes the wire form of a message of two bytes:
//
//	a: type (bits 0-2: 0x10, 0x10, 0x11, Done, Error, Noop, 0x10, Done),
//	   Multi (bit 3), DumpInterrupted (bit 4), AcknowledgeTLVs (bit 5),
//	   Capped (bit 6), a Length below a header (bit 7)
//	b: sequence number (bits 0-1: 1, 2, 0, 3), PID (bits 2-3: the
//	   Conn's, 0, another, the Conn's), data (bits 4-5), the Length past
//	   the end (bit 6)
//
// The data of an Error or Done message is an error code of zero or EINVAL,
// a code and an echoed header with an extended acknowledgement, or too
// short for a code; that of other messages has 4, 8, 0 or 5 bytes.
func fuzzMessage(a, b byte) []byte {
	typ := [8]HeaderType{0x10, 0x10, 0x11, Done, Error, Noop, 0x10, Done}[a&7]
	var flags HeaderFlags
	if a&8 != 0 {
		flags |= Multi
	}
	if a&16 != 0 {
		flags |= DumpInterrupted
	}
	if a&32 != 0 {
		flags |= AcknowledgeTLVs
	}
	if a&64 != 0 {
		flags |= Capped
	}
	seq := [4]uint32{1, 2, 0, 3}[b&3]
	pid := [4]uint32{refPID, 0, 9, refPID}[b>>2&3]
	ne := binary.NativeEndian
	var data []byte
	if typ == Error || typ == Done {
		einval := uint32(1<<32 - uint64(syscall.EINVAL))
		switch b >> 4 & 3 {
		case 0:
			data = ne.AppendUint32(nil, 0)
		case 1:
			data = ne.AppendUint32(nil, einval)
		case 2:
			// A code, an echoed request header, and an extended
			// acknowledgement: a message text ("x") and an offset.
			data = ne.AppendUint32(nil, einval)
			data = append(data, 16, 0, 0, 0, 0x10, 0, 5, 3, 1, 0, 0, 0, refPID, 0, 0, 0)
			data = append(data, 6, 0, 1, 0, 'x', 0, 0, 0, 8, 0, 2, 0, 20, 0, 0, 0)
		case 3:
			data = []byte{1, 2}
		}
	} else {
		data = [4][]byte{{1, 2, 3, 4}, {5, 6, 7, 8, 9, 10, 11, 12}, nil, {13, 14, 15, 16, 17}}[b>>4&3]
	}
	l := uint32(headerLen + len(data))
	if a&128 != 0 {
		l = 8
	}
	if b&64 != 0 {
		l += 64
	}
	m := ne.AppendUint32(nil, l)
	m = ne.AppendUint16(m, uint16(typ))
	m = ne.AppendUint16(m, uint16(flags))
	m = ne.AppendUint32(m, seq)
	m = ne.AppendUint32(m, pid)
	m = append(m, data...)
	return append(m, make([]byte, nlmsgAlign(len(m))-len(m))...)
}

// TestReceiveReferenceLongDumps compares the Conn with the reference reader
// on dumps longer than the fuzzer makes, of changing lengths, which Execute
// sizes from the one before (see replyReader.sizeFromHint).
func TestReceiveReferenceLongDumps(t *testing.T) {
	sizes := []int{300, 20, 5000, 5000, 100, 9000, 1, 2, 70}
	for _, kind := range []fakeKind{kindRaw, kindDatagram, kindIter} {
		t.Run(fmt.Sprint("kind ", kind), func(t *testing.T) {
			var dgrams []fakeDatagram
			var calls []refCall
			for i, n := range sizes {
				seq := byte(i + 1)
				part := func(k int) []byte {
					// A message of the dump, numbered k.
					return (&Message{Header: Header{Length: 20, Type: 0x10, Flags: Multi, Sequence: uint32(seq), PID: refPID},
						Data: []byte{byte(k), byte(k >> 8), 0, 0}}).wire()
				}
				var b []byte
				for k := range n {
					b = append(b, part(k)...)
					if (k+1)%30 == 0 {
						dgrams = append(dgrams, fakeDatagram{b: b})
						b = nil
					}
				}
				b = append(b, (&Message{Header: Header{Length: 20, Type: Done, Flags: Multi, Sequence: uint32(seq), PID: refPID},
					Data: make([]byte, 4)}).wire()...)
				dgrams = append(dgrams, fakeDatagram{b: b})
				op := opExecute
				if i%3 == 2 {
					op = opExecuteIter
				}
				calls = append(calls, refCall{op: op})
			}
			ref := &refConn{kind: kind, dgrams: dgrams}
			c := NewConn(newFakeSocket(kind, dgrams), refPID)
			c.seq.Store(0)
			for i, call := range calls {
				want := ref.call(call)
				got := realCall(c, call)
				if len(got.Msgs) != sizes[i] {
					t.Errorf("call %d (%v): %d messages, want %d", i, call, len(got.Msgs), sizes[i])
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("call %d (%v): reference (-) and Conn (+) differ:\n%s", i, call, diff)
				}
			}
		})
	}
}

// wire returns the wire form of m, whose Length must be set.
func (m *Message) wire() []byte {
	return appendMessage(nil, m)
}
