package netlink_test

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestMain fails the package's tests when they leave goroutines running or
// file descriptors open: a Conn that leaks either in some path would
// otherwise go unnoticed until a daemon runs out of them.
func TestMain(m *testing.M) {
	warmUpPoller()
	fds := openFDs()
	before := len(goroutines())

	code := m.Run()
	for _, f := range cleanups {
		f()
	}
	if code == 0 && !fuzzing() {
		if err := checkLeaks(fds, before); err != nil {
			fmt.Fprintf(os.Stderr, "FAIL: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

// cleanups are run when the tests and benchmarks are over, before the
// check for leaks: they release what several benchmarks share.
var cleanups []func()

// fuzzing reports whether the test binary runs a fuzz target (as the
// coordinator or as one of its workers), whose machinery keeps goroutines
// of its own.
func fuzzing() bool {
	for _, name := range []string{"test.fuzz", "test.fuzzworker"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" && f.Value.String() != "false" {
			return true
		}
	}
	return false
}

// warmUpPoller makes the runtime open the descriptors its poller keeps for
// the life of the process, so that they are not taken for a leak.
func warmUpPoller() {
	r, w, err := os.Pipe()
	if err != nil {
		return
	}
	r.SetReadDeadline(time.Now())
	r.Close()
	w.Close()
}

// openFDs lists the process's open file descriptors with what they refer
// to, or nil where /proc does not tell.
func openFDs() map[string]string {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return nil
	}
	fds := make(map[string]string, len(entries))
	for _, e := range entries {
		target, _ := os.Readlink("/proc/self/fd/" + e.Name())
		fds[e.Name()] = target
	}
	return fds
}

// checkLeaks compares the descriptors and goroutines now with those before
// the tests, giving goroutines that are ending some time to do so.
func checkLeaks(fdsBefore map[string]string, goroutinesBefore int) error {
	var stacks []string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if stacks = goroutines(); len(stacks) <= goroutinesBefore || time.Now().After(deadline) {
			break
		}
	}
	if len(stacks) > goroutinesBefore {
		return fmt.Errorf("%d goroutines left running by the tests (%d before):\n%s", len(stacks)-goroutinesBefore, goroutinesBefore, strings.Join(stacks, "\n\n"))
	}

	if fdsBefore == nil {
		return nil
	}
	var leaked []string
	for fd, target := range openFDs() {
		if _, ok := fdsBefore[fd]; !ok && target != "" && !strings.HasPrefix(target, "/proc/") {
			leaked = append(leaked, fd+" -> "+target)
		}
	}
	if len(leaked) > 0 {
		slices.Sort(leaked)
		return fmt.Errorf("file descriptors left open by the tests: %s", strings.Join(leaked, ", "))
	}
	return nil
}

// goroutines returns the stacks of the running goroutines, less those the
// runtime and the testing package keep for themselves (os/signal's loop,
// which fuzzing starts).
func goroutines() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var stacks []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if !strings.Contains(g, "os/signal.signal_recv") {
			stacks = append(stacks, g)
		}
	}
	return stacks
}
