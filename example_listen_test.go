package netlink_test

import (
	"errors"
	"fmt"
	"log"
	"syscall"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

// A listener reads notifications for as long as it runs. ReceiveWithInfo,
// like Receive and ReceiveIter, yields the messages of one datagram per
// call, so a listener calls it in a loop of its own and decides there when
// to stop.
func ExampleConn_ReceiveWithInfo() {
	// A fake kernel sending one link notification per read. Its second
	// read fails with ENOBUFS, as a real socket's does when the kernel
	// dropped notifications because the socket's buffer was full.
	events := []string{"eth0 up", "eth0 down", "eth1 up", "eth1 down"}
	sent := 0
	kernel := func(req []netlink.Message) ([]netlink.Message, error) {
		if len(req) > 0 || sent == len(events) {
			return nil, nil
		}
		sent++
		return []netlink.Message{{
			Header: netlink.Header{Type: 0x10}, // RTM_NEWLINK
			Data:   []byte(events[sent-1]),
		}}, nil
	}
	c := nltest.Dial(nltest.NoBufferSpace(kernel, 2))
	defer c.Close()

	// With a real socket, netlink.Dial(unix.NETLINK_ROUTE,
	// &netlink.Config{Groups: unix.RTMGRP_LINK}) joins the group, and
	// c.SetOption(netlink.PacketInfo, true) fills Info.Group. The fake
	// socket has no groups: Group is 0 and NSID -1 (none known).
	received := 0
	for received < 3 { // a daemon loops until it shuts down, then calls Close
		for m, err := range c.ReceiveWithInfo() {
			if errors.Is(err, syscall.ENOBUFS) {
				// Some notifications are lost: a real program
				// dumps the current state again here.
				fmt.Println("notifications lost; resynchronising")
				break
			}
			if err != nil {
				log.Fatal(err)
			}
			fmt.Printf("group %d, nsid %d: %s\n", m.Info.Group, m.Info.NSID, m.Data)
			received++
		}
	}
	// Output:
	// group 0, nsid -1: eth0 up
	// notifications lost; resynchronising
	// group 0, nsid -1: eth0 down
	// group 0, nsid -1: eth1 up
}
