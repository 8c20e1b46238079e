//go:build linux

package netlink_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// Dump consistency against the kernel. A link dump spanning several
// datagrams is marked NLM_F_DUMP_INTR when links come and go while it is
// read; Config.CheckDumpInterrupted turns that into ErrDumpInterrupted.

// dumpIntrLinks is how many links the namespace gets: enough for a link
// dump to take several datagrams, between which the kernel checks whether
// the list changed.
const dumpIntrLinks = 150

// dumpLinksVia dumps the links through one of the three receive paths and
// returns what it got: the messages, and the error after them.
func dumpLinksVia(t *testing.T, c *netlink.Conn, path string) ([]netlink.Message, error) {
	t.Helper()
	req := linkRequest(t, "", "")
	switch path {
	case "Execute":
		return c.Execute(req)
	case "Receive":
		if _, err := c.Send(req); err != nil {
			t.Fatal(err)
		}
		return c.Receive()
	case "ReceiveIter":
		if _, err := c.Send(req); err != nil {
			t.Fatal(err)
		}
		var msgs []netlink.Message
		for m, err := range c.ReceiveIter() {
			if err != nil {
				return msgs, err
			}
			msgs = append(msgs, m)
		}
		return msgs, nil
	}
	t.Fatalf("unknown path %q", path)
	return nil, nil
}

// flagged reports whether a message of msgs has the DumpInterrupted flag.
func flagged(msgs []netlink.Message) bool {
	for _, m := range msgs {
		if m.Header.Flags&netlink.DumpInterrupted != 0 {
			return true
		}
	}
	return false
}

// startChurn creates and deletes ifb links in the namespace fd until the
// returned function is called.
func startChurn(t *testing.T, fd int) (stop func()) {
	t.Helper()
	c := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
	var (
		done atomic.Bool
		wg   sync.WaitGroup
		errs atomic.Int64
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !done.Load(); i++ {
			name := fmt.Sprintf("nlchurn%d", i%4)
			if err := addLink(c, name, "ifb", t); err != nil {
				errs.Add(1)
				continue
			}
			del := linkRequest(t, name, "ifb")
			del.Header.Type = unix.RTM_DELLINK
			del.Header.Flags = netlink.Request | netlink.Acknowledge
			if _, err := c.Execute(del); err != nil {
				errs.Add(1)
			}
		}
	}()
	return func() {
		done.Store(true)
		wg.Wait()
		if n := errs.Load(); n > 0 {
			t.Logf("churn: %d link operations failed", n)
		}
	}
}

func TestIntegrationDumpInterrupted(t *testing.T) {
	fd, _ := newNetNS(t)
	setup := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
	for i := range dumpIntrLinks {
		if err := addLink(setup, fmt.Sprintf("nldi%d", i), "ifb", t); err != nil {
			t.Fatal(err)
		}
	}
	checked := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd, CheckDumpInterrupted: true})
	unchecked := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
	paths := []string{"Execute", "Receive", "ReceiveIter"}

	t.Run("without churn", func(t *testing.T) {
		// Nothing changes: no dump is ever reported interrupted.
		for i := range 60 {
			path := paths[i%len(paths)]
			msgs, err := dumpLinksVia(t, checked, path)
			if err != nil {
				t.Fatalf("%s, dump %d: %v", path, i, err)
			}
			if n := len(parseLinks(t, msgs)); n != dumpIntrLinks+1 {
				t.Fatalf("%s, dump %d: %d links, want %d (lo and ours)", path, i, n, dumpIntrLinks+1)
			}
			if flagged(msgs) {
				t.Fatalf("%s, dump %d: the kernel flagged a dump nothing changed", path, i)
			}
		}
	})

	t.Run("with churn", func(t *testing.T) {
		stop := startChurn(t, fd)
		defer stop()
		interrupted := map[string]int{}
		uncheckedFlagged := 0
		deadline := time.Now().Add(20 * time.Second)
		for i := 0; time.Now().Before(deadline); i++ {
			if interrupted["Execute"] > 0 && interrupted["Receive"] > 0 && interrupted["ReceiveIter"] > 0 {
				break
			}
			path := paths[i%len(paths)]
			msgs, err := dumpLinksVia(t, checked, path)
			switch {
			case err == nil:
				if flagged(msgs) {
					t.Fatalf("%s: a message has DumpInterrupted but no error was reported", path)
				}
			case errors.Is(err, netlink.ErrDumpInterrupted):
				interrupted[path]++
				var oe *netlink.OpError
				if !errors.As(err, &oe) || oe.Op != "receive" {
					t.Fatalf("%s: error %v (%T), want an *OpError of receive", path, err, err)
				}
				// The dump comes whole with the error: at least the
				// links that never change, each a well-formed link.
				if n := len(parseLinks(t, msgs)); n < dumpIntrLinks {
					t.Fatalf("%s: interrupted dump came with %d links, want at least %d", path, n, dumpIntrLinks)
				}
			default:
				t.Fatalf("%s: %v", path, err)
			}

			// Without the option the flag is ignored, as in v1.11.2.
			msgs, err = unchecked.Execute(linkRequest(t, "", ""))
			if err != nil {
				t.Fatalf("without CheckDumpInterrupted: %v", err)
			}
			if flagged(msgs) {
				uncheckedFlagged++
			}
		}
		t.Logf("interrupted dumps reported: %v; flagged dumps returned without error when not checking: %d", interrupted, uncheckedFlagged)
		for _, path := range paths {
			if interrupted[path] == 0 {
				t.Errorf("%s: no dump was reported interrupted while links changed", path)
			}
		}
	})
}
