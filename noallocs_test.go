package netlink_test

import (
	"context"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

// TestNoAllocs checks every claim about allocations that the package's
// comments and documents make, in the manner of net/netip's test of the
// same name: each row runs its function with testing.AllocsPerRun and
// allows the allocations of its base (when it has one) plus extra.
// Packages nltest and internal/nltrace have tables of the same name for
// their own claims; TestIntegrationLargeDump bounds what a kernel dump
// costs per message, which needs the kernel.
func TestNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates on its own: allocation counts hold only without -race")
	}

	// The AttributeDecoder's integer getters, Flag, Do and Next.
	attrs := func() []byte {
		ae := netlink.NewAttributeEncoder()
		ae.Uint8(1, 1)
		ae.Uint16(2, 2)
		ae.Uint32(3, 3)
		ae.Uint64(4, 4)
		ae.Flag(5, true)
		ae.Nested(6, func(nae *netlink.AttributeEncoder) error {
			nae.Uint32(1, 5)
			return nil
		})
		b, err := ae.Encode()
		if err != nil {
			t.Fatalf("failed to encode: %v", err)
		}
		// A zero-length attribute, as some senders pad.
		return append(b, 0, 0, 0, 0)
	}()
	ad, err := netlink.NewAttributeDecoder(attrs)
	if err != nil {
		t.Fatalf("failed to make a decoder: %v", err)
	}
	var sum uint64
	getters := func() {
		ad.Rewind(attrs)
		for ad.Next() {
			switch ad.Type() {
			case 1:
				sum += uint64(ad.Uint8()) + uint64(ad.Int8())
			case 2:
				sum += uint64(ad.Uint16()) + uint64(ad.Int16())
			case 3:
				sum += uint64(ad.Uint32()) + uint64(ad.Int32())
			case 4:
				sum += ad.Uint64() + uint64(ad.Int64())
			case 5:
				if ad.Flag() {
					sum++
				}
			case 6:
				ad.Do(func(b []byte) error { sum += uint64(len(b)); return nil })
			}
		}
	}

	// A typical request for AttributeEncoder.
	var encoded []byte
	encode := func() {
		ae := netlink.NewAttributeEncoder()
		ae.Uint32(1, 1)
		ae.String(2, "eth0")
		ae.Nested(3, func(nae *netlink.AttributeEncoder) error {
			nae.Uint16(1, 2)
			nae.Nested(2, func(nae *netlink.AttributeEncoder) error {
				nae.Uint64(1, 3)
				return nil
			})
			return nil
		})
		encoded, _ = ae.Encode()
	}

	c := nltest.Dial(fakeKernel("a", "b", "c"))
	defer c.Close()
	traced := []netlink.Message{{Header: netlink.Header{Length: 20, Type: 0x10}, Data: []byte{1, 2, 3, 4}}}

	// Replies read from a socket that hands over the same datagrams
	// without allocating, as the socket of Dial does: a one-message reply,
	// and a dump of 150 messages in three datagrams.
	const seq, pid = 5, 9
	wire := func(typ netlink.HeaderType, flags netlink.HeaderFlags) []byte {
		data := []byte{1, 2, 3, 4}
		if typ == netlink.Done {
			data = make([]byte, 4) // no error
		}
		b, err := (&netlink.Message{
			Header: netlink.Header{Length: 20, Type: typ, Flags: flags, Sequence: seq, PID: pid},
			Data:   data,
		}).MarshalBinary()
		if err != nil {
			t.Fatalf("failed to marshal: %v", err)
		}
		return b
	}
	single := [][]byte{wire(0x10, 0)}
	var part []byte
	for range 50 {
		part = append(part, wire(0x10, netlink.Multi)...)
	}
	dump := [][]byte{part, part, append(append([]byte(nil), part...), wire(netlink.Done, netlink.Multi)...)}
	req := netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Dump, Sequence: seq}}
	var replyLen int
	replies := func(want int) func(t *testing.T) {
		return func(t *testing.T) {
			if replyLen != want {
				t.Fatalf("got %d messages, want %d", replyLen, want)
			}
		}
	}
	execSingle, execDump := netlink.NewLoopConn(single, pid), netlink.NewLoopConn(dump, pid)
	recvDump, recvIter, execIter := netlink.NewLoopConn(dump, pid), netlink.NewLoopConn(dump, pid), netlink.NewLoopConn(dump, pid)
	const replyClaim = "receive.go, gathers and collectFor: a reply of any length costs one allocation, its result"
	const iterClaim = "ReceiveIter and ExecuteIter: nothing per message or datagram; the two closures of a range-over-func loop escape"

	tests := []struct {
		name  string
		claim string // where the claim is made
		f     func()
		base  func() // allocations allowed, with extra; nil for none
		extra float64
		check func(t *testing.T)
	}{
		{
			name:  "AttributeDecoder getters",
			claim: "README: reads integer attributes without allocating",
			f:     getters,
			check: func(t *testing.T) {
				if ad.Err() != nil || sum == 0 {
					t.Fatalf("sum %d, Err %v", sum, ad.Err())
				}
			},
		},
		{
			name:  "AttributeEncoder typical request",
			claim: "README, CHANGELOG and attribute.go (encoderInline, Encode): a typical request, result included, in one allocation",
			f:     encode,
			extra: 1,
			check: func(t *testing.T) {
				if len(encoded) == 0 {
					t.Fatal("nothing encoded")
				}
			},
		},
		{
			name:  "debug sink without NLDEBUG",
			claim: "doc.go: without NLDEBUG, tracing costs one nil check per message",
			f:     func() { netlink.LogToNilSink(traced) },
		},
		{
			name:  "ExecuteContext with context.Background",
			claim: "context.go, ExecuteContext: a context that can never be done costs nothing more than Execute",
			f:     func() { c.ExecuteContext(context.Background(), dumpReq) },
			base:  func() { c.Execute(dumpReq) },
		},
		{
			name:  "Execute of a one-message reply",
			claim: replyClaim,
			f:     func() { msgs, _ := execSingle.Execute(req); replyLen = len(msgs) },
			extra: 1,
			check: replies(1),
		},
		{
			name:  "Execute of a dump",
			claim: replyClaim,
			f:     func() { msgs, _ := execDump.Execute(req); replyLen = len(msgs) },
			extra: 1,
			check: replies(150),
		},
		{
			name:  "Receive of a dump",
			claim: replyClaim,
			f:     func() { msgs, _ := recvDump.Receive(); replyLen = len(msgs) },
			extra: 1,
			check: replies(150),
		},
		{
			name:  "ReceiveIter over a dump",
			claim: iterClaim,
			f: func() {
				replyLen = 0
				for _, err := range recvIter.ReceiveIter() {
					if err == nil {
						replyLen++
					}
				}
			},
			extra: 2,
			check: replies(150),
		},
		{
			name:  "ExecuteIter over a dump",
			claim: iterClaim,
			f: func() {
				replyLen = 0
				for _, err := range execIter.ExecuteIter(req) {
					if err == nil {
						replyLen++
					}
				}
			},
			extra: 2,
			check: replies(150),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.extra
			if tt.base != nil {
				want += testing.AllocsPerRun(100, tt.base)
			}
			if got := testing.AllocsPerRun(100, tt.f); got > want {
				t.Errorf("%v allocations, want at most %v (%s)", got, want, tt.claim)
			}
			if tt.check != nil {
				tt.check(t)
			}
		})
	}
}
