// Package nltest provides a fake netlink socket driven by a function, so
// that code built on package netlink can be tested without a kernel or
// privileges.
package nltest

import (
	"encoding/binary"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"
	"sync"

	"github.com/mdlayher/netlink"
)

// PID is the netlink port ID of every Conn made by Dial.
const PID = 1

// A Func answers the requests sent on a Conn made by Dial. It is called with
// the requests of each Send or SendMessages, after the Conn filled in their
// headers, and its replies are what the next Receive returns. A Receive
// with no replies pending calls it with no requests, as a multicast
// listener would wait for the kernel: returning no messages and io.EOF then
// means "nothing", and Receive returns no messages and no error. Any other
// error is returned unchanged by the Conn method that called the Func.
type Func func(req []netlink.Message) ([]netlink.Message, error)

// Dial returns a Conn whose requests go to fn instead of the kernel. Its
// port ID is PID.
//
// The fake socket does only the message exchange: the Conn's socket options,
// multicast groups, BPF filters, buffer sizes, deadlines and SyscallConn
// return an error matching errors.ErrUnsupported.
func Dial(fn Func) *netlink.Conn {
	s := &socket{fn: fn}
	s.iter = s.receiveIter
	return netlink.NewConn(s, PID)
}

// A socket is the netlink.Socket of Dial.
type socket struct {
	fn   Func
	iter iter.Seq2[netlink.Message, error] // receiveIter, made once

	mu      sync.Mutex
	pending []netlink.Message // replies to Sends, waiting for a Receive
	owned   bool              // pending is a copy, not the Func's slice
	closed  bool
}

// Send passes m to the Func and keeps its replies.
func (s *socket) Send(m netlink.Message) error {
	return s.SendMessages([]netlink.Message{m})
}

// SendMessages passes msgs to the Func and keeps its replies.
func (s *socket) SendMessages(msgs []netlink.Message) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return closedError("send")
	}
	if len(s.pending) > 0 && !s.owned {
		// Replies still pending may sit in the Func's slice, which the
		// call below may reuse: keep a copy of them.
		s.pending, s.owned = slices.Clone(s.pending), true
	}
	s.mu.Unlock()

	// The Func runs without the lock: it may block, as a test's stand-in
	// for a slow kernel, and must not hold up a concurrent Receive.
	replies, err := s.fn(msgs)
	if err != nil && !(err == io.EOF && len(replies) == 0) {
		return err
	}
	if len(replies) == 0 {
		return nil
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) == 0 {
		s.pending, s.owned = replies, false
	} else {
		s.pending, s.owned = append(s.pending[:len(s.pending):len(s.pending)], replies...), true
	}
	return nil
}

// Receive returns every pending reply at once, so that the Conn reads a
// whole multi-part reply, up to its Done message, in one call. With none
// pending it asks the Func for unsolicited (multicast) messages.
//
// The messages come in a new slice: the Conn's caller may change them
// without touching the Func's slice, which the Func may reuse or keep as a
// fixture.
func (s *socket) Receive() ([]netlink.Message, error) {
	msgs, err := s.take()
	if err != nil || len(msgs) == 0 {
		return nil, err
	}
	return slices.Clone(msgs), nil
}

// ReceiveIter yields what Receive returns, one message at a time. It needs
// no copy: every message is yielded by value.
func (s *socket) ReceiveIter() iter.Seq2[netlink.Message, error] {
	return s.iter
}

func (s *socket) receiveIter(yield func(netlink.Message, error) bool) {
	msgs, err := s.take()
	if err != nil {
		yield(netlink.Message{}, err)
		return
	}
	for _, m := range msgs {
		if !yield(m, nil) {
			return
		}
	}
}

// take returns the pending replies, or with none pending the Func's answer
// to an empty request. The slice may be the Func's own.
func (s *socket) take() ([]netlink.Message, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, closedError("receive")
	}
	msgs := s.pending
	s.pending, s.owned = nil, false
	s.mu.Unlock()
	if len(msgs) > 0 {
		return msgs, nil
	}

	msgs, err := s.fn(nil)
	if err == io.EOF && len(msgs) == 0 {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return msgs, nil
}

// Close marks the socket closed: later calls fail, a second Close too.
func (s *socket) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return closedError("close")
	}
	s.closed = true
	s.pending = nil
	return nil
}

// closedError is the error of an operation on a closed socket, as a real
// socket reports it.
func closedError(op string) error {
	return &netlink.OpError{Op: op, Err: os.ErrClosed}
}

// Multipart turns msgs into a multi-part reply: every message gets the
// Multi flag and the last one becomes the Done message that ends it. Fewer
// than two messages are returned unchanged. msgs is modified in place and
// returned.
func Multipart(msgs []netlink.Message) ([]netlink.Message, error) {
	if len(msgs) < 2 {
		return msgs, nil
	}
	for i := range msgs {
		msgs[i].Header.Flags |= netlink.Multi
	}
	msgs[len(msgs)-1].Header.Type = netlink.Done
	return msgs, nil
}

// Error returns one Error message per request, as the kernel reports a
// failure: the request's header with the type set to Error and the length
// recomputed, and as data the negated errno followed by the request's data.
// Error(0, reqs) acknowledges the requests.
func Error(errno int, reqs []netlink.Message) ([]netlink.Message, error) {
	msgs := make([]netlink.Message, len(reqs))
	for i, req := range reqs {
		data := make([]byte, 4+len(req.Data))
		binary.NativeEndian.PutUint32(data, uint32(-int32(errno)))
		copy(data[4:], req.Data)

		h := req.Header
		h.Type = netlink.Error
		h.Length = uint32(16 + len(data))
		msgs[i] = netlink.Message{Header: h, Data: data}
	}
	return msgs, nil
}

// CheckRequest returns a Func that checks request i against types[i] and
// flags[i] before calling fn; a zero type or flags value is not checked. A
// mismatch is returned as an error and fn is not called. An empty request
// (a Receive asking for multicast messages) goes to fn unchecked.
//
// It panics when a non-empty request does not hold exactly as many messages
// as there are types and flags: the test itself is wrong.
func CheckRequest(types []netlink.HeaderType, flags []netlink.HeaderFlags, fn Func) Func {
	return func(req []netlink.Message) ([]netlink.Message, error) {
		if len(req) == 0 {
			return fn(req)
		}
		if len(types) != len(req) || len(flags) != len(req) {
			panic(fmt.Sprintf("nltest: CheckRequest got %d messages, but %d types and %d flags", len(req), len(types), len(flags)))
		}
		for i, m := range req {
			if want := types[i]; want != 0 && m.Header.Type != want {
				return nil, fmt.Errorf("nltest: unexpected netlink header type: %v, want: %v", m.Header.Type, want)
			}
			if want := flags[i]; want != 0 && m.Header.Flags != want {
				return nil, fmt.Errorf("nltest: unexpected netlink header flags: %v, want: %v", m.Header.Flags, want)
			}
		}
		return fn(req)
	}
}

// MustMarshalAttributes encodes attrs with netlink.MarshalAttributes and
// panics if that fails.
func MustMarshalAttributes(attrs []netlink.Attribute) []byte {
	b, err := netlink.MarshalAttributes(attrs)
	if err != nil {
		panic(fmt.Sprintf("nltest: marshaling attributes: %v", err))
	}
	return b
}
