package nltest

import (
	"testing"

	"github.com/mdlayher/netlink"
)

func TestReceiveIterAllocations(t *testing.T) {
	// Each use of the sequence takes the pending messages and yields them
	// as they are: nothing is allocated, however many there are.
	pending := make([]netlink.Message, 100)
	s := &socket{fn: func([]netlink.Message) ([]netlink.Message, error) { return pending, nil }}
	s.iter = s.receiveIter
	n := 0
	count := func(_ netlink.Message, err error) bool {
		if err != nil {
			t.Fatal(err)
		}
		n++
		return true
	}
	allocs := testing.AllocsPerRun(100, func() {
		s.msgs = pending
		s.ReceiveIter()(count) // the pending result
		s.ReceiveIter()(count) // nothing pending: the Func's answer
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run, want 0", allocs)
	}
	if want := 101 * 200; n != want {
		t.Errorf("yielded %d messages, want %d", n, want)
	}
}
