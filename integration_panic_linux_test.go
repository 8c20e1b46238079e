//go:build linux

package netlink_test

import (
	"testing"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// A loop body that panics or calls runtime.Goexit in the middle of a
// kernel dump of many datagrams: see receive_panic_test.go.
func TestIntegrationAbruptLoop(t *testing.T) {
	fd, ns := newNetNS(t)
	makeRoutes(t, ns, 2000)
	dial := func(t *testing.T) *netlink.Conn {
		return dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
	}
	c := dial(t)
	n := len(dumpRoutes(t, c))
	// The dump must span several datagrams for "middle" to be in one
	// of its middle datagrams.
	before := netlink.RecvmsgCalls(c)
	dumpRoutes(t, c)
	if reads := netlink.RecvmsgCalls(c) - before; reads < 3 {
		t.Fatalf("a dump of %d routes took %d reads, want several datagrams", n, reads)
	}
	testAbruptLoops(t, dial, routeDump, n)
}
