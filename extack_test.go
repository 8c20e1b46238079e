package netlink_test

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/internal/nlfacts"
	"github.com/mdlayher/netlink/nltest"
)

// Flags of an attribute's type.
const (
	nestedFlag   = 0x8000
	netOrderFlag = 0x4000
)

func nativeU64(v uint64) []byte { return binary.NativeEndian.AppendUint64(nil, v) }

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func ptr[T any](v T) *T { return &v }

// extAckRequest is the request the replies of these tests answer.
var extAckRequest = netlink.Message{
	Header: netlink.Header{Length: 28, Type: 0x10, Flags: netlink.Request | netlink.Acknowledge, Sequence: 7, PID: 9},
	Data:   cat(make([]byte, 4), tlv(1, []byte{1, 2, 3, 4})),
}

// fullPolicyTLVs encodes every policy attribute, the whole nest flagged
// NLA_F_NESTED as the kernel flags it.
var fullPolicyTLVs = tlv(nlfacts.ExtAckPolicy|nestedFlag, cat(
	tlv(nlfacts.PolicyAttrType, nativeU32(uint32(netlink.PolicyTypeU8))),
	tlv(nlfacts.PolicyAttrMinValueS, nativeU64(uint64(^uint64(0)))), // -1
	tlv(nlfacts.PolicyAttrMaxValueS, nativeU64(7)),
	tlv(nlfacts.PolicyAttrPad, nil),
	tlv(nlfacts.PolicyAttrMinValueU, nativeU64(1)),
	tlv(nlfacts.PolicyAttrMaxValueU, nativeU64(1<<40)),
	tlv(nlfacts.PolicyAttrMinLength, nativeU32(2)),
	tlv(nlfacts.PolicyAttrMaxLength, nativeU32(15)),
	tlv(nlfacts.PolicyAttrPolicyIdx, nativeU32(3)),
	tlv(nlfacts.PolicyAttrMaxType, nativeU32(30)),
	tlv(nlfacts.PolicyAttrBitfield32, nativeU32(0xf0)),
	tlv(nlfacts.PolicyAttrMask, nativeU64(0x7)),
	tlv(42, []byte("unknown policy attribute")),
))

var fullPolicy = &netlink.Policy{
	Type:      netlink.PolicyTypeU8,
	MinSigned: ptr(int64(-1)), MaxSigned: ptr(int64(7)),
	MinUnsigned: ptr(uint64(1)), MaxUnsigned: ptr(uint64(1 << 40)),
	MinLength: ptr(uint32(2)), MaxLength: ptr(uint32(15)),
	PolicyIndex: ptr(uint32(3)), MaxType: ptr(uint32(30)),
	Bitfield32Mask: ptr(uint32(0xf0)), Mask: ptr(uint64(7)),
}

// fullTLVs encodes every extended acknowledgement attribute.
var fullTLVs = cat(
	tlv(attrMsg, []byte("Attribute failed policy validation\x00")),
	tlv(attrOffs, nativeU32(20)),
	tlv(nlfacts.ExtAckCookie, []byte{0xde, 0xad, 0xbe, 0xef, 1}),
	fullPolicyTLVs,
	tlv(nlfacts.ExtAckMissType, nativeU32(5)),
	tlv(nlfacts.ExtAckMissNest, nativeU32(24)),
	tlv(99, []byte("unknown attribute")),
)

var fullAck = netlink.ExtendedAck{
	Message:     "Attribute failed policy validation",
	Offset:      20,
	Cookie:      []byte{0xde, 0xad, 0xbe, 0xef, 1},
	Policy:      fullPolicy,
	MissingType: 5,
	MissingNest: 24,
}

func ackMessage(t netlink.HeaderType, flags netlink.HeaderFlags, data []byte) netlink.Message {
	return netlink.Message{
		Header: netlink.Header{Length: uint32(16 + len(data)), Type: t, Flags: flags, Sequence: 7, PID: 9},
		Data:   data,
	}
}

