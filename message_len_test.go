package netlink

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

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
