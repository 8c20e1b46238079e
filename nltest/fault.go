package nltest

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/internal/nlfacts"
	"github.com/mdlayher/netlink/internal/nlmsg"
)

// Helpers that build the replies of a kernel that refuses, warns, changes
// a dump under the reader's feet, drops messages, garbles a datagram or
// does not answer: with them a package built on netlink tests its error
// handling without root.

// headerLen is the size of a netlink message header.
const headerLen = 16

// ErrorWithAck returns the Error message that answers req with errno (zero
// for an acknowledgement) and the extended acknowledgement ack, as a kernel
// sends it when the ExtendedAcknowledge option is on: the AcknowledgeTLVs
// flag, the negated errno, req echoed (only its header when capped is
// true, with the Capped flag, as under the CapAcknowledge option), then
// ack's attributes. ack's zero fields are not sent, nor are Path and
// MissingPath, which the kernel never sends. It never fails; the error
// result lets a Func return it directly.
func ErrorWithAck(errno int, req netlink.Message, ack netlink.ExtendedAck, capped bool) ([]netlink.Message, error) {
	flags := netlink.HeaderFlags(0)
	data := binary.NativeEndian.AppendUint32(nil, uint32(-int32(errno)))
	reqHeader := req.Header
	if reqHeader.Length == 0 {
		reqHeader.Length = uint32(headerLen + len(req.Data))
	}
	data = appendHeader(data, reqHeader)
	if capped {
		flags |= netlink.Capped
	} else {
		data = append(data, req.Data...)
		data = append(data, make([]byte, pad(len(req.Data)))...)
	}
	if tlvs := encodeExtAck(ack); len(tlvs) > 0 {
		flags |= netlink.AcknowledgeTLVs
		data = append(data, tlvs...)
	}
	return []netlink.Message{reply(req, netlink.Error, flags, data)}, nil
}

// Warning returns the acknowledgement of req (code zero) carrying message
// as a warning, as the kernel sends it: capped, since a successful
// acknowledgement never echoes the request, and with the AcknowledgeTLVs
// flag. netlink.DecodeExtendedAck reads the warning back.
func Warning(req netlink.Message, message string) ([]netlink.Message, error) {
	return ErrorWithAck(0, req, netlink.ExtendedAck{Message: message}, true)
}

// FailedDump returns the multi-part reply of a dump that failed after
// msgs: msgs with the Multi flag (msgs is modified in place), then a Done
// message answering req that carries errno and, when it is not zero, the
// extended acknowledgement ack. Receive returns the error, not msgs.
func FailedDump(req netlink.Message, msgs []netlink.Message, errno int, ack netlink.ExtendedAck) ([]netlink.Message, error) {
	for i := range msgs {
		msgs[i].Header.Flags |= netlink.Multi
	}
	flags := netlink.Multi
	data := binary.NativeEndian.AppendUint32(nil, uint32(-int32(errno)))
	if tlvs := encodeExtAck(ack); len(tlvs) > 0 {
		flags |= netlink.AcknowledgeTLVs
		data = append(data, tlvs...)
	}
	return append(msgs, reply(req, netlink.Done, flags, data)), nil
}

// Dump returns the multi-part reply answering req with msgs: msgs with the
// Multi flag and req's sequence number and port ID, followed by the Done
// message that closes it. msgs is modified in place.
func Dump(req netlink.Message, msgs []netlink.Message) ([]netlink.Message, error) {
	for i := range msgs {
		msgs[i].Header.Flags |= netlink.Multi
		msgs[i].Header.Sequence = req.Header.Sequence
		msgs[i].Header.PID = req.Header.PID
	}
	done := reply(req, netlink.Done, netlink.Multi, make([]byte, 4))
	return append(msgs, done), nil
}

// Interrupted sets the DumpInterrupted flag, as the kernel does when the
// objects a dump lists change while it runs, on the messages of the
// multi-part reply msgs whose indices are given, or on all of them when
// none is given; -1 stands for the last message, the Done message of a
// reply built by Dump or Multipart. msgs is modified in place and returned.
// It panics on an index out of range: the test itself is wrong.
func Interrupted(msgs []netlink.Message, indices ...int) ([]netlink.Message, error) {
	if len(indices) == 0 {
		for i := range msgs {
			msgs[i].Header.Flags |= netlink.DumpInterrupted
		}
		return msgs, nil
	}
	for _, i := range indices {
		if i == -1 {
			i = len(msgs) - 1
		}
		if i < 0 || i >= len(msgs) {
			panic(fmt.Sprintf("nltest: Interrupted: index %d out of range for %d messages", i, len(msgs)))
		}
		msgs[i].Header.Flags |= netlink.DumpInterrupted
	}
	return msgs, nil
}

