package nltest_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

// These examples play a family package ("ifaces") under test: each shows
// how the package's error handling is exercised against a fake kernel that
// misbehaves, without root.

// setName is the family's operation under test: an RTM_NEWLINK-like
// request with a 16-byte fixed header and one attribute, IFLA_IFNAME (3).
func setName(c *netlink.Conn, name string) ([]netlink.Message, error) {
	ae := netlink.NewAttributeEncoder()
	ae.String(3, name)
	attrs, err := ae.Encode()
	if err != nil {
		return nil, err
	}
	return c.Execute(netlink.Message{
		Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Acknowledge},
		Data:   append(make([]byte, 16), attrs...),
	})
}

// The kernel refuses a name that breaks its policy; the test checks that
// the family package reports the rule and where in the request it failed.
func ExampleErrorWithAck() {
	maxLen := uint32(15)
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		return nltest.ErrorWithAck(int(syscall.ERANGE), req[0], netlink.ExtendedAck{
			Message: "Attribute failed policy validation",
			Offset:  32, // the netlink header, the fixed header, then IFLA_IFNAME
			Policy:  &netlink.Policy{Type: netlink.PolicyTypeString, MaxLength: &maxLen},
		}, false)
	})

	_, err := setName(c, "a-name-much-too-long-for-a-link")
	ack, ok := netlink.ExtendedAckOf(err)
	if !ok {
		fmt.Println("unexpected:", err)
		return
	}
	fmt.Println(errors.Is(err, syscall.ERANGE))
	fmt.Println(ack.Message)
	fmt.Println(ack.Policy)

	// The request is known to the test: the offset names the attribute.
	req := netlink.Message{Data: append(make([]byte, 16), nltest.MustMarshalAttributes([]netlink.Attribute{
		{Type: 3, Data: []byte("a-name-much-too-long-for-a-link\x00")},
	})...)}
	path, err := netlink.AttributePath(req, 16, ack.Offset)
	fmt.Println(path, err)
	// Output:
	// true
	// Attribute failed policy validation
	// string max length 15
	// [3] <nil>
}

// The kernel accepts the request but warns; the family package passes the
// warning on.
func ExampleWarning() {
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		return nltest.Warning(req[0], "sch_htb: quantum of class 10010 is big. Consider r2q change.")
	})

	msgs, err := setName(c, "eth0")
	if err != nil {
		fmt.Println("unexpected:", err)
		return
	}
	ack, err := netlink.DecodeExtendedAck(msgs[0])
	fmt.Printf("warning: %q, %v\n", ack.Message, err)
	// Output:
	// warning: "sch_htb: quantum of class 10010 is big. Consider r2q change.", <nil>
}

// A dump fails part-way: the error arrives in the Done message, with an
// extended acknowledgement.
func ExampleFailedDump() {
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		links := []netlink.Message{{Header: netlink.Header{Type: 0x10, Sequence: req[0].Header.Sequence}, Data: make([]byte, 16)}}
		return nltest.FailedDump(req[0], links, int(syscall.EINVAL),
			netlink.ExtendedAck{Message: "Unsupported attribute in link dump request"})
	})

	msgs, err := c.Execute(netlink.Message{Header: netlink.Header{Type: 0x12, Flags: netlink.Request | netlink.Dump}})
	var oe *netlink.OpError
	fmt.Println(len(msgs), errors.Is(err, syscall.EINVAL), errors.As(err, &oe) && oe.Message != "")
	fmt.Println(oe.Message)
	// Output:
	// 0 true true
	// Unsupported attribute in link dump request
}

// The links changed while the kernel dumped them: the messages carry the
// DumpInterrupted flag, which a family package checks to dump again.
func ExampleInterrupted() {
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		links := []netlink.Message{
			{Header: netlink.Header{Type: 0x10}, Data: []byte{1}},
			{Header: netlink.Header{Type: 0x10}, Data: []byte{2}},
		}
		dump, _ := nltest.Dump(req[0], links)
		return nltest.Interrupted(dump, 1) // from the second link on
	})

	msgs, err := c.Execute(netlink.Message{Header: netlink.Header{Type: 0x12, Flags: netlink.Request | netlink.Dump}})
	for _, m := range msgs {
		fmt.Println(m.Data, m.Header.Flags&netlink.DumpInterrupted != 0)
	}
	fmt.Println(err)
	// Output:
	// [1] false
	// [2] true
	// <nil>
}

// A multicast listener loses events when its receive buffer overflows; the
// family package must notice and resynchronise.
func ExampleNoBufferSpace() {
	event := []netlink.Message{{Header: netlink.Header{Type: 0x10}}}
	c := nltest.Dial(nltest.NoBufferSpace(func([]netlink.Message) ([]netlink.Message, error) {
		return event, nil
	}, 2))

	for range 3 {
		msgs, err := c.Receive()
		switch {
		case errors.Is(err, syscall.ENOBUFS):
			fmt.Println("events lost: dump again")
		case err != nil:
			fmt.Println("unexpected:", err)
		default:
			fmt.Println("events:", len(msgs))
		}
	}
	// Output:
	// events: 1
	// events lost: dump again
	// events: 1
}

// A reply cut short, as a socket would find it: the family package gets
// an error, not a short message.
func ExampleTruncated() {
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		reply := []netlink.Message{{Header: netlink.Header{Length: 24, Type: 0x10, Sequence: req[0].Header.Sequence}, Data: make([]byte, 8)}}
		return nltest.Truncated(reply, 6)
	})

	_, err := setName(c, "eth0")
	fmt.Println(err)
	// Output:
	// netlink receive: not enough data to create a netlink message
}

// A malformed datagram given as bytes: a message whose Length is below the
// size of a header.
func ExampleDatagram() {
	c := nltest.Dial(func([]netlink.Message) ([]netlink.Message, error) {
		// A header, in the host's byte order, whose Length of 8 is
		// less than a header's 16 bytes.
		b := binary.NativeEndian.AppendUint32(nil, 8)
		b = binary.NativeEndian.AppendUint16(b, 0x10)
		return nltest.Datagram(append(b, make([]byte, 10)...))
	})

	_, err := c.Receive()
	fmt.Println(err)
	// Output:
	// netlink receive: netlink message header length incorrect
}

// The kernel answers too late: the family package's deadline, here a
// context's, stops the wait with a timeout error.
func ExampleDelay() {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	c := nltest.Dial(nltest.Delay(ctx, time.Hour, func(req []netlink.Message) ([]netlink.Message, error) {
		return nltest.Error(0, req)
	}))

	_, err := setName(c, "eth0")
	var oe *netlink.OpError
	fmt.Println(errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &oe) && oe.Timeout())
	// Output:
	// true true
}

// The kernel never answers; cancelling gives up the wait.
func ExampleNoReply() {
	ctx, cancel := context.WithCancel(context.Background())
	c := nltest.Dial(nltest.NoReply(ctx))
	time.AfterFunc(10*time.Millisecond, cancel)

	_, err := setName(c, "eth0")
	fmt.Println(errors.Is(err, context.Canceled))
	// Output:
	// true
}
