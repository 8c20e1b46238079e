package netlink_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

// nativeU32 returns v as 4 bytes in the host's order.
func nativeU32(v uint32) []byte { return binary.NativeEndian.AppendUint32(nil, v) }

// errData returns the payload of an Error (or Done) message carrying code.
func errData(code int32, rest ...[]byte) []byte {
	b := nativeU32(uint32(code))
	for _, r := range rest {
		b = append(b, r...)
	}
	return b
}

// headerBytes encodes h as the 16-byte wire header.
func headerBytes(h netlink.Header) []byte {
	b, err := netlink.Message{Header: netlink.Header{
		Length: 16, Type: h.Type, Flags: h.Flags, Sequence: h.Sequence, PID: h.PID,
	}}.MarshalBinary()
	if err != nil {
		panic(err)
	}
	binary.NativeEndian.PutUint32(b, h.Length) // may be any value, even a bad one
	return b
}

// tlv encodes one attribute with its padding.
func tlv(typ uint16, data []byte) []byte {
	b := binary.NativeEndian.AppendUint16(nil, uint16(4+len(data)))
	b = binary.NativeEndian.AppendUint16(b, typ)
	b = append(b, data...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

const (
	attrMsg  = 1 // NLMSGERR_ATTR_MSG
	attrOffs = 2 // NLMSGERR_ATTR_OFFS
)

// A receiveResult is what one path (Receive or ReceiveIter) made of a reply.
type receiveResult struct {
	path    string
	req     netlink.Message   // the request as sent
	replies []netlink.Message // what the Func answered
	msgs    []netlink.Message
	err     error
}

// receiveBoth sends a request through a Conn whose Func answers with
// replies, twice: once read by Receive, once by ReceiveIter.
func receiveBoth(t *testing.T, replies func(req netlink.Message) []netlink.Message) []receiveResult {
	t.Helper()
	var last []netlink.Message
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		if len(req) == 0 {
			return nil, io.EOF
		}
		last = replies(req[0])
		return last, nil
	})
	defer c.Close()

	send := func(path string) receiveResult {
		req, err := c.Send(netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request}, Data: []byte{1, 2, 3, 4}})
		if err != nil {
			t.Fatalf("Send: %v", err)
		}
		return receiveResult{path: path, req: req, replies: last}
	}

	recv := send("Receive")
	recv.msgs, recv.err = c.Receive()

	it := send("ReceiveIter")
	n := 0
	for m, err := range c.ReceiveIter() {
		n++
		if err != nil {
			it.err = err
			continue
		}
		if it.err != nil {
			t.Fatalf("ReceiveIter yielded a message after an error")
		}
		it.msgs = append(it.msgs, m)
	}
	if it.err != nil && n != len(it.msgs)+1 {
		t.Fatalf("ReceiveIter yielded %d values after its error", n-len(it.msgs)-1)
	}
	return []receiveResult{recv, it}
}

