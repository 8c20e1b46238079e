package netlink

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mdlayher/netlink/internal/nlmsg"
)

// wireLengths are message lengths from the wire at and above 2^31: as an
// int on a 32-bit system they are negative, and a bounds check written
// against the int passes them.
var wireLengths = []uint32{1 << 31, 1<<31 + 16, 1<<31 + 20, 0xfffffff0, 0xfffffffc, 0xffffffff}

// lengthMessage is a 32-byte buffer holding a message header whose Length
// is l, followed by 16 bytes of payload.
func lengthMessage(l uint32) []byte {
	b := make([]byte, 32)
	binary.NativeEndian.PutUint32(b[0:4], l)
	binary.NativeEndian.PutUint16(b[4:6], 0x10)
	for i := 16; i < 32; i++ {
		b[i] = byte(i)
	}
	return b
}

func TestMessageHugeLengths(t *testing.T) {
	ok := lengthMessage(32)
	for _, l := range wireLengths {
		t.Run(fmt.Sprintf("%#x", l), func(t *testing.T) {
			b := lengthMessage(l)

			var m Message
			if err := m.UnmarshalBinary(b); err != errShortMessage {
				t.Errorf("UnmarshalBinary: %v, want %v", err, errShortMessage)
			}
			if m.Header.Length != l {
				t.Errorf("UnmarshalBinary kept Length %#x, want %#x", m.Header.Length, l)
			}

			if _, _, err := nlmsg.Next(b); err != errShortMessage {
				t.Errorf("nlmsg.Next: %v, want %v", err, errShortMessage)
			}
			for _, in := range [][]byte{b, append(bytes.Clone(ok), b...)} {
				if msgs, err := parseMessages(in); err != errShortMessage || msgs != nil {
					t.Errorf("parseMessages of %d bytes: %v, %v; want %v", len(in), msgs, err, errShortMessage)
				}
			}
			if _, err := nextMessage(b, new(Message)); err != errShortMessage {
				t.Errorf("nextMessage: %v, want %v", err, errShortMessage)
			}

			// A caller's Length: refused, never a negative or
			// gigabyte-sized buffer.
			out, err := Message{Header: Header{Length: l}, Data: []byte{1}}.MarshalBinary()
			if err != errIncorrectMessageLength || out != nil {
				t.Errorf("MarshalBinary: %d bytes, %v; want %v", len(out), err, errIncorrectMessageLength)
			}
		})
	}
}

func TestDebugHugeLengths(t *testing.T) {
	// A sent message's Length is the caller's: the trace shows the data
	// there is, padded to four bytes at most, whatever the Length says.
	now := time.Unix(1, 0)
	for _, l := range wireLengths {
		t.Run(fmt.Sprintf("%#x", l), func(t *testing.T) {
			m := Message{Header: Header{Length: l, Type: 0x10}, Data: []byte{'a', 'b', 'c', 'd', 'e'}}
			if n := debugPayloadLen(&m); n != 8 {
				t.Errorf("debugPayloadLen: %d, want 8", n)
			}
			out := string(appendMNL(nil, familyRoute, &m))
			if want := fmt.Sprintf("|  %010d  |", l); !strings.Contains(out, want) {
				t.Errorf("mnl dump lacks the Length %s:\n%s", want, out)
			}
			if rows := strings.Count(out, "\n"); rows != 9 {
				t.Errorf("mnl dump of 8 payload bytes has %d lines, want 9:\n%s", rows, out)
			}

			var buf bytes.Buffer
			p, err := newPcapWriter(&buf)
			if err != nil {
				t.Fatal(err)
			}
			start := buf.Len()
			if err := p.write(familyRoute, debugSend, []Message{m}, now); err != nil {
				t.Fatal(err)
			}
			rec := buf.Bytes()[start:]
			incl, orig := binary.NativeEndian.Uint32(rec[8:12]), binary.NativeEndian.Uint32(rec[12:16])
			if want := uint32(sllHeaderLen + headerLen + 8); incl != want || orig != want || len(rec) != 16+int(want) {
				t.Errorf("pcap record: included %d, original %d, %d bytes; want %d each", incl, orig, len(rec)-16, want)
			}
		})
	}
}
