package nlenc

import "strings"

// Bytes returns s as a new NUL-terminated byte slice, the form netlink uses
// for string attributes.
func Bytes(s string) []byte {
	b := make([]byte, len(s)+1)
	copy(b, s)
	return b
}

// String returns b as a string without its trailing NUL bytes. NUL bytes
// before other bytes are kept.
func String(b []byte) string {
	return strings.TrimRight(string(b), "\x00")
}
