package nltrace

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"
)

// wireLengths are message lengths from the wire at and above 2^31: as an
// int on a 32-bit system they are negative, and a bounds check written
// against the int passes them.
var wireLengths = []uint32{1 << 31, 1<<31 + 16, 1<<31 + 20, 0xfffffff0, 0xfffffffc, 0xffffffff}

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
			if err := p.write(familyRoute, Send, []Message{m}, now); err != nil {
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
