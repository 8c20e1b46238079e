//go:build linux

package family_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl/family/rtroute"
	"golang.org/x/sys/unix"
)

// TestIntegrationTypedRouteDumpAllocs guards the claim that a typed dump
// allocates at most 2 times per route (it does far less: the values are
// yielded as copies and the bytes are copied in chunks).
func TestIntegrationTypedRouteDumpAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes what allocates")
	}
	const routes = 2000
	fd, ns := newNetNS(t)
	var batch strings.Builder
	batch.WriteString("link add rb0 type ifb\nlink set rb0 up\n")
	for i := range routes {
		fmt.Fprintf(&batch, "route add 198.18.%d.%d/32 dev rb0\n", i/256, i%256)
	}
	f := t.TempDir() + "/batch"
	if err := os.WriteFile(f, []byte(batch.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, "ip", "-n", ns, "-batch", f)
	c, err := rtroute.Dial(&netlink.Config{NetNS: fd})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	req := &rtroute.RouteMsg{Header: rtroute.Rtmsg{RtmFamily: unix.AF_INET}}
	n := 0
	allocs := testing.AllocsPerRun(5, func() {
		n = 0
		for r, err := range c.GetrouteDump(req) {
			if err != nil || !r.RtaOif.Present {
				t.Fatalf("route %d: %v, oif %v", n, err, r.RtaOif)
			}
			n++
		}
	})
	if n < routes {
		t.Fatalf("dumped %d routes, want at least %d", n, routes)
	}
	perRoute := allocs / float64(n)
	t.Logf("%.0f allocations for %d routes: %.3f per route", allocs, n, perRoute)
	if perRoute > 2 {
		t.Errorf("%.3f allocations per route, want at most 2", perRoute)
	}
}
