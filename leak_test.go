package netlink_test

import (
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
	goroutines := runtime.NumGoroutine()

	code := m.Run()
	for _, f := range cleanups {
		f()
	}
	if code == 0 {
		if err := checkLeaks(fds, goroutines); err != nil {
			fmt.Fprintf(os.Stderr, "FAIL: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

// cleanups are run when the tests and benchmarks are over, before the
// check for leaks: they release what several benchmarks share.
var cleanups []func()

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
	var n int
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if n = runtime.NumGoroutine(); n <= goroutinesBefore || time.Now().After(deadline) {
			break
		}
	}
	if n > goroutinesBefore {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		return fmt.Errorf("%d goroutines left running by the tests (%d before):\n%s", n-goroutinesBefore, goroutinesBefore, buf)
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
