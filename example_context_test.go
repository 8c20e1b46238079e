package netlink_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

func ExampleConn_ExecuteIter() {
	c := nltest.Dial(fakeKernel("lo", "eth0", "eth1", "eth2"))
	defer c.Close()

	// The reply is read as it arrives, one message at a time: a dump of
	// any size takes no more memory than a datagram.
	req := netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Dump}}
	n := 0
	for m, err := range c.ExecuteIter(req) {
		if err != nil {
			log.Fatal(err)
		}
		ad, err := netlink.NewAttributeDecoder(m.Data)
		if err != nil {
			log.Fatal(err)
		}
		for ad.Next() {
			fmt.Println(ad.String())
		}
		if n++; n == 2 {
			// Stopping early is fine: the rest of the reply is
			// discarded, and the next call gets its own.
			break
		}
	}
	msgs, err := c.Execute(req)
	fmt.Println(len(msgs), "messages,", err)
	// Output:
	// lo
	// eth0
	// 4 messages, <nil>
}

func ExampleConn_ExecuteContext() {
	c := nltest.Dial(fakeKernel("lo"))
	defer c.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req := netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Dump}}
	msgs, err := c.ExecuteContext(ctx, req)
	fmt.Println(len(msgs), "message,", err)

	// A context that is done ends the call with its error.
	cancel()
	_, err = c.ExecuteContext(ctx, req)
	fmt.Println(err)
	fmt.Println(errors.Is(err, context.Canceled))
	// Output:
	// 1 message, <nil>
	// netlink receive: context canceled
	// true
}
