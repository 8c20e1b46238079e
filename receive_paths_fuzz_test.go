package netlink

import (
	"encoding/binary"
	"iter"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Conn reads a datagram in one of three ways: as bytes from the package's
// own socket (rawSocket), as a slice of messages from nltest's
// (datagramSocket), or through any Socket's ReceiveIter. Each way has its
// own fast path; FuzzReceivePaths checks that all three make the same of
// any datagrams, for Receive, ReceiveIter and Execute.

// pathSocket replays byte datagrams as one of the three kinds of socket.
type pathSocket struct {
	dgrams [][]byte
}

func (s *pathSocket) Close() error                 { return nil }
func (s *pathSocket) Send(Message) error           { return nil }
func (s *pathSocket) SendMessages([]Message) error { return nil }
func (s *pathSocket) Receive() ([]Message, error)  { panic("Conn must not call Socket.Receive") }

// next returns a copy of the next datagram, or nil (an empty datagram,
// which ends any reply) when there are no more.
func (s *pathSocket) next() []byte {
	if len(s.dgrams) == 0 {
		return nil
	}
	b := append([]byte(nil), s.dgrams[0]...)
	s.dgrams = s.dgrams[1:]
	return b
}

// iterSocket is read through ReceiveIter only.
type iterSocket struct{ pathSocket }

func (s *iterSocket) ReceiveIter() iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) { yieldMessages(s.next(), yield) }
}

// rawPathSocket hands datagrams over as bytes.
type rawPathSocket struct{ iterSocket }

func (s *rawPathSocket) receiveRaw() ([]byte, error) { return s.next(), nil }

// dgramPathSocket hands datagrams over as messages; it is used only for
// datagrams that parse.
type dgramPathSocket struct{ iterSocket }

func (s *dgramPathSocket) ReceiveDatagram() ([]Message, error) {
	return parseMessages(s.next())
}

// An outcome is what one call made of the datagrams.
type outcome struct {
	Msgs []Message
	Err  string
}

func outcomeOf(msgs []Message, err error) outcome {
	o := outcome{Msgs: msgs}
	if err != nil {
		o.Err = err.Error()
	}
	if len(o.Msgs) == 0 {
		o.Msgs = nil
	}
	return o
}

func FuzzReceivePaths(f *testing.F) {
	ne := binary.NativeEndian
	msg := func(typ HeaderType, flags HeaderFlags, seq, pid uint32, data ...byte) []byte {
		b := ne.AppendUint32(nil, uint32(headerLen+len(data)))
		b = ne.AppendUint16(b, uint16(typ))
		b = ne.AppendUint16(b, uint16(flags))
		b = ne.AppendUint32(b, seq)
		b = ne.AppendUint32(b, pid)
		b = append(b, data...)
		return append(b, make([]byte, nlmsgAlign(len(b))-len(b))...)
	}
	cat := func(bs ...[]byte) []byte {
		var out []byte
		for _, b := range bs {
			out = append(out, b...)
		}
		return out
	}
	// The datagrams are separated by cuts, two at most.
	f.Add(cat(msg(16, 0, 1, 7, 1, 2, 3)), uint16(0), uint16(0), uint8(0))
	f.Add(cat(msg(16, Multi, 1, 7, 1), msg(16, Multi, 1, 7, 2), msg(Done, Multi, 1, 7, 0, 0, 0, 0)), uint16(20), uint16(40), uint8(6))
	f.Add(cat(msg(16, Multi, 1, 7, 1), msg(16, Multi, 2, 7, 2), msg(Done, Multi, 1, 7, 0, 0, 0, 0)), uint16(0), uint16(0), uint8(0))
	f.Add(cat(msg(16, Multi, 1, 9, 1), msg(Done, Multi, 1, 7, 0, 0, 0, 0)), uint16(0), uint16(0), uint8(0))
	f.Add(cat(msg(Error, 0, 1, 7, 0xfe, 0xff, 0xff, 0xff)), uint16(0), uint16(0), uint8(0))
	f.Add(cat(msg(16, Multi, 1, 7, 1), msg(Done, Multi, 1, 7, 0xfe, 0xff, 0xff, 0xff)), uint16(20), uint16(0), uint8(9))
	f.Add(cat(msg(16, Multi|DumpInterrupted, 1, 7, 1), msg(Done, Multi, 1, 7, 0, 0, 0, 0)), uint16(0), uint16(0), uint8(0))
	f.Add(cat(msg(16, 0, 1, 7, 1), []byte{40, 0, 0, 0, 16, 0}), uint16(0), uint16(0), uint8(0))

	f.Fuzz(func(t *testing.T, b []byte, cut1, cut2 uint16, ops uint8) {
		var dgrams [][]byte
		rest := b
		for _, c := range []uint16{cut1, cut2} {
			k := int(c) % (len(rest) + 1)
			if k > 0 {
				dgrams = append(dgrams, rest[:k])
				rest = rest[k:]
			}
		}
		if len(rest) > 0 {
			dgrams = append(dgrams, rest)
		}
		parses := true
		for _, d := range dgrams {
			if _, err := parseMessages(d); err != nil {
				parses = false
			}
		}

		sockets := map[string]func() Socket{
			"raw":  func() Socket { return &rawPathSocket{iterSocket{pathSocket{dgrams}}} },
			"iter": func() Socket { return &iterSocket{pathSocket{dgrams}} },
		}
		if parses {
			sockets["dgram"] = func() Socket { return &dgramPathSocket{iterSocket{pathSocket{dgrams}}} }
		}
		// Requests take the Conn's sequence numbers: 1, then 2.
		req := Message{Header: Header{Type: 16, Flags: Request | Dump}}
		calls := []struct {
			name string
			do   func(c *Conn) outcome
		}{
			{"Receive", func(c *Conn) outcome { return outcomeOf(c.Receive()) }},
			{"ReceiveIter", func(c *Conn) outcome {
				var msgs []Message
				for m, err := range c.ReceiveIter() {
					if err != nil {
						return outcomeOf(msgs, err)
					}
					msgs = append(msgs, m)
				}
				return outcomeOf(msgs, nil)
			}},
			{"Execute", func(c *Conn) outcome { return outcomeOf(c.Execute(req)) }},
			{"ExecuteIter", func(c *Conn) outcome {
				var msgs []Message
				for m, err := range c.ExecuteIter(req) {
					if err != nil {
						return outcomeOf(msgs, err)
					}
					msgs = append(msgs, m)
				}
				return outcomeOf(msgs, nil)
			}},
		}
		// Two calls on one Conn, so that the second meets what the
		// first left, and passes over what it abandoned.
		first, second := calls[ops%4], calls[ops/4%4]
		check := ops&0x10 != 0
		var want [2]outcome
		wantKind := ""
		for kind, sock := range sockets {
			c := NewConn(sock(), 7)
			if check {
				if err := c.SetOption(CheckDumpInterrupted, true); err != nil {
					t.Fatal(err)
				}
			}
			got := [2]outcome{first.do(c), second.do(c)}
			if wantKind == "" {
				want, wantKind = got, kind
				continue
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("%s then %s (CheckDumpInterrupted %v) on datagrams %x: %s socket (-) and %s socket (+) differ:\n%s",
					first.name, second.name, check, dgrams, wantKind, kind, diff)
			}
		}
	})
}
