// Command deprecated uses every declaration that v1.11.2 marks deprecated,
// one a line, so that TestStaticcheckDeprecations can check that
// staticcheck reports each of them (SA1019). It is never built by ./...
package main

import (
	"fmt"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nlenc"
)

func main() {
	var s netlink.Socket // use: Socket
	cfg := netlink.Config{
		DisableNSLockThread: true, // use: DisableNSLockThread
	}
	fmt.Println(s, cfg, netlink.IsNotExist(nil)) // use: IsNotExist

	b := make([]byte, 8)
	fmt.Println(nlenc.NativeEndian()) // use: NativeEndian
	nlenc.PutUint8(b[:1], 1)          // use: PutUint8
	nlenc.PutUint16(b[:2], 1)         // use: PutUint16
	nlenc.PutUint32(b[:4], 1)         // use: PutUint32
	nlenc.PutUint64(b, 1)             // use: PutUint64
	nlenc.PutInt32(b[:4], 1)          // use: PutInt32
	fmt.Println(
		nlenc.Uint8(b[:1]),  // use: Uint8
		nlenc.Uint16(b[:2]), // use: Uint16
		nlenc.Uint32(b[:4]), // use: Uint32
		nlenc.Uint64(b),     // use: Uint64
		nlenc.Int32(b[:4]),  // use: Int32
		nlenc.Uint8Bytes(1), // use: Uint8Bytes
	)
}
