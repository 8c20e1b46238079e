package nlenc

import (
	"encoding/binary"
	"strconv"
)

// PutUint8 stores v in b, which must be exactly 1 byte long.
//
// Deprecated: b[0] = v does the same without a function call.
func PutUint8(b []byte, v uint8) {
	if len(b) != 1 {
		badLength("PutUint8", len(b))
	}
	b[0] = v
}

// PutUint16 stores v in b in native byte order. b must be exactly 2 bytes
// long.
//
// Deprecated: use binary.NativeEndian.PutUint16 from encoding/binary.
func PutUint16(b []byte, v uint16) {
	if len(b) != 2 {
		badLength("PutUint16", len(b))
	}
	binary.NativeEndian.PutUint16(b, v)
}

// PutUint32 stores v in b in native byte order. b must be exactly 4 bytes
// long.
//
// Deprecated: use binary.NativeEndian.PutUint32 from encoding/binary.
func PutUint32(b []byte, v uint32) {
	if len(b) != 4 {
		badLength("PutUint32", len(b))
	}
	binary.NativeEndian.PutUint32(b, v)
}

// PutUint64 stores v in b in native byte order. b must be exactly 8 bytes
// long.
//
// Deprecated: use binary.NativeEndian.PutUint64 from encoding/binary.
func PutUint64(b []byte, v uint64) {
	if len(b) != 8 {
		badLength("PutUint64", len(b))
	}
	binary.NativeEndian.PutUint64(b, v)
}

// PutInt32 stores v in b in native byte order. b must be exactly 4 bytes
// long.
//
// Deprecated: use binary.NativeEndian.PutUint32(b, uint32(v)) from encoding/binary.
func PutInt32(b []byte, v int32) {
	if len(b) != 4 {
		badLength("PutInt32", len(b))
	}
	binary.NativeEndian.PutUint32(b, uint32(v))
}

// Uint8 decodes b, which must be exactly 1 byte long.
//
// Deprecated: read b[0] directly.
func Uint8(b []byte) uint8 {
	if len(b) != 1 {
		badLength("Uint8", len(b))
	}
	return b[0]
}

// Uint16 decodes b in native byte order. b must be exactly 2 bytes long.
//
// Deprecated: use binary.NativeEndian.Uint16 from encoding/binary.
func Uint16(b []byte) uint16 {
	if len(b) != 2 {
		badLength("Uint16", len(b))
	}
	return binary.NativeEndian.Uint16(b)
}

// Uint32 decodes b in native byte order. b must be exactly 4 bytes long.
//
// Deprecated: use binary.NativeEndian.Uint32 from encoding/binary.
func Uint32(b []byte) uint32 {
	if len(b) != 4 {
		badLength("Uint32", len(b))
	}
	return binary.NativeEndian.Uint32(b)
}

// Uint64 decodes b in native byte order. b must be exactly 8 bytes long.
//
// Deprecated: use binary.NativeEndian.Uint64 from encoding/binary.
func Uint64(b []byte) uint64 {
	if len(b) != 8 {
		badLength("Uint64", len(b))
	}
	return binary.NativeEndian.Uint64(b)
}

// Int32 decodes b in native byte order. b must be exactly 4 bytes long.
//
// Deprecated: use int32(binary.NativeEndian.Uint32(b)) from encoding/binary.
func Int32(b []byte) int32 {
	if len(b) != 4 {
		badLength("Int32", len(b))
	}
	return int32(binary.NativeEndian.Uint32(b))
}

// Uint8Bytes returns v as a new 1-byte slice.
//
// Deprecated: write []byte{v}.
func Uint8Bytes(v uint8) []byte {
	return []byte{v}
}

// Uint16Bytes returns v as a new 2-byte slice in native byte order.
func Uint16Bytes(v uint16) []byte {
	return binary.NativeEndian.AppendUint16(make([]byte, 0, 2), v)
}

// Uint32Bytes returns v as a new 4-byte slice in native byte order.
func Uint32Bytes(v uint32) []byte {
	return binary.NativeEndian.AppendUint32(make([]byte, 0, 4), v)
}

// Uint64Bytes returns v as a new 8-byte slice in native byte order.
func Uint64Bytes(v uint64) []byte {
	return binary.NativeEndian.AppendUint64(make([]byte, 0, 8), v)
}

// Int32Bytes returns v as a new 4-byte slice in native byte order.
func Int32Bytes(v int32) []byte {
	return Uint32Bytes(uint32(v))
}

// badLength panics with a message naming the function and the length it
// got, worded as callers that recover it expect. It is kept out of line so
// that the callers stay small enough to inline (TestInlining in the root
// package).
//
//go:noinline
func badLength(fn string, got int) {
	panic(fn + ": unexpected byte slice length: " + strconv.Itoa(got))
}