// NoBufferSpace returns a Func that answers like fn, except that the
// multicast reads (a Receive with no reply pending) numbered in reads,
// counting from 1, fail with ENOBUFS: the kernel's report that messages
// were dropped because the socket's receive buffer was full. As from a
// real socket, the error reaches the caller as an *netlink.OpError
// wrapping syscall.ENOBUFS, and the reads after it go on.
func NoBufferSpace(fn Func, reads ...int) Func {
	var mu sync.Mutex
	n := 0
	return func(req []netlink.Message) ([]netlink.Message, error) {
		if len(req) == 0 {
			mu.Lock()
			n++
			cur := n
			mu.Unlock()
			for _, r := range reads {
				if r == cur {
					return nil, syscall.ENOBUFS
				}
			}
		}
		return fn(req)
	}
}

// Datagram returns the messages of b, a datagram as the kernel would send
// it, split as a netlink socket splits what it reads. A datagram that is
// truncated or malformed gives the error a netlink socket reports for it,
// which a Func returns to hand it to Receive. Only the last message may
// lack its alignment padding, as from a real socket. Bytes after the last
// message too few for a header are ignored, as a socket ignores them.
func Datagram(b []byte) ([]netlink.Message, error) {
	// Pad the datagram, as a socket reads it into an aligned buffer; the
	// messages get copies of their bytes.
	buf := make([]byte, len(b)+pad(len(b)))
	copy(buf, b)
	var msgs []netlink.Message
	for nlmsg.More(buf) {
		// The rule of package netlink's own reads.
		_, next, err := nlmsg.Next(buf)
		if err != nil {
			return nil, err
		}
		var m netlink.Message
		if err := m.UnmarshalBinary(buf[:next]); err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
		buf = buf[next:]
	}
	return msgs, nil
}

// Truncated returns what a socket makes of the datagram holding msgs when
// its last cut bytes are missing, as from a kernel or another sender that
// wrote less than the messages' Lengths announce: the error Datagram
// returns for a cut message. A cut between two messages leaves the ones
// before it, and a cut of at most 3 bytes into the last message is taken,
// as a socket takes it, for missing padding: the message comes whole, its
// last bytes zero. A cut that leaves at most 12 bytes of the last message,
// too few for a header even when padded, drops it as a socket ignores such
// a tail.
func Truncated(msgs []netlink.Message, cut int) ([]netlink.Message, error) {
	var b []byte
	for _, m := range msgs {
		mb, err := m.MarshalBinary()
		if err != nil {
			return nil, err
		}
		b = append(b, mb...)
	}
	if cut < 0 || cut > len(b) {
		return nil, fmt.Errorf("nltest: Truncated: cannot cut %d bytes from a %d-byte datagram", cut, len(b))
	}
	return Datagram(b[:len(b)-cut])
}

// Delay returns a Func that answers like fn, but whose replies arrive only
// after delay: a Send returns at once, as on a real socket, and the Receive
// that follows blocks until delay has passed since that Send. A negative
// delay means never. When ctx is done first, the Receive fails as a read on
// a socket whose deadline passed: with os.ErrDeadlineExceeded (so
// OpError.Timeout reports true) when ctx's deadline passed, with ctx.Err()
// when it was cancelled; the pending reply is then dropped.
//
// The fake socket of Dial has no deadlines (SetReadDeadline fails): ctx
// stands in for them, so that code that gives up after a while can be
// tested. Multicast reads (a Receive with no request sent) wait the same
// way before asking fn.
func Delay(ctx context.Context, delay time.Duration, fn Func) Func {
	var (
		mu      sync.Mutex
		pending bool
		sent    time.Time
		msgs    []netlink.Message
		err     error
	)
	return func(req []netlink.Message) ([]netlink.Message, error) {
		if len(req) > 0 {
			m, e := fn(req)
			mu.Lock()
			pending, sent, msgs, err = true, time.Now(), m, e
			mu.Unlock()
			return nil, nil // nothing yet: the Receive asks again
		}
		mu.Lock()
		p, start, m, e := pending, sent, msgs, err
		pending, msgs, err = false, nil, nil
		mu.Unlock()
		if !p {
			start = time.Now()
		}
		if werr := wait(ctx, start, delay); werr != nil {
			return nil, werr
		}
		if p {
			return m, e
		}
		return fn(req)
	}
}

