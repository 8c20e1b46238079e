package netlink_test

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

// failWith returns a Conn whose every request is refused with errno and
// the extended acknowledgement ack.
func failWith(errno int, ack netlink.ExtendedAck) *netlink.Conn {
	return nltest.Dial(func(reqs []netlink.Message) ([]netlink.Message, error) {
		if len(reqs) == 0 {
			return nil, io.EOF
		}
		return nltest.ErrorWithAck(errno, reqs[0], ack, false)
	})
}

func TestExtendedAckOf(t *testing.T) {
	policyAck := netlink.ExtendedAck{Message: "Attribute failed policy validation", Offset: 20,
		Policy: &netlink.Policy{Type: netlink.PolicyTypeString, MaxLength: ptr(uint32(15))}}
	_, policyErr := failWith(int(syscall.ERANGE), policyAck).Execute(extAckRequest)
	if policyErr == nil {
		t.Fatal("the request did not fail")
	}
	var oe *netlink.OpError
	if !errors.As(policyErr, &oe) {
		t.Fatalf("error %v (%T) is no *OpError", policyErr, policyErr)
	}
	copied := *oe

	tests := []struct {
		name string
		err  error
		want *netlink.ExtendedAck // nil: ok false
	}{
		{name: "nil"},
		{name: "not an OpError", err: errors.New("netlink receive: bad")},
		{name: "nil *OpError", err: fmt.Errorf("x: %w", (*netlink.OpError)(nil))},
		{name: "OpError without details", err: &netlink.OpError{Op: "receive", Err: syscall.EINVAL}},
		{name: "from a reply", err: policyErr, want: &policyAck},
		{name: "wrapped twice", err: fmt.Errorf("genl: %w", fmt.Errorf("ethtool: %w", policyErr)), want: &policyAck},
		{name: "joined", err: errors.Join(io.EOF, policyErr), want: &policyAck},
		{
			// The details belong to the error the package returned,
			// not to a copy of its fields.
			name: "copy of a returned OpError",
			err:  &copied,
			want: &netlink.ExtendedAck{Message: policyAck.Message, Offset: policyAck.Offset},
		},
		{
			name: "built by a program",
			err:  &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Message: "bad", Offset: 24},
			want: &netlink.ExtendedAck{Message: "bad", Offset: 24},
		},
		{
			name: "built with a negative offset",
			err:  &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Offset: -4},
			want: &netlink.ExtendedAck{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := netlink.ExtendedAckOf(tt.err)
			if ok != (tt.want != nil) {
				t.Fatalf("ExtendedAckOf ok = %v, want %v (got %v)", ok, tt.want != nil, got)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ExtendedAckOf (-want +got):\n%s", diff)
			}
		})
	}
}

// TestExtendedAckOfReturnsCopies checks that what one caller does with the
// ExtendedAck it got does not reach the next caller.
func TestExtendedAckOfReturnsCopies(t *testing.T) {
	want := fullAck
	_, err := failWith(int(syscall.EINVAL), want).Execute(extAckRequest)
	a, ok := netlink.ExtendedAckOf(err)
	if !ok {
		t.Fatalf("ExtendedAckOf(%v) found nothing", err)
	}
	a.Message = "changed"
	a.Cookie[0] ^= 0xff
	*a.Policy.MaxLength = 99
	*a.Policy.MinSigned = 99
	a.Policy.Type = netlink.PolicyTypeFlag
	b, _ := netlink.ExtendedAckOf(err)
	if diff := cmp.Diff(&want, b); diff != "" {
		t.Errorf("second ExtendedAckOf after changing the first (-want +got):\n%s", diff)
	}
}

// TestExtendedAckOfSuccessPath checks that exchanges without an error,
// warnings included, and errors without extended acknowledgements leave
// the table alone.
func TestExtendedAckOfSuccessPath(t *testing.T) {
	replies := []func(req netlink.Message) ([]netlink.Message, error){
		func(req netlink.Message) ([]netlink.Message, error) { return nltest.Error(0, []netlink.Message{req}) },
		func(req netlink.Message) ([]netlink.Message, error) { return nltest.Warning(req, "careful") },
		func(req netlink.Message) ([]netlink.Message, error) {
			return nltest.Error(int(syscall.ENOENT), []netlink.Message{req})
		},
	}
	for i, reply := range replies {
		c := nltest.Dial(func(reqs []netlink.Message) ([]netlink.Message, error) {
			if len(reqs) == 0 {
				return nil, io.EOF
			}
			return reply(reqs[0])
		})
		before := netlink.ExtAckTableLen()
		var keep []error // held, so that no entry can be collected meanwhile
		for range 100 {
			_, err := c.Execute(extAckRequest)
			keep = append(keep, err)
		}
		if got := netlink.ExtAckTableLen(); got != before {
			t.Errorf("reply %d: table grew from %d to %d entries", i, before, got)
		}
		if _, ok := netlink.ExtendedAckOf(keep[0]); ok {
			t.Errorf("reply %d: ExtendedAckOf(%v) found something", i, keep[0])
		}
	}
}

// TestExtendedAckOfConcurrent creates and reads errors from several
// goroutines at once; run it with -race.
func TestExtendedAckOfConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				want := netlink.ExtendedAck{Message: fmt.Sprintf("g%d i%d", g, i), Offset: 20, MissingType: uint32(g + 1)}
				_, err := failWith(int(syscall.EINVAL), want).Execute(extAckRequest)
				got, ok := netlink.ExtendedAckOf(fmt.Errorf("family: %w", err))
				if !ok || !cmp.Equal(&want, got) {
					t.Errorf("goroutine %d, error %d: ExtendedAckOf = %v, %v; want %v", g, i, got, ok, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestOpErrorCmpDiff checks that cmp.Diff compares two OpErrors without
// an option, as v1.11.2's own tests do: it panics on unexported fields.
func TestOpErrorCmpDiff(t *testing.T) {
	_, err1 := failWith(int(syscall.EINVAL), fullAck).Execute(extAckRequest)
	_, err2 := failWith(int(syscall.EINVAL), netlink.ExtendedAck{Message: "other"}).Execute(extAckRequest)
	var diff, same string
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("cmp.Diff panicked: %v", r)
			}
		}()
		diff = cmp.Diff(err1.(*netlink.OpError), err2.(*netlink.OpError))
		c := *err1.(*netlink.OpError)
		same = cmp.Diff(err1.(*netlink.OpError), &c)
	}()
	if diff == "" {
		t.Error("cmp.Diff found no difference between different errors")
	}
	if same != "" {
		t.Errorf("cmp.Diff of an OpError and its copy:\n%s", same)
	}
}
