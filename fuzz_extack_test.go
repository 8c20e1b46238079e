package netlink_test

import (
	"encoding/binary"
	"errors"
	"io"
	"math"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/internal/nlfacts"
	"github.com/mdlayher/netlink/nltest"
)

// FuzzExtendedAck decodes arbitrary extended acknowledgement attributes,
// after an echoed header whose Length is also arbitrary, in an Error and in
// a Done message. No input may panic; Receive must report what
// DecodeExtendedAck decodes; and what decodes without error must survive
// nltest's encoding unchanged.
func FuzzExtendedAck(f *testing.F) {
	f.Add(uint32(28), uint16(netlink.AcknowledgeTLVs), int32(-22), fullTLVs)
	f.Add(uint32(16), uint16(netlink.AcknowledgeTLVs|netlink.Capped), int32(0), tlv(attrMsg, []byte("warn\x00")))
	f.Add(uint32(0xfffffff0), uint16(netlink.AcknowledgeTLVs), int32(-1), fullPolicyTLVs)
	f.Add(uint32(1<<31), uint16(netlink.AcknowledgeTLVs|netlink.Capped), int32(-1), cat(tlv(attrOffs, nativeU32(1<<31)), tlv(nlfacts.ExtAckMissNest, nativeU32(0xffffffff))))
	f.Fuzz(func(t *testing.T, echoLen uint32, flags uint16, code int32, tlvs []byte) {
		h := extAckRequest.Header
		h.Length = echoLen
		data := errData(code, headerBytes(h), tlvs)
		for _, typ := range []netlink.HeaderType{netlink.Error, netlink.Done} {
			m := ackMessage(typ, netlink.HeaderFlags(flags)|netlink.Multi, data)
			a, err := netlink.DecodeExtendedAck(m)
			if err != nil && !strings.HasPrefix(err.Error(), "netlink: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			checkReceived(t, m, a, err)
			if err != nil {
				continue
			}
			// Re-encoded by nltest, the acknowledgement decodes the same.
			var back []netlink.Message
			if typ == netlink.Error {
				back, _ = nltest.ErrorWithAck(1, extAckRequest, a, flags&1 != 0)
			} else {
				back, _ = nltest.FailedDump(extAckRequest, nil, 1, a)
			}
			got, err := netlink.DecodeExtendedAck(back[len(back)-1])
			if err != nil {
				t.Fatalf("decoding nltest's encoding of %+v: %v", a, err)
			}
			if diff := cmp.Diff(normalize(a), normalize(got)); diff != "" {
				t.Fatalf("round trip (-decoded +re-decoded):\n%s", diff)
			}
		}
	})
}

// normalize makes an empty cookie nil: nltest sends an empty one, which
// decodes as empty, but comparing with go-cmp tells nil and empty apart.
func normalize(a netlink.ExtendedAck) netlink.ExtendedAck {
	if len(a.Cookie) == 0 {
		a.Cookie = nil
	}
	return a
}

// checkReceived checks that Receive reports m as DecodeExtendedAck decoded
// it: a, or err.
func checkReceived(t *testing.T, m netlink.Message, a netlink.ExtendedAck, decErr error) {
	t.Helper()
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		if len(req) == 0 {
			return nil, io.EOF
		}
		return []netlink.Message{m}, nil
	})
	if _, err := c.Send(netlink.Message{}); err != nil {
		t.Fatal(err)
	}
	_, err := c.Receive()
	code := int32(0)
	if len(m.Data) >= 4 {
		code = int32(nativeEndianU32(m.Data))
	}
	var oe *netlink.OpError
	switch {
	case len(m.Data) == 0 && m.Header.Type == netlink.Done:
		return // ends the dump
	case len(m.Data) < 4:
		if err == nil {
			t.Fatalf("short message received without error")
		}
		return
	case code == 0:
		if err != nil && m.Header.Type == netlink.Error && decErr == nil {
			t.Fatalf("acknowledgement received as error %v", err)
		}
		return
	case !errors.As(err, &oe):
		t.Fatalf("code %d: Receive error %v (%T), want an *OpError", code, err, err)
	}
	if decErr != nil {
		// Receive is lenient: the errno matters more than a malformed
		// attribute, unless the echoed request itself does not fit.
		if !errors.Is(err, syscall.Errno(-int64(code))) && !strings.Contains(err.Error(), "not enough data") {
			t.Fatalf("code %d: Receive error %v lost the errno", code, err)
		}
		return
	}
	if oe.Message != a.Message {
		t.Fatalf("OpError.Message %q, decoded %q", oe.Message, a.Message)
	}
	wantOffset := 0
	if uint64(a.Offset) <= math.MaxInt {
		wantOffset = int(a.Offset)
	}
	if oe.Offset != wantOffset {
		t.Fatalf("OpError.Offset %d, want %d for decoded offset %d", oe.Offset, wantOffset, a.Offset)
	}
	got, ok := netlink.ExtendedAckOf(err)
	switch {
	case ok:
		if diff := cmp.Diff(a, *got); diff != "" {
			t.Fatalf("ExtendedAckOf (-decoded +received):\n%s", diff)
		}
	case !cmp.Equal(a, netlink.ExtendedAck{}):
		t.Fatalf("ExtendedAckOf(%v) found nothing, decoded %+v", err, a)
	}
}

func nativeEndianU32(b []byte) uint32 { return binary.NativeEndian.Uint32(b) }

// FuzzAttributePath checks AttributePath and MissingAttributePath on
// arbitrary requests and offsets: no panic, errors with the package
// prefix, and a path whose first type is that of the top-level attribute
// holding the offset.
func FuzzAttributePath(f *testing.F) {
	f.Add(linkInfoRequest.Data, 16, uint32(60))
	f.Add(linkInfoRequest.Data, 16, uint32(1<<31))
	f.Add([]byte{1, 0, 0, 0, 8, 0, 1, 0, 1, 2, 3, 4}, 1, uint32(20))
	f.Fuzz(func(t *testing.T, data []byte, headerLen int, offset uint32) {
		req := netlink.Message{Data: data}
		path, err := netlink.AttributePath(req, headerLen, offset)
		mpath, merr := netlink.MissingAttributePath(req, headerLen, offset, 1)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "netlink: ") || path != nil {
				t.Fatalf("path %v, error %v", path, err)
			}
			if offset != 0 && merr == nil {
				t.Fatalf("missing path %v found where AttributePath failed: %v", mpath, err)
			}
			return
		}
		if len(path) == 0 {
			t.Fatal("empty path without error")
		}
		if merr == nil && !cmp.Equal(mpath, append(path[:len(path):len(path)], 1)) {
			t.Fatalf("missing path %v, attribute path %v", mpath, path)
		}
		// The first type is that of the top-level attribute holding
		// the offset, found here with an AttributeDecoder.
		start := (headerLen + 3) &^ 3
		ad, aerr := netlink.NewAttributeDecoder(data[start:])
		if aerr != nil {
			return // checked by the attribute decoder's own fuzz target
		}
		pos := 16 + start
		for ad.Next() {
			n := 4 + len(ad.Bytes())
			if int(offset) >= pos && int(offset) < pos+n {
				if ad.Type() != path[0] {
					t.Fatalf("offset %d: path %v, top-level attribute type %d", offset, path, ad.Type())
				}
				return
			}
			pos += (n + 3) &^ 3
		}
		// The decoder stopped at a malformed attribute past the offset;
		// AttributePath must have found the holder before it.
		if int(offset) >= pos {
			t.Fatalf("offset %d past the attributes the decoder read (up to %d), path %v", offset, pos, path)
		}
	})
}
