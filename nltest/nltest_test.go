package nltest_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

func TestMultipart(t *testing.T) {
	msg := func(typ netlink.HeaderType, flags netlink.HeaderFlags, data ...byte) netlink.Message {
		return netlink.Message{Header: netlink.Header{Length: uint32(16 + len(data)), Type: typ, Flags: flags, Sequence: 9}, Data: data}
	}
	tests := []struct {
		name string
		in   []netlink.Message
		want []netlink.Message
	}{
		{name: "nil"},
		{name: "empty", in: []netlink.Message{}, want: []netlink.Message{}},
		{
			name: "one message unchanged",
			in:   []netlink.Message{msg(0x10, netlink.Request, 1)},
			want: []netlink.Message{msg(0x10, netlink.Request, 1)},
		},
		{
			name: "two",
			in:   []netlink.Message{msg(0x10, 0, 1), msg(0x10, 0)},
			want: []netlink.Message{msg(0x10, netlink.Multi, 1), msg(netlink.Done, netlink.Multi)},
		},
		{
			name: "flags kept",
			in:   []netlink.Message{msg(0x10, netlink.DumpInterrupted, 1), msg(0x11, 0, 2), msg(0, netlink.Acknowledge)},
			want: []netlink.Message{
				msg(0x10, netlink.Multi|netlink.DumpInterrupted, 1),
				msg(0x11, netlink.Multi, 2),
				msg(netlink.Done, netlink.Multi|netlink.Acknowledge),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := nltest.Multipart(tt.in)
			if err != nil {
				t.Fatalf("Multipart: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Multipart (-want +got):\n%s", diff)
			}
		})
	}
}

func TestError(t *testing.T) {
	reqs := []netlink.Message{
		{Header: netlink.Header{Length: 20, Type: 0x10, Flags: netlink.Request | netlink.Acknowledge, Sequence: 3, PID: 7}, Data: []byte{1, 2, 3, 4}},
		{Header: netlink.Header{Length: 16, Type: 0x11, Flags: netlink.Request, Sequence: 4, PID: 7}},
	}
	code := func(errno int) []byte {
		return binary.NativeEndian.AppendUint32(nil, uint32(int32(-errno)))
	}

	for _, errno := range []int{int(syscall.ENOENT), 0} {
		got, err := nltest.Error(errno, reqs)
		if err != nil {
			t.Fatalf("Error(%d): %v", errno, err)
		}
		// One message, for the first request only, as v1.11.2 answers.
		want := []netlink.Message{{
			Header: netlink.Header{Length: 24, Type: netlink.Error, Flags: netlink.Request | netlink.Acknowledge, Sequence: 3, PID: 7},
			Data:   append(code(errno), 1, 2, 3, 4),
		}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Error(%d) (-want +got):\n%s", errno, diff)
		}
	}
	if reqs[0].Header.Type != 0x10 || len(reqs[0].Data) != 4 {
		t.Errorf("Error modified its requests: %+v", reqs[0])
	}

	// The length grows by the 4 bytes of the code, whatever it was.
	got, err := nltest.Error(1, []netlink.Message{{Header: netlink.Header{Length: 100}}})
	if err != nil || len(got) != 1 || got[0].Header.Length != 104 {
		t.Errorf("Error on a request of length 100: %+v, %v; want one message of length 104", got, err)
	}

	// Nothing to answer is an error, not a panic.
	for _, none := range [][]netlink.Message{nil, {}} {
		got, err := nltest.Error(1, none)
		if err == nil || got != nil {
			t.Errorf("Error(1, %#v): %v, %v; want no messages and an error", none, got, err)
		}
	}
}

