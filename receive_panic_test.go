package netlink_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

// Tests of a loop over a Conn's sequence whose body panics or calls
// runtime.Goexit (as t.Fatal does): the Conn must be left as an early
// break leaves it.

// A loopForm is one way of looping over the messages of a reply to req:
// it runs body for each message and returns the error the sequence
// yielded, if any.
type loopForm struct {
	name    string
	context bool // the form takes a context
	loop    func(c *netlink.Conn, ctx context.Context, req netlink.Message, body func()) error
}

// loopForms are every sequence of a Conn that runs a loop body.
var loopForms = []loopForm{
	{"ExecuteIter", false, func(c *netlink.Conn, _ context.Context, req netlink.Message, body func()) error {
		for _, err := range c.ExecuteIter(req) {
			if err != nil {
				return err
			}
			body()
		}
		return nil
	}},
	{"ExecuteIterContext", true, func(c *netlink.Conn, ctx context.Context, req netlink.Message, body func()) error {
		for _, err := range c.ExecuteIterContext(ctx, req) {
			if err != nil {
				return err
			}
			body()
		}
		return nil
	}},
	{"ReceiveIter", false, func(c *netlink.Conn, _ context.Context, req netlink.Message, body func()) error {
		if _, err := c.Send(req); err != nil {
			return err
		}
		for _, err := range c.ReceiveIter() {
			if err != nil {
				return err
			}
			body()
		}
		return nil
	}},
	{"ReceiveWithInfo", false, func(c *netlink.Conn, _ context.Context, req netlink.Message, body func()) error {
		if _, err := c.Send(req); err != nil {
			return err
		}
		for _, err := range c.ReceiveWithInfo() {
			if err != nil {
				return err
			}
			body()
		}
		return nil
	}},
}

// A bodyExit is how a loop body leaves the loop.
type bodyExit string

const (
	exitPanic  bodyExit = "panic"
	exitGoexit bodyExit = "Goexit"
)

// panicValue is what a loop body panics with; its address tells it apart.
type panicValue struct{ at int }

// abruptEnd is how a loop run by runLoop ended.
type abruptEnd struct {
	Seen      int    // messages the body was called for
	Recovered string // the panic value recovered, as text
	Goexit    bool   // the goroutine ended without returning or panicking
	Returned  bool   // the loop ran to its end
}

// runLoop runs form's loop over the reply to req on c, in a goroutine of
// its own, with a body that panics or calls runtime.Goexit at its at-th
// message. It fails the test if the loop does not end within limit, after
// closing c to unblock it.
func runLoop(t *testing.T, c *netlink.Conn, form loopForm, ctx context.Context, req netlink.Message, exit bodyExit, at int, limit time.Duration) abruptEnd {
	t.Helper()
	var end abruptEnd
	want := &panicValue{at: at}
	done := make(chan struct{})
	go func() {
		defer close(done)
		ended := false
		defer func() {
			v := recover()
			switch {
			case v == nil && !ended:
				end.Goexit = true
			case v == any(want):
				end.Recovered = fmt.Sprintf("panic at %d", want.at)
			case v != nil:
				end.Recovered = fmt.Sprintf("another value: %v", v)
			}
		}()
		err := form.loop(c, ctx, req, func() {
			if end.Seen++; end.Seen == at {
				if exit == exitPanic {
					panic(want)
				}
				runtime.Goexit()
			}
		})
		if err != nil {
			end.Recovered = fmt.Sprintf("loop error: %v", err)
		}
		ended = true
		end.Returned = true
	}()
	select {
	case <-done:
	case <-time.After(limit):
		t.Errorf("the loop did not end within %v", limit)
		c.Close()
		<-done
	}
	return end
}

// wantAbruptEnd is the abruptEnd of a loop whose body left as exit does
// at its at-th message.
func wantAbruptEnd(exit bodyExit, at int) abruptEnd {
	if exit == exitPanic {
		return abruptEnd{Seen: at, Recovered: fmt.Sprintf("panic at %d", at)}
	}
	return abruptEnd{Seen: at, Goexit: true}
}

