package nlenc

import "encoding/binary"

// NativeEndian returns the byte order of the host, which netlink uses on the
// wire.
//
// Deprecated: use binary.NativeEndian from encoding/binary.
func NativeEndian() binary.ByteOrder {
	return binary.NativeEndian
}
