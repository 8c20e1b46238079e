//go:build linux

package netns

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// threadNS identifies the network namespace of the calling thread.
func threadNS(t *testing.T) uint64 {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Stat(fmt.Sprintf("/proc/self/task/%d/ns/net", unix.Gettid()), &st); err != nil {
		t.Fatal(err)
	}
	return st.Ino
}

// newNS creates a named network namespace for the test and returns an open
// descriptor of it and its inode.
func newNS(t *testing.T) (int, uint64) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to create a network namespace")
	}
	name := fmt.Sprintf("nltest-netns-%d", os.Getpid())
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", name).Run() })
	fd, err := unix.Open("/var/run/netns/"+name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		t.Fatal(err)
	}
	return fd, st.Ino
}

func TestIntegrationDo(t *testing.T) {
	fd, target := newNS(t)

	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	home := threadNS(t)
	if home == target {
		t.Fatal("the new namespace is the test's own")
	}

	var inside uint64
	errFn := errors.New("fn failed")
	err := Do(fd, func() error {
		inside = threadNS(t)
		return errFn
	})
	if !errors.Is(err, errFn) {
		t.Fatalf("Do returned %v, want fn's error", err)
	}
	if inside != target {
		t.Errorf("fn ran in namespace %d, want %d", inside, target)
	}
	if got := threadNS(t); got != home {
		t.Errorf("the calling thread moved to namespace %d, want %d", got, home)
	}
	if err := Do(fd, func() error { return nil }); err != nil {
		t.Errorf("Do: %v", err)
	}
}

func TestIntegrationDoErrors(t *testing.T) {
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()

	for _, tt := range []struct {
		name  string
		fd    int
		errno error
	}{
		{"not a namespace", int(devNull.Fd()), unix.EINVAL},
		{"bad descriptor", -1, unix.EBADF},
	} {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			err := Do(tt.fd, func() error { called = true; return nil })
			var se *os.SyscallError
			if !errors.As(err, &se) || se.Syscall != "setns" || !errors.Is(err, tt.errno) {
				t.Fatalf("got %v, want setns failing with %v", err, tt.errno)
			}
			if called {
				t.Fatal("fn was called although the namespace was not entered")
			}
		})
	}
}
