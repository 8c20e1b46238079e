package netlink

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// codecHeader returns a message header in the host's byte order, written
// field by field so that it does not depend on the code under test.
func codecHeader(length uint32, typ HeaderType, flags HeaderFlags, seq, pid uint32) []byte {
	b := binary.NativeEndian.AppendUint32(nil, length)
	b = binary.NativeEndian.AppendUint16(b, uint16(typ))
	b = binary.NativeEndian.AppendUint16(b, uint16(flags))
	b = binary.NativeEndian.AppendUint32(b, seq)
	return binary.NativeEndian.AppendUint32(b, pid)
}

// codecMessage returns a header of the given Length followed by data and
// then zeros up to pad bytes in all.
func codecMessage(length uint32, typ HeaderType, data []byte, pad int) []byte {
	b := append(codecHeader(length, typ, Request, 1, 2), data...)
	for len(b) < pad {
		b = append(b, 0)
	}
	return b
}

func TestHeaderTypeString(t *testing.T) {
	tests := []struct {
		t    HeaderType
		want string
	}{
		{Noop, "noop"},
		{Error, "error"},
		{Done, "done"},
		{Overrun, "overrun"},
		{0, "unknown(0)"},
		{5, "unknown(5)"},
		{16, "unknown(16)"},
		{0xffff, "unknown(65535)"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.t.String()); diff != "" {
			t.Errorf("HeaderType(%d).String() (-want +got):\n%s", uint16(tt.t), diff)
		}
	}
}

func TestHeaderFlagsString(t *testing.T) {
	tests := []struct {
		f    HeaderFlags
		want string
	}{
		{0, "0"},
		{Request, "request"},
		{Multi, "multi"},
		{Acknowledge, "acknowledge"},
		{Echo, "echo"},
		{DumpInterrupted, "dumpinterrupted"},
		{DumpFiltered, "dumpfiltered"},
		{Request | Acknowledge, "request|acknowledge"},
		{Multi | DumpFiltered, "multi|dumpfiltered"},
		{0x300, "0x300"},
		{0x301, "request|0x300"},
		{Request | Dump, "request|0x300"},
		{Request | Create | Excl, "request|0x600"},
		{0x40, "0x40"},
		{0x8000, "0x8000"},
		{0xffff, "request|multi|acknowledge|echo|dumpinterrupted|dumpfiltered|0xffc0"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.f.String()); diff != "" {
			t.Errorf("HeaderFlags(%#x).String() (-want +got):\n%s", uint16(tt.f), diff)
		}
	}
}

