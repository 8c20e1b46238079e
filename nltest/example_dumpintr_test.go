package nltest_test

import (
	"errors"
	"fmt"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

// With the dump consistency check on, an interrupted dump, even one where
// only the closing Done message has the flag, comes with
// ErrDumpInterrupted and all its messages; the family package retries.
func ExampleInterrupted_checked() {
	attempts := 0
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		attempts++
		dump, _ := nltest.Dump(req[0], []netlink.Message{{Header: netlink.Header{Type: 0x10}, Data: []byte{1}}})
		if attempts == 1 {
			return nltest.Interrupted(dump, -1) // the Done message only
		}
		return dump, nil
	})
	if err := c.SetOption(netlink.CheckDumpInterrupted, true); err != nil {
		fmt.Println(err)
		return
	}

	req := netlink.Message{Header: netlink.Header{Type: 0x12, Flags: netlink.Request | netlink.Dump}}
	for {
		msgs, err := c.Execute(req)
		if errors.Is(err, netlink.ErrDumpInterrupted) {
			fmt.Printf("interrupted after %d messages: dump again\n", len(msgs))
			continue
		}
		fmt.Println(len(msgs), err)
		break
	}
	// Output:
	// interrupted after 1 messages: dump again
	// 1 <nil>
}
