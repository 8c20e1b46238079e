package netlink_test

import (
	"encoding/binary"
	"errors"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

// note is a notification of the kind a multicast group brings, marked b in
// its first data byte, with the given sequence number and PID (the kernel's
// own have both zero).
func note(b byte, seq, pid uint32) netlink.Message {
	return netlink.Message{
		Header: netlink.Header{Length: 20, Type: 0x10, Sequence: seq, PID: pid},
		Data:   []byte{b, 0, 0, 0},
	}
}

// single is a reply of one message to request 1 (see scriptedSocket),
// marked b.
func single(b byte) netlink.Message {
	return netlink.Message{
		Header: netlink.Header{Length: 20, Type: 0x10, Sequence: 1, PID: 1},
		Data:   []byte{b, 0, 0, 0},
	}
}

// marks returns the first data byte of each message.
func marks(msgs []netlink.Message) []byte {
	var b []byte
	for _, m := range msgs {
		b = append(b, m.Data[0])
	}
	return b
}

// A receiveStep is a Receive after Execute and what it must return: the
// marks of its messages, or an *OpError wrapping errno.
type receiveStep struct {
	want  []byte
	errno syscall.Errno
}

func TestConnExecuteSetsNotificationsAside(t *testing.T) {
	const bigSize = 64 << 10
	big := func(b byte) netlink.Message {
		data := make([]byte, bigSize)
		data[0] = b
		return netlink.Message{Header: netlink.Header{Length: 16 + bigSize, Type: 0x10}, Data: data}
	}
	// The notifications of the overflow case: those that fit the bound
	// of 4 MiB, kept, then one too many, then one more.
	var flood []play
	var kept []byte
	nkept := (4 << 20) / (16 + bigSize)
	for i := range nkept + 2 {
		flood = append(flood, play{msgs: []netlink.Message{big(byte(i))}})
		if i < nkept {
			kept = append(kept, byte(i))
		}
	}

	tests := []struct {
		name  string
		plays []play
		iter  bool   // through ExecuteIter rather than Execute
		want  []byte // the marks of Execute's reply
		err   string // or Execute's error
		after []receiveStep
	}{
		{
			name: "before the reply",
			plays: []play{
				{msgs: []netlink.Message{note(0xa1, 0, 0)}},
				{msgs: []netlink.Message{single(1)}},
			},
			want:  []byte{1},
			after: []receiveStep{{want: []byte{0xa1}}, {}},
		},
		{
			name: "before the reply, through ExecuteIter",
			plays: []play{
				{msgs: []netlink.Message{note(0xa1, 0, 0)}},
				{msgs: []netlink.Message{single(1)}},
			},
			iter:  true,
			want:  []byte{1},
			after: []receiveStep{{want: []byte{0xa1}}, {}},
		},
		{
			name: "between the datagrams of a multi-part reply",
			plays: []play{
				{msgs: []netlink.Message{part(1, 1), part(1, 2)}},
				{msgs: []netlink.Message{note(0xb1, 0, 0), note(0xb2, 0, 0)}},
				{msgs: []netlink.Message{part(1, 3), done(1)}},
			},
			want:  []byte{1, 2, 3},
			after: []receiveStep{{want: []byte{0xb1, 0xb2}}, {}},
		},
		{
			name: "between the datagrams, through ExecuteIter",
			plays: []play{
				{msgs: []netlink.Message{part(1, 1)}},
				{msgs: []netlink.Message{note(0xb1, 0, 0)}},
				{msgs: []netlink.Message{part(1, 2), done(1)}},
			},
			iter:  true,
			want:  []byte{1, 2},
			after: []receiveStep{{want: []byte{0xb1}}, {}},
		},
		{
			name: "after the reply",
			plays: []play{
				{msgs: []netlink.Message{part(1, 1), done(1)}},
				{msgs: []netlink.Message{note(0xc1, 0, 0)}},
			},
			want:  []byte{1},
			after: []receiveStep{{want: []byte{0xc1}}, {}},
		},
		{
			name: "arrival order kept, set aside and still queued",
			plays: []play{
				{msgs: []netlink.Message{note(0xd1, 0, 0), note(0xd2, 0, 0)}},
				{msgs: []netlink.Message{part(1, 1)}},
				{msgs: []netlink.Message{note(0xd3, 0, 0)}},
				{msgs: []netlink.Message{note(0xd4, 0, 0)}},
				{msgs: []netlink.Message{part(1, 2), done(1)}},
				{msgs: []netlink.Message{note(0xd5, 0, 0)}},
			},
			want: []byte{1, 2},
			after: []receiveStep{
				{want: []byte{0xd1, 0xd2, 0xd3, 0xd4}},
				{want: []byte{0xd5}},
				{},
			},
		},
		{
			name: "another port's message with a sequence number",
			plays: []play{
				{msgs: []netlink.Message{note(0xe1, 4242, 999)}},
				{msgs: []netlink.Message{single(1)}},
			},
			want:  []byte{1},
			after: []receiveStep{{want: []byte{0xe1}}, {}},
		},
		{
			name: "a notification and the reply in one datagram",
			plays: []play{
				{msgs: []netlink.Message{note(0xf1, 0, 0), single(1)}},
			},
			want:  []byte{1},
			after: []receiveStep{{want: []byte{0xf1}}, {}},
		},
		{
			name: "a closing Done of sequence zero in the reply's datagram",
			plays: []play{
				{msgs: []netlink.Message{part(1, 1), done(0)}},
			},
			want:  []byte{1},
			after: []receiveStep{{}},
		},
		{
			name: "an Error message of sequence zero is still the reply",
			plays: []play{
				{msgs: []netlink.Message{{Header: netlink.Header{Length: 20, Type: netlink.Error}, Data: binary.NativeEndian.AppendUint32(nil, 1)}}},
			},
			err:   "netlink receive: errno -1",
			after: []receiveStep{{}},
		},
		{
			name: "a reply of this port with another sequence still fails",
			plays: []play{
				{msgs: []netlink.Message{{Header: netlink.Header{Length: 16, Type: 0x10, Sequence: 4242, PID: 1}}}},
			},
			err:   "netlink validate: mismatched sequence in netlink reply",
			after: []receiveStep{{}},
		},
		{
			name: "a reply of the request's sequence from another port still fails",
			plays: []play{
				{msgs: []netlink.Message{{Header: netlink.Header{Length: 16, Type: 0x10, Sequence: 1, PID: 999}}}},
			},
			err:   "netlink validate: mismatched PID in netlink reply",
			after: []receiveStep{{}},
		},
		{
			// A socket that cannot tell multicast datagrams, as
			// this one, gives up on the reply when the bound is
			// reached; the socket of Dial reads on (see
			// TestSetAsideOverflowMulticast).
			name: "overflow: ENOBUFS, then what was kept, then the next messages",
			plays: append(flood,
				play{msgs: []netlink.Message{part(1, 1), done(1)}},
				play{msgs: []netlink.Message{note(0xf9, 0, 0)}},
			),
			err: "netlink receive: recvmsg: no buffer space available",
			after: []receiveStep{
				{errno: syscall.ENOBUFS},
				{want: kept},
				{want: []byte{byte(nkept + 1)}},
				// The rest of the reply Execute gave up on is
				// passed over.
				{want: []byte{0xf9}},
				{},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &scriptedSocket{plays: tt.plays}
			c := netlink.NewConn(s, 1)
			req := netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Dump}}
			var (
				got []netlink.Message
				err error
			)
			if tt.iter {
				for m, ierr := range c.ExecuteIter(req) {
					if ierr != nil {
						err = ierr
						break
					}
					got = append(got, m)
				}
			} else {
				got, err = c.Execute(req)
			}
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("Execute: %v, want %q", err, tt.err)
				}
			} else if err != nil {
				t.Fatalf("Execute: %v", err)
			}
			if diff := cmp.Diff(tt.want, marks(got)); diff != "" {
				t.Fatalf("Execute's reply (-want +got):\n%s", diff)
			}
			for i, st := range tt.after {
				msgs, err := c.Receive()
				if st.errno != 0 {
					var oe *netlink.OpError
					if !errors.As(err, &oe) || oe.Op != "receive" || !errors.Is(err, st.errno) || msgs != nil {
						t.Fatalf("Receive %d: %v, %v, want an *OpError wrapping %v alone", i, marks(msgs), err, st.errno)
					}
					continue
				}
				if err != nil {
					t.Fatalf("Receive %d: %v", i, err)
				}
				if diff := cmp.Diff(st.want, marks(msgs)); diff != "" {
					t.Fatalf("Receive %d (-want +got):\n%s", i, diff)
				}
			}
		})
	}
}