func TestConnReceiveReplies(t *testing.T) {
	// msg builds a reply to req.
	msg := func(req netlink.Message, typ netlink.HeaderType, flags netlink.HeaderFlags, data []byte) netlink.Message {
		return netlink.Message{
			Header: netlink.Header{
				Length:   uint32(16 + len(data)),
				Type:     typ,
				Flags:    flags,
				Sequence: req.Header.Sequence,
				PID:      req.Header.PID,
			},
			Data: data,
		}
	}

	// echo is what the kernel sends back of req in an Error message.
	echo := func(req netlink.Message) []byte {
		return append(headerBytes(req.Header), req.Data...)
	}

	tests := []struct {
		name    string
		replies func(req netlink.Message) []netlink.Message
		// want returns the expected messages; wantErr the expected error
		// (compared field by field as an *OpError, or by text).
		want    func(replies []netlink.Message) []netlink.Message
		wantErr func(req netlink.Message) error
	}{
		{
			name: "one message",
			replies: func(req netlink.Message) []netlink.Message {
				return []netlink.Message{msg(req, 0x10, 0, []byte{0xaa})}
			},
			want: func(r []netlink.Message) []netlink.Message { return r },
		},
		{
			name: "several messages, no multi",
			replies: func(req netlink.Message) []netlink.Message {
				return []netlink.Message{msg(req, 0x10, 0, []byte{1}), msg(req, 0x11, 0, []byte{2})}
			},
			want: func(r []netlink.Message) []netlink.Message { return r },
		},
		{
			name: "multipart drops done",
			replies: func(req netlink.Message) []netlink.Message {
				r, _ := nltest.Multipart([]netlink.Message{
					msg(req, 0x10, 0, []byte{1}),
					msg(req, 0x10, 0, []byte{2}),
					msg(req, 0x10, 0, []byte{3}),
					msg(req, 0, 0, nil),
				})
				return r
			},
			want: func(r []netlink.Message) []netlink.Message { return r[:3] },
		},
		{
			name: "empty dump",
			replies: func(req netlink.Message) []netlink.Message {
				return []netlink.Message{msg(req, netlink.Done, netlink.Multi, errData(0))}
			},
			want: func([]netlink.Message) []netlink.Message { return []netlink.Message{} },
		},
		{
			name: "done closes the reply and drops the rest of its datagram",
			replies: func(req netlink.Message) []netlink.Message {
				a, _ := nltest.Multipart([]netlink.Message{msg(req, 0x10, 0, []byte{1}), msg(req, 0, 0, nil)})
				b, _ := nltest.Multipart([]netlink.Message{msg(req, 0x10, 0, []byte{2}), msg(req, 0, 0, nil)})
				return append(a, b...)
			},
			want: func(r []netlink.Message) []netlink.Message { return r[:1] },
		},
		{
			name: "done with short data is an error",
			replies: func(req netlink.Message) []netlink.Message {
				return []netlink.Message{
					msg(req, 0x10, netlink.Multi, []byte{1}),
					msg(req, netlink.Done, netlink.Multi, []byte{0xff, 0xff}),
				}
			},
			wantErr: func(req netlink.Message) error {
				return errors.New("netlink receive: not enough data for netlink error code")
			},
		},
		{
			// Only a Done message with the Multi flag closes a reply; the
			// kernel sets it on every one it sends.
			name: "done without multi is a message",
			replies: func(req netlink.Message) []netlink.Message {
				return []netlink.Message{
					msg(req, 0x10, 0, []byte{1}),
					msg(req, netlink.Done, 0, errData(-int32(syscall.ENOENT))),
					msg(req, 0x10, 0, []byte{2}),
				}
			},
			want: func(r []netlink.Message) []netlink.Message { return r },
		},
		{
			name: "acknowledgement is a message",
			replies: func(req netlink.Message) []netlink.Message {
				return []netlink.Message{msg(req, netlink.Error, 0, errData(0, echo(req)))}
			},
			want: func(r []netlink.Message) []netlink.Message { return r },
		},
		{
			name: "acknowledgement with a warning is a message",
			replies: func(req netlink.Message) []netlink.Message {
				return []netlink.Message{msg(req, netlink.Error, netlink.Capped|netlink.AcknowledgeTLVs,
					errData(0, headerBytes(req.Header), tlv(attrMsg, []byte("careful\x00"))))}
			},
			want: func(r []netlink.Message) []netlink.Message { return r },
		},
		{
			name: "error",
			replies: func(req netlink.Message) []netlink.Message {
				return []netlink.Message{msg(req, netlink.Error, 0, errData(-int32(syscall.ENOENT), echo(req)))}
			},
			wantErr: func(req netlink.Message) error {
				return &netlink.OpError{Op: "receive", Err: syscall.ENOENT, Sequence: req.Header.Sequence}
			},
		},
		{
			// The code is negated whatever its sign, so a positive one,
			// which no kernel sends, shows as a negative errno.
			name: "error with a positive errno",
			replies: func(req netlink.Message) []netlink.Message {
				return []netlink.Message{msg(req, netlink.Error, 0, errData(int32(syscall.EPERM)))}
			},
			wantErr: func(req netlink.Message) error {
				return errors.New("netlink receive: errno -1")
			},
		},
		{
			name: "error after data",
			replies: func(req netlink.Message) []netlink.Message {
				return []netlink.Message{
					msg(req, 0x10, netlink.Multi, []byte{1}),
					msg(req, netlink.Error, 0, errData(-int32(syscall.EBUSY), echo(req))),
				}
			},
			wantErr: func(req netlink.Message) error {
				return &netlink.OpError{Op: "receive", Err: syscall.EBUSY, Sequence: req.Header.Sequence}
			},
		},
		{
			name: "error in done",
			replies: func(req netlink.Message) []netlink.Message {
				r, _ := nltest.Multipart([]netlink.Message{
					msg(req, 0x10, 0, []byte{1}),
					msg(req, 0, 0, errData(-int32(syscall.EINVAL))),
				})
				return r
			},
			wantErr: func(req netlink.Message) error {
				return &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Sequence: req.Header.Sequence}
			},
		},
		{
			name: "error in done with extended acknowledgement",
			replies: func(req netlink.Message) []netlink.Message {
				return []netlink.Message{msg(req, netlink.Done, netlink.Multi|netlink.AcknowledgeTLVs,
					errData(-int32(syscall.EINVAL), tlv(attrMsg, []byte("dump failed\x00")), tlv(attrOffs, nativeU32(24))))}
			},
			wantErr: func(req netlink.Message) error {
				return &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Sequence: req.Header.Sequence,
					Message: "dump failed", Offset: 24}
			},
		},
		{
			name: "extended acknowledgement after the whole request",
			replies: func(req netlink.Message) []netlink.Message {
				return []netlink.Message{msg(req, netlink.Error, netlink.AcknowledgeTLVs,
					errData(-int32(syscall.EINVAL), echo(req),
						tlv(attrMsg, []byte("Unknown attribute\x00")), tlv(attrOffs, nativeU32(20)), tlv(9, []byte{1, 2, 3})))}
			},
			wantErr: func(req netlink.Message) error {
				return &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Sequence: req.Header.Sequence,
					Message: "Unknown attribute", Offset: 20}
			},
		},
		{
			name: "extended acknowledgement after a capped request",
			replies: func(req netlink.Message) []netlink.Message {
				// The echoed header keeps the request's full Length, but
				// only the header was echoed.
				return []netlink.Message{msg(req, netlink.Error, netlink.Capped|netlink.AcknowledgeTLVs,
					errData(-int32(syscall.EOPNOTSUPP), headerBytes(req.Header), tlv(attrMsg, []byte("no\x00"))))}
			},
			wantErr: func(req netlink.Message) error {
				return &netlink.OpError{Op: "receive", Err: syscall.EOPNOTSUPP, Sequence: req.Header.Sequence, Message: "no"}
			},
		},
		{
			name: "extended acknowledgement: offset only",
			replies: func(req netlink.Message) []netlink.Message {
				return []netlink.Message{msg(req, netlink.Error, netlink.Capped|netlink.AcknowledgeTLVs,
					errData(-int32(syscall.ERANGE), headerBytes(req.Header), tlv(attrOffs, nativeU32(70000))))}
			},
			wantErr: func(req netlink.Message) error {
				// A large batch request can have an offset past 64 KiB.
				return &netlink.OpError{Op: "receive", Err: syscall.ERANGE, Sequence: req.Header.Sequence, Offset: 70000}
			},
		},
		{
			name: "extended acknowledgement: echoed length past the end",
			replies: func(req netlink.Message) []netlink.Message {
				h := req.Header
				h.Length = 0xfffffff0
				return []netlink.Message{msg(req, netlink.Error, netlink.AcknowledgeTLVs,
					errData(-int32(syscall.EINVAL), headerBytes(h), tlv(attrMsg, []byte("hidden\x00"))))}
			},
			wantErr: func(req netlink.Message) error {
				return errors.New("netlink receive: not enough data for netlink error code")
			},
		},
		{
			name: "extended acknowledgement: echoed header from another request",
			replies: func(req netlink.Message) []netlink.Message {
				h := req.Header
				h.Sequence++
				return []netlink.Message{msg(req, netlink.Error, netlink.Capped|netlink.AcknowledgeTLVs,
					errData(-int32(syscall.EINVAL), headerBytes(h), tlv(attrMsg, []byte("other\x00"))))}
			},
			wantErr: func(req netlink.Message) error {
				return &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Sequence: req.Header.Sequence, Message: "other"}
			},
		},
		{
			name: "extended acknowledgement: truncated echoed header",
			replies: func(req netlink.Message) []netlink.Message {
				return []netlink.Message{msg(req, netlink.Error, netlink.Capped|netlink.AcknowledgeTLVs,
					errData(-int32(syscall.EINVAL), headerBytes(req.Header)[:10]))}
			},
			wantErr: func(req netlink.Message) error {
				return errors.New("netlink receive: not enough data for netlink error code")
			},
		},
		{
			name: "extended acknowledgement: malformed attribute ends the walk",
			replies: func(req netlink.Message) []netlink.Message {
				bad := binary.NativeEndian.AppendUint16(nil, 200) // longer than what is left
				bad = binary.NativeEndian.AppendUint16(bad, attrOffs)
				return []netlink.Message{msg(req, netlink.Error, netlink.Capped|netlink.AcknowledgeTLVs,
					errData(-int32(syscall.EINVAL), headerBytes(req.Header), tlv(attrMsg, []byte("first")), bad, nativeU32(8)))}
			},
			wantErr: func(req netlink.Message) error {
				return &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Sequence: req.Header.Sequence, Message: "first"}
			},
		},
		{
			name: "extended acknowledgement: wrong-sized offset is ignored",
			replies: func(req netlink.Message) []netlink.Message {
				return []netlink.Message{msg(req, netlink.Error, netlink.Capped|netlink.AcknowledgeTLVs,
					errData(-int32(syscall.EINVAL), headerBytes(req.Header), tlv(attrOffs, []byte{1, 2})))}
			},
			wantErr: func(req netlink.Message) error {
				return &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Sequence: req.Header.Sequence}
			},
		},
		{
			name: "nltest.Error on a dump request is not misread",
			replies: func(req netlink.Message) []netlink.Message {
				// Root|Match share their bits with Capped|AcknowledgeTLVs,
				// and nltest.Error echoes only the payload.
				req.Header.Flags = netlink.Request | netlink.Dump
				req.Data = append(tlv(attrMsg, []byte("not a message\x00")), tlv(attrOffs, nativeU32(4))...)
				r, _ := nltest.Error(int(syscall.ENOENT), []netlink.Message{req})
				return r
			},
			wantErr: func(req netlink.Message) error {
				return &netlink.OpError{Op: "receive", Err: syscall.ENOENT, Sequence: req.Header.Sequence}
			},
		},
		{
			name: "error message without data",
			replies: func(req netlink.Message) []netlink.Message {
				return []netlink.Message{msg(req, netlink.Error, 0, nil)}
			},
			wantErr: func(req netlink.Message) error {
				return errors.New("netlink receive: not enough data for netlink error code")
			},
		},
		{
			name: "error message with a short code",
			replies: func(req netlink.Message) []netlink.Message {
				return []netlink.Message{msg(req, 0x10, netlink.Multi, []byte{1}), msg(req, netlink.Error, 0, []byte{0xfe, 0xff, 0xff})}
			},
			wantErr: func(req netlink.Message) error {
				return errors.New("netlink receive: not enough data for netlink error code")
			},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, r := range receiveBoth(t, tt.replies) {
				if tt.wantErr != nil {
					checkErr(t, r.path, tt.wantErr(r.req), r.err)
					// Receive returns nothing with an error; ReceiveIter
					// has yielded the data messages before it.
					var want []netlink.Message
					if r.path == "ReceiveIter" {
						for _, m := range r.replies {
							if m.Header.Type == netlink.Error || m.Header.Type == netlink.Done {
								break
							}
							want = append(want, m)
						}
					}
					if diff := cmp.Diff(want, r.msgs); diff != "" {
						t.Errorf("%s: messages with the error (-want +got):\n%s", r.path, diff)
					}
					continue
				}
				if r.err != nil {
					t.Errorf("%s: %v", r.path, r.err)
					continue
				}
				want := tt.want(r.replies)
				if r.path == "ReceiveIter" && len(want) == 0 {
					want = nil // nothing was yielded
				}
				if diff := cmp.Diff(want, r.msgs); diff != "" {
					t.Errorf("%s (-want +got):\n%s", r.path, diff)
				}
			}
		})
	}
}