func TestErrorThroughConn(t *testing.T) {
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		return nltest.Error(int(syscall.EEXIST), req)
	})
	defer c.Close()
	_, err := c.Execute(netlink.Message{Header: netlink.Header{Type: 0x10}})
	var oe *netlink.OpError
	if !errors.As(err, &oe) || oe.Err != syscall.EEXIST || oe.Op != "receive" {
		t.Fatalf("Execute: %#v, want an *OpError receive EEXIST", err)
	}

	ack := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		return nltest.Error(0, req)
	})
	defer ack.Close()
	msgs, err := ack.Execute(netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Acknowledge}})
	if err != nil {
		t.Fatalf("Execute acknowledged: %v", err)
	}
	if len(msgs) != 1 || msgs[0].Header.Type != netlink.Error {
		t.Errorf("Execute acknowledged: %+v, want one Error message", msgs)
	}
}

func TestCheckRequest(t *testing.T) {
	req := func(typ netlink.HeaderType, flags netlink.HeaderFlags) netlink.Message {
		return netlink.Message{Header: netlink.Header{Type: typ, Flags: flags}}
	}
	tests := []struct {
		name   string
		types  []netlink.HeaderType
		flags  []netlink.HeaderFlags
		reqs   []netlink.Message
		err    string
		called bool
	}{
		{
			name:   "match",
			types:  []netlink.HeaderType{0x10, 0x11},
			flags:  []netlink.HeaderFlags{netlink.Request, netlink.Request | netlink.Dump},
			reqs:   []netlink.Message{req(0x10, netlink.Request), req(0x11, netlink.Request|netlink.Dump)},
			called: true,
		},
		{
			name:   "zero values are not checked",
			types:  []netlink.HeaderType{0, 0x11},
			flags:  []netlink.HeaderFlags{netlink.Request, 0},
			reqs:   []netlink.Message{req(0x42, netlink.Request), req(0x11, netlink.Echo)},
			called: true,
		},
		{
			name:  "type",
			types: []netlink.HeaderType{0x10},
			flags: []netlink.HeaderFlags{0},
			reqs:  []netlink.Message{req(0x11, netlink.Request)},
			err:   "nltest: unexpected netlink header type: unknown(17), want: unknown(16)",
		},
		{
			name:  "second type",
			types: []netlink.HeaderType{0, netlink.Noop},
			flags: []netlink.HeaderFlags{0, 0},
			reqs:  []netlink.Message{req(0x10, 0), req(netlink.Error, 0)},
			err:   "nltest: unexpected netlink header type: error, want: noop",
		},
		{
			name:  "flags",
			types: []netlink.HeaderType{0x10},
			flags: []netlink.HeaderFlags{netlink.Request | netlink.Acknowledge},
			reqs:  []netlink.Message{req(0x10, netlink.Request|netlink.Dump)},
			err:   "nltest: unexpected netlink header flags: request|0x300, want: request|acknowledge",
		},
		{
			name:   "empty request is passed on",
			types:  []netlink.HeaderType{0x10},
			flags:  []netlink.HeaderFlags{netlink.Request},
			called: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			fn := nltest.CheckRequest(tt.types, tt.flags, func(req []netlink.Message) ([]netlink.Message, error) {
				called = true
				return req, nil
			})
			got, err := fn(tt.reqs)
			if called != tt.called {
				t.Errorf("fn called: %v, want %v", called, tt.called)
			}
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if diff := cmp.Diff(tt.reqs, got); diff != "" {
				t.Errorf("fn's replies (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckRequestPanics(t *testing.T) {
	ok := func(req []netlink.Message) ([]netlink.Message, error) { return nil, nil }
	tests := []struct {
		name  string
		types []netlink.HeaderType
		flags []netlink.HeaderFlags
		reqs  int
	}{
		{name: "fewer types", types: []netlink.HeaderType{0x10}, flags: []netlink.HeaderFlags{0, 0}, reqs: 2},
		{name: "fewer flags", types: []netlink.HeaderType{0x10, 0x10}, flags: []netlink.HeaderFlags{0}, reqs: 2},
		{name: "more of both", types: []netlink.HeaderType{0x10, 0x10}, flags: []netlink.HeaderFlags{0, 0}, reqs: 1},
		{name: "nil slices", reqs: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if r == nil {
					t.Fatal("no panic")
				}
				if s, _ := r.(string); !strings.HasPrefix(s, "nltest: CheckRequest") {
					t.Errorf("panic %v, want a message from CheckRequest", r)
				}
			}()
			reqs := make([]netlink.Message, tt.reqs)
			for i := range reqs {
				reqs[i].Header.Type = 0x10
			}
			_, _ = nltest.CheckRequest(tt.types, tt.flags, ok)(reqs)
		})
	}
}

func TestDial(t *testing.T) {
	var calls [][]netlink.Message
	replies := [][]netlink.Message{
		{{Header: netlink.Header{Length: 16, Type: 0x20, Sequence: 1}}},
		{{Header: netlink.Header{Length: 16, Type: 0x21, Sequence: 2}}, {Header: netlink.Header{Length: 16, Type: 0x22, Sequence: 2}}},
		{{Header: netlink.Header{Length: 16, Type: 0x23}}}, // the multicast answer
	}
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		calls = append(calls, req)
		r := replies[0]
		replies = replies[1:]
		return r, nil
	})
	defer c.Close()

	if got := c.PID(); got != nltest.PID || nltest.PID != 1 {
		t.Errorf("PID %d (nltest.PID %d), want 1", got, nltest.PID)
	}

	first, err := c.Send(netlink.Message{Header: netlink.Header{Type: 0x10, Sequence: 1}})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	second, err := c.SendMessages([]netlink.Message{{Header: netlink.Header{Type: 0x11, Sequence: 2}}, {Header: netlink.Header{Type: 0x12, Sequence: 2}}})
	if err != nil {
		t.Fatalf("SendMessages: %v", err)
	}
	// The Func saw the filled requests, one call per send.
	if diff := cmp.Diff([][]netlink.Message{{first}, second}, calls); diff != "" {
		t.Errorf("Func calls (-want +got):\n%s", diff)
	}
	if first.Header.PID != nltest.PID || first.Header.Length != 16 {
		t.Errorf("request not filled: %+v", first.Header)
	}

	// The replies of both sends come with the next Receive: SendMessages
	// adds to what is pending.
	got, err := c.Receive()
	if err != nil {
		t.Fatalf("Receive: %v", err)
	}
	want := []netlink.Message{
		{Header: netlink.Header{Length: 16, Type: 0x20, Sequence: 1}},
		{Header: netlink.Header{Length: 16, Type: 0x21, Sequence: 2}},
		{Header: netlink.Header{Length: 16, Type: 0x22, Sequence: 2}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Receive (-want +got):\n%s", diff)
	}

	// Nothing pending: the Func is asked with an empty request.
	got, err = c.Receive()
	if err != nil {
		t.Fatalf("Receive: %v", err)
	}
	if len(calls) != 3 || len(calls[2]) != 0 {
		t.Errorf("Func calls %v, want a third one with no request", calls)
	}
	if diff := cmp.Diff([]netlink.Message{{Header: netlink.Header{Length: 16, Type: 0x23}}}, got); diff != "" {
		t.Errorf("multicast Receive (-want +got):\n%s", diff)
	}
}

func TestCompatDialResults(t *testing.T) {
	// Send always succeeds and keeps what the Func returned for the next
	// Receive; with nothing kept, Receive asks the Func with no request.
	boom := errors.New("boom")
	one := []netlink.Message{{Header: netlink.Header{Length: 16, Type: 0x10}}}
	multicast := []netlink.Message{{Header: netlink.Header{Length: 16, Type: 0x99}}}

	// A step sends (the Func answers with msgs and err) or receives
	// (the Func, if asked, answers with msgs and err; want* is the
	// result, and asked whether the Func was called).
	type step struct {
		send    bool
		msgs    []netlink.Message
		err     error
		want    []netlink.Message
		wantErr error // wrapped in an *OpError "receive"
		asked   bool
	}
	mc := step{msgs: multicast, want: multicast, asked: true} // a Receive that asks the Func
	tests := []struct {
		name  string
		steps []step
	}{
		{"reply", []step{{send: true, msgs: one}, {want: one}, mc}},
		{"error at send comes from receive", []step{{send: true, err: boom}, {wantErr: boom}, mc}},
		{"no reply asks the func", []step{{send: true}, mc}},
		{"empty reply asks the func", []step{{send: true, msgs: []netlink.Message{}}, mc}},
		{"EOF at send is nothing until the next send", []step{
			{send: true, err: io.EOF}, {}, {}, {send: true, msgs: one}, {want: one}, mc,
		}},
		{"EOF with messages is an error", []step{{send: true, msgs: one, err: io.EOF}, {wantErr: io.EOF}, mc}},
		{"error with messages is an error", []step{{send: true, msgs: one, err: boom}, {wantErr: boom}, mc}},
		{"a later send replaces", []step{{send: true, msgs: one}, {send: true, err: boom}, {wantErr: boom}, mc}},
		{"a later EOF replaces", []step{{send: true, msgs: one}, {send: true, err: io.EOF}, {}, {}}},
		{"func error when asked", []step{{err: boom, wantErr: boom, asked: true}, mc}},
		{"func EOF when asked is nothing", []step{{msgs: one, err: io.EOF, asked: true}, mc}},
	}
	for _, tt := range tests {
		for _, useIter := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/iter=%v", tt.name, useIter), func(t *testing.T) {
				var answer *step
				c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
					if answer == nil {
						t.Fatalf("Func called with %d requests, unexpectedly", len(req))
					}
					a := answer
					answer = nil
					return a.msgs, a.err
				})
				for i, st := range tt.steps {
					answer = &st
					if st.send {
						if _, err := c.Send(netlink.Message{Header: netlink.Header{Type: 0x10}}); err != nil {
							t.Fatalf("step %d: Send: %v", i, err)
						}
						continue
					}
					var got []netlink.Message
					var err error
					if useIter {
						for m, e := range c.ReceiveIter() {
							if e != nil {
								err = e
								break
							}
							got = append(got, m)
						}
					} else {
						got, err = c.Receive()
					}
					if asked := answer == nil; asked != st.asked {
						t.Errorf("step %d: Func asked %v, want %v", i, asked, st.asked)
					}
					if st.wantErr != nil {
						oe, ok := err.(*netlink.OpError)
						if !ok || oe.Op != "receive" || oe.Err != st.wantErr || got != nil {
							t.Errorf("step %d: got %v and %#v, want no messages and a receive *OpError wrapping %v", i, got, err, st.wantErr)
						}
						continue
					}
					if err != nil {
						t.Fatalf("step %d: %v", i, err)
					}
					if diff := cmp.Diff(st.want, got); diff != "" {
						t.Errorf("step %d: messages (-want +got):\n%s", i, diff)
					}
				}
			})
		}
	}
}

