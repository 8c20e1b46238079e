package nltest

import (
	"testing"

	"github.com/mdlayher/netlink"
)

// TestNoAllocs checks the package's claims about allocations, as the root
// package's table of the same name does for its own.
func TestNoAllocs(t *testing.T) {
	// Each use of the sequence takes the pending messages and yields them
	// as they are, however many there are.
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

	tests := []struct {
		name  string
		claim string // where the claim is made
		f     func()
		check func(t *testing.T)
	}{
		{
			name:  "socket ReceiveIter",
			claim: "nltest.go, ReceiveIter: it copies nothing",
			f: func() {
				n = 0
				s.msgs = pending
				s.ReceiveIter()(count) // the pending result
				s.ReceiveIter()(count) // nothing pending: the Func's answer
			},
			check: func(t *testing.T) {
				if n != 200 {
					t.Errorf("yielded %d messages a run, want 200", n)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := testing.AllocsPerRun(100, tt.f); got != 0 {
				t.Errorf("%v allocations, want 0 (%s)", got, tt.claim)
			}
			if tt.check != nil {
				tt.check(t)
			}
		})
	}
}
