package netlink_test

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

// benchDump returns a Func answering every request with a multi-part reply
// of n messages and a Done, echoing the request's sequence number and PID.
// It reuses its reply slice, so that the benchmarks measure the Conn.
func benchDump(n int) nltest.Func {
	payload := nltest.MustMarshalAttributes([]netlink.Attribute{
		{Type: 1, Data: nativeU32(7)},
		{Type: 2, Data: []byte("fake-reply-0123456789\x00")},
		{Type: 3, Data: []byte{2, 0x42, 0xac, 0x11, 0, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}},
		{Type: 4, Data: append(nativeU32(1), nativeU32(2)...)},
	})
	reply := make([]netlink.Message, n+1)
	return func(req []netlink.Message) ([]netlink.Message, error) {
		if len(req) == 0 {
			return nil, io.EOF
		}
		h := req[0].Header
		for i := range reply {
			reply[i] = netlink.Message{
				Header: netlink.Header{Length: uint32(16 + len(payload)), Type: h.Type, Sequence: h.Sequence, PID: h.PID},
				Data:   payload,
			}
		}
		reply[n] = netlink.Message{Header: netlink.Header{Length: 16, Sequence: h.Sequence, PID: h.PID}}
		return nltest.Multipart(reply)
	}
}

var benchReq = netlink.Message{
	Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Dump},
	Data:   []byte{3, 1, 0, 0},
}

func BenchmarkConnExecute(b *testing.B) {
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			c := nltest.Dial(benchDump(n))
			defer c.Close()
			b.ReportAllocs()
			for b.Loop() {
				msgs, err := c.Execute(benchReq)
				if err != nil || len(msgs) != n {
					b.Fatalf("Execute: %d messages, want %d (err %v)", len(msgs), n, err)
				}
			}
		})
	}
}

func BenchmarkConnReceiveIter(b *testing.B) {
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			c := nltest.Dial(benchDump(n))
			defer c.Close()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Send(benchReq); err != nil {
					b.Fatal(err)
				}
				k := 0
				for _, err := range c.ReceiveIter() {
					if err != nil {
						b.Fatal(err)
					}
					k++
				}
				if k != n {
					b.Fatalf("ReceiveIter: %d messages, want %d", k, n)
				}
			}
		})
	}
}

func BenchmarkConnExecuteIter(b *testing.B) {
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			c := nltest.Dial(benchDump(n))
			defer c.Close()
			b.ReportAllocs()
			for b.Loop() {
				k := 0
				for _, err := range c.ExecuteIter(benchReq) {
					if err != nil {
						b.Fatal(err)
					}
					k++
				}
				if k != n {
					b.Fatalf("ExecuteIter: %d messages, want %d", k, n)
				}
			}
		})
	}
}

func BenchmarkConnExecuteContext(b *testing.B) {
	for _, ctx := range []struct {
		name string
		ctx  context.Context
	}{
		{"Background", context.Background()},
		{"Cancelable", func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			b.Cleanup(cancel)
			return ctx
		}()},
	} {
		b.Run(ctx.name, func(b *testing.B) {
			c := nltest.Dial(benchDump(100))
			defer c.Close()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.ExecuteContext(ctx.ctx, benchReq); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