// bounded runs f, failing the test if it does not return within limit; c
// is then closed to unblock it.
func bounded[T any](t *testing.T, c *netlink.Conn, limit time.Duration, what string, f func() (T, error)) (T, error) {
	t.Helper()
	var (
		v   T
		err error
	)
	done := make(chan struct{})
	go func() {
		defer close(done)
		v, err = f()
	}()
	select {
	case <-done:
	case <-time.After(limit):
		t.Errorf("%s did not return within %v: the Conn is wedged", what, limit)
		c.Close()
		<-done
	}
	return v, err
}

// fakeDump is a fake kernel for package nltest that answers a dump request
// with datagrams datagrams of perDatagram messages each, one datagram per
// read, the last one holding the closing Done message too. Like the
// kernel, it refuses a new request with EBUSY while a dump has not been
// read to its end, and it counts the reads made when nothing was pending
// (which would wait for ever on a kernel socket).
type fakeDump struct {
	datagrams, perDatagram int

	mu      sync.Mutex
	pending [][]netlink.Message // the datagrams not yet read
	idle    int                 // reads made with nothing pending
}

func (f *fakeDump) fn(req []netlink.Message) ([]netlink.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(req) == 0 {
		if len(f.pending) == 0 {
			f.idle++
			return nil, nil
		}
		d := f.pending[0]
		f.pending = f.pending[1:]
		return d, nil
	}
	if len(f.pending) > 0 {
		return nil, syscall.EBUSY
	}
	h := req[0].Header
	for i := range f.datagrams {
		var d []netlink.Message
		for j := range f.perDatagram {
			d = append(d, netlink.Message{
				Header: netlink.Header{Type: 0x10, Flags: netlink.Multi, Sequence: h.Sequence, PID: h.PID},
				Data:   []byte{byte(i), byte(j), 0, 0},
			})
		}
		if i == f.datagrams-1 {
			d = append(d, netlink.Message{
				Header: netlink.Header{Length: 20, Type: netlink.Done, Flags: netlink.Multi, Sequence: h.Sequence, PID: h.PID},
				Data:   make([]byte, 4),
			})
		}
		f.pending = append(f.pending, d)
	}
	d := f.pending[0]
	f.pending = f.pending[1:]
	return d, nil
}

// checkInStep runs Execute three times on c, each of which must return its
// own complete reply of want messages: no error (EBUSY), no mismatched
// sequence.
func checkInStep(t *testing.T, c *netlink.Conn, req netlink.Message, want int) {
	t.Helper()
	for i := range 3 {
		msgs, err := bounded(t, c, 10*time.Second, "Execute", func() ([]netlink.Message, error) {
			return c.Execute(req)
		})
		if err != nil {
			t.Fatalf("Execute %d after: %v", i+1, err)
		}
		if len(msgs) != want {
			t.Fatalf("Execute %d after: %d messages, want %d", i+1, len(msgs), want)
		}
		for _, m := range msgs {
			if m.Header.Sequence != msgs[0].Header.Sequence {
				t.Fatalf("Execute %d after: sequences %d and %d in one reply", i+1, msgs[0].Header.Sequence, m.Header.Sequence)
			}
		}
	}
}

// abruptPositions are where in a reply of n messages the body leaves.
func abruptPositions(n int) []struct {
	name string
	at   int
} {
	return []struct {
		name string
		at   int
	}{{"first", 1}, {"middle", n / 2}, {"last", n}}
}

