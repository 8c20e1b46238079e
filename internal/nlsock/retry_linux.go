//go:build linux

package nlsock

import "golang.org/x/sys/unix"

// retry makes call, one non-blocking system call that returns its errno,
// again for as long as a signal interrupts it (EINTR), and reports whether
// it is done: false when the socket was not ready (EAGAIN), so that the
// caller waits until it is (see run) or gives up, and true when the call
// succeeded or failed for good, with err telling which.
//
// It is the one place that tells these errors apart; run is the one place
// that waits.
func retry(call func() error) (done bool, err error) {
	for {
		switch err := call(); err {
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return false, nil
		default:
			return true, err
		}
	}
}
