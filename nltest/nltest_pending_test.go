package nltest_test

import (
	"errors"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

// receivers are the ways a test can receive on a Conn: each returns the
// messages and the error of one Receive.
var receivers = map[string]func(*netlink.Conn) ([]netlink.Message, error){
	"Receive": (*netlink.Conn).Receive,
	"ReceiveIter": func(c *netlink.Conn) ([]netlink.Message, error) {
		var msgs []netlink.Message
		for m, err := range c.ReceiveIter() {
			if err != nil {
				return nil, err
			}
			msgs = append(msgs, m)
		}
		return msgs, nil
	},
}

func TestDialPendingReplies(t *testing.T) {
	boom := errors.New("boom")
	reply := func(typ netlink.HeaderType) []netlink.Message {
		return []netlink.Message{{Header: netlink.Header{Length: 16, Type: typ}}}
	}
	// A send step sends with Send or SendMessages, and the Func answers
	// it with msgs and err; a receive step (neither) receives and wants
	// the types of want, or wantErr in a receive *OpError. The Func
	// answers a Receive that asks it with nothing (io.EOF).
	type step struct {
		send, sendMessages bool
		msgs               []netlink.Message
		err                error
		want               []netlink.HeaderType
		wantErr            error
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"SendMessages twice gives both", []step{
			{sendMessages: true, msgs: reply(0x10)},
			{sendMessages: true, msgs: reply(0x11)},
			{want: []netlink.HeaderType{0x10, 0x11}},
			{},
		}},
		{"Send after SendMessages replaces", []step{
			{sendMessages: true, msgs: reply(0x10)},
			{send: true, msgs: reply(0x11)},
			{want: []netlink.HeaderType{0x11}},
		}},
		{"SendMessages after Send adds", []step{
			{send: true, msgs: reply(0x10)},
			{sendMessages: true, msgs: append(reply(0x11), reply(0x12)...)},
			{want: []netlink.HeaderType{0x10, 0x11, 0x12}},
		}},
		{"SendMessages with nothing adds nothing", []step{
			{sendMessages: true, msgs: reply(0x10)},
			{sendMessages: true},
			{want: []netlink.HeaderType{0x10}},
		}},
		{"an error stays pending", []step{
			{sendMessages: true, err: boom},
			{sendMessages: true, msgs: reply(0x11)},
			{wantErr: boom},
			{},
		}},
		{"a pending nothing does not hide later replies", []step{
			{sendMessages: true, err: io.EOF},
			{sendMessages: true, msgs: reply(0x11)},
			{want: []netlink.HeaderType{0x11}},
		}},
		{"received replies are gone", []step{
			{sendMessages: true, msgs: reply(0x10)},
			{want: []netlink.HeaderType{0x10}},
			{sendMessages: true, msgs: reply(0x11)},
			{want: []netlink.HeaderType{0x11}},
		}},
	}
	for _, tt := range tests {
		for rname, receive := range receivers {
			t.Run(tt.name+"/"+rname, func(t *testing.T) {
				var answer *step
				c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
					if len(req) == 0 {
						return nil, io.EOF
					}
					return answer.msgs, answer.err
				})
				for i, st := range tt.steps {
					answer = &st
					req := netlink.Message{Header: netlink.Header{Type: 0x10}}
					switch {
					case st.send:
						if _, err := c.Send(req); err != nil {
							t.Fatalf("step %d: Send: %v", i, err)
						}
						continue
					case st.sendMessages:
						if _, err := c.SendMessages([]netlink.Message{req}); err != nil {
							t.Fatalf("step %d: SendMessages: %v", i, err)
						}
						continue
					}
					msgs, err := receive(c)
					if st.wantErr != nil {
						var oe *netlink.OpError
						if !errors.As(err, &oe) || oe.Op != "receive" || oe.Err != st.wantErr || msgs != nil {
							t.Errorf("step %d: %v, %v; want a receive *OpError wrapping %v", i, msgs, err, st.wantErr)
						}
						continue
					}
					if err != nil {
						t.Fatalf("step %d: %v", i, err)
					}
					var types []netlink.HeaderType
					for _, m := range msgs {
						types = append(types, m.Header.Type)
					}
					if diff := cmp.Diff(st.want, types); diff != "" {
						t.Errorf("step %d: received types (-want +got):\n%s", i, diff)
					}
				}
			})
		}
	}
}

func TestDialSendMessagesKeepsTheFuncsSlice(t *testing.T) {
	// Adding replies must never write into the spare capacity of a slice
	// the Func returned: it may hold the Func's own data.
	backing := make([]netlink.Message, 3)
	backing[1].Header.Type = 0x77
	first := true
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		if first {
			first = false
			backing[0] = netlink.Message{Header: netlink.Header{Length: 16, Type: 0x10}}
			return backing[:1], nil
		}
		return []netlink.Message{{Header: netlink.Header{Length: 16, Type: 0x11}}}, nil
	})
	for range 2 {
		if _, err := c.SendMessages([]netlink.Message{{Header: netlink.Header{Type: 0x10}}}); err != nil {
			t.Fatalf("SendMessages: %v", err)
		}
	}
	if backing[1].Header.Type != 0x77 {
		t.Errorf("the Func's spare capacity was overwritten: %+v", backing[1])
	}
	msgs, err := c.Receive()
	if err != nil || len(msgs) != 2 || msgs[1].Header.Type != 0x11 {
		t.Errorf("Receive: %+v, %v; want the two replies", msgs, err)
	}
}
