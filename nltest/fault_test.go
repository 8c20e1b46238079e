package nltest_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

func u32(v uint32) []byte { return binary.NativeEndian.AppendUint32(nil, v) }

func ptr[T any](v T) *T { return &v }

// faultRequest is a request as a Conn sends it: header filled.
var faultRequest = netlink.Message{
	Header: netlink.Header{Length: 22, Type: 0x1c, Flags: netlink.Request | netlink.Acknowledge, Sequence: 3, PID: nltest.PID},
	Data:   []byte{1, 2, 3, 4, 5, 6},
}

// fullAck has every attribute the kernel sends.
var fullAck = netlink.ExtendedAck{
	Message:     "Attribute failed policy validation",
	Offset:      20,
	Cookie:      []byte{9, 8, 7},
	MissingType: 4,
	MissingNest: 20,
	Policy: &netlink.Policy{
		Type:      netlink.PolicyTypeU32,
		MinSigned: ptr(int64(-3)), MaxSigned: ptr(int64(3)),
		MinUnsigned: ptr(uint64(1)), MaxUnsigned: ptr(uint64(9)),
		MinLength: ptr(uint32(1)), MaxLength: ptr(uint32(2)),
		PolicyIndex: ptr(uint32(5)), MaxType: ptr(uint32(6)),
		Bitfield32Mask: ptr(uint32(0xf)), Mask: ptr(uint64(0xff)),
	},
}

func TestErrorWithAck(t *testing.T) {
	for _, capped := range []bool{false, true} {
		msgs, err := nltest.ErrorWithAck(int(syscall.EINVAL), faultRequest, fullAck, capped)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("capped %v: %v, %v", capped, msgs, err)
		}
		m := msgs[0]
		wantFlags := netlink.AcknowledgeTLVs
		echoLen := 16 + 8 // the request, padded
		if capped {
			wantFlags |= netlink.Capped
			echoLen = 16
		}
		if m.Header.Type != netlink.Error || m.Header.Flags != wantFlags || m.Header.Sequence != 3 || m.Header.PID != nltest.PID ||
			int(m.Header.Length) != 16+len(m.Data) {
			t.Errorf("capped %v: header %+v", capped, m.Header)
		}
		if code := int32(binary.NativeEndian.Uint32(m.Data)); code != -int32(syscall.EINVAL) {
			t.Errorf("capped %v: code %d", capped, code)
		}
		// The echoed header is the request's, Length included.
		var echoed netlink.Message
		if err := echoed.UnmarshalBinary(append(m.Data[4:20:20], make([]byte, 8)...)); err != nil ||
			echoed.Header != faultRequest.Header {
			t.Errorf("capped %v: echoed header %+v (%v), want %+v", capped, echoed.Header, err, faultRequest.Header)
		}
		if !capped && string(m.Data[20:26]) != string(faultRequest.Data) {
			t.Errorf("echoed data % x, want % x", m.Data[20:26], faultRequest.Data)
		}
		if len(m.Data) <= 4+echoLen {
			t.Fatalf("capped %v: no attributes after %d bytes", capped, 4+echoLen)
		}
		got, err := netlink.DecodeExtendedAck(m)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(fullAck, got); diff != "" {
			t.Errorf("capped %v: decoded (-want +got):\n%s", capped, diff)
		}
	}

	// Without attributes: no AcknowledgeTLVs flag, as from a kernel
	// without the option.
	msgs, _ := nltest.ErrorWithAck(int(syscall.ENOENT), faultRequest, netlink.ExtendedAck{Path: []uint16{1}}, true)
	if f := msgs[0].Header.Flags; f != netlink.Capped {
		t.Errorf("flags without attributes: %v, want capped only", f)
	}
}

func TestErrorWithAckExecute(t *testing.T) {
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		return nltest.ErrorWithAck(int(syscall.EINVAL), req[0], fullAck, false)
	})
	req, err := c.Send(netlink.Message{Header: netlink.Header{Type: 0x1c, Flags: netlink.Request}, Data: []byte{1, 2, 3, 4}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Receive()
	want := &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Message: fullAck.Message,
		Offset: int(fullAck.Offset), Sequence: req.Header.Sequence}
	var oe *netlink.OpError
	if !errors.As(err, &oe) {
		t.Fatalf("error %v (%T), want an *OpError", err, err)
	}
	if diff := cmp.Diff(want, oe); diff != "" {
		t.Errorf("OpError (-want +got):\n%s", diff)
	}
	a, ok := netlink.ExtendedAckOf(err)
	if !ok {
		t.Fatalf("ExtendedAckOf(%v) found nothing", err)
	}
	if diff := cmp.Diff(&fullAck, a); diff != "" {
		t.Errorf("ExtendedAckOf (-want +got):\n%s", diff)
	}
}