func TestDecodeExtendedAck(t *testing.T) {
	reqHeader := headerBytes(extAckRequest.Header)
	echo := cat(reqHeader, extAckRequest.Data)
	tlvs := netlink.AcknowledgeTLVs
	einval := -int32(syscall.EINVAL)

	tests := []struct {
		name    string
		m       netlink.Message
		want    netlink.ExtendedAck
		wantErr string // a substring of the error; empty for none
	}{
		{
			name: "error without attributes",
			m:    ackMessage(netlink.Error, 0, errData(einval, echo)),
		},
		{
			name: "acknowledgement without attributes",
			m:    ackMessage(netlink.Error, netlink.Capped, errData(0, reqHeader)),
		},
		{
			name: "every attribute after the whole request",
			m:    ackMessage(netlink.Error, tlvs, errData(einval, echo, fullTLVs)),
			want: fullAck,
		},
		{
			name: "every attribute after a capped request",
			m:    ackMessage(netlink.Error, tlvs|netlink.Capped, errData(einval, reqHeader, fullTLVs)),
			want: fullAck,
		},
		{
			name: "warning on an acknowledgement",
			m:    ackMessage(netlink.Error, tlvs|netlink.Capped, errData(0, reqHeader, tlv(attrMsg, []byte("deprecated\x00")))),
			want: netlink.ExtendedAck{Message: "deprecated"},
		},
		{
			name: "cookie on an acknowledgement",
			m:    ackMessage(netlink.Error, tlvs|netlink.Capped, errData(0, reqHeader, tlv(nlfacts.ExtAckCookie, []byte{1, 2, 3, 4, 5, 6, 7, 8}))),
			want: netlink.ExtendedAck{Cookie: []byte{1, 2, 3, 4, 5, 6, 7, 8}},
		},
		{
			name: "failed dump",
			m:    ackMessage(netlink.Done, netlink.Multi|tlvs, errData(einval, fullTLVs)),
			want: fullAck,
		},
		{
			name: "done of a dump without attributes",
			m:    ackMessage(netlink.Done, netlink.Multi, errData(0)),
		},
		{
			name: "done without data",
			m:    ackMessage(netlink.Done, netlink.Multi, nil),
		},
		{
			name: "message without NUL, followed by padding",
			m:    ackMessage(netlink.Error, tlvs|netlink.Capped, errData(einval, reqHeader, tlv(attrMsg, []byte("abcde")))),
			want: netlink.ExtendedAck{Message: "abcde"},
		},
		{
			name: "offsets at and above 2^31",
			m: ackMessage(netlink.Error, tlvs|netlink.Capped, errData(einval, reqHeader,
				tlv(attrOffs, nativeU32(1<<31)), tlv(nlfacts.ExtAckMissNest, nativeU32(0xffffffff)), tlv(nlfacts.ExtAckMissType, nativeU32(0xffffffff)))),
			want: netlink.ExtendedAck{Offset: 1 << 31, MissingNest: 0xffffffff, MissingType: 0xffffffff},
		},
		{
			name: "policy values sent in 4 bytes",
			m: ackMessage(netlink.Error, tlvs|netlink.Capped, errData(einval, reqHeader, tlv(nlfacts.ExtAckPolicy, cat(
				tlv(nlfacts.PolicyAttrType, nativeU32(uint32(netlink.PolicyTypeSint))),
				tlv(nlfacts.PolicyAttrMinValueS, nativeU32(0xfffffff6)), // -10
				tlv(nlfacts.PolicyAttrMaxValueU, nativeU32(0xffffffff)),
			)))),
			want: netlink.ExtendedAck{Policy: &netlink.Policy{Type: netlink.PolicyTypeSint, MinSigned: ptr(int64(-10)), MaxUnsigned: ptr(uint64(0xffffffff))}},
		},
		{
			name: "wrong-sized offset is reported, the rest kept",
			m: ackMessage(netlink.Error, tlvs|netlink.Capped, errData(einval, reqHeader,
				tlv(attrOffs, []byte{1, 2}), tlv(attrMsg, []byte("kept\x00")))),
			want:    netlink.ExtendedAck{Message: "kept"},
			wantErr: "offset is 2 bytes, want 4",
		},
		{
			name: "wrong-sized policy value is reported, the rest kept",
			m: ackMessage(netlink.Error, tlvs|netlink.Capped, errData(einval, reqHeader, tlv(nlfacts.ExtAckPolicy, cat(
				tlv(nlfacts.PolicyAttrType, nativeU32(uint32(netlink.PolicyTypeString))),
				tlv(nlfacts.PolicyAttrMaxLength, []byte{15}),
				tlv(nlfacts.PolicyAttrMinLength, nativeU32(1)),
			)))),
			want:    netlink.ExtendedAck{Policy: &netlink.Policy{Type: netlink.PolicyTypeString, MinLength: ptr(uint32(1))}},
			wantErr: "policy maximum length is 1 bytes, want 4",
		},
		{
			name: "malformed attribute ends the walk",
			m: ackMessage(netlink.Error, tlvs|netlink.Capped, errData(einval, reqHeader,
				tlv(attrMsg, []byte("first\x00")), []byte{200, 0, attrOffs, 0}, nativeU32(8))),
			want:    netlink.ExtendedAck{Message: "first"},
			wantErr: "malformed extended acknowledgement attribute at byte 12",
		},
		{
			name: "malformed policy attribute",
			m: ackMessage(netlink.Error, tlvs|netlink.Capped, errData(einval, reqHeader,
				tlv(nlfacts.ExtAckPolicy, cat(tlv(nlfacts.PolicyAttrType, nativeU32(4)), []byte{3, 0})))),
			want:    netlink.ExtendedAck{Policy: &netlink.Policy{Type: netlink.PolicyTypeU32}},
			wantErr: "malformed policy attribute",
		},
		{
			// The kernel pads the echoed request before the attributes.
			name: "unaligned echoed request",
			m: func() netlink.Message {
				h := extAckRequest.Header
				h.Length = 21
				return ackMessage(netlink.Error, tlvs, errData(einval, headerBytes(h), []byte{1, 2, 3, 4, 5, 0, 0, 0}, tlv(attrMsg, []byte("padded\x00"))))
			}(),
			want: netlink.ExtendedAck{Message: "padded"},
		},
		{
			name: "echoed length past the end",
			m: func() netlink.Message {
				h := extAckRequest.Header
				h.Length = 0xfffffff0
				return ackMessage(netlink.Error, tlvs, errData(einval, headerBytes(h), tlv(attrMsg, []byte("hidden\x00"))))
			}(),
			wantErr: "not enough data",
		},
		{
			name: "echoed length of 2^31",
			m: func() netlink.Message {
				h := extAckRequest.Header
				h.Length = 1 << 31
				return ackMessage(netlink.Error, tlvs, errData(einval, headerBytes(h), tlv(attrMsg, []byte("hidden\x00"))))
			}(),
			wantErr: "not enough data",
		},
		{
			name:    "truncated echoed header",
			m:       ackMessage(netlink.Error, tlvs|netlink.Capped, errData(einval, reqHeader[:10])),
			wantErr: "not enough data",
		},
		{
			name:    "short error code",
			m:       ackMessage(netlink.Error, 0, []byte{1, 2}),
			wantErr: "not enough data",
		},
		{
			name:    "short done with attributes",
			m:       ackMessage(netlink.Done, netlink.Multi|tlvs, []byte{1, 2}),
			wantErr: "not enough data",
		},
		{
			name:    "not an acknowledgement",
			m:       ackMessage(0x10, tlvs, errData(einval, fullTLVs)),
			wantErr: "not an Error or Done message",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := netlink.DecodeExtendedAck(tt.m)
			if tt.wantErr == "" && err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ExtendedAck (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReceiveExtendedAck checks what Receive and Execute report for the
// replies nltest builds, which exercises both the encoder there and the
// decoder here: the *OpError is v1.11.2's, value and text, whatever the
// kernel attached, and ExtendedAckOf has the rest.
func TestReceiveExtendedAck(t *testing.T) {
	type reply func(req netlink.Message) ([]netlink.Message, error)
	full := fullAck
	maxLen := ptr(uint32(15))
	// On 32-bit platforms an offset from 2^31 up does not fit in
	// OpError.Offset, an int, which stays zero; ExtendedAckOf keeps it.
	bigOffset, bigText := 0, "netlink receive: invalid argument"
	if off := uint64(1 << 31); off <= math.MaxInt {
		bigOffset, bigText = int(off), `netlink receive: invalid argument, offset: 2147483648, message: ""`
	}
	tests := []struct {
		name  string
		reply reply
		// err builds the whole *OpError expected for the request with
		// sequence number seq, with v1.11.2's fields only.
		err func(seq uint32) *netlink.OpError
		// text is Error(), exactly.
		text string
		// ack is what ExtendedAckOf returns; nil for ok false.
		ack *netlink.ExtendedAck
	}{
		{
			name: "only message and offset",
			reply: func(req netlink.Message) ([]netlink.Message, error) {
				return nltest.ErrorWithAck(int(syscall.EINVAL), req, netlink.ExtendedAck{Message: "bad", Offset: 20}, false)
			},
			err: func(seq uint32) *netlink.OpError {
				return &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Message: "bad", Offset: 20, Sequence: seq}
			},
			text: `netlink receive: invalid argument, offset: 20, message: "bad"`,
			ack:  &netlink.ExtendedAck{Message: "bad", Offset: 20},
		},
		{
			name: "policy",
			reply: func(req netlink.Message) ([]netlink.Message, error) {
				return nltest.ErrorWithAck(int(syscall.ERANGE), req, netlink.ExtendedAck{
					Message: "Attribute failed policy validation", Offset: 20,
					Policy: &netlink.Policy{Type: netlink.PolicyTypeString, MaxLength: maxLen},
				}, false)
			},
			err: func(seq uint32) *netlink.OpError {
				return &netlink.OpError{Op: "receive", Err: syscall.ERANGE, Message: "Attribute failed policy validation", Offset: 20, Sequence: seq}
			},
			text: `netlink receive: numerical result out of range, offset: 20, message: "Attribute failed policy validation"`,
			ack: &netlink.ExtendedAck{Message: "Attribute failed policy validation", Offset: 20,
				Policy: &netlink.Policy{Type: netlink.PolicyTypeString, MaxLength: maxLen}},
		},
		{
			name: "missing attribute only",
			reply: func(req netlink.Message) ([]netlink.Message, error) {
				return nltest.ErrorWithAck(int(syscall.EINVAL), req, netlink.ExtendedAck{MissingType: 3}, true)
			},
			err: func(seq uint32) *netlink.OpError {
				return &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Sequence: seq}
			},
			text: "netlink receive: invalid argument",
			ack:  &netlink.ExtendedAck{MissingType: 3},
		},
		{
			name: "missing attribute in a nest, with a message",
			reply: func(req netlink.Message) ([]netlink.Message, error) {
				return nltest.ErrorWithAck(int(syscall.EINVAL), req, netlink.ExtendedAck{Message: "Missing attribute", MissingType: 3, MissingNest: 20}, true)
			},
			err: func(seq uint32) *netlink.OpError {
				return &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Message: "Missing attribute", Sequence: seq}
			},
			text: `netlink receive: invalid argument, offset: 0, message: "Missing attribute"`,
			ack:  &netlink.ExtendedAck{Message: "Missing attribute", MissingType: 3, MissingNest: 20},
		},
		{
			name: "cookie only",
			reply: func(req netlink.Message) ([]netlink.Message, error) {
				return nltest.ErrorWithAck(int(syscall.EOPNOTSUPP), req, netlink.ExtendedAck{Cookie: []byte{0xab, 1}}, true)
			},
			err: func(seq uint32) *netlink.OpError {
				return &netlink.OpError{Op: "receive", Err: syscall.EOPNOTSUPP, Sequence: seq}
			},
			text: "netlink receive: operation not supported",
			ack:  &netlink.ExtendedAck{Cookie: []byte{0xab, 1}},
		},
		{
			name: "every attribute, whole request echoed",
			reply: func(req netlink.Message) ([]netlink.Message, error) {
				return nltest.ErrorWithAck(int(syscall.EINVAL), req, full, false)
			},
			err: func(seq uint32) *netlink.OpError {
				return &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Message: full.Message, Offset: 20, Sequence: seq}
			},
			text: `netlink receive: invalid argument, offset: 20, message: "Attribute failed policy validation"`,
			ack:  &full,
		},
		{
			name: "every attribute, capped",
			reply: func(req netlink.Message) ([]netlink.Message, error) {
				return nltest.ErrorWithAck(int(syscall.ERANGE), req, full, true)
			},
			err: func(seq uint32) *netlink.OpError {
				return &netlink.OpError{Op: "receive", Err: syscall.ERANGE, Message: full.Message, Offset: 20, Sequence: seq}
			},
			text: `netlink receive: numerical result out of range, offset: 20, message: "Attribute failed policy validation"`,
			ack:  &full,
		},
		{
			name: "failed dump",
			reply: func(req netlink.Message) ([]netlink.Message, error) {
				return nltest.FailedDump(req, []netlink.Message{{Header: netlink.Header{Type: 0x10, Sequence: req.Header.Sequence}}},
					int(syscall.EOPNOTSUPP), full)
			},
			err: func(seq uint32) *netlink.OpError {
				return &netlink.OpError{Op: "receive", Err: syscall.EOPNOTSUPP, Message: full.Message, Offset: 20, Sequence: seq}
			},
			text: `netlink receive: operation not supported, offset: 20, message: "Attribute failed policy validation"`,
			ack:  &full,
		},
		{
			name: "failed dump with a message only",
			reply: func(req netlink.Message) ([]netlink.Message, error) {
				return nltest.FailedDump(req, nil, int(syscall.EINVAL), netlink.ExtendedAck{Message: "no"})
			},
			err: func(seq uint32) *netlink.OpError {
				return &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Message: "no", Sequence: seq}
			},
			text: `netlink receive: invalid argument, offset: 0, message: "no"`,
			ack:  &netlink.ExtendedAck{Message: "no"},
		},
		{
			name: "offset of 2^31",
			reply: func(req netlink.Message) ([]netlink.Message, error) {
				return nltest.ErrorWithAck(int(syscall.EINVAL), req, netlink.ExtendedAck{Offset: 1 << 31}, true)
			},
			err: func(seq uint32) *netlink.OpError {
				return &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Offset: bigOffset, Sequence: seq}
			},
			text: bigText,
			ack:  &netlink.ExtendedAck{Offset: 1 << 31},
		},
		{
			name: "no extended acknowledgement",
			reply: func(req netlink.Message) ([]netlink.Message, error) {
				return nltest.Error(int(syscall.ENOENT), []netlink.Message{req})
			},
			err: func(seq uint32) *netlink.OpError {
				return &netlink.OpError{Op: "receive", Err: syscall.ENOENT, Sequence: seq}
			},
			text: "netlink receive: no such file or directory",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req netlink.Message
			c := nltest.Dial(func(reqs []netlink.Message) ([]netlink.Message, error) {
				if len(reqs) == 0 {
					return nil, io.EOF
				}
				req = reqs[0]
				return tt.reply(req)
			})
			_, err := c.Execute(extAckRequest)
			oe, ok := err.(*netlink.OpError)
			if !ok {
				t.Fatalf("Execute error %v (%T), want an *OpError", err, err)
			}
			want := tt.err(req.Header.Sequence)
			if !reflect.DeepEqual(want, oe) {
				t.Errorf("OpError not DeepEqual to v1.11.2's (-want +got):\n%s", cmp.Diff(want, oe))
			}
			if got := oe.Error(); got != tt.text {
				t.Errorf("Error() = %q, want %q", got, tt.text)
			}
			// v1.11.2's field order, as %#v shows it.
			wantGo := fmt.Sprintf("&netlink.OpError{Op:%q, Err:%#v, Message:%q, Offset:%d, Sequence:%#x}",
				want.Op, want.Err, want.Message, want.Offset, want.Sequence)
			if got := fmt.Sprintf("%#v", oe); got != wantGo {
				t.Errorf("%%#v = %s, want %s", got, wantGo)
			}

			// Through two levels of a family package's wrapping.
			wrapped := fmt.Errorf("ifaces: set name: %w", fmt.Errorf("execute: %w", err))
			a, ok := netlink.ExtendedAckOf(wrapped)
			if ok != (tt.ack != nil) {
				t.Fatalf("ExtendedAckOf ok = %v, want %v (ack %v)", ok, tt.ack != nil, a)
			}
			if diff := cmp.Diff(tt.ack, a); diff != "" {
				t.Errorf("ExtendedAckOf (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPolicyString(t *testing.T) {
	tests := []struct {
		p    *netlink.Policy
		want string
	}{
		{nil, "<nil>"},
		{&netlink.Policy{}, "invalid"},
		{&netlink.Policy{Type: netlink.PolicyTypeU8, MinUnsigned: ptr(uint64(0)), MaxUnsigned: ptr(uint64(7))}, "u8 range 0..7"},
		{&netlink.Policy{Type: netlink.PolicyTypeS32, MinSigned: ptr(int64(-5))}, "s32 range -5..?"},
		{&netlink.Policy{Type: netlink.PolicyTypeNulString, MinLength: ptr(uint32(1)), MaxLength: ptr(uint32(16))}, "nul-string min length 1 max length 16"},
		{&netlink.Policy{Type: netlink.PolicyTypeUint, Mask: ptr(uint64(0xff))}, "uint mask 0xff"},
		{&netlink.Policy{Type: netlink.PolicyTypeBitfield32, Bitfield32Mask: ptr(uint32(3))}, "bitfield32 bitfield32 mask 0x3"},
		{&netlink.Policy{Type: netlink.PolicyTypeNested, PolicyIndex: ptr(uint32(2)), MaxType: ptr(uint32(9))}, "nested policy 2 max type 9"},
		{&netlink.Policy{Type: 99}, "type(99)"},
	}
	for _, tt := range tests {
		// fmt prints a nil *Policy as "<nil>"; a Policy prints through
		// String with %v and %+v, held as a value or a pointer.
		forms := []struct{ got, want string }{
			{fmt.Sprintf("%v", tt.p), tt.want},
			{fmt.Sprintf("%+v", tt.p), tt.want},
		}
		if tt.p != nil {
			forms = append(forms, []struct{ got, want string }{
				{tt.p.String(), tt.want},
				{fmt.Sprintf("%v", *tt.p), tt.want},
				{fmt.Sprintf("%+v", *tt.p), tt.want},
				{fmt.Sprintf("%+v", []netlink.Policy{*tt.p}), "[" + tt.want + "]"},
			}...)
		}
		for i, f := range forms {
			if f.got != f.want {
				t.Errorf("form %d of %#v: %q, want %q", i, tt.p, f.got, f.want)
			}
		}
	}
}

func TestExtendedAckString(t *testing.T) {
	tests := []struct {
		name string
		a    netlink.ExtendedAck
		want string
	}{
		{name: "zero", want: "none"},
		{
			name: "policy and path",
			a: netlink.ExtendedAck{Message: "Attribute failed policy validation", Offset: 32, Path: []uint16{3},
				Policy: &netlink.Policy{Type: netlink.PolicyTypeString, MaxLength: ptr(uint32(15))}},
			want: `message: "Attribute failed policy validation", offset: 32, path: [3], policy: string max length 15`,
		},
		{
			name: "missing attribute",
			a:    netlink.ExtendedAck{MissingType: 3},
			want: "missing attribute: 3",
		},
		{
			name: "missing attribute in a nest, with its path",
			a:    netlink.ExtendedAck{Message: "Missing attribute", MissingType: 1, MissingNest: 32, MissingPath: []uint16{7, 1}},
			want: `message: "Missing attribute", missing attribute: 1 in the nest at offset 32, missing path: [7 1]`,
		},
		{
			name: "nest without type",
			a:    netlink.ExtendedAck{MissingNest: 20},
			want: "missing attribute in the nest at offset 20",
		},
		{
			name: "cookie and a quoted message",
			a:    netlink.ExtendedAck{Message: "say \"no\"\n", Cookie: []byte{0xab, 1}},
			want: `message: "say \"no\"\n", cookie: ab01`,
		},
		{
			name: "every field",
			a:    fullAck,
			want: `message: "Attribute failed policy validation", offset: 20, policy: u8 range -1..7 min length 2 max length 15 mask 0x7 bitfield32 mask 0xf0 policy 3 max type 30, missing attribute: 5 in the nest at offset 24, cookie: deadbeef01`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Every form a user may print with, value or pointer,
			// alone or inside another value.
			forms := []struct{ got, want string }{
				{tt.a.String(), tt.want},
				{fmt.Sprintf("%v", tt.a), tt.want},
				{fmt.Sprintf("%+v", tt.a), tt.want},
				{fmt.Sprintf("%v", &tt.a), tt.want},
				{fmt.Sprintf("%+v", &tt.a), tt.want},
				{fmt.Sprintf("%+v", []*netlink.ExtendedAck{&tt.a}), "[" + tt.want + "]"},
			}
			for i, f := range forms {
				if f.got != f.want {
					t.Errorf("form %d: got %q, want %q", i, f.got, f.want)
				}
			}
		})
	}
}

// A zero-length attribute is a 4-byte attribute with no data here as in
// UnmarshalAttributes and the AttributeDecoder: padding of type zero is
// skipped, and a known attribute of length zero has the wrong size.
func TestDecodeExtendedAckZeroLength(t *testing.T) {
	done := func(tlvs []byte) netlink.Message {
		return netlink.Message{
			Header: netlink.Header{Type: netlink.Done, Flags: netlink.AcknowledgeTLVs},
			Data:   cat(make([]byte, 4), tlvs),
		}
	}
	a, err := netlink.DecodeExtendedAck(done(cat(make([]byte, 4), tlv(nlfacts.ExtAckMsg, []byte("warning\x00")))))
	if err != nil || a.Message != "warning" {
		t.Fatalf("after zero padding: %+v, %v; want the message and no error", a, err)
	}
	zeroOffs := []byte{0, 0, 0, 0}
	binary.NativeEndian.PutUint16(zeroOffs[2:], nlfacts.ExtAckOffs)
	a, err = netlink.DecodeExtendedAck(done(cat(zeroOffs, tlv(nlfacts.ExtAckMsg, []byte("m\x00")))))
	const want = "netlink: malformed extended acknowledgement attribute at byte 0 of the attributes: offset is 0 bytes, want 4"
	if err == nil || err.Error() != want || a.Message != "m" {
		t.Fatalf("zero-length offset: %+v, %v; want the message and %q", a, err, want)
	}
}
