package netlink_test

import (
	"errors"
	"io"
	"syscall"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

// Tests of the opt-in dump consistency check through the fake socket.

func TestConnDumpInterrupted(t *testing.T) {
	dump := func(req netlink.Message, interrupted ...int) []netlink.Message {
		msgs, _ := nltest.Dump(req, []netlink.Message{
			{Header: netlink.Header{Type: 0x10}, Data: []byte{1}},
			{Header: netlink.Header{Type: 0x10}, Data: []byte{2}},
		})
		if interrupted != nil {
			msgs, _ = nltest.Interrupted(msgs, interrupted...)
		}
		return msgs
	}
	tests := []struct {
		name    string
		check   bool
		reply   func(req netlink.Message) []netlink.Message
		wantErr error // matched with errors.Is; nil for none
		wantN   int   // messages returned
	}{
		{name: "clean dump", check: true, reply: func(r netlink.Message) []netlink.Message { return dump(r) }, wantN: 2},
		{name: "every message", check: true, reply: func(r netlink.Message) []netlink.Message { return dump(r, 0, 1, 2) }, wantErr: netlink.ErrDumpInterrupted, wantN: 2},
		{name: "second message", check: true, reply: func(r netlink.Message) []netlink.Message { return dump(r, 1) }, wantErr: netlink.ErrDumpInterrupted, wantN: 2},
		{name: "done message only", check: true, reply: func(r netlink.Message) []netlink.Message { return dump(r, -1) }, wantErr: netlink.ErrDumpInterrupted, wantN: 2},
		{name: "not checking", reply: func(r netlink.Message) []netlink.Message { return dump(r, 0, 1, 2) }, wantN: 2},
		{
			name:  "failed dump wins",
			check: true,
			reply: func(r netlink.Message) []netlink.Message {
				msgs, _ := nltest.FailedDump(r, []netlink.Message{{Header: netlink.Header{Type: 0x10}}}, int(syscall.EINVAL), netlink.ExtendedAck{})
				msgs, _ = nltest.Interrupted(msgs)
				return msgs
			},
			wantErr: syscall.EINVAL,
		},
	}
	for _, tt := range tests {
		for _, path := range []string{"Execute", "Receive", "ReceiveIter"} {
			t.Run(tt.name+"/"+path, func(t *testing.T) {
				c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
					if len(req) == 0 {
						return nil, io.EOF
					}
					return tt.reply(req[0]), nil
				})
				if err := c.SetOption(netlink.CheckDumpInterrupted, tt.check); err != nil {
					t.Fatal(err)
				}
				req := netlink.Message{Header: netlink.Header{Type: 0x12, Flags: netlink.Request | netlink.Dump}}
				var (
					msgs []netlink.Message
					err  error
				)
				switch path {
				case "Execute":
					msgs, err = c.Execute(req)
				case "Receive":
					if _, err := c.Send(req); err != nil {
						t.Fatal(err)
					}
					msgs, err = c.Receive()
				case "ReceiveIter":
					if _, err := c.Send(req); err != nil {
						t.Fatal(err)
					}
					for m, ierr := range c.ReceiveIter() {
						if ierr != nil {
							err = ierr
							break
						}
						msgs = append(msgs, m)
					}
				}
				if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Fatalf("error %v, want %v", err, tt.wantErr)
				}
				var oe *netlink.OpError
				if err != nil && (!errors.As(err, &oe) || oe.Op != "receive") {
					t.Errorf("error %v (%T), want an *OpError of receive", err, err)
				}
				n := tt.wantN
				if path == "ReceiveIter" && tt.wantErr == syscall.EINVAL {
					n = 1 // yielded before the failing Done
				}
				if len(msgs) != n {
					t.Errorf("%d messages, want %d", len(msgs), n)
				}
			})
		}
	}
}
