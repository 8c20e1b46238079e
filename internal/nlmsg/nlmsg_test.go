package nlmsg

import (
	"encoding/binary"
	"testing"
)

func TestNext(t *testing.T) {
	// header returns a header of Length l followed by n bytes.
	header := func(l uint32, n int) []byte {
		b := binary.NativeEndian.AppendUint32(nil, l)
		return append(b, make([]byte, 12+n)...)
	}
	tests := []struct {
		name    string
		b       []byte
		l, next int
		err     error
	}{
		{name: "header alone", b: header(16, 0), l: 16, next: 16},
		{name: "aligned, then more", b: header(20, 20), l: 20, next: 20},
		{name: "unaligned, padded", b: header(17, 4), l: 17, next: 20},
		{name: "unaligned, last without padding", b: header(17, 1), l: 17, next: 17},
		{name: "length below a header", b: header(15, 4), err: ErrIncorrectLength},
		{name: "length zero", b: header(0, 4), err: ErrIncorrectLength},
		{name: "length past the end", b: header(21, 4), err: ErrShort},
		{name: "length 2^32-1", b: header(1<<32-1, 4), err: ErrShort},
		{name: "short of a header", b: header(16, 0)[:15], err: ErrShort},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, next, err := Next(tt.b)
			if err != tt.err || (err == nil && (l != tt.l || next != tt.next)) {
				t.Errorf("Next = %d, %d, %v; want %d, %d, %v", l, next, err, tt.l, tt.next, tt.err)
			}
			if More(tt.b) != (len(tt.b) >= HeaderLen) {
				t.Errorf("More of %d bytes = %v", len(tt.b), More(tt.b))
			}
		})
	}
}
