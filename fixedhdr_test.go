package netlink

import (
	"encoding/binary"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink/internal/nlfacts"
)

// Netlink families, as the tests of this package name them.
const (
	familyRoute     = nlfacts.FamilyRoute
	familyNetfilter = nlfacts.FamilyNetfilter
	familyGeneric   = nlfacts.FamilyGeneric
)

func TestFixedHeaderLen(t *testing.T) {
	data := make([]byte, 32)
	tests := []struct {
		name    string
		family  int
		typ     HeaderType
		dataLen int
		want    int
		ok      bool
	}{
		{name: "generic netlink", family: familyGeneric, typ: 0x1c, dataLen: 8, want: 4, ok: true},
		{name: "generic netlink controller", family: familyGeneric, typ: 0x10, dataLen: 4, want: 4, ok: true},
		{name: "generic netlink without its header", family: familyGeneric, typ: 0x1c, dataLen: 2},
		{name: "netfilter", family: familyNetfilter, typ: 0xa01, dataLen: 4, want: 4, ok: true},
		{name: "RTM_NEWLINK", family: familyRoute, typ: 16, dataLen: 16, want: 16, ok: true},
		{name: "RTM_SETLINK", family: familyRoute, typ: 19, dataLen: 20, want: 16, ok: true},
		{name: "RTM_GETLINK dump with rtgenmsg", family: familyRoute, typ: 18, dataLen: 4},
		{name: "RTM_NEWADDR", family: familyRoute, typ: 20, dataLen: 8, want: 8, ok: true},
		{name: "RTM_NEWROUTE", family: familyRoute, typ: 24, dataLen: 12, want: 12, ok: true},
		{name: "RTM_NEWQDISC", family: familyRoute, typ: 36, dataLen: 20, want: 20, ok: true},
		{name: "RTM_NEWNSID, rtgenmsg padded", family: familyRoute, typ: 88, dataLen: 4, want: 4, ok: true},
		{name: "RTM_NEWNSID without padding", family: familyRoute, typ: 88, dataLen: 1},
		{name: "RTM_NEWTUNNEL", family: familyRoute, typ: 120, dataLen: 8, want: 8, ok: true},
		{name: "RTM_NEWCACHEREPORT", family: familyRoute, typ: 96, dataLen: 32, want: 4, ok: true},
		{name: "past RTM_MAX", family: familyRoute, typ: 124, dataLen: 32},
		{name: "large type", family: familyRoute, typ: 0xffff, dataLen: 32},
		{name: "control message", family: familyRoute, typ: Error, dataLen: 32},
		{name: "unknown family", family: 4, typ: 0x10, dataLen: 32},
		{name: "NewConn, family unknown", family: -1, typ: 0x10, dataLen: 32},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := fixedHeaderLen(tt.family, tt.typ, Message{Data: data[:tt.dataLen]})
			if got != tt.want || ok != tt.ok {
				t.Errorf("fixedHeaderLen = %d, %v; want %d, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// tlvBytes encodes one attribute with its padding.
func tlvBytes(typ uint16, data []byte) []byte {
	b := binary.NativeEndian.AppendUint16(nil, uint16(4+len(data)))
	b = binary.NativeEndian.AppendUint16(b, typ)
	b = append(b, data...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func TestAnnotateOffset(t *testing.T) {
	// A generic netlink request: genlmsghdr, attribute 1 at offset 20,
	// nest 2 at 28 holding attribute 3 at 32.
	data := append(make([]byte, 4), tlvBytes(1, []byte{1})...)
	data = append(data, tlvBytes(2|Nested, tlvBytes(3, []byte{1, 2, 3, 4}))...)
	req := Message{Header: Header{Type: 0x1c, Sequence: 5}, Data: data}
	einval := func(seq uint32) *OpError { return &OpError{Op: "receive", Err: syscall.EINVAL, Sequence: seq} }

	tests := []struct {
		name   string
		family int
		err    *OpError
		ack    *ExtendedAck // stored for err before, if not nil
		want   *ExtendedAck // stored for err after
	}{
		{
			name:   "offset",
			family: familyGeneric,
			err:    einval(5),
			ack:    &ExtendedAck{Message: "bad", Offset: 32},
			want:   &ExtendedAck{Message: "bad", Offset: 32, Path: []uint16{2, 3}},
		},
		{
			name:   "missing attribute in a nest",
			family: familyGeneric,
			err:    einval(5),
			ack:    &ExtendedAck{MissingType: 7, MissingNest: 28},
			want:   &ExtendedAck{MissingType: 7, MissingNest: 28, MissingPath: []uint16{2, 7}},
		},
		{
			name:   "missing attribute at the top and an offset",
			family: familyGeneric,
			err:    einval(5),
			ack:    &ExtendedAck{Offset: 20, MissingType: 9},
			want:   &ExtendedAck{Offset: 20, MissingType: 9, Path: []uint16{1}, MissingPath: []uint16{9}},
		},
		{
			name:   "no extended acknowledgement",
			family: familyGeneric,
			err:    &OpError{Op: "receive", Err: syscall.EINVAL, Sequence: 5, Offset: 32},
		},
		{
			name:   "family unknown",
			family: -1,
			err:    einval(5),
			ack:    &ExtendedAck{Offset: 32},
			want:   &ExtendedAck{Offset: 32},
		},
		{
			name:   "error of another request",
			family: familyGeneric,
			err:    einval(6),
			ack:    &ExtendedAck{Offset: 32},
			want:   &ExtendedAck{Offset: 32},
		},
		{
			name:   "message only",
			family: familyGeneric,
			err:    einval(5),
			ack:    &ExtendedAck{Message: "no"},
			want:   &ExtendedAck{Message: "no"},
		},
		{
			name:   "offset outside the request",
			family: familyGeneric,
			err:    einval(5),
			ack:    &ExtendedAck{Offset: 400},
			want:   &ExtendedAck{Offset: 400},
		},
		{
			name:   "validate error",
			family: familyGeneric,
			err:    &OpError{Op: "validate", Err: errMismatchedSequence},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := *tt.err
			var stored ExtendedAck
			if tt.ack != nil {
				stored = *tt.ack
				setExtAck(tt.err, tt.ack)
			}
			annotateOffset(tt.err, tt.family, req)
			if diff := cmp.Diff(tt.want, storedExtAck(tt.err)); diff != "" {
				t.Errorf("stored ExtendedAck (-want +got):\n%s", diff)
			}
			// The OpError itself and the entry stored before (which
			// an earlier ExtendedAckOf may have seen) are left alone.
			if diff := cmp.Diff(before, *tt.err, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
				t.Errorf("OpError changed (-before +after):\n%s", diff)
			}
			if tt.ack != nil {
				if diff := cmp.Diff(stored, *tt.ack); diff != "" {
					t.Errorf("stored entry modified in place (-before +after):\n%s", diff)
				}
			}
		})
	}
	annotateOffset(nil, familyGeneric, req) // must not panic
}
