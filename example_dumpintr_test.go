package netlink_test

import (
	"errors"
	"fmt"
	"log"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

// A dump that the kernel marks as interrupted is complete but may hold an
// object twice or miss one, because the objects changed while it was read.
// With the check on, Execute reports it, and the caller dumps again.
func ExampleErrDumpInterrupted() {
	// A fake kernel whose first dump of two links is interrupted and
	// whose second is not.
	dumps := 0
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		if len(req) == 0 {
			return nil, nil
		}
		dumps++
		reply, _ := nltest.Dump(req[0], []netlink.Message{
			{Header: netlink.Header{Type: 0x10}, Data: []byte("lo")},
			{Header: netlink.Header{Type: 0x10}, Data: []byte("eth0")},
		})
		if dumps == 1 {
			return nltest.Interrupted(reply)
		}
		return reply, nil
	})
	defer c.Close()

	// netlink.Dial takes Config{CheckDumpInterrupted: true} instead.
	if err := c.SetOption(netlink.CheckDumpInterrupted, true); err != nil {
		log.Fatal(err)
	}

	req := netlink.Message{Header: netlink.Header{Type: 0x12, Flags: netlink.Request | netlink.Dump}} // RTM_GETLINK
	var links []netlink.Message
	var err error
	for attempt := 1; attempt <= 3; attempt++ {
		links, err = c.Execute(req)
		if !errors.Is(err, netlink.ErrDumpInterrupted) {
			break
		}
		fmt.Printf("attempt %d: interrupted, %d links: dumping again\n", attempt, len(links))
	}
	if err != nil {
		// Still interrupted after three attempts, or another error.
		log.Fatal(err)
	}
	for _, m := range links {
		fmt.Printf("%s ", m.Data)
	}
	fmt.Println()
	// Output:
	// attempt 1: interrupted, 2 links: dumping again
	// lo eth0
}