// NoReply returns a Func that takes every request and never answers: each
// Receive blocks until ctx is done and then fails as Delay's does.
func NoReply(ctx context.Context) Func {
	return Delay(ctx, -1, func([]netlink.Message) ([]netlink.Message, error) { return nil, nil })
}

// wait blocks until delay has passed since start (never for a negative
// delay) or ctx is done, and returns the error a socket read reports for
// the latter.
func wait(ctx context.Context, start time.Time, delay time.Duration) error {
	var timer <-chan time.Time
	if delay >= 0 {
		t := time.NewTimer(time.Until(start.Add(delay)))
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-timer:
		return nil
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return os.ErrDeadlineExceeded
		}
		return ctx.Err()
	}
}

// reply returns a message of type t answering req, with the given flags and
// data.
func reply(req netlink.Message, t netlink.HeaderType, flags netlink.HeaderFlags, data []byte) netlink.Message {
	return netlink.Message{
		Header: netlink.Header{
			Length:   uint32(headerLen + len(data)),
			Type:     t,
			Flags:    flags,
			Sequence: req.Header.Sequence,
			PID:      req.Header.PID,
		},
		Data: data,
	}
}

// appendHeader appends h in its wire form.
func appendHeader(b []byte, h netlink.Header) []byte {
	b = binary.NativeEndian.AppendUint32(b, h.Length)
	b = binary.NativeEndian.AppendUint16(b, uint16(h.Type))
	b = binary.NativeEndian.AppendUint16(b, uint16(h.Flags))
	b = binary.NativeEndian.AppendUint32(b, h.Sequence)
	return binary.NativeEndian.AppendUint32(b, h.PID)
}

// pad returns the number of bytes that align n to 4.
func pad(n int) int { return (4 - n%4) % 4 }

// encodeExtAck encodes the fields of a that the kernel sends.
func encodeExtAck(a netlink.ExtendedAck) []byte {
	ae := netlink.NewAttributeEncoder()
	if a.Message != "" {
		ae.String(nlfacts.ExtAckMsg, a.Message)
	}
	if a.Offset != 0 {
		ae.Uint32(nlfacts.ExtAckOffs, a.Offset)
	}
	if a.Cookie != nil {
		ae.Bytes(nlfacts.ExtAckCookie, a.Cookie)
	}
	if a.MissingType != 0 {
		ae.Uint32(nlfacts.ExtAckMissType, a.MissingType)
	}
	if a.MissingNest != 0 {
		ae.Uint32(nlfacts.ExtAckMissNest, a.MissingNest)
	}
	if p := a.Policy; p != nil {
		ae.Nested(nlfacts.ExtAckPolicy, func(nae *netlink.AttributeEncoder) error {
			encodePolicy(nae, p)
			return nil
		})
	}
	b, err := ae.Encode()
	if err != nil {
		// Only an attribute over 64 KiB fails: a test asking for
		// that is wrong.
		panic(fmt.Sprintf("nltest: encoding extended acknowledgement: %v", err))
	}
	return b
}

// encodePolicy encodes p's fields that are set.
func encodePolicy(ae *netlink.AttributeEncoder, p *netlink.Policy) {
	ae.Uint32(nlfacts.PolicyAttrType, uint32(p.Type))
	if p.MinSigned != nil {
		ae.Int64(nlfacts.PolicyAttrMinValueS, *p.MinSigned)
	}
	if p.MaxSigned != nil {
		ae.Int64(nlfacts.PolicyAttrMaxValueS, *p.MaxSigned)
	}
	if p.MinUnsigned != nil {
		ae.Uint64(nlfacts.PolicyAttrMinValueU, *p.MinUnsigned)
	}
	if p.MaxUnsigned != nil {
		ae.Uint64(nlfacts.PolicyAttrMaxValueU, *p.MaxUnsigned)
	}
	for _, f := range []struct {
		t uint16
		v *uint32
	}{
		{nlfacts.PolicyAttrMinLength, p.MinLength},
		{nlfacts.PolicyAttrMaxLength, p.MaxLength},
		{nlfacts.PolicyAttrPolicyIdx, p.PolicyIndex},
		{nlfacts.PolicyAttrMaxType, p.MaxType},
		{nlfacts.PolicyAttrBitfield32, p.Bitfield32Mask},
	} {
		if f.v != nil {
			ae.Uint32(f.t, *f.v)
		}
	}
	if p.Mask != nil {
		ae.Uint64(nlfacts.PolicyAttrMask, *p.Mask)
	}
}
