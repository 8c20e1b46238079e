//go:build linux

package family_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl"
	"github.com/mdlayher/netlink/ynl/family/rtroute"
	"golang.org/x/sys/unix"
)

// benchRoutes is the number of routes of the benchmark namespace.
const benchRoutes = 10000

// routeNetNS makes a namespace holding benchRoutes /32 routes on an ifb
// link that is up, as the root package's kernel benchmarks do.
func routeNetNS(b *testing.B) int {
	fd, ns := newNetNS(b)
	var batch strings.Builder
	batch.WriteString("link add rb0 type ifb\nlink set rb0 up\n")
	for i := range benchRoutes {
		fmt.Fprintf(&batch, "route add 198.18.%d.%d/32 dev rb0\n", i/256, i%256)
	}
	f := b.TempDir() + "/batch"
	if err := os.WriteFile(f, []byte(batch.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	run(b, "ip", "-n", ns, "-batch", f)
	return fd
}

// BenchmarkRouteDump dumps the IPv4 routes of a namespace with 10,000
// routes in one run, four ways: Raw, the messages from Conn.ExecuteIter
// without decoding (the floor); Typed, decoded into rtroute.RouteMsg
// values by the generated Client's GetrouteDump; TypedFromRaw,
// ExecuteIter with each message decoded by rtroute.Decode (a new value
// and a copy of the bytes each); and Dynamic, decoded by package ynl.
// Each reports nanoseconds per route; allocations per route are allocs/op
// divided by routes/op.
func BenchmarkRouteDump(b *testing.B) {
	fd := routeNetNS(b)
	cfg := &netlink.Config{NetNS: fd}
	req := netlink.Message{
		Header: netlink.Header{Type: unix.RTM_GETROUTE, Flags: netlink.Request | netlink.Dump},
		Data:   []byte{unix.AF_INET, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
	}
	perRoute := func(b *testing.B, n int) {
		if n < benchRoutes {
			b.Fatalf("dumped %d routes, want at least %d", n, benchRoutes)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/route")
		b.ReportMetric(float64(n), "routes/op")
	}
	b.Run("Raw", func(b *testing.B) {
		c, err := netlink.Dial(unix.NETLINK_ROUTE, cfg)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			n = 0
			for _, err := range c.ExecuteIter(req) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
		}
		perRoute(b, n)
	})
	b.Run("Typed", func(b *testing.B) {
		c, err := rtroute.Dial(cfg)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		b.ReportAllocs()
		all := &rtroute.RouteMsg{Header: rtroute.Rtmsg{RtmFamily: unix.AF_INET}}
		n, oifs := 0, 0
		for b.Loop() {
			n, oifs = 0, 0
			for r, err := range c.GetrouteDump(all) {
				if err != nil {
					b.Fatal(err)
				}
				n++
				if r.RtaOif.Present {
					oifs++
				}
			}
		}
		if oifs != n {
			b.Fatalf("%d of %d routes without an output interface", n-oifs, n)
		}
		perRoute(b, n)
	})
	b.Run("TypedFromRaw", func(b *testing.B) {
		c, err := netlink.Dial(unix.NETLINK_ROUTE, cfg)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			n = 0
			for m, err := range c.ExecuteIter(req) {
				if err != nil {
					b.Fatal(err)
				}
				if _, err := rtroute.Decode(m); err != nil {
					b.Fatal(err)
				}
				n++
			}
		}
		perRoute(b, n)
	})
	b.Run("Dynamic", func(b *testing.B) {
		f, _ := ynl.Lookup("rt-route")
		c, err := ynl.Dial(f, cfg)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			n = 0
			for _, err := range c.Dump("getroute", &ynl.Request{Header: map[string]any{"rtm-family": unix.AF_INET}}) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
		}
		perRoute(b, n)
	})
}
