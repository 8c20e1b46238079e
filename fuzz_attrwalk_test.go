package netlink

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// refAttr is one attribute as the reference walker finds it.
type refAttr struct {
	Off    int // offset of its header in the stream
	Length uint16
	Type   uint16
	Data   []byte
}

// refWalk is a plain reading of the rules of an attribute stream, written
// apart from splitAttr to check it: each attribute has a 4-byte header, a
// Length of zero takes 4 bytes and holds nothing, a Length from 1 to 3 or
// past the end is malformed, and the padding of the last attribute may be
// missing. bad is the offset of the first malformed attribute, or -1.
func refWalk(b []byte) (attrs []refAttr, bad int) {
	off := 0
	for off < len(b) {
		if len(b)-off < 4 {
			return attrs, off
		}
		l := int(native.Uint16(b[off : off+2]))
		typ := native.Uint16(b[off+2 : off+4])
		if l == 0 {
			attrs = append(attrs, refAttr{Off: off, Type: typ, Data: []byte{}})
			off += 4
			continue
		}
		if l < 4 || l > len(b)-off {
			return attrs, off
		}
		attrs = append(attrs, refAttr{Off: off, Length: uint16(l), Type: typ, Data: b[off+4 : off+l]})
		off += (l + 3) &^ 3
	}
	return attrs, -1
}

// refCountHeaders is v1.11.2's count of a stream's headers, as
// NewAttributeDecoder makes it: lengths below 4 advance by 4. ok is false
// when the stream ends inside a header.
func refCountHeaders(b []byte) (n int, ok bool) {
	for off := 0; off < len(b); {
		if len(b)-off < 4 {
			return 0, false
		}
		l := int(native.Uint16(b[off : off+2]))
		if l != 0 {
			n++
		}
		if l < 4 {
			l = 4
		}
		off += (l + 3) &^ 3
	}
	return n, true
}

// FuzzAttributeWalkers checks every user of splitAttr against refWalk:
// UnmarshalAttributes, the AttributeDecoder, the extended acknowledgement
// decoder and AttributePath must find the same attributes, treat those of
// Length zero by the one rule, and fail at the same malformed attribute.
func FuzzAttributeWalkers(f *testing.F) {
	f.Add(codecCat(codecAttr(1, 1, 2), codecAttrLen(0, 7), codecAttr(2|Nested, codecAttr(1, 'x', 0)...)))
	f.Add(codecCat(codecAttr(2, 1, 0, 0, 0), codecAttrLen(2, 3), codecAttr(1, 'a')))
	f.Add(codecCat(codecAttr(1, 'a', 'b', 0), codecAttrLen(40, 2, 1)))
	f.Add([]byte{0, 0, 0, 0, 8, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		want, bad := refWalk(b)

		// UnmarshalAttributes: all or nothing, zero-length skipped.
		attrs, err := UnmarshalAttributes(b)
		if (err != nil) != (bad >= 0) || err != nil && err.Error() != "invalid attribute; length too short or too large" {
			t.Fatalf("UnmarshalAttributes error %v, reference fails at %d", err, bad)
		}
		if err == nil {
			var got, wantNZ []refAttr
			for _, a := range want {
				if a.Length != 0 {
					wantNZ = append(wantNZ, refAttr{Length: a.Length, Type: a.Type, Data: a.Data})
				}
			}
			for _, a := range attrs {
				got = append(got, refAttr{Length: a.Length, Type: a.Type, Data: a.Data})
			}
			if diff := cmp.Diff(wantNZ, got); diff != "" {
				t.Fatalf("UnmarshalAttributes (-reference +got):\n%s", diff)
			}
		}

		// AttributeDecoder: v1.11.2's count, then each attribute in turn,
		// zero-length ones included, up to the malformed one.
		n, ok := refCountHeaders(b)
		ad, err := NewAttributeDecoder(b)
		if (err == nil) != ok {
			t.Fatalf("NewAttributeDecoder error %v, reference count ok %t", err, ok)
		}
		if err != nil {
			return
		}
		if ad.Len() != n {
			t.Fatalf("Len() = %d, reference %d", ad.Len(), n)
		}
		var got []refAttr
		for ad.Next() {
			got = append(got, refAttr{Type: ad.Type() | ad.TypeFlags(), Data: ad.Bytes()})
		}
		var wantTD []refAttr
		for _, a := range want {
			wantTD = append(wantTD, refAttr{Type: a.Type, Data: bytes.Clone(a.Data)})
		}
		if diff := cmp.Diff(wantTD, got); diff != "" {
			t.Fatalf("AttributeDecoder (-reference +got):\n%s", diff)
		}
		if (ad.Err() != nil) != (bad >= 0) {
			t.Fatalf("AttributeDecoder error %v, reference fails at %d", ad.Err(), bad)
		}

		// The extended acknowledgement decoder stops at the same
		// malformed attribute.
		var a ExtendedAck
		err = a.decode(b)
		malformed := fmt.Sprintf("netlink: %v at byte %d of the attributes", errMalformedExtAck, bad)
		switch {
		case bad >= 0 && (err == nil || err.Error() != malformed):
			t.Fatalf("extended acknowledgement error %v, want %q", err, malformed)
		case bad < 0 && err != nil && !strings.Contains(err.Error(), "of the attributes: "):
			t.Fatalf("extended acknowledgement error %v on a well-formed stream", err)
		}

		// AttributePath finds each attribute before the malformed one at
		// its own offset, up to the first of Length zero, which it takes
		// for a malformed one as the kernel does.
		req := Message{Data: b}
		for _, w := range want {
			if native.Uint16(b[w.Off:]) == 0 {
				break
			}
			path, err := AttributePath(req, 0, uint32(headerLen+w.Off))
			if err != nil || len(path) != 1 || path[0] != w.Type&attrTypeMask {
				t.Fatalf("AttributePath at %d = %v, %v; want [%d]", w.Off, path, err, w.Type&attrTypeMask)
			}
		}
	})
}