// checkErr compares an error with the expected *OpError field by field, or
// with any other expected error by its text.
func checkErr(t *testing.T, name string, want, got error) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: no error, want %v", name, want)
		return
	}
	if wantOp, ok := want.(*netlink.OpError); ok {
		var gotOp *netlink.OpError
		if !errors.As(got, &gotOp) {
			t.Errorf("%s: error %v (%T) is not an *OpError", name, got, got)
			return
		}
		if diff := cmp.Diff(wantOp, gotOp); diff != "" {
			t.Errorf("%s: error (-want +got):\n%s", name, diff)
		}
		return
	}
	if got.Error() != want.Error() {
		t.Errorf("%s: error %q, want %q", name, got.Error(), want.Error())
	}
}

// datagramSocket is a Socket that hands out queued datagrams one Receive at
// a time, as the kernel does, and records what is sent.
type datagramSocket struct {
	mu        sync.Mutex
	datagrams [][]netlink.Message
	sent      []netlink.Message
	closed    int
}

func (s *datagramSocket) Send(m netlink.Message) error {
	return s.SendMessages([]netlink.Message{m})
}

func (s *datagramSocket) SendMessages(msgs []netlink.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, msgs...)
	return nil
}

func (s *datagramSocket) Receive() ([]netlink.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.datagrams) == 0 {
		return nil, errors.New("datagramSocket: no datagram left")
	}
	d := s.datagrams[0]
	s.datagrams = s.datagrams[1:]
	return d, nil
}

