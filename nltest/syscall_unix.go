//go:build unix

package nltest

import (
	"errors"
	"os"
	"syscall"
)

// receiveError returns err as a kernel socket's receive would report it: a
// system call error wrapped in an *os.SyscallError for recvmsg, unless it
// already is one; any other error as it is.
func receiveError(err error) error {
	var errno syscall.Errno
	var se *os.SyscallError
	if errors.As(err, &errno) && !errors.As(err, &se) {
		return os.NewSyscallError("recvmsg", err)
	}
	return err
}