func TestConnSetAsideReceiveIterStopsEarly(t *testing.T) {
	// A ReceiveIter loop left early drops the rest of the datagram it
	// stopped in, as for a datagram read from the socket; the
	// notifications of later datagrams stay for the next receiver.
	s := &scriptedSocket{plays: []play{
		{msgs: []netlink.Message{note(0xa1, 0, 0), note(0xa2, 0, 0)}},
		{msgs: []netlink.Message{note(0xb1, 0, 0), note(0xb2, 0, 0)}},
		{msgs: []netlink.Message{single(1)}},
	}}
	c := netlink.NewConn(s, 1)
	if _, err := c.Execute(netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request}}); err != nil {
		t.Fatalf("Execute: %v", err)
	}
	var got []netlink.ReceivedMessage
	for rm, err := range c.ReceiveWithInfo() {
		if err != nil {
			t.Fatalf("ReceiveWithInfo: %v", err)
		}
		got = append(got, rm)
		break
	}
	want := []netlink.ReceivedMessage{{Message: note(0xa1, 0, 0), Info: netlink.MessageInfo{NSID: -1}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("first ReceiveWithInfo (-want +got):\n%s", diff)
	}
	msgs, err := c.Receive()
	if err != nil {
		t.Fatalf("Receive: %v", err)
	}
	if diff := cmp.Diff([]byte{0xb1, 0xb2}, marks(msgs)); diff != "" {
		t.Fatalf("Receive (-want +got):\n%s", diff)
	}
}