func (s *datagramSocket) ReceiveIter() iter.Seq2[netlink.Message, error] {
	return func(yield func(netlink.Message, error) bool) {
		msgs, err := s.Receive()
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
}

func (s *datagramSocket) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed++
	return nil
}

// dm builds a data message of a multi-part reply (or a Done, by type).
func dm(typ netlink.HeaderType, flags netlink.HeaderFlags, seq uint32, data ...byte) netlink.Message {
	return netlink.Message{
		Header: netlink.Header{Length: uint32(16 + len(data)), Type: typ, Flags: flags, Sequence: seq},
		Data:   data,
	}
}

func TestConnReceiveAcrossDatagrams(t *testing.T) {
	const m = netlink.Multi
	tests := []struct {
		name      string
		datagrams [][]netlink.Message
		want      []netlink.Message
		left      int // datagrams that must still be queued
	}{
		{
			name: "multipart over three datagrams",
			datagrams: [][]netlink.Message{
				{dm(0x10, m, 1, 1), dm(0x10, m, 1, 2)},
				{dm(0x10, m, 1, 3)},
				{dm(netlink.Done, m, 1, 0, 0, 0, 0)},
				{dm(0x10, 0, 2, 9)},
			},
			want: []netlink.Message{dm(0x10, m, 1, 1), dm(0x10, m, 1, 2), dm(0x10, m, 1, 3)},
			left: 1,
		},
		{
			name: "done with the last data",
			datagrams: [][]netlink.Message{
				{dm(0x10, m, 1, 1)},
				{dm(0x10, m, 1, 2), dm(netlink.Done, m, 1)},
				{dm(0x10, 0, 2, 9)},
			},
			want: []netlink.Message{dm(0x10, m, 1, 1), dm(0x10, m, 1, 2)},
			left: 1,
		},
		{
			// Once a message had the Multi flag, the reply goes on to
			// its closing Done, whatever the flags of the messages and
			// datagrams in between.
			name: "a datagram without multi does not end the reply",
			datagrams: [][]netlink.Message{
				{dm(0x10, m, 1, 1)},
				{dm(0x10, 0, 1, 2)},
				{dm(netlink.Error, 0, 1, 0, 0, 0, 0)},
				{dm(netlink.Done, m, 1)},
				{dm(0x10, 0, 2, 9)},
			},
			want: []netlink.Message{dm(0x10, m, 1, 1), dm(0x10, 0, 1, 2), dm(netlink.Error, 0, 1, 0, 0, 0, 0)},
			left: 1,
		},
		{
			name: "multi set by a later message of the first datagram",
			datagrams: [][]netlink.Message{
				{dm(0x10, 0, 1, 1), dm(0x10, m, 1, 2)},
				{dm(netlink.Done, m, 1)},
				{dm(0x10, 0, 2, 9)},
			},
			want: []netlink.Message{dm(0x10, 0, 1, 1), dm(0x10, m, 1, 2)},
			left: 1,
		},
		{
			name: "a done without multi does not close the reply",
			datagrams: [][]netlink.Message{
				{dm(0x10, m, 1, 1), dm(netlink.Done, 0, 1)},
				{dm(netlink.Done, m, 1)},
				{dm(0x10, 0, 2, 9)},
			},
			want: []netlink.Message{dm(0x10, m, 1, 1), dm(netlink.Done, 0, 1)},
			left: 1,
		},
		{
			name: "an empty datagram ends the reply",
			datagrams: [][]netlink.Message{
				{dm(0x10, m, 1, 1)},
				{},
				{dm(0x10, 0, 2, 9)},
			},
			want: []netlink.Message{dm(0x10, m, 1, 1)},
			left: 1,
		},
	}

	for _, tt := range tests {
		for _, useIter := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/iter=%v", tt.name, useIter), func(t *testing.T) {
				// Give the first datagram spare capacity holding a
				// sentinel: the Conn must not write over it.
				sentinel := dm(0x99, 0, 99, 9, 9)
				first := append(append(make([]netlink.Message, 0, len(tt.datagrams[0])+4), tt.datagrams[0]...), sentinel)
				first = first[:len(tt.datagrams[0])]
				s := &datagramSocket{datagrams: append([][]netlink.Message{first}, tt.datagrams[1:]...)}
				c := netlink.NewConn(s, 0)

				var got []netlink.Message
				if useIter {
					for m, err := range c.ReceiveIter() {
						if err != nil {
							t.Fatalf("ReceiveIter: %v", err)
						}
						got = append(got, m)
					}
				} else {
					var err error
					if got, err = c.Receive(); err != nil {
						t.Fatalf("Receive: %v", err)
					}
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("messages (-want +got):\n%s", diff)
				}
				if len(s.datagrams) != tt.left {
					t.Errorf("%d datagrams left unread, want %d", len(s.datagrams), tt.left)
				}
				if diff := cmp.Diff(sentinel, first[:cap(first)][len(tt.datagrams[0])]); diff != "" {
					t.Errorf("spare capacity of the socket's slice was overwritten (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestConnReceiveIterStopEarly(t *testing.T) {
	const m = netlink.Multi
	s := &datagramSocket{datagrams: [][]netlink.Message{
		{dm(0x10, m, 1, 1), dm(0x10, m, 1, 2)},
		{dm(0x10, m, 1, 3)},
		{dm(0x10, m, 1, 4), dm(netlink.Done, m, 1)},
		{dm(0x10, 0, 2, 5)},
	}}
	c := netlink.NewConn(s, 0)

	var got []netlink.Message
	for msg, err := range c.ReceiveIter() {
		if err != nil {
			t.Fatalf("ReceiveIter: %v", err)
		}
		got = append(got, msg)
		break
	}
	if diff := cmp.Diff([]netlink.Message{dm(0x10, m, 1, 1)}, got); diff != "" {
		t.Errorf("first reply (-want +got):\n%s", diff)
	}

	// The rest of the first reply was drained: the next call reads the
	// second reply.
	next, err := c.Receive()
	if err != nil {
		t.Fatalf("Receive: %v", err)
	}
	if diff := cmp.Diff([]netlink.Message{dm(0x10, 0, 2, 5)}, next); diff != "" {
		t.Errorf("second reply (-want +got):\n%s", diff)
	}
}

func TestConnReceiveIterStopEarlyThenExecute(t *testing.T) {
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		if len(req) == 0 {
			return nil, io.EOF
		}
		msgs := make([]netlink.Message, 6)
		for i := range msgs {
			msgs[i] = netlink.Message{
				Header: netlink.Header{Length: 17, Type: 0x10, Sequence: req[0].Header.Sequence, PID: nltest.PID},
				Data:   []byte{byte(i)},
			}
		}
		msgs[5].Header.Length, msgs[5].Data = 16, nil // the Done message
		return nltest.Multipart(msgs)
	})
	defer c.Close()

	if _, err := c.Send(netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Dump}}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	n := 0
	for _, err := range c.ReceiveIter() {
		if err != nil {
			t.Fatalf("ReceiveIter: %v", err)
		}
		if n++; n == 2 {
			break
		}
	}

	msgs, err := c.Execute(netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Dump}})
	if err != nil {
		t.Fatalf("Execute after stopping early: %v", err)
	}
	if len(msgs) != 5 {
		t.Errorf("Execute after stopping early: %d messages, want 5", len(msgs))
	}
}

