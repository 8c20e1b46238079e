package netlink

import (
	"os"
	"syscall"
)

// maxAside bounds the message data (headers included) a Conn sets aside for
// its next receiver: the notifications Execute passes over, and what a drain
// finds (see receiver). It is about what a socket's receive buffer holds
// when raised for a busy listener: enough for any burst a reader that is
// merely busy elsewhere meets, and no more memory than a Conn whose
// receiver went away should pin.
const maxAside = 4 << 20

// An asideStore holds, in arrival order, the messages read on behalf of the
// Conn's next receiver: the notifications that arrived while Execute waited
// for its reply, and what a drain kept. Each message keeps the MessageInfo
// of its datagram. When the bound is reached, later messages are dropped
// and the next receiver gets ENOBUFS first, as the kernel reports the
// overrun of a socket's queue before the messages the queue kept.
type asideStore struct {
	msgs  []asideMessage
	head  int   // msgs[head:] are still to be received
	bytes int   // the size of msgs[head:]
	err   error // a loss to report to the next receiver, before msgs
	// full is set from an overrun until the receiver is told of it:
	// meanwhile, nothing more is kept.
	full bool

	// While a message is yielded from the store, yielding is set and
	// info is its datagram's MessageInfo, for ReceiveWithInfo.
	yielding bool
	info     MessageInfo
}

// An asideMessage is a message set aside, with what is known of its
// datagram.
type asideMessage struct {
	m     Message
	info  MessageInfo
	first bool // the first message kept of its datagram
}

// has reports whether anything waits for the next receiver.
func (s *asideStore) has() bool {
	return s.head < len(s.msgs) || s.err != nil
}

// add sets m aside with its datagram's info; first marks the first message
// kept of a datagram. Past the bound, m is dropped and the loss noted.
func (s *asideStore) add(m *Message, info MessageInfo, first bool) {
	n := headerLen + len(m.Data)
	if s.full || s.bytes+n > maxAside {
		// Once something is lost, nothing later is kept either until
		// the receiver is told: what it gets after the error is then
		// what came before the loss, in order, with no gap inside it.
		s.full = true
		s.fail(os.NewSyscallError("recvmsg", syscall.ENOBUFS))
		return
	}
	s.msgs = append(s.msgs, asideMessage{m: *m, info: info, first: first})
	s.bytes += n
}

// fail notes err, an error of the socket met while reading on behalf of
// the next receiver, unless an earlier one is noted.
func (s *asideStore) fail(err error) {
	if s.err == nil {
		s.err = err
	}
}

// takeErr returns the loss or error noted, once, as a receive error.
func (s *asideStore) takeErr() error {
	err := s.err
	if err == nil {
		return nil
	}
	s.err, s.full = nil, false
	return &OpError{Op: "receive", Err: err}
}

// take returns the noted error, if any, or else every message set aside,
// in a slice of their own: Receive's share of the store.
func (s *asideStore) take() ([]Message, error) {
	if err := s.takeErr(); err != nil {
		return nil, err
	}
	msgs := make([]Message, 0, len(s.msgs)-s.head)
	for i := range s.msgs[s.head:] {
		msgs = append(msgs, s.msgs[s.head+i].m)
	}
	s.reset()
	return msgs, nil
}

// yield passes the noted error, if any, or else the messages set aside to
// a ReceiveIter consumer. Each message leaves the store before it is
// yielded, so that a loop body that panics leaves the store consistent.
// When the consumer stops, by a break or by a panic or runtime.Goexit in
// its body, the rest of that message's datagram is dropped, as ReceiveIter
// drops the rest of a datagram read from the socket; later datagrams stay
// for the next receiver.
func (s *asideStore) yield(yield func(Message, error) bool) {
	if err := s.takeErr(); err != nil {
		yield(Message{}, err)
		return
	}
	stopped := true // until the body returns true
	defer func() {
		s.yielding = false
		if stopped {
			for s.head < len(s.msgs) && !s.msgs[s.head].first {
				s.pop()
			}
		}
		if s.head == len(s.msgs) {
			s.reset()
		}
	}()
	for s.head < len(s.msgs) {
		e := s.pop()
		s.yielding, s.info = true, e.info
		stopped = true
		if !yield(e.m, nil) {
			return
		}
		stopped = false
	}
}

// pop takes the next message out of the store.
func (s *asideStore) pop() asideMessage {
	e := s.msgs[s.head]
	s.msgs[s.head] = asideMessage{}
	s.head++
	s.bytes -= headerLen + len(e.m.Data)
	return e
}

// reset empties the store, keeping no message's data alive, nor a large
// backing array.
func (s *asideStore) reset() {
	clear(s.msgs)
	if cap(s.msgs) > 256 {
		s.msgs = nil
	} else {
		s.msgs = s.msgs[:0]
	}
	s.head, s.bytes = 0, 0
}