func TestConnSetAsideThroughNltest(t *testing.T) {
	// The fake socket of nltest hands over whole datagrams (another read
	// path): the Func answers the request with a notification, and the
	// Receive that follows, as the kernel would, with the reply.
	var reply netlink.Message
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		if len(req) > 0 {
			reply = req[0]
			return []netlink.Message{note(0xa1, 0, 0), note(0xa2, 0, 0)}, nil
		}
		if reply.Header.Length != 0 {
			r := reply
			reply = netlink.Message{}
			return []netlink.Message{r}, nil
		}
		return nil, io.EOF
	})
	req := netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request}, Data: []byte{7, 0, 0, 0}}
	got, err := c.Execute(req)
	if err != nil {
		t.Fatalf("Execute: %v", err)
	}
	if diff := cmp.Diff([]byte{7}, marks(got)); diff != "" {
		t.Fatalf("Execute (-want +got):\n%s", diff)
	}
	msgs, err := c.Receive()
	if err != nil {
		t.Fatalf("Receive: %v", err)
	}
	if diff := cmp.Diff([]byte{0xa1, 0xa2}, marks(msgs)); diff != "" {
		t.Fatalf("Receive (-want +got):\n%s", diff)
	}
}

func TestConnSetAsideEndlessNotifications(t *testing.T) {
	// A fake socket that answers with notifications only, for ever,
	// fails Execute once 4 MiB are set aside, rather than keep it
	// reading; the next Receive reports the loss, then what was kept.
	c := nltest.Dial(func([]netlink.Message) ([]netlink.Message, error) {
		return []netlink.Message{note(0xa1, 0, 0)}, nil
	})
	done := make(chan error, 1)
	go func() {
		_, err := c.Execute(netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request}})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, syscall.ENOBUFS) {
			t.Fatalf("Execute: %v, want ENOBUFS", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Execute still reading after 30 s")
	}
	if _, err := c.Receive(); !errors.Is(err, syscall.ENOBUFS) {
		t.Fatalf("first Receive: %v, want ENOBUFS", err)
	}
	msgs, err := c.Receive()
	if err != nil {
		t.Fatalf("second Receive: %v", err)
	}
	if want := (4 << 20) / 20; len(msgs) != want {
		t.Fatalf("second Receive: %d messages, want the %d kept", len(msgs), want)
	}
}
