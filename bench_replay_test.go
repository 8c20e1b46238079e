package netlink

import (
	"bytes"
	"iter"
	"testing"
)

// Benchmarks of the package's own work on a large dump, without the
// kernel: a socket that replays the datagrams of a dump of 10000 messages
// shaped like IPv4 routes (52 bytes each, 32 KiB datagrams) as the kernel
// socket hands them over. What these measure is what a Conn adds to the
// system calls of BenchmarkKernelDump, with far less noise.

// replaySocket hands over the same datagrams after each Send, each as a
// fresh copy like the kernel socket's.
type replaySocket struct {
	dgrams [][]byte
	next   int
}

func (s *replaySocket) Close() error { return nil }

func (s *replaySocket) Send(Message) error {
	s.next = 0
	return nil
}

func (s *replaySocket) SendMessages([]Message) error {
	s.next = 0
	return nil
}

func (s *replaySocket) Receive() ([]Message, error) { panic("Conn must not call Socket.Receive") }

func (s *replaySocket) ReceiveIter() iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		b, err := s.receiveRaw()
		if err != nil {
			yield(Message{}, err)
			return
		}
		yieldMessages(b, yield)
	}
}

func (s *replaySocket) receiveRaw() ([]byte, error) {
	if s.next == len(s.dgrams) {
		return nil, nil
	}
	b := bytes.Clone(s.dgrams[s.next])
	s.next++
	return b, nil
}

// replayDump builds the datagrams of a dump of n messages with payloads of
// size bytes, sequence seq and port pid, followed by its Done.
func replayDump(n, size int, seq, pid uint32) [][]byte {
	const dgramLen = 32 << 10
	var out [][]byte
	var cur []byte
	put := func(typ HeaderType, payload int) {
		m := Message{
			Header: Header{Length: uint32(16 + payload), Type: typ, Flags: Multi, Sequence: seq, PID: pid},
			Data:   make([]byte, payload),
		}
		if typ != Done {
			for i := range m.Data {
				m.Data[i] = byte(i)
			}
		}
		b, err := m.MarshalBinary()
		if err != nil {
			panic(err)
		}
		if len(cur)+len(b) > dgramLen {
			out = append(out, cur)
			cur = nil
		}
		cur = append(cur, b...)
	}
	for range n {
		put(24, size)
	}
	put(Done, 4)
	return append(out, cur)
}

func BenchmarkReplayDump(b *testing.B) {
	const pid = 1234
	req := Message{Header: Header{Type: 26, Flags: Request | Dump, Sequence: 1, PID: pid}}
	dial := func(b *testing.B) *Conn {
		return NewConn(&replaySocket{dgrams: replayDump(10000, 36, 1, pid)}, pid)
	}
	b.Run("Execute", func(b *testing.B) {
		c := dial(b)
		n := 0
		for b.Loop() {
			msgs, err := c.Execute(req)
			if err != nil {
				b.Fatal(err)
			}
			n = len(msgs)
		}
		if n != 10000 {
			b.Fatalf("got %d messages", n)
		}
	})
	b.Run("ReceiveIter", func(b *testing.B) {
		c := dial(b)
		n := 0
		for b.Loop() {
			if _, err := c.Send(req); err != nil {
				b.Fatal(err)
			}
			n = 0
			for _, err := range c.ReceiveIter() {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
		}
		if n != 10000 {
			b.Fatalf("got %d messages", n)
		}
	})
}
