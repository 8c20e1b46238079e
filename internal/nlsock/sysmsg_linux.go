//go:build linux && !386 && !s390x

package nlsock

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// recvmsg and sendmsg make the system calls with a msghdr the caller keeps
// and reuses. x/sys/unix offers them only behind functions that allocate
// the peer's address and the iovecs on every call.

func recvmsg(fd int, msg *unix.Msghdr, flags int) (int, error) {
	n, _, e := unix.Syscall(unix.SYS_RECVMSG, uintptr(fd), uintptr(unsafe.Pointer(msg)), uintptr(flags))
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}

func sendmsg(fd int, msg *unix.Msghdr, flags int) (int, error) {
	n, _, e := unix.Syscall(unix.SYS_SENDMSG, uintptr(fd), uintptr(unsafe.Pointer(msg)), uintptr(flags))
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}
