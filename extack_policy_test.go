package netlink_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/internal/nlfacts"
)

func TestDecodePolicy(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
		want netlink.Policy
		err  string // a substring of the error, "" for none
	}{
		{name: "empty", b: nil},
		{
			name: "every attribute",
			b:    fullPolicyTLVs[4:],
			want: netlink.Policy{
				Type:      netlink.PolicyTypeU8,
				MinSigned: ptr[int64](-1), MaxSigned: ptr[int64](7),
				MinUnsigned: ptr[uint64](1), MaxUnsigned: ptr[uint64](1 << 40),
				MinLength: ptr[uint32](2), MaxLength: ptr[uint32](15),
				PolicyIndex: ptr[uint32](3), MaxType: ptr[uint32](30),
				Bitfield32Mask: ptr[uint32](0xf0), Mask: ptr[uint64](0x7),
			},
		},
		{
			name: "sint bounds in 4 bytes",
			b: cat(tlv(nlfacts.PolicyAttrType, nativeU32(uint32(netlink.PolicyTypeSint))),
				tlv(nlfacts.PolicyAttrMinValueS, nativeU32(0xfffffffb)),
				tlv(nlfacts.PolicyAttrMaxValueS, nativeU32(5))),
			want: netlink.Policy{Type: netlink.PolicyTypeSint, MinSigned: ptr[int64](-5), MaxSigned: ptr[int64](5)},
		},
		{
			name: "uint bounds in 4 bytes",
			b: cat(tlv(nlfacts.PolicyAttrType, nativeU32(uint32(netlink.PolicyTypeUint))),
				tlv(nlfacts.PolicyAttrMaxValueU, nativeU32(0xffffffff))),
			want: netlink.Policy{Type: netlink.PolicyTypeUint, MaxUnsigned: ptr[uint64](0xffffffff)},
		},
		{
			name: "wrong size, the rest kept",
			b: cat(tlv(nlfacts.PolicyAttrMaxLength, []byte{1, 2}),
				tlv(nlfacts.PolicyAttrMinLength, nativeU32(3))),
			want: netlink.Policy{MinLength: ptr[uint32](3)},
			err:  "netlink: decoding policy: policy maximum length is 2 bytes, want 4",
		},
		{
			name: "truncated attribute",
			b:    cat(tlv(nlfacts.PolicyAttrType, nativeU32(uint32(netlink.PolicyTypeU32))), []byte{8, 0, 6, 0}),
			want: netlink.Policy{Type: netlink.PolicyTypeU32},
			err:  "netlink: decoding policy: malformed policy attribute",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := netlink.DecodePolicy(tt.b)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("unexpected policy (-want +got):\n%s", diff)
			}
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("failed to decode: %v", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Fatalf("error %v, want one containing %q", err, tt.err)
			}
		})
	}
}

// DecodePolicy and DecodeExtendedAck decode a policy alike.
func TestDecodePolicyMatchesExtendedAck(t *testing.T) {
	p, err := netlink.DecodePolicy(fullPolicyTLVs[4:])
	if err != nil {
		t.Fatalf("failed to decode: %v", err)
	}
	a, err := netlink.DecodeExtendedAck(netlink.Message{
		Header: netlink.Header{Type: netlink.Done, Flags: netlink.AcknowledgeTLVs},
		Data:   cat(make([]byte, 4), fullPolicyTLVs),
	})
	if err != nil || a.Policy == nil {
		t.Fatalf("DecodeExtendedAck: %+v, %v", a, err)
	}
	if diff := cmp.Diff(*a.Policy, p); diff != "" {
		t.Fatalf("policies differ (-extended ACK +DecodePolicy):\n%s", diff)
	}
}