func TestConnReceiveIterSocketError(t *testing.T) {
	s := &datagramSocket{datagrams: [][]netlink.Message{
		{dm(0x10, netlink.Multi, 1, 1)},
	}}
	c := netlink.NewConn(s, 0)

	var (
		msgs []netlink.Message
		errs []error
	)
	for m, err := range c.ReceiveIter() {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		msgs = append(msgs, m)
	}
	if len(msgs) != 1 || len(errs) != 1 || errs[0].Error() != "netlink receive: datagramSocket: no datagram left" {
		t.Errorf("got %d messages and errors %v; want 1 message, then the socket's error once, in an *OpError", len(msgs), errs)
	}
}

func TestConnSendFills(t *testing.T) {
	var got [][]netlink.Message
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		got = append(got, req)
		return nil, nil
	})
	defer c.Close()

	first, err := c.Send(netlink.Message{Header: netlink.Header{Type: 0x10}, Data: []byte{1, 2, 3, 4, 5}})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if first.Header.Sequence == 0 {
		t.Fatal("Send left the sequence zero")
	}
	seq := first.Header.Sequence
	want := netlink.Message{
		Header: netlink.Header{Length: 24, Type: 0x10, Sequence: seq, PID: nltest.PID},
		Data:   []byte{1, 2, 3, 4, 5},
	}
	if diff := cmp.Diff(want, first); diff != "" {
		t.Errorf("Send returned (-want +got):\n%s", diff)
	}

	// Set fields are kept.
	kept := netlink.Message{Header: netlink.Header{Length: 40, Type: 0x11, Sequence: 7, PID: 99}}
	second, err := c.Send(kept)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if diff := cmp.Diff(kept, second); diff != "" {
		t.Errorf("Send changed set fields (-want +got):\n%s", diff)
	}

	in := []netlink.Message{
		{Header: netlink.Header{Type: 0x12}},
		{Header: netlink.Header{Type: 0x13, Sequence: 5}, Data: []byte{1}},
		{Header: netlink.Header{Type: 0x14}, Data: []byte{1, 2, 3, 4}},
	}
	inCopy := append([]netlink.Message(nil), in...)
	sent, err := c.SendMessages(in)
	if err != nil {
		t.Fatalf("SendMessages: %v", err)
	}
	wantSent := []netlink.Message{
		{Header: netlink.Header{Length: 16, Type: 0x12, Sequence: seq + 1, PID: nltest.PID}},
		{Header: netlink.Header{Length: 20, Type: 0x13, Sequence: 5, PID: nltest.PID}, Data: []byte{1}},
		{Header: netlink.Header{Length: 20, Type: 0x14, Sequence: seq + 2, PID: nltest.PID}, Data: []byte{1, 2, 3, 4}},
	}
	if diff := cmp.Diff(wantSent, sent); diff != "" {
		t.Errorf("SendMessages returned (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(inCopy, in); diff != "" {
		t.Errorf("SendMessages modified its argument (-want +got):\n%s", diff)
	}

	wantFunc := [][]netlink.Message{{want}, {kept}, wantSent}
	if diff := cmp.Diff(wantFunc, got); diff != "" {
		t.Errorf("the socket saw (-want +got):\n%s", diff)
	}
}