func TestMessageMarshalBinary(t *testing.T) {
	tests := []struct {
		name string
		m    Message
		want []byte
		err  error
	}{
		{
			name: "zero length",
			m:    Message{Data: []byte{1, 2, 3, 4}},
			err:  errIncorrectMessageLength,
		},
		{
			name: "shorter than a header",
			m:    Message{Header: Header{Length: 12}},
			err:  errIncorrectMessageLength,
		},
		{
			name: "unaligned 19",
			m:    Message{Header: Header{Length: 19}, Data: []byte{1, 2, 3}},
			err:  errIncorrectMessageLength,
		},
		{
			name: "unaligned 17",
			m:    Message{Header: Header{Length: 17}, Data: []byte{1}},
			err:  errIncorrectMessageLength,
		},
		{
			name: "header only",
			m:    Message{Header: Header{Length: 16, Type: Noop, Flags: Request, Sequence: 1, PID: 2}},
			want: codecHeader(16, Noop, Request, 1, 2),
		},
		{
			name: "data cut to Length",
			m:    Message{Header: Header{Length: 16, Type: 0x10, Flags: Request, Sequence: 1, PID: 2}, Data: []byte{1, 2, 3}},
			want: codecHeader(16, 0x10, Request, 1, 2),
		},
		{
			name: "data padded to Length",
			m:    Message{Header: Header{Length: 24, Type: 0x10, Flags: Request, Sequence: 1, PID: 2}, Data: []byte{1, 2, 3}},
			want: append(codecHeader(24, 0x10, Request, 1, 2), 1, 2, 3, 0, 0, 0, 0, 0),
		},
		{
			name: "exact fit",
			m: Message{
				Header: Header{Length: 20, Type: Error, Flags: Acknowledge | Capped, Sequence: 0xdeadbeef, PID: 0xfeedface},
				Data:   []byte{0xff, 0xfe, 0xfd, 0xfc},
			},
			want: append(codecHeader(20, Error, Acknowledge|Capped, 0xdeadbeef, 0xfeedface), 0xff, 0xfe, 0xfd, 0xfc),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.m.MarshalBinary()
			if err != tt.err {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if err != nil {
				if got != nil {
					t.Fatalf("got %d bytes along with the error", len(got))
				}
				return
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("unexpected bytes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMessageErrorTexts(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{errIncorrectMessageLength, "netlink message header length incorrect"},
		{errShortMessage, "not enough data to create a netlink message"},
		{errUnalignedMessage, "input data is not properly aligned for netlink message"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.err.Error()); diff != "" {
			t.Errorf("error text (-want +got):\n%s", diff)
		}
	}
}

func TestMessageUnmarshalBinary(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
		want Message
		err  error
	}{
		{name: "nil", err: errShortMessage},
		{name: "short", b: make([]byte, 12), err: errShortMessage},
		{name: "15 bytes", b: make([]byte, 15), err: errShortMessage},
		// A wrong Length is kept in the header, the rest is not decoded.
		{name: "Length zero", b: codecHeader(0, Noop, 0, 0, 0), err: errShortMessage},
		{name: "Length 15", b: codecHeader(15, Noop, 0, 0, 0), want: Message{Header: Header{Length: 15}}, err: errShortMessage},
		{name: "Length past the end", b: codecMessage(24, Noop, []byte{1, 2, 3, 4}, 0), want: Message{Header: Header{Length: 24}}, err: errShortMessage},
		{name: "unaligned buffer 17", b: codecMessage(16, Noop, []byte{1}, 0), err: errUnalignedMessage},
		{name: "unaligned buffer 19", b: codecMessage(19, Noop, []byte{1, 2, 3}, 0), err: errUnalignedMessage},
		{
			name: "header only",
			b:    codecHeader(16, Done, Multi, 7, 8),
			want: Message{Header: Header{Length: 16, Type: Done, Flags: Multi, Sequence: 7, PID: 8}, Data: []byte{}},
		},
		{
			name: "data",
			b:    codecMessage(20, 0x10, []byte{1, 2, 3, 4}, 0),
			want: Message{Header: Header{Length: 20, Type: 0x10, Flags: Request, Sequence: 1, PID: 2}, Data: []byte{1, 2, 3, 4}},
		},
		{
			name: "unaligned Length 19 in 20 bytes",
			b:    codecMessage(19, 0x10, []byte{1, 2, 3}, 20),
			want: Message{Header: Header{Length: 19, Type: 0x10, Flags: Request, Sequence: 1, PID: 2}, Data: []byte{1, 2, 3}},
		},
		{
			name: "Length shorter than the buffer",
			b:    codecMessage(20, 0x10, []byte{1, 2, 3, 4, 5, 6, 7, 8}, 0),
			want: Message{Header: Header{Length: 20, Type: 0x10, Flags: Request, Sequence: 1, PID: 2}, Data: []byte{1, 2, 3, 4}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m Message
			err := m.UnmarshalBinary(tt.b)
			if err != tt.err {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if diff := cmp.Diff(tt.want, m); diff != "" {
				t.Fatalf("unexpected message (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMessageRoundTrip(t *testing.T) {
	m := Message{
		Header: Header{Length: 28, Type: 0x1234, Flags: Request | Dump, Sequence: 0x01020304, PID: 0x0a0b0c0d},
		Data:   []byte("0123456789ab"),
	}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatalf("MarshalBinary: %v", err)
	}
	var got Message
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatalf("UnmarshalBinary: %v", err)
	}
	if diff := cmp.Diff(m, got); diff != "" {
		t.Fatalf("round trip changed the message (-want +got):\n%s", diff)
	}
}

func TestParseMessages(t *testing.T) {
	msg := func(length uint32, typ HeaderType, seq uint32, data []byte) Message {
		return Message{Header: Header{Length: length, Type: typ, Flags: Multi, Sequence: seq, PID: 9}, Data: data}
	}
	wire := func(m Message, pad byte) []byte {
		b := append(codecHeader(m.Header.Length, m.Header.Type, m.Header.Flags, m.Header.Sequence, m.Header.PID), m.Data...)
		for len(b)%4 != 0 {
			b = append(b, pad)
		}
		return b
	}
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

	m1 := msg(20, 0x10, 1, []byte{1, 2, 3, 4})
	m2 := msg(16, 0x10, 2, []byte{})
	m3 := msg(24, 0x11, 3, []byte{5, 6, 7, 8, 9, 10, 11, 12})
	odd := msg(21, 0x12, 4, []byte{0xa, 0xb, 0xc, 0xd, 0xe}) // nfqueue-style unaligned Length
	done := msg(20, Done, 5, []byte{0, 0, 0, 0})

	tests := []struct {
		name string
		b    []byte
		want []Message
		err  error
	}{
		{name: "nil", want: []Message{}},
		{name: "one", b: wire(m1, 0), want: []Message{m1}},
		{name: "several", b: cat(wire(m1, 0), wire(m2, 0), wire(m3, 0), wire(done, 0)), want: []Message{m1, m2, m3, done}},
		{name: "unaligned Length in the middle", b: cat(wire(m1, 0), wire(odd, 0), wire(m2, 0)), want: []Message{m1, odd, m2}},
		{name: "unaligned Length, non-zero padding", b: cat(wire(odd, 0xff), wire(m3, 0)), want: []Message{odd, m3}},
		{name: "unaligned Length last, padded", b: cat(wire(m2, 0), wire(odd, 0)), want: []Message{m2, odd}},
		{name: "unaligned Length last, padding missing", b: cat(wire(m2, 0), wire(odd, 0)[:21]), want: []Message{m2, odd}},
		{name: "truncated header", b: cat(wire(m1, 0), wire(m2, 0)[:12]), want: []Message{m1}},
		{name: "truncated data", b: cat(wire(m1, 0), wire(m3, 0)[:20]), err: errShortMessage},
		{name: "zero Length", b: cat(wire(m1, 0), codecHeader(0, 0x10, 0, 0, 0)), err: errIncorrectMessageLength},
		{name: "Length below a header", b: codecHeader(8, 0x10, 0, 0, 0), err: errIncorrectMessageLength},
		{name: "trailing bytes", b: cat(wire(m1, 0), []byte{0, 0, 0, 0}), want: []Message{m1}},
		{name: "a header's worth of trailing zeros", b: cat(wire(m1, 0), make([]byte, 16)), err: errIncorrectMessageLength},
		{name: "huge Length", b: codecHeader(0xffffffff, 0x10, 0, 0, 0), err: errShortMessage},
		{name: "too short for a header alone", b: []byte{1, 2, 3, 4, 5, 6, 7, 8}, want: []Message{}},
	}
	// Fewer bytes after the last message than a header holds are ignored,
	// whatever they hold, as v1.11.2 ignores them.
	for n := 1; n < headerLen; n++ {
		for _, fill := range []byte{0, 0xff} {
			tests = append(tests, struct {
				name string
				b    []byte
				want []Message
				err  error
			}{
				name: fmt.Sprintf("%d trailing bytes of %#x", n, fill),
				b:    cat(wire(m1, 0), wire(m3, 0), bytes.Repeat([]byte{fill}, n)),
				want: []Message{m1, m3},
			})
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseMessages(tt.b)
			if err != tt.err {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if err != nil {
				if got != nil {
					t.Fatalf("got %d messages along with the error", len(got))
				}
				return
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("unexpected messages (-want +got):\n%s", diff)
			}
			for i, m := range got {
				if cap(m.Data) != len(m.Data) {
					t.Errorf("message %d: Data capacity %d, want %d so that appending cannot overwrite the next message",
						i, cap(m.Data), len(m.Data))
				}
			}
		})
	}
}

func TestNextMessage(t *testing.T) {
	b := append(codecMessage(21, 0x10, []byte{1, 2, 3, 4, 5}, 24), codecHeader(16, Done, 0, 0, 0)...)
	var m Message
	rest, err := nextMessage(b, &m)
	if err != nil {
		t.Fatalf("nextMessage: %v", err)
	}
	if diff := cmp.Diff([]byte{1, 2, 3, 4, 5}, m.Data); diff != "" {
		t.Errorf("Data (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(b[24:], rest); diff != "" {
		t.Errorf("the rest should start at the aligned offset 24 (-want +got):\n%s", diff)
	}
	if _, err := nextMessage(b[:10], &m); err != errShortMessage {
		t.Errorf("short input: error %v, want %v", err, errShortMessage)
	}
}

func TestAppendMessage(t *testing.T) {
	prefix := []byte{0xaa, 0xbb, 0xcc, 0xdd}
	m := Message{Header: Header{Length: 24, Type: 0x10, Flags: Request, Sequence: 1, PID: 2}, Data: []byte{1, 2, 3}}
	got := appendMessage(append([]byte(nil), prefix...), &m)
	want := append(append(append([]byte(nil), prefix...), codecHeader(24, 0x10, Request, 1, 2)...), 1, 2, 3, 0, 0, 0, 0, 0)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("unexpected bytes (-want +got):\n%s", diff)
	}

	// A reused buffer with stale bytes must still produce zero padding.
	stale := bytes.Repeat([]byte{0xff}, 64)[:4]
	copy(stale, prefix)
	got = appendMessage(stale, &m)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("stale buffer: unexpected bytes (-want +got):\n%s", diff)
	}
}

func TestDecodeHeader(t *testing.T) {
	want := Header{Length: 0x11223344, Type: 0x5566, Flags: 0x7788, Sequence: 0x99aabbcc, PID: 0xddeeff00}
	var got Header
	decodeHeader(&got, codecHeader(want.Length, want.Type, want.Flags, want.Sequence, want.PID))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("unexpected header (-want +got):\n%s", diff)
	}
}
