//go:build unix

package nltest_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

func TestDialSystemCallErrors(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantText string
		wantSys  bool // wrapped in an *os.SyscallError "recvmsg"
		wantIs   error
	}{
		{
			name:     "errno",
			err:      syscall.ENOENT,
			wantText: "netlink receive: recvmsg: no such file or directory",
			wantSys:  true,
			wantIs:   os.ErrNotExist,
		},
		{
			name:     "wrapped errno",
			err:      fmt.Errorf("looking: %w", syscall.EPERM),
			wantText: "netlink receive: recvmsg: looking: operation not permitted",
			wantSys:  true,
			wantIs:   os.ErrPermission,
		},
		{
			name:     "already a system call error",
			err:      os.NewSyscallError("sendmsg", syscall.ENOBUFS),
			wantText: "netlink receive: sendmsg: no buffer space available",
			wantSys:  false, // not wrapped twice; the syscall stays
			wantIs:   syscall.ENOBUFS,
		},
		{
			name:     "other error",
			err:      errors.New("boom"),
			wantText: "netlink receive: boom",
		},
	}
	// How the error reaches the caller: from a Send's pending result, or
	// from the Func asked by a Receive with nothing pending.
	ways := map[string]func(c *netlink.Conn) error{
		"Execute": func(c *netlink.Conn) error {
			_, err := c.Execute(netlink.Message{Header: netlink.Header{Type: 0x10}})
			return err
		},
		"multicast Receive": func(c *netlink.Conn) error {
			_, err := c.Receive()
			return err
		},
		"multicast ReceiveIter": func(c *netlink.Conn) error {
			for _, err := range c.ReceiveIter() {
				if err != nil {
					return err
				}
			}
			return io.ErrUnexpectedEOF
		},
	}
	for _, tt := range tests {
		for way, run := range ways {
			t.Run(tt.name+"/"+way, func(t *testing.T) {
				c := nltest.Dial(func([]netlink.Message) ([]netlink.Message, error) {
					return nil, tt.err
				})
				err := run(c)
				if err == nil || err.Error() != tt.wantText {
					t.Fatalf("error %v, want %q", err, tt.wantText)
				}
				var oe *netlink.OpError
				if !errors.As(err, &oe) || oe.Op != "receive" {
					t.Errorf("%#v is not a receive *OpError", err)
				}
				var se *os.SyscallError
				if got := errors.As(err, &se) && se.Syscall == "recvmsg"; got != tt.wantSys {
					t.Errorf("wrapped in *os.SyscallError recvmsg: %v, want %v", got, tt.wantSys)
				}
				if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
					t.Errorf("errors.Is(%v, %v) false", err, tt.wantIs)
				}
				if !errors.Is(err, tt.err) {
					t.Errorf("the Func's error is lost from %v", err)
				}
			})
		}
	}
}
