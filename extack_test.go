package netlink_test

import (
	"encoding/binary"
	"errors"
	"io"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

// Extended acknowledgement attributes beyond MSG and OFFS, and the policy
// attributes nested in NLMSGERR_ATTR_POLICY (linux/netlink.h).
const (
	attrCookie   = 3
	attrPolicy   = 4
	attrMissType = 5
	attrMissNest = 6

	polType      = 1
	polMinS      = 2
	polMaxS      = 3
	polMinU      = 4
	polMaxU      = 5
	polMinLen    = 6
	polMaxLen    = 7
	polIdx       = 8
	polMaxType   = 9
	polBitfield  = 10
	polPad       = 11
	polMask      = 12
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
var fullPolicyTLVs = tlv(attrPolicy|nestedFlag, cat(
	tlv(polType, nativeU32(uint32(netlink.PolicyTypeU8))),
	tlv(polMinS, nativeU64(uint64(^uint64(0)))), // -1
	tlv(polMaxS, nativeU64(7)),
	tlv(polPad, nil),
	tlv(polMinU, nativeU64(1)),
	tlv(polMaxU, nativeU64(1<<40)),
	tlv(polMinLen, nativeU32(2)),
	tlv(polMaxLen, nativeU32(15)),
	tlv(polIdx, nativeU32(3)),
	tlv(polMaxType, nativeU32(30)),
	tlv(polBitfield, nativeU32(0xf0)),
	tlv(polMask, nativeU64(0x7)),
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
	tlv(attrCookie, []byte{0xde, 0xad, 0xbe, 0xef, 1}),
	fullPolicyTLVs,
	tlv(attrMissType, nativeU32(5)),
	tlv(attrMissNest, nativeU32(24)),
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
			m:    ackMessage(netlink.Error, tlvs|netlink.Capped, errData(0, reqHeader, tlv(attrCookie, []byte{1, 2, 3, 4, 5, 6, 7, 8}))),
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
				tlv(attrOffs, nativeU32(1<<31)), tlv(attrMissNest, nativeU32(0xffffffff)), tlv(attrMissType, nativeU32(0xffffffff)))),
			want: netlink.ExtendedAck{Offset: 1 << 31, MissingNest: 0xffffffff, MissingType: 0xffffffff},
		},
		{
			name: "policy values sent in 4 bytes",
			m: ackMessage(netlink.Error, tlvs|netlink.Capped, errData(einval, reqHeader, tlv(attrPolicy, cat(
				tlv(polType, nativeU32(uint32(netlink.PolicyTypeSint))),
				tlv(polMinS, nativeU32(0xfffffff6)), // -10
				tlv(polMaxU, nativeU32(0xffffffff)),
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
			m: ackMessage(netlink.Error, tlvs|netlink.Capped, errData(einval, reqHeader, tlv(attrPolicy, cat(
				tlv(polType, nativeU32(uint32(netlink.PolicyTypeString))),
				tlv(polMaxLen, []byte{15}),
				tlv(polMinLen, nativeU32(1)),
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
				tlv(attrPolicy, cat(tlv(polType, nativeU32(4)), []byte{3, 0})))),
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
// decoder here.
func TestReceiveExtendedAck(t *testing.T) {
	type reply func(req netlink.Message) ([]netlink.Message, error)
	full := fullAck
	tests := []struct {
		name  string
		reply reply
		want  func(req netlink.Message) *netlink.OpError
	}{
		{
			name: "only message and offset: as v1.11.2",
			reply: func(req netlink.Message) ([]netlink.Message, error) {
				return nltest.ErrorWithAck(int(syscall.EINVAL), req, netlink.ExtendedAck{Message: "bad", Offset: 20}, false)
			},
			want: func(req netlink.Message) *netlink.OpError {
				return &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Sequence: req.Header.Sequence, Message: "bad", Offset: 20}
			},
		},
		{
			name: "every attribute, whole request echoed",
			reply: func(req netlink.Message) ([]netlink.Message, error) {
				return nltest.ErrorWithAck(int(syscall.EINVAL), req, full, false)
			},
			want: func(req netlink.Message) *netlink.OpError {
				return &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Sequence: req.Header.Sequence,
					Message: full.Message, Offset: int(full.Offset), ExtendedAck: &full}
			},
		},
		{
			name: "every attribute, capped",
			reply: func(req netlink.Message) ([]netlink.Message, error) {
				return nltest.ErrorWithAck(int(syscall.ERANGE), req, full, true)
			},
			want: func(req netlink.Message) *netlink.OpError {
				return &netlink.OpError{Op: "receive", Err: syscall.ERANGE, Sequence: req.Header.Sequence,
					Message: full.Message, Offset: int(full.Offset), ExtendedAck: &full}
			},
		},
		{
			name: "missing attribute only",
			reply: func(req netlink.Message) ([]netlink.Message, error) {
				return nltest.ErrorWithAck(int(syscall.EINVAL), req, netlink.ExtendedAck{MissingType: 3}, true)
			},
			want: func(req netlink.Message) *netlink.OpError {
				return &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Sequence: req.Header.Sequence,
					ExtendedAck: &netlink.ExtendedAck{MissingType: 3}}
			},
		},
		{
			name: "failed dump",
			reply: func(req netlink.Message) ([]netlink.Message, error) {
				return nltest.FailedDump(req, []netlink.Message{{Header: netlink.Header{Type: 0x10, Sequence: req.Header.Sequence}}},
					int(syscall.EOPNOTSUPP), full)
			},
			want: func(req netlink.Message) *netlink.OpError {
				return &netlink.OpError{Op: "receive", Err: syscall.EOPNOTSUPP, Sequence: req.Header.Sequence,
					Message: full.Message, Offset: int(full.Offset), ExtendedAck: &full}
			},
		},
		{
			name: "failed dump with a message only",
			reply: func(req netlink.Message) ([]netlink.Message, error) {
				return nltest.FailedDump(req, nil, int(syscall.EINVAL), netlink.ExtendedAck{Message: "no"})
			},
			want: func(req netlink.Message) *netlink.OpError {
				return &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Sequence: req.Header.Sequence, Message: "no"}
			},
		},
		{
			// On 32-bit platforms an offset from 2^31 up does not fit
			// in Offset, an int: ExtendedAck keeps it.
			name: "offset of 2^31",
			reply: func(req netlink.Message) ([]netlink.Message, error) {
				return nltest.ErrorWithAck(int(syscall.EINVAL), req, netlink.ExtendedAck{Offset: 1 << 31}, true)
			},
			want: func(req netlink.Message) *netlink.OpError {
				e := &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Sequence: req.Header.Sequence}
				if off := uint32(1 << 31); strconv.IntSize == 64 {
					e.Offset = int(off)
				} else {
					e.ExtendedAck = &netlink.ExtendedAck{Offset: 1 << 31}
				}
				return e
			},
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
			var oe *netlink.OpError
			if !errors.As(err, &oe) {
				t.Fatalf("Execute error %v (%T), want an *OpError", err, err)
			}
			if diff := cmp.Diff(tt.want(req), oe); diff != "" {
				t.Errorf("OpError (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOpErrorErrorExtendedAck(t *testing.T) {
	einval := syscall.EINVAL.Error()
	tests := []struct {
		name string
		err  *netlink.OpError
		want string
	}{
		{
			name: "missing attribute",
			err:  &netlink.OpError{Op: "receive", Err: syscall.EINVAL, ExtendedAck: &netlink.ExtendedAck{MissingType: 3}},
			want: "netlink receive: " + einval + ", missing attribute: 3",
		},
		{
			name: "missing attribute in a nest",
			err: &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Message: "Missing attribute",
				ExtendedAck: &netlink.ExtendedAck{Message: "Missing attribute", MissingType: 3, MissingNest: 20}},
			want: "netlink receive: " + einval + `, offset: 0, message: "Missing attribute", missing attribute: 3 in the nest at offset 20`,
		},
		{
			name: "nest without type",
			err:  &netlink.OpError{Op: "receive", Err: syscall.EINVAL, ExtendedAck: &netlink.ExtendedAck{MissingNest: 20}},
			want: "netlink receive: " + einval + ", missing attribute in the nest at offset 20",
		},
		{
			name: "policy and cookie",
			err: &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Message: "bad", Offset: 20,
				ExtendedAck: &netlink.ExtendedAck{Message: "bad", Offset: 20, Cookie: []byte{0xab, 1},
					Policy: &netlink.Policy{Type: netlink.PolicyTypeString, MaxLength: ptr(uint32(15))}}},
			want: "netlink receive: " + einval + `, offset: 20, message: "bad", policy: string max length 15, cookie: ab01`,
		},
		{
			name: "path alone adds nothing",
			err: &netlink.OpError{Op: "receive", Err: syscall.EINVAL, Message: "bad", Offset: 20,
				ExtendedAck: &netlink.ExtendedAck{Message: "bad", Offset: 20, Path: []uint16{3}}},
			want: "netlink receive: " + einval + `, offset: 20, message: "bad"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
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
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%+v: String() = %q, want %q", tt.p, got, tt.want)
		}
	}
}
