//go:build linux

// Command genlfamilies lists the generic netlink families of the running
// kernel. It is the example of the README, which shows this file as it is.
package main

import (
	"fmt"
	"log"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

func main() {
	conn, err := netlink.Dial(unix.NETLINK_GENERIC, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()

	// Ask the generic netlink controller for every family: a dump of
	// CTRL_CMD_GETFAMILY. The payload is the 4-byte generic netlink
	// header: command, version, two reserved bytes.
	replies, err := conn.Execute(netlink.Message{
		Header: netlink.Header{
			Type:  netlink.HeaderType(unix.GENL_ID_CTRL),
			Flags: netlink.Request | netlink.Dump,
		},
		Data: []byte{unix.CTRL_CMD_GETFAMILY, 1, 0, 0},
	})
	if err != nil {
		log.Fatal(err)
	}

	for _, m := range replies {
		// Each reply is one family: the generic netlink header, then
		// attributes.
		if len(m.Data) < unix.GENL_HDRLEN {
			log.Fatalf("reply of %d bytes is too short", len(m.Data))
		}
		ad, err := netlink.NewAttributeDecoder(m.Data[unix.GENL_HDRLEN:])
		if err != nil {
			log.Fatal(err)
		}
		var id uint16
		var name string
		for ad.Next() {
			switch ad.Type() {
			case unix.CTRL_ATTR_FAMILY_ID:
				id = ad.Uint16()
			case unix.CTRL_ATTR_FAMILY_NAME:
				name = ad.String()
			}
		}
		if err := ad.Err(); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%5d %s\n", id, name)
	}
}