func TestDialMultipartThroughConn(t *testing.T) {
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		if len(req) == 0 {
			return nil, io.EOF
		}
		h := req[0].Header
		return nltest.Multipart([]netlink.Message{
			{Header: netlink.Header{Length: 17, Type: 0x10, Sequence: h.Sequence, PID: h.PID}, Data: []byte{1}},
			{Header: netlink.Header{Length: 17, Type: 0x10, Sequence: h.Sequence, PID: h.PID}, Data: []byte{2}},
			{Header: netlink.Header{Length: 16, Sequence: h.Sequence, PID: h.PID}},
		})
	})
	defer c.Close()

	msgs, err := c.Execute(netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Dump}})
	if err != nil {
		t.Fatalf("Execute: %v", err)
	}
	var data []byte
	for _, m := range msgs {
		data = append(data, m.Data...)
	}
	if diff := cmp.Diff([]byte{1, 2}, data); diff != "" {
		t.Errorf("Execute data (-want +got):\n%s", diff)
	}
}

func TestMustMarshalAttributes(t *testing.T) {
	got := nltest.MustMarshalAttributes([]netlink.Attribute{
		{Type: 1, Data: []byte{0xff}},
		{Type: 2, Data: binary.NativeEndian.AppendUint16(nil, 0x1234)},
	})
	var want []byte
	for _, a := range []struct {
		typ  uint16
		data []byte
	}{{1, []byte{0xff, 0, 0, 0}}, {2, append(binary.NativeEndian.AppendUint16(nil, 0x1234), 0, 0)}} {
		l := 5
		if a.typ == 2 {
			l = 6
		}
		want = binary.NativeEndian.AppendUint16(want, uint16(l))
		want = binary.NativeEndian.AppendUint16(want, a.typ)
		want = append(want, a.data...)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("MustMarshalAttributes (-want +got):\n%s", diff)
	}

	defer func() {
		if r := recover(); r == nil {
			t.Error("no panic for an attribute too large to encode")
		}
	}()
	nltest.MustMarshalAttributes([]netlink.Attribute{{Type: 1, Data: make([]byte, 1<<16)}})
}