func TestConnSequencesDiffer(t *testing.T) {
	// Each Conn starts at a random sequence number; 8 Conns starting at the
	// same one would be a broken generator.
	seen := make(map[uint32]bool)
	for range 8 {
		c := nltest.Dial(func([]netlink.Message) ([]netlink.Message, error) { return nil, nil })
		m, err := c.Send(netlink.Message{})
		if err != nil {
			t.Fatalf("Send: %v", err)
		}
		seen[m.Header.Sequence] = true
		c.Close()
	}
	if len(seen) == 1 {
		t.Errorf("8 Conns all started at sequence %v", seen)
	}
}

// echoFunc answers each request with one message carrying its data, its
// sequence number and its PID.
func echoFunc(req []netlink.Message) ([]netlink.Message, error) {
	if len(req) == 0 {
		return nil, io.EOF
	}
	out := make([]netlink.Message, len(req))
	for i, m := range req {
		out[i] = netlink.Message{Header: m.Header, Data: m.Data}
	}
	return out, nil
}

func TestConnExecuteConcurrent(t *testing.T) {
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		// Let other goroutines run between a request and its reply, as a
		// kernel round trip would.
		runtime.Gosched()
		return echoFunc(req)
	})
	defer c.Close()

	const goroutines, rounds = 50, 20
	var wg sync.WaitGroup
	errc := make(chan error, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			for r := range rounds {
				data := nativeU32(uint32(g<<16 | r))
				msgs, err := c.Execute(netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request}, Data: data})
				if err != nil {
					errc <- err
					return
				}
				if len(msgs) != 1 || string(msgs[0].Data) != string(data) {
					errc <- fmt.Errorf("goroutine %d round %d: got %v, want its own reply %v", g, r, msgs, data)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
}

func TestConnExecute(t *testing.T) {
	req := netlink.Message{Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Acknowledge}, Data: []byte{1, 0, 0, 0}}
	boom := errors.New("boom")

	tests := []struct {
		name    string
		fn      nltest.Func
		want    func(req netlink.Message) []netlink.Message
		wantErr error
	}{
		{
			name: "acknowledged",
			fn: func(req []netlink.Message) ([]netlink.Message, error) {
				return nltest.Error(0, req)
			},
			want: func(req netlink.Message) []netlink.Message {
				h := req.Header
				h.Type, h.Length = netlink.Error, 24
				return []netlink.Message{{Header: h, Data: []byte{0, 0, 0, 0, 1, 0, 0, 0}}}
			},
		},
		{
			name: "kernel error",
			fn: func(req []netlink.Message) ([]netlink.Message, error) {
				return nltest.Error(int(syscall.EEXIST), req)
			},
			wantErr: syscall.EEXIST,
		},
		{
			name:    "func error comes back unchanged",
			fn:      func([]netlink.Message) ([]netlink.Message, error) { return nil, boom },
			wantErr: boom,
		},
		{
			name: "mismatched sequence",
			fn: func(req []netlink.Message) ([]netlink.Message, error) {
				m := req[0]
				m.Header.Sequence++
				return []netlink.Message{m}, nil
			},
			wantErr: errors.New("netlink validate: mismatched sequence in netlink reply"),
		},
		{
			name: "mismatched PID",
			fn: func(req []netlink.Message) ([]netlink.Message, error) {
				m := req[0]
				m.Header.PID = 1234
				return []netlink.Message{m}, nil
			},
			wantErr: errors.New("netlink validate: mismatched PID in netlink reply"),
		},
		{
			name: "kernel PID zero is accepted",
			fn: func(req []netlink.Message) ([]netlink.Message, error) {
				m := req[0]
				m.Header.PID = 0
				return []netlink.Message{m}, nil
			},
			want: func(req netlink.Message) []netlink.Message {
				req.Header.PID = 0
				return []netlink.Message{req}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sent netlink.Message
			c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
				if len(req) > 0 {
					sent = req[0]
				}
				return tt.fn(req)
			})
			defer c.Close()

			got, err := c.Execute(req)
			if tt.wantErr != nil {
				switch {
				case err == nil:
					t.Fatalf("no error, want %v", tt.wantErr)
				case errors.Is(err, tt.wantErr):
				case err.Error() == tt.wantErr.Error():
				default:
					t.Fatalf("error %v, want %v", err, tt.wantErr)
				}
				if got != nil {
					t.Errorf("got messages %v with the error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Execute: %v", err)
			}
			if diff := cmp.Diff(tt.want(sent), got); diff != "" {
				t.Errorf("Execute (-want +got):\n%s", diff)
			}
		})
	}

	// An error from the Func comes from the Receive of Execute, as the
	// very value it returned inside an *OpError.
	c := nltest.Dial(func([]netlink.Message) ([]netlink.Message, error) { return nil, boom })
	defer c.Close()
	_, err := c.Execute(req)
	checkWrapped(t, "Execute", err, "receive", boom)
}

