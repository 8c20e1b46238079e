//go:build linux

// Command typedlinks lists the network links of its namespace with their
// kind-specific data, through the rt-link package generated from the
// kernel's YNL spec: no attribute numbers, no parsing.
package main

import (
	"fmt"
	"log"

	"github.com/mdlayher/netlink/ynl/family/rtlink"
)

func main() {
	c, err := rtlink.Dial(nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	for l, err := range c.GetlinkDump(nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%d: %s <%s> mtu %d", l.Header.IfiIndex, l.Ifname.Value, l.Header.IfiFlags, l.Mtu.Value)
		if info := l.Linkinfo; info != nil {
			fmt.Printf(" %s", info.Kind.Value)
			switch d := info.Data.(type) {
			case *rtlink.LinkinfoDataMsgBridge:
				fmt.Printf(" stp-state %d ageing-time %d", d.StpState.Value, d.AgeingTime.Value)
			case *rtlink.LinkinfoDataMsgVlan:
				fmt.Printf(" id %d", d.Id.Value)
			}
		}
		fmt.Println()
	}
}