// testAbruptLoops runs the table of loop forms, body exits and positions
// on Conns made by dial, against the reply to req of n messages.
func testAbruptLoops(t *testing.T, dial func(t *testing.T) *netlink.Conn, req netlink.Message, n int) {
	for _, form := range loopForms {
		for _, exit := range []bodyExit{exitPanic, exitGoexit} {
			for _, pos := range abruptPositions(n) {
				t.Run(fmt.Sprintf("%s/%s/%s", form.name, exit, pos.name), func(t *testing.T) {
					c := dial(t)
					ctx, cancel := context.WithCancel(context.Background())
					defer cancel()
					got := runLoop(t, c, form, ctx, req, exit, pos.at, 10*time.Second)
					if diff := cmp.Diff(wantAbruptEnd(exit, pos.at), got); diff != "" {
						t.Fatalf("loop ended (-want +got):\n%s", diff)
					}
					checkInStep(t, c, req, n)
					if !form.context {
						return
					}
					// A watch left armed would now set a past
					// deadline on the socket.
					cancel()
					time.Sleep(20 * time.Millisecond)
					checkInStep(t, c, req, n)
				})
			}
		}
	}
}

func TestConnAbruptLoopFake(t *testing.T) {
	const datagrams, perDatagram = 4, 5
	testAbruptLoops(t, func(t *testing.T) *netlink.Conn {
		f := &fakeDump{datagrams: datagrams, perDatagram: perDatagram}
		t.Cleanup(func() {
			f.mu.Lock()
			defer f.mu.Unlock()
			if f.idle != 0 {
				t.Errorf("%d reads with nothing pending", f.idle)
			}
		})
		return nltest.Dial(f.fn)
	}, dumpReq, datagrams*perDatagram)
}

// The fake dump itself: read whole, it is in step; left unread, the next
// request fails with EBUSY, as the kernel's does.
func TestFakeDumpBusy(t *testing.T) {
	f := &fakeDump{datagrams: 3, perDatagram: 2}
	c := nltest.Dial(f.fn)
	checkInStep(t, c, dumpReq, 6)
	if _, err := c.Send(dumpReq); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Execute(dumpReq); !errors.Is(err, syscall.EBUSY) {
		t.Fatalf("Execute with a dump unread: %v, want EBUSY", err)
	}
}

// A queueSocket is a Socket read only through its ReceiveIter, as a custom
// transport is: each Send queues the datagrams of a reply after those not
// yet read, a dump of datagrams datagrams of perDatagram messages.
type queueSocket struct {
	datagrams, perDatagram int

	mu    sync.Mutex
	queue [][]netlink.Message
}

func (s *queueSocket) Send(m netlink.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := &fakeDump{datagrams: s.datagrams, perDatagram: s.perDatagram}
	first, _ := f.fn([]netlink.Message{m})
	s.queue = append(s.queue, first)
	s.queue = append(s.queue, f.pending...)
	return nil
}

func (s *queueSocket) ReceiveIter() iter.Seq2[netlink.Message, error] {
	return func(yield func(netlink.Message, error) bool) {
		s.mu.Lock()
		if len(s.queue) == 0 {
			s.mu.Unlock()
			yield(netlink.Message{}, errors.New("queueSocket: nothing queued: a read would wait for ever"))
			return
		}
		d := s.queue[0]
		s.queue = s.queue[1:]
		s.mu.Unlock()
		for _, m := range d {
			if !yield(m, nil) {
				return
			}
		}
	}
}

func (s *queueSocket) SendMessages([]netlink.Message) error { return errors.ErrUnsupported }
func (s *queueSocket) Receive() ([]netlink.Message, error)  { return nil, errors.ErrUnsupported }
func (s *queueSocket) Close() error                         { return nil }

// A Socket read through its iterator: the Conn gathers each datagram before
// it gives its messages to the loop body, so a panic leaves the rest of the
// reply to be read and dropped there too.
func TestConnAbruptLoopIterSocket(t *testing.T) {
	const datagrams, perDatagram = 4, 5
	testAbruptLoops(t, func(t *testing.T) *netlink.Conn {
		return netlink.NewConn(&queueSocket{datagrams: datagrams, perDatagram: perDatagram}, 1)
	}, dumpReq, datagrams*perDatagram)
}