func TestWarning(t *testing.T) {
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		return nltest.Warning(req[0], "careful")
	})
	msgs, err := c.Execute(netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Acknowledge}})
	if err != nil {
		t.Fatalf("a warning is no error: %v", err)
	}
	if len(msgs) != 1 || msgs[0].Header.Flags != netlink.Capped|netlink.AcknowledgeTLVs ||
		binary.NativeEndian.Uint32(msgs[0].Data) != 0 {
		t.Fatalf("want one capped acknowledgement with attributes, got %+v", msgs)
	}
	a, err := netlink.DecodeExtendedAck(msgs[0])
	if err != nil || a.Message != "careful" {
		t.Errorf("decoded %+v, %v; want the warning", a, err)
	}
}

func TestDumps(t *testing.T) {
	req := faultRequest
	data := func() []netlink.Message {
		return []netlink.Message{{Header: netlink.Header{Type: 0x10}, Data: []byte{1}}, {Header: netlink.Header{Type: 0x10}, Data: []byte{2}}}
	}
	h := func(typ netlink.HeaderType, flags netlink.HeaderFlags, l uint32) netlink.Header {
		return netlink.Header{Length: l, Type: typ, Flags: flags, Sequence: 3, PID: nltest.PID}
	}
	tests := []struct {
		name    string
		build   func() ([]netlink.Message, error)
		want    []netlink.Header
		wantErr string
	}{
		{
			name:  "dump",
			build: func() ([]netlink.Message, error) { return nltest.Dump(req, data()) },
			want:  []netlink.Header{h(0x10, netlink.Multi, 0), h(0x10, netlink.Multi, 0), h(netlink.Done, netlink.Multi, 20)},
		},
		{
			name: "interrupted everywhere",
			build: func() ([]netlink.Message, error) {
				msgs, _ := nltest.Dump(req, data())
				return nltest.Interrupted(msgs)
			},
			want: []netlink.Header{h(0x10, netlink.Multi|netlink.DumpInterrupted, 0), h(0x10, netlink.Multi|netlink.DumpInterrupted, 0),
				h(netlink.Done, netlink.Multi|netlink.DumpInterrupted, 20)},
		},
		{
			name: "interrupted in the done message only",
			build: func() ([]netlink.Message, error) {
				msgs, _ := nltest.Dump(req, data())
				return nltest.Interrupted(msgs, -1)
			},
			want: []netlink.Header{h(0x10, netlink.Multi, 0), h(0x10, netlink.Multi, 0), h(netlink.Done, netlink.Multi|netlink.DumpInterrupted, 20)},
		},
		{
			name: "interrupted from the second message",
			build: func() ([]netlink.Message, error) {
				msgs, _ := nltest.Dump(req, data())
				return nltest.Interrupted(msgs, 1, 2)
			},
			want: []netlink.Header{h(0x10, netlink.Multi, 0), h(0x10, netlink.Multi|netlink.DumpInterrupted, 0), h(netlink.Done, netlink.Multi|netlink.DumpInterrupted, 20)},
		},
		{
			name: "failed dump",
			build: func() ([]netlink.Message, error) {
				return nltest.FailedDump(req, data(), int(syscall.EINVAL), netlink.ExtendedAck{})
			},
			want:    []netlink.Header{{Type: 0x10, Flags: netlink.Multi}, {Type: 0x10, Flags: netlink.Multi}, h(netlink.Done, netlink.Multi, 20)},
			wantErr: "netlink receive: " + syscall.EINVAL.Error(),
		},
		{
			name: "failed dump with an extended acknowledgement",
			build: func() ([]netlink.Message, error) {
				return nltest.FailedDump(req, nil, int(syscall.EOPNOTSUPP), netlink.ExtendedAck{Message: "no dump"})
			},
			want:    []netlink.Header{h(netlink.Done, netlink.Multi|netlink.AcknowledgeTLVs, 32)},
			wantErr: "netlink receive: " + syscall.EOPNOTSUPP.Error() + `, offset: 0, message: "no dump"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs, err := tt.build()
			if err != nil {
				t.Fatal(err)
			}
			var got []netlink.Header
			for _, m := range msgs {
				got = append(got, m.Header)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
			// Through a Conn: the data messages come back, or the error.
			c := nltest.Dial(func(r []netlink.Message) ([]netlink.Message, error) {
				if len(r) == 0 {
					return nil, io.EOF
				}
				return msgs, nil
			})
			if _, err := c.Send(req); err != nil {
				t.Fatal(err)
			}
			recv, err := c.Receive()
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Receive error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || len(recv) != 2 {
				t.Fatalf("Receive: %d messages, %v; want the 2 data messages", len(recv), err)
			}
		})
	}
}

func TestInterruptedPanicsOutOfRange(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "index 5 out of range for 2 messages") {
			t.Errorf("recovered %v, want a panic naming the index", r)
		}
	}()
	nltest.Interrupted(make([]netlink.Message, 2), 5)
}

func TestNoBufferSpace(t *testing.T) {
	event := []netlink.Message{{Header: netlink.Header{Length: 16, Type: 0x10}}}
	c := nltest.Dial(nltest.NoBufferSpace(func(req []netlink.Message) ([]netlink.Message, error) {
		if len(req) > 0 {
			return nltest.Error(0, req)
		}
		return event, nil
	}, 2, 4))
	for i := 1; i <= 5; i++ {
		msgs, err := c.Receive()
		if i == 2 || i == 4 {
			var oe *netlink.OpError
			if !errors.As(err, &oe) || oe.Op != "receive" || !errors.Is(err, syscall.ENOBUFS) {
				t.Errorf("read %d: %v, %v; want an *OpError for ENOBUFS", i, msgs, err)
			}
			continue
		}
		if err != nil || len(msgs) != 1 {
			t.Errorf("read %d: %v, %v; want the event", i, msgs, err)
		}
	}
	// Requests are answered by fn and do not count as reads.
	if _, err := c.Execute(netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Acknowledge}}); err != nil {
		t.Errorf("Execute: %v", err)
	}
}

func TestDatagram(t *testing.T) {
	// 21 bytes and their padding, then 17 bytes without padding.
	two := append(msgBytes(0x10, 1, 2, 3, 4, 5), msgBytes(0x11, 9)[:17]...)
	tests := []struct {
		name    string
		b       []byte
		want    []netlink.HeaderType
		wantErr string
	}{
		{name: "two messages, the last unpadded", b: two, want: []netlink.HeaderType{0x10, 0x11}},
		{name: "empty"},
		{name: "truncated header", b: two[:30], want: []netlink.HeaderType{0x10}},
		{name: "truncated header, 13 bytes of it", b: two[:24+13], wantErr: "not enough data to create a netlink message"},
		{name: "truncated data", b: two[:len(two)-1], wantErr: "not enough data to create a netlink message"},
		// As from a socket of package netlink (and v1.11.2's).
		{name: "length below a header", b: append(u32(8), make([]byte, 12)...), wantErr: "netlink message header length incorrect"},
		{name: "length past the end", b: append(u32(64), make([]byte, 12)...), wantErr: "not enough data"},
		{name: "length of 2^31", b: append(u32(1<<31), make([]byte, 12)...), wantErr: "not enough data"},
		{name: "short", b: []byte{1, 2, 3}},
		{name: "13 bytes after a message, Length 16", b: append(msgBytes(0x10, 1), append(append(u32(16), binary.NativeEndian.AppendUint16(nil, 0x12)...), 1, 2, 3, 4, 5, 6, 7)...), want: []netlink.HeaderType{0x10, 0x12}},
	}
	// Bytes after the last message are ignored when, padded, they are too
	// few for a header (1 to 12), as by a socket; 13 to 15 are padded to a
	// header, here a malformed one: of Length 0 (below a header) or
	// 0xffffffff (past the end).
	for n := 1; n < 16; n++ {
		for _, fill := range []byte{0, 0xff} {
			tt := struct {
				name    string
				b       []byte
				want    []netlink.HeaderType
				wantErr string
			}{
				name: fmt.Sprintf("%d bytes of %#x after the messages", n, fill),
				b:    append(msgBytes(0x10, 1, 2, 3, 4, 5), bytes.Repeat([]byte{fill}, n)...),
				want: []netlink.HeaderType{0x10},
			}
			if n > 12 {
				tt.want, tt.wantErr = nil, "not enough data"
				if fill == 0 {
					tt.wantErr = "netlink message header length incorrect"
				}
			}
			tests = append(tests, tt)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs, err := nltest.Datagram(tt.b)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || msgs != nil {
					t.Fatalf("%v, %v; want no messages and an error containing %q", msgs, err, tt.wantErr)
				}
				// Receive reports it as a socket reports a bad datagram.
				c := nltest.Dial(func([]netlink.Message) ([]netlink.Message, error) { return nltest.Datagram(tt.b) })
				if _, rerr := c.Receive(); rerr == nil || rerr.Error() != "netlink receive: "+err.Error() {
					t.Errorf("Receive error %v, want %q", rerr, "netlink receive: "+err.Error())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []netlink.HeaderType
			for _, m := range msgs {
				got = append(got, m.Header.Type)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("types (-want +got):\n%s", diff)
			}
		})
	}
	msgs, _ := nltest.Datagram(two)
	if string(msgs[0].Data) != "\x01\x02\x03\x04\x05" || string(msgs[1].Data) != "\x09" {
		t.Errorf("data % x, % x", msgs[0].Data, msgs[1].Data)
	}
	two[16] = 0xff
	if msgs[0].Data[0] != 1 {
		t.Error("messages alias the datagram")
	}
}

// msgBytes encodes a message of the given type and data, its Length
// unpadded, followed by padding.
func msgBytes(typ netlink.HeaderType, data ...byte) []byte {
	b := u32(uint32(16 + len(data)))
	b = binary.NativeEndian.AppendUint16(b, uint16(typ))
	b = append(b, make([]byte, 10)...) // flags, sequence, PID
	b = append(b, data...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func TestTruncated(t *testing.T) {
	msgs := []netlink.Message{
		{Header: netlink.Header{Length: 20, Type: 0x10}, Data: []byte{1, 2, 3, 4}},
		{Header: netlink.Header{Length: 20, Type: 0x11}, Data: []byte{5, 6, 7, 8}},
	}
	got, err := nltest.Truncated(msgs, 0)
	if err != nil || len(got) != 2 {
		t.Errorf("cut 0: %v, %v", got, err)
	}
	// Up to 3 bytes are taken for missing padding, as a socket does.
	got, err = nltest.Truncated(msgs, 3)
	if err != nil || len(got) != 2 || string(got[1].Data) != "\x05\x00\x00\x00" {
		t.Errorf("cut 3: %v, %v; want the messages, the last zero-padded", got, err)
	}
	for _, cut := range []int{4, 7, 24} {
		if got, err := nltest.Truncated(msgs, cut); err == nil || got != nil {
			t.Errorf("cut %d: %v, %v; want an error", cut, got, err)
		}
	}
	// A cut that leaves fewer bytes of a message than a header, padded,
	// drops it, as a socket ignores such a tail.
	for cut, want := range map[int]int{8: 1, 19: 1, 28: 0, 39: 0} {
		if got, err := nltest.Truncated(msgs, cut); err != nil || len(got) != want {
			t.Errorf("cut %d: %v, %v; want the %d messages before the cut", cut, got, err, want)
		}
	}
	// A cut between messages leaves a shorter, valid datagram.
	got, err = nltest.Truncated(msgs, 20)
	if err != nil || len(got) != 1 {
		t.Errorf("cut 20: %v, %v; want the first message", got, err)
	}
	got, err = nltest.Truncated(msgs, 40)
	if err != nil || len(got) != 0 {
		t.Errorf("cut everything: %v, %v; want nothing", got, err)
	}
	if _, err := nltest.Truncated(msgs, 41); err == nil || !strings.Contains(err.Error(), "cannot cut 41 bytes from a 40-byte datagram") {
		t.Errorf("cut too much: %v", err)
	}
}

func TestDelay(t *testing.T) {
	answer := func(req []netlink.Message) ([]netlink.Message, error) { return nltest.Error(0, req) }
	ack := netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Acknowledge}}

	t.Run("reply after the delay", func(t *testing.T) {
		c := nltest.Dial(nltest.Delay(context.Background(), 50*time.Millisecond, answer))
		start := time.Now()
		msgs, err := c.Execute(ack)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("Execute: %v, %v", msgs, err)
		}
		if d := time.Since(start); d < 50*time.Millisecond {
			t.Errorf("reply after %v, want at least 50ms", d)
		}
	})
	t.Run("send does not block", func(t *testing.T) {
		c := nltest.Dial(nltest.Delay(context.Background(), time.Hour, answer))
		done := make(chan error, 1)
		go func() { _, err := c.Send(ack); done <- err }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Send blocked")
		}
	})
	t.Run("deadline first", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		defer cancel()
		c := nltest.Dial(nltest.Delay(ctx, time.Hour, answer))
		_, err := c.Execute(ack)
		var oe *netlink.OpError
		if !errors.As(err, &oe) || !errors.Is(err, os.ErrDeadlineExceeded) || !oe.Timeout() {
			t.Fatalf("error %v, want a timing-out *OpError", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		c := nltest.Dial(nltest.NoReply(ctx))
		time.AfterFunc(20*time.Millisecond, cancel)
		_, err := c.Execute(ack)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
	})
	t.Run("multicast read waits too", func(t *testing.T) {
		event := []netlink.Message{{Header: netlink.Header{Length: 16, Type: 0x10}}}
		c := nltest.Dial(nltest.Delay(context.Background(), 30*time.Millisecond, func([]netlink.Message) ([]netlink.Message, error) {
			return event, nil
		}))
		start := time.Now()
		msgs, err := c.Receive()
		if err != nil || len(msgs) != 1 || time.Since(start) < 30*time.Millisecond {
			t.Errorf("Receive: %v, %v after %v; want the event after 30ms", msgs, err, time.Since(start))
		}
	})
}
