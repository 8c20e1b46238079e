package netlink

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The fuzz targets check that no input makes the codec panic or hang, that
// what decodes is consistent between the APIs, and that it re-encodes to the
// input wherever the format allows (padding is not kept, so it is compared
// as zero). Seeds live in testdata/fuzz/<FuzzName>/.

func FuzzMessageUnmarshalBinary(f *testing.F) {
	f.Add(codecMessage(20, 0x10, []byte{1, 2, 3, 4}, 0))
	f.Fuzz(func(t *testing.T, b []byte) {
		var m Message
		if err := m.UnmarshalBinary(b); err != nil {
			if err != errShortMessage && err != errUnalignedMessage {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		l := int(m.Header.Length)
		if len(b)%4 != 0 || l < headerLen || l > len(b) {
			t.Fatalf("accepted %d bytes with Length %d", len(b), l)
		}
		var h Header
		decodeHeader(&h, b)
		if diff := cmp.Diff(h, m.Header); diff != "" {
			t.Fatalf("header (-want +got):\n%s", diff)
		}
		if !bytes.Equal(m.Data, b[headerLen:l]) {
			t.Fatalf("Data %x, want %x", m.Data, b[headerLen:l])
		}

		out, err := m.MarshalBinary()
		if l%4 != 0 {
			if err != errIncorrectMessageLength {
				t.Fatalf("MarshalBinary of unaligned Length %d: error %v, want %v", l, err, errIncorrectMessageLength)
			}
			return
		}
		if err != nil {
			t.Fatalf("MarshalBinary: %v", err)
		}
		if !bytes.Equal(out, b[:l]) {
			t.Fatalf("re-encoded %x, want %x", out, b[:l])
		}
	})
}

func FuzzParseMessages(f *testing.F) {
	f.Add(codecMessage(20, 0x10, []byte{1, 2, 3, 4}, 0))
	f.Fuzz(func(t *testing.T, b []byte) {
		msgs, err := parseMessages(b)

		// Walk the datagram with nextMessage, which must agree.
		var walked []Message
		rest, werr := b, error(nil)
		for moreMessages(rest) && werr == nil {
			var m Message
			rest, werr = nextMessage(rest, &m)
			if werr == nil {
				walked = append(walked, m)
			}
		}
		if err != nil {
			if err != errShortMessage && err != errIncorrectMessageLength {
				t.Fatalf("unexpected error %v", err)
			}
			if err != werr {
				t.Fatalf("parseMessages failed with %v, nextMessage with %v", err, werr)
			}
			if werr == nil {
				t.Fatalf("parseMessages failed with %v but nextMessage read all %d messages", err, len(walked))
			}
			return
		}
		if werr != nil {
			t.Fatalf("parseMessages succeeded but nextMessage failed: %v", werr)
		}
		if len(walked) == 0 {
			walked = []Message{}
		}
		if diff := cmp.Diff(walked, msgs); diff != "" {
			t.Fatalf("parseMessages and nextMessage differ (-next +parse):\n%s", diff)
		}

		// Re-encode each message where it was found.
		off := 0
		for i := range msgs {
			m := &msgs[i]
			l := int(m.Header.Length)
			if l < headerLen || off+l > len(b) {
				t.Fatalf("message %d: Length %d at offset %d of %d bytes", i, l, off, len(b))
			}
			out := appendMessage(nil, m)
			if !bytes.Equal(out, b[off:off+l]) {
				t.Fatalf("message %d re-encoded %x, want %x", i, out, b[off:off+l])
			}
			off = min(nlmsgAlign(off+l), len(b))
		}
		// What is left is too short for a header, and ignored.
		if len(b)-off >= headerLen {
			t.Fatalf("messages cover %d of %d bytes", off, len(b))
		}
	})
}

func FuzzUnmarshalAttributes(f *testing.F) {
	f.Add(codecCat(codecAttr(1, 1, 2), codecAttr(2|Nested, codecAttr(1, 'x', 0)...)))
	f.Fuzz(func(t *testing.T, b []byte) {
		attrs, err := UnmarshalAttributes(b)
		_, derr := NewAttributeDecoder(b)
		// The decoder refuses only streams that end inside a header, and
		// reports other malformed attributes from Next.
		if derr != nil && err == nil || derr != nil && derr != errInvalidAttribute {
			t.Fatalf("UnmarshalAttributes error %v, NewAttributeDecoder error %v", err, derr)
		}
		if err != nil {
			if err != errInvalidAttribute {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}

		out, err := MarshalAttributes(attrs)
		if err != nil {
			t.Fatalf("MarshalAttributes: %v", err)
		}
		if want := fuzzZeroPadding(t, b); !bytes.Equal(out, want) {
			t.Fatalf("re-encoded\n%x\nwant\n%x", out, want)
		}
		again, err := UnmarshalAttributes(out)
		if err != nil {
			t.Fatalf("decoding the re-encoded attributes: %v", err)
		}
		if diff := cmp.Diff(attrs, again); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}

func FuzzAttributeDecoder(f *testing.F) {
	f.Add(codecCat(codecAttr(1, 1, 2), codecAttr(2|Nested, codecAttr(1, 'x', 0)...)), false)
	f.Fuzz(func(t *testing.T, b []byte, bigEndian bool) {
		var bo binary.ByteOrder = binary.NativeEndian
		if bigEndian {
			bo = binary.BigEndian
		}
		fuzzDecode(t, b, bo, 0)
	})
}

// fuzzMaxDepth bounds the recursion into nested attributes: the input, at
// most a few KiB, could otherwise nest a thousand levels.
const fuzzMaxDepth = 16

// fuzzDecode decodes b with an AttributeDecoder in byte order bo, checking
// every getter against UnmarshalAttributes and encoding/binary, recursing
// into attributes that hold a valid stream, and re-encoding what it read.
func fuzzDecode(t *testing.T, b []byte, bo binary.ByteOrder, depth int) {
	attrs, uerr := UnmarshalAttributes(b)
	ad, err := NewAttributeDecoder(b)
	if err != nil {
		if err != errInvalidAttribute || ad != nil || uerr == nil {
			t.Fatalf("depth %d: decoder %v, error %v; UnmarshalAttributes error %v", depth, ad, err, uerr)
		}
		return
	}
	if uerr != nil {
		// The decoder takes the stream and reports the bad attribute
		// when it reaches it.
		for ad.Next() {
		}
		if ad.Err() != errInvalidAttribute {
			t.Fatalf("depth %d: decoder Err() = %v on a stream UnmarshalAttributes refused with %v", depth, ad.Err(), uerr)
		}
		return
	}
	if ad.Len() != len(attrs) {
		t.Fatalf("depth %d: Len() = %d, want %d", depth, ad.Len(), len(attrs))
	}
	ad.ByteOrder = bo

	// The decoder also gives the attributes of Length zero, which
	// UnmarshalAttributes skips and re-encoding drops.
	raw := fuzzWalk(b)
	ae := NewAttributeEncoder()
	ae.ByteOrder = bo
	i, r := 0, 0
	for ad.Next() {
		if r >= len(raw) {
			t.Fatalf("depth %d: more attributes than the %d in the stream", depth, len(raw))
		}
		zero := raw[r].zero
		r++
		if zero {
			if ad.Type() != raw[r-1].typ&^(Nested|NetByteOrder) || len(ad.Bytes()) != 0 {
				t.Fatalf("depth %d: Length-zero attribute gave type %d and %x", depth, ad.Type(), ad.Bytes())
			}
			continue
		}
		if i >= len(attrs) {
			t.Fatalf("depth %d: more attributes than the %d UnmarshalAttributes found", depth, len(attrs))
		}
		a := attrs[i]
		i++
		if ad.Type() != a.Type&^(Nested|NetByteOrder) || ad.TypeFlags() != a.Type&(Nested|NetByteOrder) {
			t.Fatalf("depth %d: Type %#x, TypeFlags %#x, raw type %#x", depth, ad.Type(), ad.TypeFlags(), a.Type)
		}
		data := ad.Bytes()
		if !bytes.Equal(data, a.Data) {
			t.Fatalf("depth %d: Bytes() = %x, want %x", depth, data, a.Data)
		}
		fuzzCheckValue(t, ad, data, bo)

		// Re-encode through the matching setter where there is one, so
		// that the encoder is exercised too.
		switch len(data) {
		case 0:
			ae.Flag(a.Type, true)
		case 1:
			ae.Uint8(a.Type, data[0])
		case 2:
			ae.Uint16(a.Type, bo.Uint16(data))
		case 4:
			ae.Int32(a.Type, int32(bo.Uint32(data)))
		case 8:
			ae.Uint64(a.Type, bo.Uint64(data))
		default:
			switch {
			case data[len(data)-1] == 0:
				ae.String(a.Type, string(data[:len(data)-1]))
			case len(data)%2 == 0:
				ae.Do(a.Type, func() ([]byte, error) { return data, nil })
			default:
				ae.Bytes(a.Type, data)
			}
		}

		if _, err := UnmarshalAttributes(data); err == nil && depth < fuzzMaxDepth {
			var inner int
			ad.Nested(func(nad *AttributeDecoder) error {
				if nad.ByteOrder != bo {
					return fmt.Errorf("nested ByteOrder %v, want %v", nad.ByteOrder, bo)
				}
				for nad.Next() {
					inner++
				}
				if want := len(fuzzWalk(data)); inner != want {
					return fmt.Errorf("nested decoder gave %d attributes, want %d", inner, want)
				}
				return nad.Err()
			})
			if err := ad.Err(); err != nil {
				t.Fatalf("depth %d: Nested: %v", depth, err)
			}
			fuzzDecode(t, data, bo, depth+1)
		}
	}
	if err := ad.Err(); err != nil {
		t.Fatalf("depth %d: Err() = %v", depth, err)
	}
	if i != len(attrs) || r != len(raw) {
		t.Fatalf("depth %d: decoder gave %d attributes and %d of Length zero, want %d and %d", depth, i, r-i, len(attrs), len(raw)-len(attrs))
	}

	out, err := ae.Encode()
	if err != nil {
		t.Fatalf("depth %d: Encode: %v", depth, err)
	}
	if want := fuzzZeroPadding(t, b); !bytes.Equal(out, want) {
		t.Fatalf("depth %d: re-encoded\n%x\nwant\n%x", depth, out, want)
	}

	fuzzCheckErrors(t, b, raw)
}

// A fuzzRaw is an attribute as the decoder gives it: type, data, and
// whether its Length was zero.
type fuzzRaw struct {
	typ  uint16
	data []byte
	zero bool
}

// fuzzWalk lists the attributes of b, a stream UnmarshalAttributes takes,
// those of Length zero included.
func fuzzWalk(b []byte) []fuzzRaw {
	var out []fuzzRaw
	for len(b) > 0 {
		l := int(binary.NativeEndian.Uint16(b))
		typ := binary.NativeEndian.Uint16(b[2:])
		if l == 0 {
			out = append(out, fuzzRaw{typ: typ, zero: true})
			b = b[attrHeaderLen:]
			continue
		}
		out = append(out, fuzzRaw{typ: typ, data: b[attrHeaderLen:l]})
		b = b[min(nlaAlign(l), len(b)):]
	}
	return out
}

// fuzzCheckValue calls the getters that fit data's size and compares them
// with encoding/binary, then checks String.
func fuzzCheckValue(t *testing.T, ad *AttributeDecoder, data []byte, bo binary.ByteOrder) {
	var got, want []any
	switch len(data) {
	case 0:
		got = append(got, ad.Flag())
		want = append(want, true)
	case 1:
		got = append(got, ad.Uint8(), ad.Int8())
		want = append(want, data[0], int8(data[0]))
	case 2:
		got = append(got, ad.Uint16(), ad.Int16())
		want = append(want, bo.Uint16(data), int16(bo.Uint16(data)))
	case 4:
		got = append(got, ad.Uint32(), ad.Int32())
		want = append(want, bo.Uint32(data), int32(bo.Uint32(data)))
	case 8:
		got = append(got, ad.Uint64(), ad.Int64())
		want = append(want, bo.Uint64(data), int64(bo.Uint64(data)))
	}
	s := string(data)
	got = append(got, ad.String())
	want = append(want, strings.TrimRight(s, "\x00"))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("getters (-want +got):\n%s", diff)
	}
	if err := ad.Err(); err != nil {
		t.Fatalf("getters of the right size recorded %v", err)
	}
}

// fuzzCheckErrors checks, on fresh decoders, that a getter of the wrong size
// records the documented error and stops the iteration, and that an error
// returned from Do becomes Err.
func fuzzCheckErrors(t *testing.T, b []byte, attrs []fuzzRaw) {
	if len(attrs) == 0 {
		return
	}
	ad, err := NewAttributeDecoder(b)
	if err != nil {
		t.Fatal(err)
	}
	ad.Next()
	a := attrs[0]
	var kind string
	if len(a.data) == 4 {
		ad.Uint16()
		kind = "uint16"
	} else {
		ad.Uint32()
		kind = "uint32"
	}
	want := fmt.Sprintf("netlink: attribute %d is not a %s; length: %d", a.typ&^(Nested|NetByteOrder), kind, len(a.data))
	if ad.Err() == nil || ad.Err().Error() != want {
		t.Fatalf("wrong-size getter: Err() = %v, want %q", ad.Err(), want)
	}
	if ad.Next() {
		t.Fatal("Next() = true after an error")
	}

	errStop := errors.New("stop")
	ad, _ = NewAttributeDecoder(b)
	ad.Next()
	ad.Do(func([]byte) error { return errStop })
	if ad.Err() != errStop || ad.Next() {
		t.Fatalf("Do error: Err() = %v", ad.Err())
	}

	// Nested on the first attribute whose data ends inside a header.
	ad, _ = NewAttributeDecoder(b)
	for _, a := range attrs {
		ad.Next()
		if _, err := NewAttributeDecoder(a.data); err == nil {
			continue
		}
		ad.Nested(func(*AttributeDecoder) error {
			t.Fatal("Nested called fn on data NewAttributeDecoder refuses")
			return nil
		})
		if ad.Err() != errInvalidAttribute || ad.Next() {
			t.Fatalf("Nested on invalid data: Err() = %v", ad.Err())
		}
		break
	}
}

// fuzzZeroPadding returns the attribute stream b with every padding byte
// zeroed and the last attribute's missing padding added: what re-encoding b
// must give.
func fuzzZeroPadding(t *testing.T, b []byte) []byte {
	var out []byte
	for len(b) > 0 {
		l := int(binary.NativeEndian.Uint16(b))
		if l == 0 {
			// Skipped by UnmarshalAttributes, so not re-encoded.
			b = b[attrHeaderLen:]
			continue
		}
		if l < attrHeaderLen || l > len(b) {
			t.Fatalf("fuzzZeroPadding: bad Length %d with %d bytes left", l, len(b))
		}
		out = append(out, b[:l]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		b = b[min(nlaAlign(l), len(b)):]
	}
	if out == nil {
		out = []byte{}
	}
	return out
}
