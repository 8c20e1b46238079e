package netlink_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
)

// linkInfoRequest is an RTM_NEWLINK-like request: a 16-byte fixed header,
// then IFLA_IFNAME (3), IFLA_LINKINFO (18, flagged nested) holding
// IFLA_INFO_KIND (1) and IFLA_INFO_DATA (2, flagged nested) holding two
// attributes, then IFLA_MTU (4).
//
//	offset 16: ifinfomsg
//	offset 32: IFLA_IFNAME, 8 bytes ("nl0\0")
//	offset 40: IFLA_LINKINFO, 4 + 12 + 20 bytes
//	offset 44:   IFLA_INFO_KIND, 10 bytes ("vxlan\0") + 2 of padding
//	offset 56:   IFLA_INFO_DATA, 4 + 8 + 8 bytes
//	offset 60:     type 1, 8 bytes
//	offset 68:     type 7, 8 bytes
//	offset 76: IFLA_MTU, 8 bytes, up to 84
var linkInfoRequest = netlink.Message{
	Header: netlink.Header{Type: 0x10, Flags: netlink.Request},
	Data: cat(
		make([]byte, 16),
		tlv(3, []byte("nl0\x00")),
		tlv(18|nestedFlag, cat(
			tlv(1, []byte("vxlan\x00")),
			tlv(2|nestedFlag, cat(tlv(1, nativeU32(42)), tlv(7|netOrderFlag, nativeU32(1)))),
		)),
		tlv(4, nativeU32(1500)),
	),
}

func TestAttributePath(t *testing.T) {
	tests := []struct {
		name      string
		req       netlink.Message
		headerLen int
		offset    uint32
		want      []uint16
		wantErr   string
	}{
		{name: "first top-level attribute", req: linkInfoRequest, headerLen: 16, offset: 32, want: []uint16{3}},
		{name: "nest itself", req: linkInfoRequest, headerLen: 16, offset: 40, want: []uint16{18}},
		{name: "first in nest", req: linkInfoRequest, headerLen: 16, offset: 44, want: []uint16{18, 1}},
		{name: "nested nest", req: linkInfoRequest, headerLen: 16, offset: 56, want: []uint16{18, 2}},
		{name: "two levels down", req: linkInfoRequest, headerLen: 16, offset: 60, want: []uint16{18, 2, 1}},
		{name: "flags dropped", req: linkInfoRequest, headerLen: 16, offset: 68, want: []uint16{18, 2, 7}},
		{name: "after the nest", req: linkInfoRequest, headerLen: 16, offset: 76, want: []uint16{4}},
		{name: "inside a payload", req: linkInfoRequest, headerLen: 16, offset: 80, want: []uint16{4}},
		{name: "inside a nested payload", req: linkInfoRequest, headerLen: 16, offset: 64, want: []uint16{18, 2, 1}},
		{name: "inside a string", req: linkInfoRequest, headerLen: 16, offset: 50, want: []uint16{18, 1}},
		{name: "last byte", req: linkInfoRequest, headerLen: 16, offset: 83, want: []uint16{4}},
		{
			// A 1-byte fixed header (rtgenmsg) is padded to 4.
			name:      "padded fixed header",
			req:       netlink.Message{Data: cat([]byte{2, 0, 0, 0}, tlv(5, nativeU32(1)))},
			headerLen: 1, offset: 20, want: []uint16{5},
		},
		{
			name:      "binary payload that looks like attributes up to another offset",
			req:       netlink.Message{Data: cat(make([]byte, 4), tlv(9, cat(tlv(1, []byte{1, 2, 3, 4}), []byte{0xff, 0xff})))},
			headerLen: 4, offset: 31, want: []uint16{9, 1},
		},
		{
			name:      "payload not parsing as attributes",
			req:       netlink.Message{Data: cat(make([]byte, 4), tlv(9, []byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}))},
			headerLen: 4, offset: 28, want: []uint16{9},
		},
		{name: "offset in the netlink header", req: linkInfoRequest, headerLen: 16, offset: 4, wantErr: "outside bytes 32 to 84"},
		{name: "offset in the fixed header", req: linkInfoRequest, headerLen: 16, offset: 31, wantErr: "outside bytes 32 to 84"},
		{name: "offset past the end", req: linkInfoRequest, headerLen: 16, offset: 84, wantErr: "outside"},
		{name: "offset of 2^31", req: linkInfoRequest, headerLen: 16, offset: 1 << 31, wantErr: "outside"},
		{name: "offset of 2^32-1", req: linkInfoRequest, headerLen: 16, offset: 0xffffffff, wantErr: "outside"},
		{name: "zero offset", req: linkInfoRequest, headerLen: 16, offset: 0, wantErr: "outside"},
		{name: "header longer than the data", req: linkInfoRequest, headerLen: 100, offset: 32, wantErr: "fixed header of 100 bytes"},
		{name: "negative header", req: linkInfoRequest, headerLen: -1, offset: 32, wantErr: "fixed header of -1 bytes"},
		{
			name:      "padding between attributes",
			req:       netlink.Message{Data: cat(make([]byte, 4), tlv(1, []byte{1}), tlv(2, nil))},
			headerLen: 4, offset: 26, wantErr: "in padding or past a malformed attribute",
		},
		{
			name:      "past a malformed attribute",
			req:       netlink.Message{Data: cat(make([]byte, 4), []byte{200, 0, 1, 0}, make([]byte, 8))},
			headerLen: 4, offset: 24, wantErr: "in padding or past a malformed attribute",
		},
		{
			name:      "attribute shorter than its header",
			req:       netlink.Message{Data: cat(make([]byte, 4), []byte{2, 0, 1, 0}, tlv(2, nil))},
			headerLen: 4, offset: 24, wantErr: "in padding or past a malformed attribute",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := netlink.AttributePath(tt.req, tt.headerLen, tt.offset)
			checkPathResult(t, got, err, tt.want, tt.wantErr)
		})
	}
}

