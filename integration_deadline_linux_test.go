//go:build linux

package netlink_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// stressEnv names the environment variable that sets how long the stress
// tests run, as a time.Duration ("20s"); they run for stressDefault when
// it is unset.
const (
	stressEnv     = "NETLINK_STRESS"
	stressDefault = 2 * time.Second
)

// stressDuration returns how long a stress test runs.
func stressDuration(t *testing.T) time.Duration {
	t.Helper()
	v := os.Getenv(stressEnv)
	if v == "" {
		return stressDefault
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		t.Fatalf("%s=%q: want a positive duration such as 20s", stressEnv, v)
	}
	return d
}

// A watchdog fails a test whose call runs longer than its limit, and
// closes the Conn to end the call, rather than let the test binary hang.
type watchdog struct {
	t       *testing.T
	c       *netlink.Conn
	limit   time.Duration
	started atomic.Int64 // UnixNano of the start of the call running, or 0
	fired   atomic.Bool
	stop    chan struct{}
	done    chan struct{}
}

func newWatchdog(t *testing.T, c *netlink.Conn, limit time.Duration) *watchdog {
	w := &watchdog{t: t, c: c, limit: limit, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		tick := time.NewTicker(limit / 10)
		defer tick.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-tick.C:
			}
			if s := w.started.Load(); s != 0 && time.Since(time.Unix(0, s)) > w.limit {
				w.fired.Store(true)
				w.t.Errorf("a call blocked for more than %v", w.limit)
				w.c.Close()
				return
			}
		}
	}()
	return w
}

// call runs f under the watchdog.
func (w *watchdog) call(f func()) {
	w.started.Store(time.Now().UnixNano())
	f()
	w.started.Store(0)
}

func (w *watchdog) close() {
	close(w.stop)
	<-w.done
}

func TestIntegrationContextDeadlineStress(t *testing.T) {
	// A Conn no datagram ever comes to: every call ends by its context.
	c := dialT(t, unix.NETLINK_GENERIC, nil)
	run := stressDuration(t)
	wd := newWatchdog(t, c, time.Second)
	defer wd.close()

	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		// Another goroutine moves the read deadline all the time.
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			d := time.Time{}
			if i%2 == 0 {
				d = time.Now().Add(time.Hour)
			}
			if err := c.SetReadDeadline(d); err != nil {
				if !wd.fired.Load() {
					t.Errorf("SetReadDeadline: %v", err)
				}
				return
			}
		}
	}()

	calls := 0
	end := time.Now().Add(run)
	for time.Now().Before(end) && !wd.fired.Load() {
		timeout := time.Duration(1+rand.IntN(3)) * time.Millisecond
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		var err error
		wd.call(func() { _, err = c.ReceiveContext(ctx) })
		if !wd.fired.Load() && (ctx.Err() == nil || !errors.Is(err, ctx.Err())) {
			t.Errorf("ReceiveContext after %d calls: %v, the context's error %v", calls, err, ctx.Err())
		}
		cancel()
		calls++
		if t.Failed() {
			break
		}
	}
	close(stop)
	wg.Wait()
	t.Logf("%d calls of ReceiveContext in %v", calls, run)

	// The deadline set last is the one in force.
	if wd.fired.Load() {
		return
	}
	if err := c.SetReadDeadline(time.Now().Add(20 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	var err error
	wd.call(func() { _, err = c.Receive() })
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Receive after: %v, want a timeout", err)
	}
}
