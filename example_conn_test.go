package netlink_test

import (
	"fmt"
	"io"
	"log"
	"syscall"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

// The examples talk to a fake kernel from package nltest, so that they run
// anywhere without privileges. With a real socket only the Dial differs.

// fakeKernel answers every request with a multi-part reply holding one
// message per name, as a dump would.
func fakeKernel(names ...string) nltest.Func {
	return func(req []netlink.Message) ([]netlink.Message, error) {
		if len(req) == 0 {
			return nil, io.EOF // nothing for a multicast listener
		}
		h := req[0].Header
		var msgs []netlink.Message
		for _, name := range names {
			msgs = append(msgs, netlink.Message{
				Header: netlink.Header{Type: h.Type, Sequence: h.Sequence, PID: h.PID},
				Data:   nltest.MustMarshalAttributes([]netlink.Attribute{{Type: 1, Data: []byte(name + "\x00")}}),
			})
		}
		done := netlink.Message{Header: netlink.Header{Length: 16, Sequence: h.Sequence, PID: h.PID}}
		return nltest.Multipart(append(msgs, done))
	}
}

func ExampleConn_Execute() {
	c := nltest.Dial(fakeKernel("lo", "eth0"))
	defer c.Close()

	msgs, err := c.Execute(netlink.Message{
		Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Dump},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range msgs {
		ad, err := netlink.NewAttributeDecoder(m.Data)
		if err != nil {
			log.Fatal(err)
		}
		for ad.Next() {
			fmt.Printf("%s: attribute %d = %q\n", m.Header.Flags, ad.Type(), ad.String())
		}
	}
	// Output:
	// multi: attribute 1 = "lo"
	// multi: attribute 1 = "eth0"
}

func ExampleConn_Execute_error() {
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		return nltest.Error(int(syscall.ENOENT), req)
	})
	defer c.Close()

	_, err := c.Execute(netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request}})
	fmt.Println(err)
	fmt.Println("not exist:", netlink.IsNotExist(err))
	// Output:
	// netlink receive: no such file or directory
	// not exist: true
}

func ExampleConn_ReceiveIter() {
	c := nltest.Dial(fakeKernel("lo", "eth0", "eth1"))
	defer c.Close()

	if _, err := c.Send(netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Dump}}); err != nil {
		log.Fatal(err)
	}
	for m, err := range c.ReceiveIter() {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(len(m.Data), "bytes")
		// Stopping early is fine: the rest of the reply is discarded.
		break
	}
	// Output:
	// 8 bytes
}

func ExampleDial() {
	const familyGeneric = 16 // unix.NETLINK_GENERIC

	c, err := netlink.Dial(familyGeneric, &netlink.Config{Strict: true})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// Ask the generic netlink controller for every family: type
	// GENL_ID_CTRL, then the genetlink header CTRL_CMD_GETFAMILY, version 1.
	msgs, err := c.Execute(netlink.Message{
		Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Dump},
		Data:   []byte{3, 1, 0, 0},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(msgs), "families")
}
