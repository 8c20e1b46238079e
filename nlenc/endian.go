package nlenc

import "encoding/binary"

// NativeEndian returns the byte order of the host, which netlink uses on the
// wire.
func NativeEndian() binary.ByteOrder {
	return binary.NativeEndian
}