// checkWrapped checks that err is an *OpError for op whose Err is inner
// itself.
func checkWrapped(t *testing.T, name string, err error, op string, inner error) {
	t.Helper()
	oe, ok := err.(*netlink.OpError)
	if !ok || oe.Op != op || oe.Err != inner {
		t.Errorf("%s: error %#v, want an *OpError %q wrapping %#v", name, err, op, inner)
		return
	}
	if want := "netlink " + op + ": " + inner.Error(); err.Error() != want {
		t.Errorf("%s: text %q, want %q", name, err.Error(), want)
	}
}

func TestValidate(t *testing.T) {
	hdr := func(seq, pid uint32) netlink.Message {
		return netlink.Message{Header: netlink.Header{Sequence: seq, PID: pid}}
	}
	tests := []struct {
		name    string
		req     netlink.Message
		replies []netlink.Message
		err     string
	}{
		{name: "no replies", req: hdr(1, 1)},
		{name: "match", req: hdr(1, 2), replies: []netlink.Message{hdr(1, 2), hdr(1, 2)}},
		{name: "request sequence zero", req: hdr(0, 2), replies: []netlink.Message{hdr(5, 2)}},
		{name: "request PID zero", req: hdr(1, 0), replies: []netlink.Message{hdr(1, 7)}},
		{name: "reply PID zero", req: hdr(1, 7), replies: []netlink.Message{hdr(1, 0)}},
		{
			name: "sequence", req: hdr(1, 2), replies: []netlink.Message{hdr(1, 2), hdr(2, 2)},
			err: "netlink validate: mismatched sequence in netlink reply",
		},
		{
			name: "PID", req: hdr(1, 2), replies: []netlink.Message{hdr(1, 3)},
			err: "netlink validate: mismatched PID in netlink reply",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := netlink.Validate(tt.req, tt.replies)
			if tt.err == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var op *netlink.OpError
			if !errors.As(err, &op) || op.Op != "validate" || err.Error() != tt.err {
				t.Fatalf("Validate error %#v, want an *OpError %q", err, tt.err)
			}
		})
	}
}

// blockingSocket blocks Receive until release is closed, and counts Sends.
// A blockingSocket is the custom Socket of the original package's
// contract: its Receive returns nothing at once, and its ReceiveIter blocks
// until Close. Conn must read only through ReceiveIter.
type blockingSocket struct {
	release       chan struct{}
	sent          chan netlink.Message
	receiveCalled atomic.Bool
}

func (s *blockingSocket) Send(m netlink.Message) error {
	s.sent <- m
	return nil
}

func (s *blockingSocket) SendMessages(msgs []netlink.Message) error {
	for _, m := range msgs {
		s.sent <- m
	}
	return nil
}

func (s *blockingSocket) Receive() ([]netlink.Message, error) {
	s.receiveCalled.Store(true)
	return nil, nil
}

func (s *blockingSocket) ReceiveIter() iter.Seq2[netlink.Message, error] {
	return func(yield func(netlink.Message, error) bool) {
		<-s.release
		yield(netlink.Message{}, os.ErrClosed)
	}
}

func (s *blockingSocket) Close() error {
	close(s.release)
	return nil
}

