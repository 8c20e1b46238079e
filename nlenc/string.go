package nlenc

import "bytes"

// Bytes returns s as a new NUL-terminated byte slice, the form netlink uses
// for string attributes.
func Bytes(s string) []byte {
	b := make([]byte, len(s)+1)
	copy(b, s)
	return b
}

// String returns the contents of b up to its first NUL byte, or all of b
// when it holds none.
func String(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}
