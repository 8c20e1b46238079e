//go:build linux

package crosscheck

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl/family/rtroute"
	vnl "github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// BenchmarkRouteList lists the routes of a namespace holding 10,000 /32
// routes on an ifb link that is up, in one run: Raw is Conn.ExecuteIter
// without decoding, Typed the generated rtroute Client, then
// rtnetlink/v2's Route.List (which dumps every family and table) and
// vishvananda/netlink's RouteList (IPv4, main table). Each reports
// nanoseconds and allocations per route (allocs/op over routes/op).
func BenchmarkRouteList(b *testing.B) {
	fd, ns := newNetNS(b)
	var batch strings.Builder
	batch.WriteString("link add rb0 type ifb\nlink set rb0 up\n")
	for i := range 10000 {
		fmt.Fprintf(&batch, "route add 198.18.%d.%d/32 dev rb0\n", i/256, i%256)
	}
	f := b.TempDir() + "/batch"
	if err := os.WriteFile(f, []byte(batch.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	run(b, "ip", "-n", ns, "-batch", f)
	cfg := &netlink.Config{NetNS: fd}
	report := func(b *testing.B, n int) {
		b.ReportMetric(float64(n), "routes/op")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/route")
	}
	b.Run("Raw", func(b *testing.B) {
		c, err := netlink.Dial(unix.NETLINK_ROUTE, cfg)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		req := netlink.Message{Header: netlink.Header{Type: unix.RTM_GETROUTE, Flags: netlink.Request | netlink.Dump}, Data: []byte{unix.AF_INET, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}}
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
		report(b, n)
	})
	b.Run("Typed", func(b *testing.B) {
		c, err := rtroute.Dial(cfg)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		req := &rtroute.RouteMsg{Header: rtroute.Rtmsg{RtmFamily: unix.AF_INET}}
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			n = 0
			for _, err := range c.GetrouteDump(req) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
		}
		report(b, n)
	})
	b.Run("RtnetlinkRouteList", func(b *testing.B) {
		c, err := rtnetlink.Dial(cfg)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			rs, err := c.Route.List()
			if err != nil {
				b.Fatal(err)
			}
			n = len(rs)
		}
		report(b, n)
	})
	b.Run("VishvanandaRouteList", func(b *testing.B) {
		h, err := vnl.NewHandleAt(netns.NsHandle(fd))
		if err != nil {
			b.Fatal(err)
		}
		defer h.Close()
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			rs, err := h.RouteList(nil, vnl.FAMILY_V4)
			if err != nil {
				b.Fatal(err)
			}
			n = len(rs)
		}
		report(b, n)
	})
}
