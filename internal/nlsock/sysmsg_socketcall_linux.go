//go:build linux && (386 || s390x)

package nlsock

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// On 386 and s390x, recvmsg and sendmsg have their own system call numbers
// only since Linux 4.3; before that they exist only behind socketcall(2),
// which every kernel has. See sysmsg_linux.go.

// socketcall(2) call numbers, from include/uapi/linux/net.h.
const (
	scSendmsg = 16
	scRecvmsg = 17
)

func socketcall(call int, fd int, msg *unix.Msghdr, flags int) (int, error) {
	args := [3]uintptr{uintptr(fd), uintptr(unsafe.Pointer(msg)), uintptr(flags)}
	n, _, e := unix.Syscall(unix.SYS_SOCKETCALL, uintptr(call), uintptr(unsafe.Pointer(&args)), 0)
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}

func recvmsg(fd int, msg *unix.Msghdr, flags int) (int, error) {
	return socketcall(scRecvmsg, fd, msg, flags)
}

func sendmsg(fd int, msg *unix.Msghdr, flags int) (int, error) {
	return socketcall(scSendmsg, fd, msg, flags)
}
