// Package nltest provides a fake netlink socket driven by a function, so
// that code built on package netlink can be tested without a kernel or
// privileges.
package nltest

import (
	"encoding/binary"
	"errors"
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
// *netlink.OpError (Op "receive"). The replies of a Send replace what is
// pending; those of a SendMessages are added after them, so that two calls
// to SendMessages before one Receive give the replies of both. An error
// stays pending until received; a later error replaces it.
//
// An error that is a system call error (errors.As finds a syscall.Errno in
// it) reaches the caller wrapped in an *os.SyscallError for "recvmsg", as
// the same error from a kernel socket would, on every Unix; other errors
// are passed on as they are.
//
// A Receive with no result pending, or one pending with neither messages
// nor error, calls the Func with no requests, as a multicast listener would
// wait for the kernel. io.EOF with no messages means "nothing": Receive
// returns no messages and no error; when a Send got it, it stays pending,
// so that every Receive until the next Send returns nothing.
//
// The messages a Func returns are handed on as they are, not copied, so a
// Func may answer every call in the same slice, but must not change a
// slice it returned while another goroutine may still be receiving it.
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

	// The results of the sends since the last Receive. msgs is the Func's
	// own slice after one send, and a slice of the socket's own after
	// SendMessages added to it.
	mu   sync.Mutex
	msgs []netlink.Message
	err  error
}

// Send passes m to the Func and keeps its result in place of the pending
// one.
func (s *socket) Send(m netlink.Message) error {
	replies, err := s.fn([]netlink.Message{m})
	s.mu.Lock()
	s.msgs, s.err = replies, err
	s.mu.Unlock()
	return nil
}

// SendMessages passes msgs to the Func and adds its result to the pending
// one.
func (s *socket) SendMessages(msgs []netlink.Message) error {
	replies, err := s.fn(msgs)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case len(replies) == 0:
	case len(s.msgs) == 0:
		s.msgs = replies
	default:
		// Clipped, so that the appending never writes into the spare
		// capacity of a slice the Func owns.
		s.msgs = append(slices.Clip(s.msgs), replies...)
	}
	if err != nil || s.err == io.EOF {
		// A pending "nothing" does not hide the replies added now.
		s.err = err
	}
	return nil
}

// Receive returns the pending result, or else asks the Func for messages.
// The slice is a copy: the Func may keep and reuse its own.
func (s *socket) Receive() ([]netlink.Message, error) {
	msgs, err := s.take()
	if err != nil || len(msgs) == 0 {
		return nil, err
	}
	return slices.Clone(msgs), nil
}

// ReceiveIter yields what Receive returns, one message at a time, as one
// datagram of a kernel socket: each use of the sequence takes the pending
// result, or asks the Func. It copies nothing (TestNoAllocs).
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

// ReceiveDatagram returns, as a slice, what one use of ReceiveIter yields.
// Package netlink reads the fake socket through it, which spares a call
// per message; the slice may be the Func's own.
func (s *socket) ReceiveDatagram() ([]netlink.Message, error) {
	return s.take()
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
		return nil, receiveError(err)
	}
	if len(msgs) > 0 {
		return msgs, nil
	}

	msgs, err = s.fn(nil)
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, receiveError(err)
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

// Error returns the Error message with which the kernel reports errno
// (a positive errno value, or 0 for an acknowledgement) for the first of
// reqs, as v1.11.2 does whatever the number of requests: the request's
// header with the type set to Error and the length grown by the 4 bytes of
// the code, and as data the negated errno followed by the request's data.
// Without a request there is nothing to answer, and Error returns an error.
func Error(errno int, reqs []netlink.Message) ([]netlink.Message, error) {
	if len(reqs) == 0 {
		return nil, errors.New("nltest: Error called without a request to answer")
	}
	req := reqs[0]
	data := make([]byte, 4+len(req.Data))
	binary.NativeEndian.PutUint32(data, uint32(-int32(errno)))
	copy(data[4:], req.Data)

	h := req.Header
	h.Type = netlink.Error
	h.Length += 4
	return []netlink.Message{{Header: h, Data: data}}, nil
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
