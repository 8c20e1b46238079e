package nlenc

import (
	"encoding/binary"
	"strconv"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
)

// littleEndian reports the host's byte order without going through
// binary.NativeEndian, so that the tests below check nlenc against bytes
// written out by hand.
var littleEndian = func() bool {
	x := uint16(1)
	return (*[2]byte)(unsafe.Pointer(&x))[0] == 1
}()

// pick returns the little- or big-endian form of the same value, whichever
// the host uses.
func pick(le, be []byte) []byte {
	if littleEndian {
		return le
	}
	return be
}

func TestNativeEndian(t *testing.T) {
	got := NativeEndian().Uint16(pick([]byte{0x34, 0x12}, []byte{0x12, 0x34}))
	if got != 0x1234 {
		t.Fatalf("NativeEndian decoded %#x, want 0x1234", got)
	}
	if NativeEndian() != binary.ByteOrder(binary.NativeEndian) {
		t.Fatalf("NativeEndian() = %v, want binary.NativeEndian", NativeEndian())
	}
}

func TestIntegers(t *testing.T) {
	tests := []struct {
		name   string
		b      []byte
		put    func(b []byte)
		get    func(b []byte) uint64
		alloc  func() []byte
		want   uint64
		length int
	}{
		{
			name:   "uint8",
			b:      []byte{0xfe},
			put:    func(b []byte) { PutUint8(b, 0xfe) },
			get:    func(b []byte) uint64 { return uint64(Uint8(b)) },
			alloc:  func() []byte { return Uint8Bytes(0xfe) },
			want:   0xfe,
			length: 1,
		},
		{
			name:   "uint16",
			b:      pick([]byte{0x34, 0x12}, []byte{0x12, 0x34}),
			put:    func(b []byte) { PutUint16(b, 0x1234) },
			get:    func(b []byte) uint64 { return uint64(Uint16(b)) },
			alloc:  func() []byte { return Uint16Bytes(0x1234) },
			want:   0x1234,
			length: 2,
		},
		{
			name:   "uint32",
			b:      pick([]byte{0x78, 0x56, 0x34, 0x12}, []byte{0x12, 0x34, 0x56, 0x78}),
			put:    func(b []byte) { PutUint32(b, 0x12345678) },
			get:    func(b []byte) uint64 { return uint64(Uint32(b)) },
			alloc:  func() []byte { return Uint32Bytes(0x12345678) },
			want:   0x12345678,
			length: 4,
		},
		{
			name: "uint64",
			b: pick(
				[]byte{0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01},
				[]byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef},
			),
			put:    func(b []byte) { PutUint64(b, 0x0123456789abcdef) },
			get:    func(b []byte) uint64 { return Uint64(b) },
			alloc:  func() []byte { return Uint64Bytes(0x0123456789abcdef) },
			want:   0x0123456789abcdef,
			length: 8,
		},
		{
			name:   "int32 negative",
			b:      pick([]byte{0xfe, 0xff, 0xff, 0xff}, []byte{0xff, 0xff, 0xff, 0xfe}),
			put:    func(b []byte) { PutInt32(b, -2) },
			get:    func(b []byte) uint64 { return uint64(int64(Int32(b))) },
			alloc:  func() []byte { return Int32Bytes(-2) },
			want:   uint64(1<<64 - 2), // -2 sign-extended
			length: 4,
		},
		{
			name:   "int32 positive",
			b:      pick([]byte{0x01, 0x00, 0x00, 0x00}, []byte{0x00, 0x00, 0x00, 0x01}),
			put:    func(b []byte) { PutInt32(b, 1) },
			get:    func(b []byte) uint64 { return uint64(int64(Int32(b))) },
			alloc:  func() []byte { return Int32Bytes(1) },
			want:   1,
			length: 4,
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.get(tt.b); got != tt.want {
				t.Errorf("decoded %#x, want %#x", got, tt.want)
			}

			buf := make([]byte, tt.length)
			tt.put(buf)
			if diff := cmp.Diff(tt.b, buf); diff != "" {
				t.Errorf("Put wrote unexpected bytes (-want +got):\n%s", diff)
			}

			got := tt.alloc()
			if diff := cmp.Diff(tt.b, got); diff != "" {
				t.Errorf("Bytes form differs (-want +got):\n%s", diff)
			}
			if cap(got) != tt.length {
				t.Errorf("Bytes form has capacity %d, want %d", cap(got), tt.length)
			}
		})
	}
}

func TestIntegersPanicOnWrongLength(t *testing.T) {
	tests := []struct {
		name string
		fn   func(b []byte)
		good int
	}{
		{"PutUint8", func(b []byte) { PutUint8(b, 1) }, 1},
		{"PutUint16", func(b []byte) { PutUint16(b, 1) }, 2},
		{"PutUint32", func(b []byte) { PutUint32(b, 1) }, 4},
		{"PutUint64", func(b []byte) { PutUint64(b, 1) }, 8},
		{"PutInt32", func(b []byte) { PutInt32(b, 1) }, 4},
		{"Uint8", func(b []byte) { Uint8(b) }, 1},
		{"Uint16", func(b []byte) { Uint16(b) }, 2},
		{"Uint32", func(b []byte) { Uint32(b) }, 4},
		{"Uint64", func(b []byte) { Uint64(b) }, 8},
		{"Int32", func(b []byte) { Int32(b) }, 4},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The right size must not panic; one byte less, one byte
			// more and nothing at all must.
			if msg := panicMessage(func() { tt.fn(make([]byte, tt.good)) }); msg != "" {
				t.Fatalf("panicked on a %d-byte slice: %s", tt.good, msg)
			}
			for _, n := range []int{0, tt.good - 1, tt.good + 1} {
				if n == 0 && tt.good == 1 {
					continue // covered by good-1
				}
				msg := panicMessage(func() { tt.fn(make([]byte, n)) })
				want := tt.name + ": unexpected byte slice length: " + strconv.Itoa(n)
				if msg != want {
					t.Errorf("%d-byte slice: panic %q, want %q", n, msg, want)
				}
			}
			if msg := panicMessage(func() { tt.fn(nil) }); msg == "" {
				t.Error("nil slice did not panic")
			}
		})
	}
}

func TestCompatPanicMessageText(t *testing.T) {
	got := panicMessage(func() { Uint16([]byte{1, 2, 3}) })
	if want := "Uint16: unexpected byte slice length: 3"; got != want {
		t.Fatalf("panic %q, want %q", got, want)
	}
}

// panicMessage runs fn and returns what it panicked with, or "" if it did
// not panic.
func panicMessage(fn func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			s, ok := r.(string)
			if !ok {
				s = "non-string panic"
			}
			msg = s
		}
	}()
	fn()
	return ""
}
