//go:build linux

package netlink

import (
	"fmt"
	"iter"
	"math"
	"os"
	"sync"

	"github.com/mdlayher/netlink/internal/nlsock"
	"golang.org/x/sys/unix"
)

// A sysSocket is the AF_NETLINK socket of Dial: package nlsock's socket,
// which deals in datagrams as bytes, with the messages, options and
// per-datagram information of package netlink on top. Its deadlines,
// groups, filters, buffer sizes, raw access and Close are the nlsock
// socket's own.
type sysSocket struct {
	*nlsock.Socket

	iter iter.Seq2[Message, error] // s.receiveIter, made once

	// The MessageInfo of the datagram being yielded, and whether it went
	// to a multicast group (see datagramMulticast).
	info  MessageInfo
	mcast bool
}

// maxMessageBufferSize bounds Config.MessageBufferSize, so that a wrong
// value is an error from Dial rather than a failed allocation that ends the
// program. No kernel datagram comes near it.
const maxMessageBufferSize = 1 << 30

// maxKeptSendBuffer bounds the send buffers kept for reuse, so that one
// huge request does not pin its memory.
const maxKeptSendBuffer = 64 << 10

// sendBuffers pools the buffers requests are laid out in before sending:
// shared by all sockets, so that an idle socket holds none.
var sendBuffers = sync.Pool{New: func() any { return new([]byte) }}

// dial opens, binds and wraps a netlink socket of the given family, inside
// the network namespace cfg.NetNS when that is set. It returns the socket
// and the port ID the kernel bound it to. A failed system call comes back
// as its bare *os.SyscallError ("socket", "setns", "bind"), not wrapped in
// an *OpError, as callers compare these errors.
func dial(family int, cfg *Config) (Socket, uint32, error) {
	if cfg == nil {
		cfg = &Config{}
	}

	if cfg.MessageBufferSize > maxMessageBufferSize {
		return nil, 0, fmt.Errorf("netlink: MessageBufferSize of %d bytes is above the limit of %d", cfg.MessageBufferSize, maxMessageBufferSize)
	}

	ns, pid, err := nlsock.Open(family, cfg.NetNS, cfg.Groups, cfg.PID)
	if err != nil {
		return nil, 0, err
	}
	// Config.MessageBufferSize sizes nothing: every datagram up to 16 MiB
	// is received whole, into memory that no socket keeps. Only a
	// size too small for a message header is remembered, to fail receives.
	ns.FailReceives(messageBufferSizeError(cfg.MessageBufferSize))
	return newSysSocket(ns), pid, nil
}

// newSysSocket wraps ns.
func newSysSocket(ns *nlsock.Socket) *sysSocket {
	s := &sysSocket{Socket: ns}
	s.iter = s.receiveIter
	return s
}

// Send sends one message; see SendMessages.
func (s *sysSocket) Send(m Message) error {
	return s.SendMessages([]Message{m})
}

// SendMessages sends msgs to the kernel in one datagram. Each header must
// hold the message's length, as Message.MarshalBinary requires; Data is cut
// or zero-padded to it. No messages make an empty datagram, which the
// kernel refuses.
func (s *sysSocket) SendMessages(msgs []Message) error {
	if s.Closed() {
		return nlsock.ClosedError("sendmsg")
	}

	bp := sendBuffers.Get().(*[]byte)
	b := (*bp)[:0]
	for i := range msgs {
		l := int64(msgs[i].Header.Length)
		if l < headerLen || l%nlAlignTo != 0 {
			return errIncorrectMessageLength
		}
		// The kernel takes no datagram longer than the largest send
		// buffer, which is below MaxInt32; refusing earlier also keeps a
		// bogus Length from asking for gigabytes.
		if l > math.MaxInt32-int64(len(b)) {
			return fmt.Errorf("%d-byte message makes the datagram too large to send", l)
		}
		b = appendMessage(b, &msgs[i])
	}

	err := s.SendDatagram(b)
	if cap(b) <= maxKeptSendBuffer {
		*bp = b[:0]
		sendBuffers.Put(bp)
	}
	return err
}

// Receive reads one datagram and returns its messages. Their Data point
// into a slice made for this datagram alone. Conn does not use it: it reads
// through ReceiveIter.
func (s *sysSocket) Receive() ([]Message, error) {
	b, _, err := s.RecvDatagram(true)
	if err != nil {
		return nil, err
	}
	return parseMessages(b)
}

// ReceiveIter reads one datagram and yields its messages one at a time.
// Each use of the sequence reads a new datagram.
func (s *sysSocket) ReceiveIter() iter.Seq2[Message, error] {
	return s.iter
}

// receiveIter is ReceiveIter's sequence.
func (s *sysSocket) receiveIter(yield func(Message, error) bool) {
	b, err := s.receiveRaw()
	if err != nil {
		yield(Message{}, err)
		return
	}
	yieldMessages(b, yield)
}

// receiveRaw reads one datagram and returns it, keeping its MessageInfo
// for datagramInfo and whether it went to a multicast group for
// datagramMulticast.
func (s *sysSocket) receiveRaw() ([]byte, error) {
	b, meta, err := s.RecvDatagram(true)
	if err != nil {
		return nil, err
	}
	s.info = MessageInfo{Group: meta.Group, NSID: meta.NSID}
	s.mcast = meta.Multicast
	return b, nil
}

// datagramInfo returns the MessageInfo of the datagram whose messages
// ReceiveIter is yielding.
func (s *sysSocket) datagramInfo() MessageInfo {
	return s.info
}

// datagramMulticast reports whether the datagram whose messages
// ReceiveIter is yielding was sent to a multicast group.
func (s *sysSocket) datagramMulticast() bool {
	return s.mcast
}

// receiveNow reads a datagram already queued, or returns nil at once.
func (s *sysSocket) receiveNow() ([]byte, datagramMeta, error) {
	b, meta, err := s.RecvDatagram(false)
	return b, datagramMeta{info: MessageInfo{Group: meta.Group, NSID: meta.NSID}, multicast: meta.Multicast}, err
}

// sockoptNames maps each ConnOption to its SOL_NETLINK option.
var sockoptNames = [...]int{
	PacketInfo:          unix.NETLINK_PKTINFO,
	BroadcastError:      unix.NETLINK_BROADCAST_ERROR,
	NoENOBUFS:           unix.NETLINK_NO_ENOBUFS,
	ListenAllNSID:       unix.NETLINK_LISTEN_ALL_NSID,
	CapAcknowledge:      unix.NETLINK_CAP_ACK,
	ExtendedAcknowledge: unix.NETLINK_EXT_ACK,
	GetStrictCheck:      unix.NETLINK_GET_STRICT_CHK,
}

// SetOption turns a netlink socket option on or off. The kernel's refusal
// comes back as the *os.SyscallError of setsockopt. An option this package
// does not know is refused as the kernel refuses one it does not know.
func (s *sysSocket) SetOption(option ConnOption, enable bool) error {
	if option < 0 || int(option) >= len(sockoptNames) {
		return os.NewSyscallError("setsockopt", unix.ENOPROTOOPT)
	}
	return s.Socket.SetOption(sockoptNames[option], enable)
}