func TestConnSendWhileReceiveBlocks(t *testing.T) {
	for _, name := range []string{"Receive", "ReceiveIter", "Execute"} {
		t.Run(name, func(t *testing.T) {
			s := &blockingSocket{release: make(chan struct{}), sent: make(chan netlink.Message, 4)}
			c := netlink.NewConn(s, 1)

			done := make(chan error, 1)
			go func() {
				var err error
				switch name {
				case "Receive":
					_, err = c.Receive()
				case "ReceiveIter":
					for _, e := range c.ReceiveIter() {
						err = e
					}
				case "Execute":
					_, err = c.Execute(netlink.Message{})
				}
				done <- err
			}()
			if name == "Execute" {
				// Wait until Execute sent its request and blocks in Receive.
				select {
				case <-s.sent:
				case <-time.After(10 * time.Second):
					t.Fatal("Execute sent nothing")
				}
			}

			sendDone := make(chan error, 1)
			go func() {
				_, err := c.Send(netlink.Message{Header: netlink.Header{Type: 0x42}})
				if err == nil {
					_, err = c.SendMessages([]netlink.Message{{Header: netlink.Header{Type: 0x43}}})
				}
				sendDone <- err
			}()
			select {
			case err := <-sendDone:
				if err != nil {
					t.Fatalf("Send: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Send blocked behind a blocked " + name)
			}

			select {
			case <-done:
				t.Fatal(name + " returned before Close")
			default:
			}
			if err := c.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			select {
			case err := <-done:
				if !errors.Is(err, os.ErrClosed) {
					t.Errorf("%s after Close: %v, want the socket's error", name, err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal(name + " still blocked after Close")
			}
			if s.receiveCalled.Load() {
				t.Error("Conn called Socket.Receive; it must read only through ReceiveIter")
			}
		})
	}
}

func TestCompatNltestClose(t *testing.T) {
	// Closing the fake socket does nothing: the Conn stays usable, and a
	// second Close is no error either.
	c := nltest.Dial(echoFunc)
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("Close again: %v", err)
	}
	msgs, err := c.Execute(netlink.Message{Header: netlink.Header{Type: 0x10}, Data: []byte{1, 2, 3, 4}})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("Execute after Close: %v, %v; want the echo", msgs, err)
	}

	// NewConn's Close closes its socket, once per call.
	s := &datagramSocket{}
	nc := netlink.NewConn(s, 0)
	if err := nc.Close(); err != nil || s.closed != 1 {
		t.Errorf("NewConn Close: %v, socket closed %d times, want once", err, s.closed)
	}
}

// failingSocket fails every operation with err.
type failingSocket struct{ err error }

func (s failingSocket) Close() error                         { return s.err }
func (s failingSocket) Send(netlink.Message) error           { return s.err }
func (s failingSocket) SendMessages([]netlink.Message) error { return s.err }
func (s failingSocket) Receive() ([]netlink.Message, error)  { return nil, s.err }
func (s failingSocket) ReceiveIter() iter.Seq2[netlink.Message, error] {
	return func(yield func(netlink.Message, error) bool) { yield(netlink.Message{}, s.err) }
}

func TestCompatConnWrapsSocketErrors(t *testing.T) {
	// Every error of the Socket comes back in an *OpError naming the Conn
	// method, even an *OpError of the socket's own.
	for _, sockErr := range []error{errors.New("boom"), &netlink.OpError{Op: "inner", Err: syscall.EIO}} {
		c := netlink.NewConn(failingSocket{sockErr}, 1)
		_, sendErr := c.Send(netlink.Message{})
		_, sendMsgsErr := c.SendMessages([]netlink.Message{{}})
		_, recvErr := c.Receive()
		_, execErr := c.Execute(netlink.Message{})
		var iterErr error
		for _, err := range c.ReceiveIter() {
			iterErr = err
		}
		tests := []struct {
			op  string
			err error
		}{
			{"send", sendErr},
			{"send-messages", sendMsgsErr},
			{"receive", recvErr},
			{"send", execErr},
			{"receive", iterErr},
			{"close", c.Close()},
		}
		for _, tt := range tests {
			checkWrapped(t, tt.op, tt.err, tt.op, sockErr)
		}
	}
}

func TestConnUnsupported(t *testing.T) {
	c := nltest.Dial(echoFunc)
	defer c.Close()

	_, rbErr := c.ReadBuffer()
	_, wbErr := c.WriteBuffer()
	_, scErr := c.SyscallConn()
	tests := []struct {
		op  string
		err error
	}{
		{"join-group", c.JoinGroup(1)},
		{"leave-group", c.LeaveGroup(1)},
		{"set-bpf", c.SetBPF(nil)},
		{"remove-bpf", c.RemoveBPF()},
		{"set-option", c.SetOption(netlink.ExtendedAcknowledge, true)},
		{"set-read-buffer", c.SetReadBuffer(1024)},
		{"set-write-buffer", c.SetWriteBuffer(1024)},
		{"get-read-buffer", rbErr},
		{"get-write-buffer", wbErr},
		{"set-deadline", c.SetDeadline(time.Now())},
		{"set-read-deadline", c.SetReadDeadline(time.Now())},
		{"set-write-deadline", c.SetWriteDeadline(time.Now())},
		{"syscall-conn", scErr},
	}
	for _, tt := range tests {
		var oe *netlink.OpError
		if !errors.As(tt.err, &oe) || oe.Op != tt.op || !errors.Is(tt.err, errors.ErrUnsupported) {
			t.Errorf("%s: %#v, want an *OpError wrapping errors.ErrUnsupported", tt.op, tt.err)
			continue
		}
		if want := "netlink " + tt.op + ": operation not supported"; tt.err.Error() != want {
			t.Errorf("%s: text %q, want %q", tt.op, tt.err.Error(), want)
		}
	}
}

func TestConnPID(t *testing.T) {
	if got := nltest.Dial(echoFunc).PID(); got != nltest.PID {
		t.Errorf("nltest PID %d, want %d", got, nltest.PID)
	}
	if got := netlink.NewConn(&datagramSocket{}, 4242).PID(); got != 4242 {
		t.Errorf("NewConn PID %d, want 4242", got)
	}
}

func TestConnReceiveIterStopEarlyThenError(t *testing.T) {
	// Errors met while draining after the consumer stopped are not passed
	// on: the loop is over, and yielding again would panic.
	const m = netlink.Multi
	tests := []struct {
		name      string
		datagrams [][]netlink.Message
	}{
		{
			name:      "socket error",
			datagrams: [][]netlink.Message{{dm(0x10, m, 1, 1), dm(0x10, m, 1, 2)}},
		},
		{
			name: "error in done",
			datagrams: [][]netlink.Message{
				{dm(0x10, m, 1, 1), dm(0x10, m, 1, 2)},
				{dm(netlink.Done, m, 1, 0xfe, 0xff, 0xff, 0xff)},
			},
		},
		{
			name: "error message",
			datagrams: [][]netlink.Message{
				{dm(0x10, m, 1, 1), dm(netlink.Error, 0, 1, 0xfe, 0xff, 0xff, 0xff)},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &datagramSocket{datagrams: tt.datagrams}
			c := netlink.NewConn(s, 0)
			n := 0
			for _, err := range c.ReceiveIter() {
				if err != nil {
					t.Fatalf("ReceiveIter: %v", err)
				}
				n++
				break
			}
			if n != 1 || len(s.datagrams) != 0 {
				t.Errorf("%d messages yielded, %d datagrams left; want 1 and 0", n, len(s.datagrams))
			}
		})
	}
}
