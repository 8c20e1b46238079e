package netlink_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
	"testing"

	"github.com/mdlayher/netlink"
)

func TestOpErrorError(t *testing.T) {
	tests := []struct {
		name string
		err  *netlink.OpError
		want string
	}{
		{
			name: "errno",
			err:  &netlink.OpError{Op: "receive", Err: syscall.ENOENT},
			want: "netlink receive: " + syscall.ENOENT.Error(),
		},
		{
			name: "syscall error",
			err:  &netlink.OpError{Op: "send", Err: os.NewSyscallError("sendmsg", syscall.ENOBUFS)},
			want: "netlink send: sendmsg: " + syscall.ENOBUFS.Error(),
		},
		{
			name: "extended acknowledgement",
			err:  &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Message: "Unknown attribute", Offset: 20},
			want: `netlink receive: ` + syscall.EINVAL.Error() + `, offset: 20, message: "Unknown attribute"`,
		},
		{
			name: "offset only",
			err:  &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Offset: 4},
			want: `netlink receive: ` + syscall.EINVAL.Error() + `, offset: 4, message: ""`,
		},
		{
			name: "message quoted",
			err:  &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Message: "say \"hi\"\n"},
			want: `netlink receive: ` + syscall.EINVAL.Error() + `, offset: 0, message: "say \"hi\"\n"`,
		},
		{
			name: "sequence not shown",
			err:  &netlink.OpError{Op: "receive", Err: syscall.EPERM, Sequence: 42},
			want: "netlink receive: " + syscall.EPERM.Error(),
		},
		{
			name: "validate",
			err:  netlink.Validate(netlink.Message{Header: netlink.Header{Sequence: 1}}, []netlink.Message{{Header: netlink.Header{Sequence: 2}}}).(*netlink.OpError),
			want: "netlink validate: mismatched sequence in netlink reply",
		},
		{
			name: "nil Err",
			err:  &netlink.OpError{Op: "receive"},
			want: "netlink receive: <nil>",
		},
		{
			name: "nil",
			want: "<nil>",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestOpErrorClassification(t *testing.T) {
	deadline := &netlink.OpError{Op: "receive", Err: os.NewSyscallError("recvmsg", os.ErrDeadlineExceeded)}
	tests := []struct {
		name               string
		err                *netlink.OpError
		timeout, temporary bool
		notExist           bool
		is                 []error // errors.Is must hold for each
	}{
		{name: "deadline", err: deadline, timeout: true, temporary: true, is: []error{os.ErrDeadlineExceeded}},
		{name: "bare deadline", err: &netlink.OpError{Op: "send", Err: os.ErrDeadlineExceeded}, timeout: true, temporary: true},
		{name: "EAGAIN", err: &netlink.OpError{Op: "receive", Err: os.NewSyscallError("recvmsg", syscall.EAGAIN)}, timeout: true, temporary: true, is: []error{syscall.EAGAIN}},
		{name: "EINTR", err: &netlink.OpError{Op: "receive", Err: syscall.EINTR}, temporary: true},
		{name: "ENOBUFS", err: &netlink.OpError{Op: "receive", Err: os.NewSyscallError("recvmsg", syscall.ENOBUFS)}, is: []error{syscall.ENOBUFS}},
		{name: "ENOENT", err: &netlink.OpError{Op: "receive", Err: syscall.ENOENT}, notExist: true, is: []error{syscall.ENOENT, os.ErrNotExist, fs.ErrNotExist}},
		{name: "EPERM", err: &netlink.OpError{Op: "receive", Err: syscall.EPERM}, is: []error{os.ErrPermission}},
		{name: "nil Err", err: &netlink.OpError{Op: "receive"}},
		{name: "nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Timeout(); got != tt.timeout {
				t.Errorf("Timeout() = %v, want %v", got, tt.timeout)
			}
			if got := tt.err.Temporary(); got != tt.temporary {
				t.Errorf("Temporary() = %v, want %v", got, tt.temporary)
			}
			var err error
			if tt.err != nil {
				err = tt.err
			}
			if got := netlink.IsNotExist(err); got != tt.notExist {
				t.Errorf("IsNotExist = %v, want %v", got, tt.notExist)
			}
			for _, target := range tt.is {
				if !errors.Is(err, target) {
					t.Errorf("errors.Is(%v, %v) = false", err, target)
				}
			}
			if tt.err != nil && tt.err.Unwrap() != tt.err.Err {
				t.Errorf("Unwrap() = %v, want %v", tt.err.Unwrap(), tt.err.Err)
			}
		})
	}

	// The net.Error-style interfaces are visible to errors.As through
	// wrapping, as callers use them.
	var ne interface{ Timeout() bool }
	if !errors.As(fmt.Errorf("reading: %w", error(deadline)), &ne) || !ne.Timeout() {
		t.Error("errors.As did not find a timing-out error through wrapping")
	}
	var sc *os.SyscallError
	if !errors.As(deadline, &sc) || sc.Syscall != "recvmsg" {
		t.Errorf("errors.As *os.SyscallError: %v", sc)
	}
}

func TestIsNotExist(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{name: "nil"},
		{name: "ENOENT", err: syscall.ENOENT, want: true},
		{name: "wrapped ENOENT", err: fmt.Errorf("lookup: %w", &netlink.OpError{Op: "receive", Err: syscall.ENOENT}), want: true},
		{name: "os.ErrNotExist", err: os.ErrNotExist, want: true},
		{name: "path error", err: &fs.PathError{Op: "open", Path: "/x", Err: syscall.ENOENT}, want: true},
		{name: "ENODEV", err: &netlink.OpError{Op: "receive", Err: syscall.ENODEV}},
		{name: "other", err: errors.New("no such file or directory")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := netlink.IsNotExist(tt.err); got != tt.want {
				t.Errorf("IsNotExist(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
