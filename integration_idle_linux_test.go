//go:build linux

package netlink_test

import (
	"runtime"
	"testing"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// idleHeapPerConn dials n generic netlink Conns, runs one small Execute on
// each, and returns the heap they hold apiece while idle, after a garbage
// collection.
func idleHeapPerConn(tb testing.TB, n int) float64 {
	tb.Helper()
	req := getFamilyRequest(tb, "nlctrl")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	conns := make([]*netlink.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range n {
		c, err := netlink.Dial(unix.NETLINK_GENERIC, nil)
		if err != nil {
			tb.Fatalf("Dial: %v", err)
		}
		conns = append(conns, c)
		if _, err := c.Execute(req); err != nil {
			tb.Fatalf("Execute: %v", err)
		}
	}
	runtime.GC()
	runtime.GC() // a second cycle empties the pools' victim caches
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(conns)
	// The slice of Conns is the test's, not theirs.
	held := float64(after.HeapAlloc) - float64(before.HeapAlloc) - float64(cap(conns)*8)
	return held / float64(n)
}

func TestIntegrationIdleConnMemory(t *testing.T) {
	// A daemon keeps a Conn per network namespace, thousands of them:
	// between exchanges one must cost little.
	const limit = 1024
	per := idleHeapPerConn(t, 1000)
	t.Logf("heap held per idle Conn: %.0f bytes", per)
	if per > limit {
		t.Errorf("an idle Conn holds %.0f bytes of heap, want at most %d", per, limit)
	}
}

func BenchmarkIdleConnMemory(b *testing.B) {
	for b.Loop() {
		b.ReportMetric(idleHeapPerConn(b, 1000), "heap-bytes/conn")
	}
}
