// Package nltest provides a fake netlink socket driven by a function, so
// that code built on package netlink can be tested without a kernel or
// privileges.
package nltest

import (
	"encoding/binary"
	"fmt"
	"io"
	"iter"
	"slices"
	"sync"

	"github.com/mdlayher/netlink"
)

// PID is the netlink port ID of every Conn made by Dial.
const PID = 1

// A Func answers the requests sent on a Conn made by Dial. It is called with
// the requests of each Send or SendMessages, after the Conn filled in their
// headers. Send itself always succeeds: what the Func returned, replies or
// error, is what the next Receive returns, an error wrapped in an
// *netlink.OpError (Op "receive") with the Func's error as Err. A later Send
// replaces a result not yet received.
//
// A Receive with no result pending, or one pending with neither messages
// nor error, calls the Func with no requests, as a multicast listener would
// wait for the kernel. io.EOF with no messages means "nothing": Receive
// returns no messages and no error; when a Send got it, it stays pending,
// so that every Receive until the next Send returns nothing.
type Func func(req []netlink.Message) ([]netlink.Message, error)

// Dial returns a Conn whose requests go to fn instead of the kernel. Its
// port ID is PID.
//
// The fake socket does only the message exchange: the Conn's socket options,
// multicast groups, BPF filters, buffer sizes, deadlines and SyscallConn
// return an error matching errors.ErrUnsupported. Closing it does nothing.
func Dial(fn Func) *netlink.Conn {
	s := &socket{fn: fn}
	s.iter = s.receiveIter
	return netlink.NewConn(s, PID)
}

// A socket is the netlink.Socket of Dial.
type socket struct {
	fn   Func
	iter iter.Seq2[netlink.Message, error] // receiveIter, made once

	// The result of the last Send, waiting for a Receive.
	mu   sync.Mutex
	msgs []netlink.Message
	err  error
}

// Send passes m to the Func and keeps its result.
func (s *socket) Send(m netlink.Message) error {
	return s.SendMessages([]netlink.Message{m})
}

// SendMessages passes msgs to the Func and keeps its result.
func (s *socket) SendMessages(msgs []netlink.Message) error {
	replies, err := s.fn(msgs)
	s.mu.Lock()
	s.msgs, s.err = replies, err
	s.mu.Unlock()
	return nil
}

// Receive returns the pending result, or else asks the Func for messages.
// The messages are a copy: the Func may keep and reuse its slice.
func (s *socket) Receive() ([]netlink.Message, error) {
	msgs, err := s.take()
	if err != nil || len(msgs) == 0 {
		return nil, err
	}
	return slices.Clone(msgs), nil
}

// ReceiveIter yields what Receive returns, one message at a time.
func (s *socket) ReceiveIter() iter.Seq2[netlink.Message, error] {
	return s.iter
}

// receiveIter is ReceiveIter's sequence.
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

// take returns the pending result, clearing it, or else the Func's answer
// to an empty request; see Func.
func (s *socket) take() ([]netlink.Message, error) {
	s.mu.Lock()
	msgs, err := s.msgs, s.err
	if err == io.EOF && len(msgs) == 0 {
		s.mu.Unlock()
		return nil, nil
	}
	s.msgs, s.err = nil, nil
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if len(msgs) > 0 {
		return msgs, nil
	}

	msgs, err = s.fn(nil)
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return msgs, nil
}

// Close does nothing: there is nothing to release, and the Conn stays
// usable, as a test may go on with it.
func (s *socket) Close() error {
	return nil
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
// It panics when types and flags differ in length, or a non-empty request
// does not hold as many messages as there are types: the test itself is
// wrong.
func CheckRequest(types []netlink.HeaderType, flags []netlink.HeaderFlags, fn Func) Func {
	return func(req []netlink.Message) ([]netlink.Message, error) {
		if len(types) != len(flags) {
			panic(fmt.Sprintf("nltest: CheckRequest called with mismatched types and flags slice lengths: %d != %d", len(types), len(flags)))
		}
		if len(req) == 0 {
			return fn(req)
		}
		if len(types) != len(req) {
			panic(fmt.Sprintf("nltest: CheckRequest function invoked types/flags and request message slice lengths: %d != %d", len(types), len(req)))
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