func TestMissingAttributePath(t *testing.T) {
	tests := []struct {
		name          string
		nest, missing uint32
		want          []uint16
		wantErr       string
	}{
		{name: "top level", missing: 5, want: []uint16{5}},
		{name: "in a nest", nest: 40, missing: 3, want: []uint16{18, 3}},
		{name: "in a nested nest", nest: 56, missing: 9, want: []uint16{18, 2, 9}},
		{name: "nest offset inside a payload", nest: 58, missing: 9, wantErr: "inside an attribute"},
		{name: "nest offset outside", nest: 2, missing: 9, wantErr: "outside"},
		{name: "type too large", missing: 0x10000, wantErr: "type 65536 is not an attribute type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := netlink.MissingAttributePath(linkInfoRequest, 16, tt.nest, tt.missing)
			checkPathResult(t, got, err, tt.want, tt.wantErr)
		})
	}
}

func checkPathResult(t *testing.T, got []uint16, err error, want []uint16, wantErr string) {
	t.Helper()
	if wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), wantErr) || !strings.HasPrefix(err.Error(), "netlink: ") {
			t.Fatalf("error %v, want one containing %q", err, wantErr)
		}
		if got != nil {
			t.Errorf("path %v with an error", got)
		}
		return
	}
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("path (-want +got):\n%s", diff)
	}
}

// The paths point at the attributes whose offsets they were computed
// from: checked against every attribute of a request built with the
// AttributeEncoder.
func TestAttributePathEveryAttribute(t *testing.T) {
	ae := netlink.NewAttributeEncoder()
	ae.String(1, "a")
	ae.Nested(2, func(nae *netlink.AttributeEncoder) error {
		nae.Uint8(1, 1)
		nae.Nested(2, func(n2 *netlink.AttributeEncoder) error {
			n2.Uint64(3, 3)
			n2.Bytes(4, make([]byte, 5))
			return nil
		})
		nae.Uint16(5, 5)
		return nil
	})
	ae.Uint32(3, 3)
	attrs, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}
	req := netlink.Message{Data: cat([]byte{1, 2, 3, 4}, attrs)}
	want := map[uint32][]uint16{
		20: {1}, 28: {2}, 32: {2, 1}, 40: {2, 2}, 44: {2, 2, 3}, 56: {2, 2, 4},
		68: {2, 5}, 76: {3},
	}
	for off := uint32(0); off < uint32(16+len(req.Data)); off++ {
		got, err := netlink.AttributePath(req, 4, off)
		if w, ok := want[off]; ok {
			if err != nil || !cmp.Equal(w, got) {
				t.Errorf("offset %d: path %v, %v; want %v", off, got, err, w)
			}
			continue
		}
		if err == nil && off < 20 {
			t.Errorf("offset %d in the headers: path %v, want an error", off, got)
		}
		if err != nil && !errors.Is(err, errors.Unwrap(err)) {
			t.Errorf("offset %d: %v", off, err)
		}
	}
}
