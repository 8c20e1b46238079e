package netlink_test

import (
	"encoding/binary"
	"iter"
	"os"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

// A scriptedSocket plays datagrams in order, one per use of ReceiveIter.
// Each datagram's messages may use sequence number placeholders: 1 for the
// first request sent, 2 for the second, and so on.
type scriptedSocket struct {
	sent  []netlink.Message
	plays []play
}

type play struct {
	msgs []netlink.Message
	err  error
}

func (s *scriptedSocket) Close() error { return nil }

func (s *scriptedSocket) Send(m netlink.Message) error {
	s.sent = append(s.sent, m)
	return nil
}

func (s *scriptedSocket) SendMessages(msgs []netlink.Message) error {
	s.sent = append(s.sent, msgs...)
	return nil
}

func (s *scriptedSocket) Receive() ([]netlink.Message, error) {
	panic("Conn must not call Socket.Receive")
}

func (s *scriptedSocket) ReceiveIter() iter.Seq2[netlink.Message, error] {
	return func(yield func(netlink.Message, error) bool) {
		if len(s.plays) == 0 {
			return
		}
		p := s.plays[0]
		s.plays = s.plays[1:]
		for _, m := range p.msgs {
			if i := int(m.Header.Sequence); i > 0 && i <= len(s.sent) {
				m.Header.Sequence = s.sent[i-1].Header.Sequence
			}
			if !yield(m, nil) {
				return
			}
		}
		if p.err != nil {
			yield(netlink.Message{}, p.err)
		}
	}
}

func part(seq uint32, b byte) netlink.Message {
	return netlink.Message{
		Header: netlink.Header{Length: 20, Type: 0x10, Flags: netlink.Multi, Sequence: seq},
		Data:   []byte{b, 0, 0, 0},
	}
}

func done(seq uint32) netlink.Message {
	return netlink.Message{
		Header: netlink.Header{Length: 20, Type: netlink.Done, Flags: netlink.Multi, Sequence: seq},
		Data:   []byte{0, 0, 0, 0},
	}
}

func TestConnExecuteInStepAfterFailure(t *testing.T) {
	errTimeout := os.ErrDeadlineExceeded
	tests := []struct {
		name  string
		plays []play
		// what the second Execute (request 2) must return
		want []byte
	}{
		{
			name: "error in the middle of a dump",
			plays: []play{
				{msgs: []netlink.Message{part(1, 1)}, err: errTimeout},
				// The rest of dump 1 comes before the reply to 2.
				{msgs: []netlink.Message{part(1, 2), done(1)}},
				{msgs: []netlink.Message{part(2, 10), part(2, 11)}},
				{msgs: []netlink.Message{part(1, 3), part(2, 12), done(2)}},
			},
			want: []byte{10, 11, 12},
		},
		{
			name: "ENOBUFS in the middle of a dump",
			plays: []play{
				{msgs: []netlink.Message{part(1, 1), part(1, 2)}, err: os.NewSyscallError("recvmsg", syscall.ENOBUFS)},
				{msgs: []netlink.Message{part(1, 3)}},
				{msgs: []netlink.Message{part(1, 4), done(1), part(2, 10)}},
				{msgs: []netlink.Message{done(2)}},
			},
			want: []byte{10},
		},
		{
			name: "error before any reply",
			plays: []play{
				{err: errTimeout},
				{msgs: []netlink.Message{part(1, 1), part(1, 2)}},
				{msgs: []netlink.Message{done(1), part(2, 10), done(2)}},
			},
			want: []byte{10},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &scriptedSocket{plays: tt.plays}
			c := netlink.NewConn(s, 1)
			req := netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Dump}}
			if _, err := c.Execute(req); err == nil {
				t.Fatalf("first Execute: got %v, want the socket's error", err)
			}
			msgs, err := c.Execute(req)
			if err != nil {
				t.Fatalf("second Execute: %v", err)
			}
			var got []byte
			for _, m := range msgs {
				if m.Header.Sequence != s.sent[1].Header.Sequence {
					t.Errorf("message of sequence %d in the reply to %d", m.Header.Sequence, s.sent[1].Header.Sequence)
				}
				got = append(got, m.Data[0])
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("second Execute (-want +got):\n%s", diff)
			}
		})
	}

	// A reply of a sequence number this Conn never gave up on still
	// fails validation, as before.
	s := &scriptedSocket{plays: []play{{msgs: []netlink.Message{part(12345, 1), done(12345)}}}}
	c := netlink.NewConn(s, 1)
	_, err := c.Execute(netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Dump}})
	if err == nil || err.Error() != "netlink validate: mismatched sequence in netlink reply" {
		t.Fatalf("unknown sequence: got %v, want a validation error", err)
	}
}

func TestConnExecuteRepliesOfChangingSize(t *testing.T) {
	// Execute sizes a dump's result from the previous one: a dump much
	// shorter or longer than the last must still come back exactly.
	var n int
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		if len(req) == 0 {
			return nil, nil
		}
		h := req[0].Header
		msgs := make([]netlink.Message, 0, n+1)
		for i := range n {
			msgs = append(msgs, netlink.Message{
				Header: netlink.Header{Length: 20, Type: 0x10, Sequence: h.Sequence, PID: h.PID},
				Data:   nativeU32(uint32(i)),
			})
		}
		msgs = append(msgs, netlink.Message{Header: netlink.Header{Length: 16, Sequence: h.Sequence, PID: h.PID}})
		return nltest.Multipart(msgs)
	})
	for _, size := range []int{300, 20, 5000, 5000, 100, 9000, 1, 2} {
		n = size
		msgs, err := c.Execute(netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Dump}})
		if err != nil {
			t.Fatalf("dump of %d: %v", size, err)
		}
		if len(msgs) != size {
			t.Fatalf("dump of %d: %d messages", size, len(msgs))
		}
		for i, m := range msgs {
			if got := binary.NativeEndian.Uint32(m.Data); got != uint32(i) {
				t.Fatalf("dump of %d: message %d holds %d", size, i, got)
			}
		}
		if cap(msgs) > 2*len(msgs)+128 {
			t.Errorf("dump of %d: result has capacity %d", size, cap(msgs))
		}
	}
}
