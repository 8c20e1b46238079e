package netlink_test

import (
	"context"
	"errors"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

var dumpReq = netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Dump}}

func TestConnExecuteIter(t *testing.T) {
	names := []string{"a", "b", "c", "d", "e"}
	c := nltest.Dial(fakeKernel(names...))
	want, err := c.Execute(dumpReq)
	if err != nil {
		t.Fatal(err)
	}

	for stop := 1; stop <= len(names)+1; stop++ {
		var got []netlink.Message
		for m, err := range c.ExecuteIter(dumpReq) {
			if err != nil {
				t.Fatalf("stop %d: %v", stop, err)
			}
			got = append(got, m)
			if len(got) == stop {
				break
			}
		}
		n := min(stop, len(names))
		// Sequence numbers differ from call to call.
		if diff := cmp.Diff(want[:n], got, cmp.FilterPath(func(p cmp.Path) bool {
			return p.Last().String() == ".Sequence"
		}, cmp.Ignore())); diff != "" {
			t.Fatalf("stop %d (-want +got):\n%s", stop, diff)
		}
		// The Conn is in step.
		if msgs, err := c.Execute(dumpReq); err != nil || len(msgs) != len(names) {
			t.Fatalf("stop %d: Execute after: %d messages, %v", stop, len(msgs), err)
		}
	}
}

func TestConnExecuteIterErrors(t *testing.T) {
	// A reply of another sequence number fails validation, as in Execute.
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		return []netlink.Message{{Header: netlink.Header{Type: 0x10, Sequence: req[0].Header.Sequence + 1}}}, nil
	})
	var errs []error
	for _, err := range c.ExecuteIter(dumpReq) {
		errs = append(errs, err)
	}
	if len(errs) != 1 || errs[0] == nil || errs[0].Error() != "netlink validate: mismatched sequence in netlink reply" {
		t.Fatalf("got %v, want one validation error", errs)
	}

	// The kernel's error ends the sequence.
	c = nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		return nltest.Error(2, req)
	})
	errs = errs[:0]
	// (Not a dump: its flags would read as Capped|AcknowledgeTLVs.)
	for _, err := range c.ExecuteIter(netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request}}) {
		errs = append(errs, err)
	}
	if len(errs) != 1 || !errors.Is(errs[0], syscall.ENOENT) {
		t.Fatalf("got %v, want ENOENT", errs)
	}
}

func TestConnContextFake(t *testing.T) {
	c := nltest.Dial(fakeKernel("a", "b"))
	want, err := c.Execute(dumpReq)
	if err != nil {
		t.Fatal(err)
	}
	ignoreSeq := cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Sequence" }, cmp.Ignore())

	// A live context changes nothing.
	ctx, cancel := context.WithCancel(context.Background())
	got, err := c.ExecuteContext(ctx, dumpReq)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, ignoreSeq); diff != "" {
		t.Fatalf("ExecuteContext (-want +got):\n%s", diff)
	}
	if _, err := c.Send(dumpReq); err != nil {
		t.Fatal(err)
	}
	if got, err := c.ReceiveContext(ctx); err != nil || len(got) != 2 {
		t.Fatalf("ReceiveContext: %d messages, %v", len(got), err)
	}

	// A context that is done ends every call at once with its error.
	cancel()
	if _, err := c.ExecuteContext(ctx, dumpReq); !errors.Is(err, context.Canceled) {
		t.Fatalf("ExecuteContext: %v, want context.Canceled", err)
	}
	if _, err := c.ReceiveContext(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("ReceiveContext: %v, want context.Canceled", err)
	}
	for _, err := range c.ExecuteIterContext(ctx, dumpReq) {
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("ExecuteIterContext: %v, want context.Canceled", err)
		}
	}
}
