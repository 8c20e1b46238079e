package netns

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"

	"golang.org/x/sys/unix"
)

// Do calls fn inside the network namespace that the file descriptor ns
// refers to (an open /var/run/netns/NAME or /proc/PID/ns/net), and returns
// fn's error, or the error that kept Do from calling fn.
//
// A network namespace belongs to a thread, not to a process or a goroutine,
// so fn runs on a new goroutine locked to its thread. The thread enters the
// namespace, runs fn and comes back. The caller's own goroutine and thread
// are never touched. Should the thread fail to come back, it stays locked:
// the Go runtime then ends the thread with the goroutine instead of handing
// it to other goroutines, so no other code ever runs in the wrong namespace.
//
// Sockets and other objects that fn creates keep the namespace they were
// created in for their whole life, whichever thread uses them later.
func Do(ns int, fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		back, err := enter(ns, fn)
		if back {
			runtime.UnlockOSThread()
		}
		errc <- err
	}()
	return <-errc
}

// enter runs fn with the current thread, which must be locked, in the
// namespace ns. back reports whether the thread is in its original namespace
// when enter returns.
func enter(ns int, fn func() error) (back bool, err error) {
	// The thread's own namespace, to return to. /proc/thread-self is right
	// even when /proc belongs to another PID namespace, where our thread
	// ID means another thread; it needs Linux 3.17, so fall back to the
	// task directory where it is missing.
	path := "/proc/thread-self/ns/net"
	orig, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err == unix.ENOENT {
		path = "/proc/self/task/" + strconv.Itoa(unix.Gettid()) + "/ns/net"
		orig, err = unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	}
	if err != nil {
		return true, fmt.Errorf("netns: opening the current namespace: %w", &os.PathError{Op: "open", Path: path, Err: err})
	}
	defer unix.Close(orig)

	if err := unix.Setns(ns, unix.CLONE_NEWNET); err != nil {
		// setns changes nothing when it fails. Its error goes back bare:
		// callers of netlink.Dial compare it ("setns: bad file
		// descriptor").
		return true, os.NewSyscallError("setns", err)
	}
	ferr := fn()
	if err := unix.Setns(orig, unix.CLONE_NEWNET); err != nil {
		err = fmt.Errorf("netns: returning to the original network namespace: %w", os.NewSyscallError("setns", err))
		return false, errors.Join(ferr, err)
	}
	return true, ferr
}