func TestDialRepliesAreCopies(t *testing.T) {
	// A Func may return the same slice every time, as a fixture; what a
	// caller does to the messages it received must not change it.
	fixture := []netlink.Message{{Header: netlink.Header{Length: 17, Type: 0x10}, Data: []byte{1}}}
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		if len(req) == 0 {
			return fixture, nil
		}
		fixture[0].Header.Sequence = req[0].Header.Sequence
		return fixture, nil
	})
	defer c.Close()

	for _, receive := range []func() ([]netlink.Message, error){
		func() ([]netlink.Message, error) {
			return c.Execute(netlink.Message{Header: netlink.Header{Type: 0x10}})
		},
		c.Receive, // nothing pending: the multicast path
	} {
		msgs, err := receive()
		if err != nil {
			t.Fatalf("receive: %v", err)
		}
		if len(msgs) != 1 {
			t.Fatalf("got %d messages, want 1", len(msgs))
		}
		msgs[0].Header.Type = 0x99
		msgs[0].Data = nil
		if fixture[0].Header.Type != 0x10 || len(fixture[0].Data) != 1 {
			t.Fatalf("changing the received messages changed the Func's slice: %+v", fixture[0])
		}
	}
}

func TestDialFuncReusesItsSlice(t *testing.T) {
	// A Func may answer every call in the same slice; messages already
	// received must survive the next call.
	reply := make([]netlink.Message, 2)
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		if len(req) == 0 {
			return nil, io.EOF
		}
		for i := range reply {
			reply[i] = netlink.Message{Header: netlink.Header{Length: 17, Type: req[0].Header.Type}, Data: []byte{byte(i)}}
		}
		return reply, nil
	})
	defer c.Close()

	types := func(msgs []netlink.Message) []netlink.HeaderType {
		var out []netlink.HeaderType
		for _, m := range msgs {
			out = append(out, m.Header.Type)
		}
		return out
	}
	var kept [][]netlink.Message
	for _, typ := range []netlink.HeaderType{0x10, 0x11, 0x12} {
		if _, err := c.Send(netlink.Message{Header: netlink.Header{Type: typ}}); err != nil {
			t.Fatalf("Send: %v", err)
		}
		msgs, err := c.Receive()
		if err != nil {
			t.Fatalf("Receive: %v", err)
		}
		kept = append(kept, msgs)
	}
	for i, typ := range []netlink.HeaderType{0x10, 0x11, 0x12} {
		if diff := cmp.Diff([]netlink.HeaderType{typ, typ}, types(kept[i])); diff != "" {
			t.Errorf("reply %d: types (-want +got):\n%s", i, diff)
		}
	}
}
