package netlink

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// codecAttr returns one attribute in wire form: a header in the host's byte
// order with Length 4+len(data), the data, and zero padding.
func codecAttr(typ uint16, data ...byte) []byte {
	return codecAttrLen(uint16(attrHeaderLen+len(data)), typ, data...)
}

// codecAttrLen is codecAttr with an explicit Length field.
func codecAttrLen(length, typ uint16, data ...byte) []byte {
	b := binary.NativeEndian.AppendUint16(nil, length)
	b = binary.NativeEndian.AppendUint16(b, typ)
	b = append(b, data...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// codecCat concatenates wire forms.
func codecCat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func codecU16(v uint16) []byte { return binary.NativeEndian.AppendUint16(nil, v) }
func codecU32(v uint32) []byte { return binary.NativeEndian.AppendUint32(nil, v) }
func codecU64(v uint64) []byte { return binary.NativeEndian.AppendUint64(nil, v) }

// codecInvalidStreams are inputs that are not a stream of attributes.
// codecInvalidStreams are refused by UnmarshalAttributes. Those with
// inHeader set end inside an attribute header, and NewAttributeDecoder
// refuses them too; it takes the others, and its Next reports them when it
// reaches the bad attribute, after good reports the well-formed ones before
// it. Len counts the non-zero Lengths the headers announce.
var codecInvalidStreams = []struct {
	name     string
	b        []byte
	inHeader bool
	len      int
	good     int
}{
	{name: "one byte", b: []byte{4}, inHeader: true},
	{name: "three bytes", b: []byte{4, 0, 1}, inHeader: true},
	{name: "trailing bytes", b: codecCat(codecAttr(1, 1, 2, 3, 4), []byte{0, 0}), inHeader: true},
	{name: "Length three", b: codecAttrLen(3, 1), len: 1},
	{name: "Length three after a good one", b: codecCat(codecAttr(1, 1), codecAttrLen(3, 2), codecAttr(3)), len: 3, good: 1},
	{name: "Length past the end", b: codecAttrLen(12, 1, 1, 2, 3, 4), len: 1},
	{name: "truncated second", b: codecCat(codecAttr(1), codecAttr(2, 1, 2, 3, 4, 5, 6, 7, 8)[:8]), len: 2, good: 1},
}

func TestAttributeErrorTexts(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{errInvalidAttribute, "invalid attribute; length too short or too large"},
		{errStringTooLarge, "string is too large to fit in a netlink attribute"},
		{errBytesTooLarge, "byte slice is too large to fit in a netlink attribute"},
		{errDoTooLarge, "byte slice produced by Do is too large to fit in a netlink attribute"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.err.Error()); diff != "" {
			t.Errorf("error text (-want +got):\n%s", diff)
		}
	}
}

func TestAttributeTypeFlags(t *testing.T) {
	if Nested != 0x8000 || NetByteOrder != 0x4000 {
		t.Fatalf("Nested = %#x, NetByteOrder = %#x; want 0x8000 and 0x4000", Nested, NetByteOrder)
	}
}

func TestUnmarshalAttributes(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
		want []Attribute
		err  error
	}{
		{name: "nil"},
		{name: "empty", b: []byte{}},
		{
			name: "one uint16",
			b:    codecAttr(1, codecU16(0x1234)...),
			want: []Attribute{{Length: 6, Type: 1, Data: codecU16(0x1234)}},
		},
		{
			name: "empty data",
			b:    codecAttr(2),
			want: []Attribute{{Length: 4, Type: 2, Data: []byte{}}},
		},
		{
			name: "flags kept in Type",
			b:    codecCat(codecAttr(1|Nested, codecAttr(3)...), codecAttr(2|NetByteOrder, 0, 1)),
			want: []Attribute{
				{Length: 8, Type: 0x8001, Data: codecAttr(3)},
				{Length: 6, Type: 0x4002, Data: []byte{0, 1}},
			},
		},
		{
			name: "several",
			b:    codecCat(codecAttr(1, 1), codecAttr(2, 'l', 'o', 0), codecAttr(3, codecU64(7)...)),
			want: []Attribute{
				{Length: 5, Type: 1, Data: []byte{1}},
				{Length: 7, Type: 2, Data: []byte{'l', 'o', 0}},
				{Length: 12, Type: 3, Data: codecU64(7)},
			},
		},
		{
			// A zero Length carries nothing and is skipped.
			name: "Length zero",
			b:    codecAttrLen(0, 1),
		},
		{
			name: "Length zero between good ones",
			b:    codecCat(codecAttr(1, 9), codecAttrLen(0, 2), codecAttr(3)),
			want: []Attribute{{Length: 5, Type: 1, Data: []byte{9}}, {Length: 4, Type: 3, Data: []byte{}}},
		},
		{
			name: "zero padding after the last",
			b:    codecCat(codecAttr(1), make([]byte, 8)),
			want: []Attribute{{Length: 4, Type: 1, Data: []byte{}}},
		},
		{
			name: "last padding missing",
			b:    codecCat(codecAttr(1, 1, 2), codecAttr(2, 1, 2, 3, 4, 5)[:9]),
			want: []Attribute{
				{Length: 6, Type: 1, Data: []byte{1, 2}},
				{Length: 9, Type: 2, Data: []byte{1, 2, 3, 4, 5}},
			},
		},
	}
	for _, tt := range codecInvalidStreams {
		tests = append(tests, struct {
			name string
			b    []byte
			want []Attribute
			err  error
		}{name: "invalid " + tt.name, b: tt.b, err: errInvalidAttribute})
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := UnmarshalAttributes(tt.b)
			if err != tt.err {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("unexpected attributes (-want +got):\n%s", diff)
			}
			for i, a := range got {
				if cap(a.Data) != len(a.Data) {
					t.Errorf("attribute %d: Data capacity %d, want %d", i, cap(a.Data), len(a.Data))
				}
			}
		})
	}
}

func TestUnmarshalAttributesPaddingBytes(t *testing.T) {
	// Padding is skipped whatever it holds.
	b := codecCat(codecAttr(1, 9), codecAttr(2, 8))
	b[5], b[6], b[7] = 0xff, 0xff, 0xff
	got, err := UnmarshalAttributes(b)
	if err != nil {
		t.Fatal(err)
	}
	want := []Attribute{{Length: 5, Type: 1, Data: []byte{9}}, {Length: 5, Type: 2, Data: []byte{8}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("unexpected attributes (-want +got):\n%s", diff)
	}
}

func TestUnmarshalAttributesDoesNotAlias(t *testing.T) {
	b := codecCat(codecAttr(1, 1, 2, 3, 4), codecAttr(2, 5, 6, 7, 8))
	attrs, err := UnmarshalAttributes(b)
	if err != nil {
		t.Fatal(err)
	}
	clear(b)
	want := []Attribute{{Length: 8, Type: 1, Data: []byte{1, 2, 3, 4}}, {Length: 8, Type: 2, Data: []byte{5, 6, 7, 8}}}
	if diff := cmp.Diff(want, attrs); diff != "" {
		t.Fatalf("attributes changed with their input (-want +got):\n%s", diff)
	}
	// Appending to one attribute's data must not overwrite the next.
	_ = append(attrs[0].Data, 0xee)
	if diff := cmp.Diff(want, attrs); diff != "" {
		t.Fatalf("append changed a neighbour (-want +got):\n%s", diff)
	}
}

func TestMarshalAttributes(t *testing.T) {
	tests := []struct {
		name  string
		attrs []Attribute
		want  []byte
	}{
		{name: "nil", want: []byte{}},
		{
			name:  "computed Length and padding",
			attrs: []Attribute{{Type: 1, Data: []byte{1}}, {Type: 2, Data: []byte{1, 2, 3, 4}}, {Type: 3}},
			want:  codecCat(codecAttr(1, 1), codecAttr(2, 1, 2, 3, 4), codecAttr(3)),
		},
		{
			name:  "Length written as given",
			attrs: []Attribute{{Length: 100, Type: 1, Data: []byte{1, 2}}, {Length: 4, Type: 2, Data: []byte{1}}},
			want:  codecCat(codecAttrLen(100, 1, 1, 2), codecAttrLen(4, 2, 1)),
		},
		{
			name:  "flags kept",
			attrs: []Attribute{{Type: 5 | Nested, Data: codecAttr(1, 7)}},
			want:  codecAttr(5|Nested, codecAttr(1, 7)...),
		},
		{
			name:  "largest data",
			attrs: []Attribute{{Type: 1, Data: make([]byte, maxAttrData)}},
			want:  codecAttr(1, make([]byte, maxAttrData)...),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MarshalAttributes(tt.attrs)
			if err != nil {
				t.Fatalf("MarshalAttributes: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("unexpected bytes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompatMarshalAttributesInvalid(t *testing.T) {
	tests := []struct {
		name  string
		attrs []Attribute
	}{
		{"data too large for the computed Length", []Attribute{{Type: 1}, {Type: 7, Data: make([]byte, maxAttrData+1)}}},
		{"given Length one", []Attribute{{Length: 1, Type: 1}}},
		{"given Length three", []Attribute{{Type: 1}, {Length: 3, Type: 2, Data: []byte{1}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := MarshalAttributes(tt.attrs)
			if err != errInvalidAttribute || b != nil {
				t.Fatalf("got %d bytes and error %v, want no bytes and %v", len(b), err, errInvalidAttribute)
			}
		})
	}

	// With a Length of at least a header given, the caller has decided;
	// it is written as is, even when the data does not fit it.
	attrs := []Attribute{{Length: 0xffff, Type: 7, Data: make([]byte, maxAttrData+1)}}
	if _, err := MarshalAttributes(attrs); err != nil {
		t.Fatalf("explicit Length: %v", err)
	}
}

func TestAttributesRoundTrip(t *testing.T) {
	in := []Attribute{
		{Length: 5, Type: 1, Data: []byte{0xff}},
		{Length: 9, Type: 2 | NetByteOrder, Data: []byte("wlan0")},
		{Length: 4, Type: 3, Data: []byte{}},
		{Length: 20, Type: 4 | Nested, Data: codecCat(codecAttr(1, 1, 2, 3, 4), codecAttr(2, 5, 6, 7, 8))},
	}
	b, err := MarshalAttributes(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := UnmarshalAttributes(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Fatalf("round trip changed the attributes (-want +got):\n%s", diff)
	}
}

func TestNewAttributeDecoderInvalid(t *testing.T) {
	for _, tt := range codecInvalidStreams {
		if !tt.inHeader {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			ad, err := NewAttributeDecoder(tt.b)
			if err != errInvalidAttribute || ad != nil {
				t.Fatalf("got decoder %v, error %v; want nil and %v", ad, err, errInvalidAttribute)
			}
		})
	}
}

func TestCompatAttributeDecoderReportsBadAttributeWhenReached(t *testing.T) {
	for _, tt := range codecInvalidStreams {
		if tt.inHeader {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			ad, err := NewAttributeDecoder(tt.b)
			if err != nil {
				t.Fatalf("NewAttributeDecoder: %v", err)
			}
			if ad.Len() != tt.len {
				t.Errorf("Len %d, want %d", ad.Len(), tt.len)
			}
			good := 0
			for ad.Next() {
				good++
			}
			if good != tt.good || ad.Err() != errInvalidAttribute {
				t.Fatalf("Next gave %d attributes and error %v, want %d and %v", good, ad.Err(), tt.good, errInvalidAttribute)
			}
		})
	}
}

func TestCompatAttributeDecoderZeroLength(t *testing.T) {
	// An attribute of Length zero is not counted by Len, and Next gives it
	// as an attribute with no data, four bytes long.
	b := codecCat(codecAttr(1, 9), codecAttrLen(0, 2|Nested), codecAttr(3, 7))
	ad, err := NewAttributeDecoder(b)
	if err != nil {
		t.Fatalf("NewAttributeDecoder: %v", err)
	}
	if ad.Len() != 2 {
		t.Errorf("Len %d, want 2", ad.Len())
	}
	type attr struct {
		Type, Flags uint16
		Data        []byte
	}
	var got []attr
	for ad.Next() {
		got = append(got, attr{ad.Type(), ad.TypeFlags(), ad.Bytes()})
	}
	if err := ad.Err(); err != nil {
		t.Fatalf("Err: %v", err)
	}
	want := []attr{{1, 0, []byte{9}}, {2, Nested, []byte{}}, {3, 0, []byte{7}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("attributes (-want +got):\n%s", diff)
	}
}

func TestAttributeDecoderEmpty(t *testing.T) {
	for _, b := range [][]byte{nil, {}} {
		ad, err := NewAttributeDecoder(b)
		if err != nil {
			t.Fatalf("NewAttributeDecoder(%v): %v", b, err)
		}
		if ad.Len() != 0 || ad.Next() || ad.Err() != nil {
			t.Fatalf("empty decoder: Len %d, Err %v", ad.Len(), ad.Err())
		}
	}
}

func TestAttributeDecoderIteration(t *testing.T) {
	b := codecCat(
		codecAttr(1, 7),
		codecAttr(2|Nested, codecAttr(1)...),
		codecAttr(3|NetByteOrder, 0, 1),
		codecAttr(4|Nested|NetByteOrder),
		codecAttr(0x3fff, 'x', 0),
	)
	ad, err := NewAttributeDecoder(b)
	if err != nil {
		t.Fatal(err)
	}
	if ad.Len() != 5 {
		t.Fatalf("Len() = %d, want 5", ad.Len())
	}

	type seen struct {
		Type, Flags uint16
		Data        []byte
	}
	var got []seen
	for ad.Next() {
		got = append(got, seen{ad.Type(), ad.TypeFlags(), ad.Bytes()})
	}
	if err := ad.Err(); err != nil {
		t.Fatalf("Err: %v", err)
	}
	want := []seen{
		{1, 0, []byte{7}},
		{2, Nested, codecAttr(1)},
		{3, NetByteOrder, []byte{0, 1}},
		{4, Nested | NetByteOrder, []byte{}},
		{0x3fff, 0, []byte{'x', 0}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("unexpected attributes (-want +got):\n%s", diff)
	}
	if ad.Len() != 5 {
		t.Fatalf("Len() after iterating = %d, want 5", ad.Len())
	}
}

func TestAttributeDecoderGetters(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		get  func(ad *AttributeDecoder) any
		want any
	}{
		{"uint8", []byte{0xfe}, func(ad *AttributeDecoder) any { return ad.Uint8() }, uint8(0xfe)},
		{"uint16", codecU16(0xfeed), func(ad *AttributeDecoder) any { return ad.Uint16() }, uint16(0xfeed)},
		{"uint32", codecU32(0xfeedface), func(ad *AttributeDecoder) any { return ad.Uint32() }, uint32(0xfeedface)},
		{"uint64", codecU64(0xfeedfacedeadbeef), func(ad *AttributeDecoder) any { return ad.Uint64() }, uint64(0xfeedfacedeadbeef)},
		{"int8", []byte{0xff}, func(ad *AttributeDecoder) any { return ad.Int8() }, int8(-1)},
		{"int16", codecU16(0xfffe), func(ad *AttributeDecoder) any { return ad.Int16() }, int16(-2)},
		{"int32", codecU32(0xfffffffd), func(ad *AttributeDecoder) any { return ad.Int32() }, int32(-3)},
		{"int64", codecU64(math.MaxUint64 - 3), func(ad *AttributeDecoder) any { return ad.Int64() }, int64(-4)},
		{"int64 max", codecU64(math.MaxInt64), func(ad *AttributeDecoder) any { return ad.Int64() }, int64(math.MaxInt64)},
		{"flag", nil, func(ad *AttributeDecoder) any { return ad.Flag() }, true},
		{"string with NUL", []byte("eth0\x00"), func(ad *AttributeDecoder) any { return ad.String() }, "eth0"},
		{"string without NUL", []byte("eth0"), func(ad *AttributeDecoder) any { return ad.String() }, "eth0"},
		{"string drops every trailing NUL", []byte("ab\x00\x00"), func(ad *AttributeDecoder) any { return ad.String() }, "ab"},
		{"string embedded NUL", []byte("a\x00b\x00"), func(ad *AttributeDecoder) any { return ad.String() }, "a\x00b"},
		{"string empty", nil, func(ad *AttributeDecoder) any { return ad.String() }, ""},
		{"string only NUL", []byte{0}, func(ad *AttributeDecoder) any { return ad.String() }, ""},
		{"bytes", []byte{1, 2, 3}, func(ad *AttributeDecoder) any { return ad.Bytes() }, []byte{1, 2, 3}},
		{"bytes empty", nil, func(ad *AttributeDecoder) any { return ad.Bytes() }, []byte{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ad, err := NewAttributeDecoder(codecAttr(1, tt.data...))
			if err != nil {
				t.Fatal(err)
			}
			if !ad.Next() {
				t.Fatalf("Next() = false, Err %v", ad.Err())
			}
			if diff := cmp.Diff(tt.want, tt.get(ad)); diff != "" {
				t.Fatalf("unexpected value (-want +got):\n%s", diff)
			}
			if err := ad.Err(); err != nil {
				t.Fatalf("Err: %v", err)
			}
		})
	}
}

func TestAttributeDecoderWrongSize(t *testing.T) {
	tests := []struct {
		name string
		typ  uint16
		data []byte
		get  func(ad *AttributeDecoder) any
		zero any
		err  string
	}{
		{"uint8 empty", 1, nil, func(ad *AttributeDecoder) any { return ad.Uint8() }, uint8(0),
			"netlink: attribute 1 is not a uint8; length: 0"},
		{"uint8 two", 1, []byte{1, 2}, func(ad *AttributeDecoder) any { return ad.Uint8() }, uint8(0),
			"netlink: attribute 1 is not a uint8; length: 2"},
		{"uint16 one", 1, []byte{1}, func(ad *AttributeDecoder) any { return ad.Uint16() }, uint16(0),
			"netlink: attribute 1 is not a uint16; length: 1"},
		{"uint32 two", 2, []byte{1, 2}, func(ad *AttributeDecoder) any { return ad.Uint32() }, uint32(0),
			"netlink: attribute 2 is not a uint32; length: 2"},
		{"uint64 four", 3, []byte{1, 2, 3, 4}, func(ad *AttributeDecoder) any { return ad.Uint64() }, uint64(0),
			"netlink: attribute 3 is not a uint64; length: 4"},
		{"int8 two", 4, []byte{1, 2}, func(ad *AttributeDecoder) any { return ad.Int8() }, int8(0),
			"netlink: attribute 4 is not a int8; length: 2"},
		{"int16 three", 5, []byte{1, 2, 3}, func(ad *AttributeDecoder) any { return ad.Int16() }, int16(0),
			"netlink: attribute 5 is not a int16; length: 3"},
		{"int32 eight", 6, codecU64(1), func(ad *AttributeDecoder) any { return ad.Int32() }, int32(0),
			"netlink: attribute 6 is not a int32; length: 8"},
		{"int64 nine", 7, make([]byte, 9), func(ad *AttributeDecoder) any { return ad.Int64() }, int64(0),
			"netlink: attribute 7 is not a int64; length: 9"},
		{"flag with data", 8, []byte{1, 2, 3, 4}, func(ad *AttributeDecoder) any { return ad.Flag() }, false,
			"netlink: attribute 8 is not a flag; length: 4"},
		{"number is Type without flags", 9 | Nested | NetByteOrder, []byte{1}, func(ad *AttributeDecoder) any { return ad.Uint32() }, uint32(0),
			"netlink: attribute 9 is not a uint32; length: 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ad, err := NewAttributeDecoder(codecCat(codecAttr(tt.typ, tt.data...), codecAttr(100, 1)))
			if err != nil {
				t.Fatal(err)
			}
			if !ad.Next() {
				t.Fatalf("Next() = false, Err %v", ad.Err())
			}
			if diff := cmp.Diff(tt.zero, tt.get(ad)); diff != "" {
				t.Fatalf("unexpected value (-want +got):\n%s", diff)
			}
			if ad.Err() == nil {
				t.Fatal("no error recorded")
			}
			if diff := cmp.Diff(tt.err, ad.Err().Error()); diff != "" {
				t.Fatalf("unexpected error (-want +got):\n%s", diff)
			}
			if ad.Next() {
				t.Fatal("Next() = true after an error, want it to stop")
			}
		})
	}
}

func TestAttributeDecoderFirstErrorWins(t *testing.T) {
	ad, err := NewAttributeDecoder(codecAttr(3, 1))
	if err != nil {
		t.Fatal(err)
	}
	ad.Next()
	ad.Uint16()
	ad.Uint64()
	ad.Flag()
	ad.Do(func([]byte) error { t.Error("Do called after an error"); return nil })
	ad.Nested(func(*AttributeDecoder) error { t.Error("Nested called after an error"); return nil })
	want := "netlink: attribute 3 is not a uint16; length: 1"
	if ad.Err() == nil || ad.Err().Error() != want {
		t.Fatalf("Err() = %v, want %q", ad.Err(), want)
	}
}

func TestAttributeDecoderByteOrder(t *testing.T) {
	b := codecCat(
		codecAttr(1, 0x12, 0x34),
		codecAttr(2, 0x12, 0x34, 0x56, 0x78),
		codecAttr(3, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef),
		codecAttr(4, 0xff, 0xfe),
		codecAttr(5|Nested, codecAttr(1, 0xab, 0xcd)...),
	)
	tests := []struct {
		name string
		bo   binary.ByteOrder
		want []uint64
	}{
		{"big", binary.BigEndian, []uint64{0x1234, 0x12345678, 0x0123456789abcdef, uint64(1<<64 - 2), 0xabcd}},
		{"little", binary.LittleEndian, []uint64{0x3412, 0x78563412, 0xefcdab8967452301, uint64(1<<64 - 0x101), 0xcdab}},
		{"custom", codecSwapped{binary.BigEndian}, []uint64{0x1234, 0x12345678, 0x0123456789abcdef, uint64(1<<64 - 2), 0xabcd}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ad, err := NewAttributeDecoder(b)
			if err != nil {
				t.Fatal(err)
			}
			ad.ByteOrder = tt.bo
			var got []uint64
			for ad.Next() {
				switch ad.Type() {
				case 1:
					got = append(got, uint64(ad.Uint16()))
				case 2:
					got = append(got, uint64(ad.Uint32()))
				case 3:
					got = append(got, ad.Uint64())
				case 4:
					got = append(got, uint64(int64(ad.Int16())))
				case 5:
					ad.Nested(func(nad *AttributeDecoder) error {
						if nad.ByteOrder != tt.bo {
							t.Errorf("nested ByteOrder %v, want %v", nad.ByteOrder, tt.bo)
						}
						for nad.Next() {
							got = append(got, uint64(nad.Uint16()))
						}
						return nil
					})
				}
			}
			if err := ad.Err(); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("unexpected values (-want +got):\n%s", diff)
			}
		})
	}
}

// codecSwapped is a ByteOrder of a type the package does not know, to test
// the general path.
type codecSwapped struct{ binary.ByteOrder }

func TestAttributeDecoderDefaultByteOrder(t *testing.T) {
	ad, err := NewAttributeDecoder(codecAttr(1, codecU32(0x01020304)...))
	if err != nil {
		t.Fatal(err)
	}
	if ad.ByteOrder != binary.ByteOrder(binary.NativeEndian) {
		t.Fatalf("default ByteOrder %v, want binary.NativeEndian", ad.ByteOrder)
	}
	ad.ByteOrder = nil // treated as the host's order rather than a panic
	ad.Next()
	if got := ad.Uint32(); got != 0x01020304 {
		t.Fatalf("Uint32() = %#x with a nil ByteOrder, want 0x01020304", got)
	}
}

func TestAttributeDecoderBytesIsACopy(t *testing.T) {
	in := codecAttr(1, 1, 2, 3, 4)
	ad, err := NewAttributeDecoder(in)
	if err != nil {
		t.Fatal(err)
	}
	ad.Next()
	b := ad.Bytes()
	b[0] = 0xff
	if diff := cmp.Diff([]byte{1, 2, 3, 4}, ad.Bytes()); diff != "" {
		t.Fatalf("modifying Bytes() changed the attribute (-want +got):\n%s", diff)
	}
	if in[4] != 1 {
		t.Fatal("modifying Bytes() changed the input")
	}
}

func TestAttributeDecoderDo(t *testing.T) {
	errBoom := errors.New("boom")
	b := codecCat(codecAttr(1, 1, 2, 3), codecAttr(2, 4), codecAttr(3, 5))
	ad, err := NewAttributeDecoder(b)
	if err != nil {
		t.Fatal(err)
	}
	var got [][]byte
	for ad.Next() {
		ad.Do(func(b []byte) error {
			got = append(got, append([]byte(nil), b...))
			if len(got) == 2 {
				return errBoom
			}
			return nil
		})
	}
	if ad.Err() != errBoom {
		t.Fatalf("Err() = %v, want %v", ad.Err(), errBoom)
	}
	if diff := cmp.Diff([][]byte{{1, 2, 3}, {4}}, got); diff != "" {
		t.Fatalf("Do saw (-want +got):\n%s", diff)
	}
}

func TestAttributeDecoderNested(t *testing.T) {
	errBoom := errors.New("boom")
	inner := codecCat(codecAttr(1, codecU32(42)...), codecAttr(2|Nested, codecAttr(1, 'x', 0)...))
	tests := []struct {
		name string
		data []byte
		fn   func(nad *AttributeDecoder) error
		err  string
		want []string
	}{
		{
			name: "two levels",
			data: inner,
			fn: func(nad *AttributeDecoder) error {
				if nad.Len() != 2 {
					return errors.New("wrong Len")
				}
				return nil
			},
		},
		{
			name: "invalid nested stream",
			data: []byte{1, 2, 3},
			fn:   func(*AttributeDecoder) error { return errors.New("fn called") },
			err:  errInvalidAttribute.Error(),
		},
		{
			name: "error from fn",
			data: inner,
			fn:   func(*AttributeDecoder) error { return errBoom },
			err:  "boom",
		},
		{
			name: "error left in the nested decoder",
			data: inner,
			fn: func(nad *AttributeDecoder) error {
				for nad.Next() {
					nad.Uint8()
				}
				return nil
			},
			err: "netlink: attribute 1 is not a uint8; length: 4",
		},
		{
			name: "fn error wins over nested decoder error",
			data: inner,
			fn: func(nad *AttributeDecoder) error {
				nad.Next()
				nad.Uint8()
				return errBoom
			},
			err: "boom",
		},
		{
			name: "empty nested",
			fn: func(nad *AttributeDecoder) error {
				if nad.Next() || nad.Len() != 0 {
					return errors.New("not empty")
				}
				return nil
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ad, err := NewAttributeDecoder(codecCat(codecAttr(7|Nested, tt.data...), codecAttr(8, 1)))
			if err != nil {
				t.Fatal(err)
			}
			ad.Next()
			ad.Nested(tt.fn)
			var got string
			if err := ad.Err(); err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tt.err, got); diff != "" {
				t.Fatalf("unexpected Err (-want +got):\n%s", diff)
			}
			if next := ad.Next(); next != (tt.err == "") {
				t.Fatalf("Next() = %v after Nested, want %v", next, tt.err == "")
			}
		})
	}
}

func TestAttributeDecoderNestedValues(t *testing.T) {
	b := codecCat(
		codecAttr(1|Nested, codecCat(
			codecAttr(1, codecU32(42)...),
			codecAttr(2|Nested, codecCat(codecAttr(1, 'h', 'i', 0), codecAttr(2))...),
		)...),
		codecAttr(2, codecU16(7)...),
	)
	ad, err := NewAttributeDecoder(b)
	if err != nil {
		t.Fatal(err)
	}
	var got []any
	for ad.Next() {
		switch ad.Type() {
		case 1:
			ad.Nested(func(nad *AttributeDecoder) error {
				for nad.Next() {
					switch nad.Type() {
					case 1:
						got = append(got, nad.Uint32())
					case 2:
						nad.Nested(func(nnad *AttributeDecoder) error {
							for nnad.Next() {
								switch nnad.Type() {
								case 1:
									got = append(got, nnad.String())
								case 2:
									got = append(got, nnad.Flag())
								}
							}
							return nil
						})
					}
				}
				return nil
			})
		case 2:
			got = append(got, ad.Uint16())
		}
	}
	if err := ad.Err(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]any{uint32(42), "hi", true, uint16(7)}, got); diff != "" {
		t.Fatalf("unexpected values (-want +got):\n%s", diff)
	}
}

func TestAttributeDecoderInputChangedAfterCheck(t *testing.T) {
	// The decoder checks its input once; a caller changing the input
	// afterwards must get an error, not a panic.
	b := codecCat(codecAttr(1, 1), codecAttr(2, 2))
	ad, err := NewAttributeDecoder(b)
	if err != nil {
		t.Fatal(err)
	}
	binary.NativeEndian.PutUint16(b[8:10], 200)
	if !ad.Next() || ad.Next() {
		t.Fatal("want the first attribute and then a stop")
	}
	if ad.Err() != errInvalidAttribute {
		t.Fatalf("Err() = %v, want %v", ad.Err(), errInvalidAttribute)
	}
}

func TestAttributeEncoder(t *testing.T) {
	tests := []struct {
		name string
		fn   func(ae *AttributeEncoder)
		want []byte
	}{
		{name: "empty", fn: func(*AttributeEncoder) {}, want: []byte{}},
		{
			name: "integers",
			fn: func(ae *AttributeEncoder) {
				ae.Uint8(1, 0xfe)
				ae.Uint16(2, 0xfeed)
				ae.Uint32(3, 0xfeedface)
				ae.Uint64(4, 0xfeedfacedeadbeef)
				ae.Int8(5, -1)
				ae.Int16(6, -2)
				ae.Int32(7, -3)
				ae.Int64(8, -4)
			},
			want: codecCat(
				codecAttr(1, 0xfe),
				codecAttr(2, codecU16(0xfeed)...),
				codecAttr(3, codecU32(0xfeedface)...),
				codecAttr(4, codecU64(0xfeedfacedeadbeef)...),
				codecAttr(5, 0xff),
				codecAttr(6, codecU16(0xfffe)...),
				codecAttr(7, codecU32(0xfffffffd)...),
				codecAttr(8, codecU64(math.MaxUint64-3)...),
			),
		},
		{
			name: "flags",
			fn: func(ae *AttributeEncoder) {
				ae.Flag(1, true)
				ae.Flag(2, false)
				ae.Flag(3, true)
			},
			want: codecCat(codecAttr(1), codecAttr(3)),
		},
		{
			name: "strings",
			fn: func(ae *AttributeEncoder) {
				ae.String(1, "")
				ae.String(2, "lo")
				ae.String(3, "eth0")
				ae.String(4, "a\x00b")
			},
			want: codecCat(
				codecAttr(1, 0),
				codecAttr(2, 'l', 'o', 0),
				codecAttr(3, 'e', 't', 'h', '0', 0),
				codecAttr(4, 'a', 0, 'b', 0),
			),
		},
		{
			name: "bytes and Do",
			fn: func(ae *AttributeEncoder) {
				ae.Bytes(1, []byte{1, 2, 3})
				ae.Bytes(2, nil)
				ae.Do(3, func() ([]byte, error) { return []byte{4, 5, 6, 7, 8}, nil })
			},
			want: codecCat(codecAttr(1, 1, 2, 3), codecAttr(2), codecAttr(3, 4, 5, 6, 7, 8)),
		},
		{
			name: "type flags as given",
			fn: func(ae *AttributeEncoder) {
				ae.Uint8(1|NetByteOrder, 1)
				ae.Bytes(2|Nested, codecAttr(1, 1))
			},
			want: codecCat(codecAttr(1|NetByteOrder, 1), codecAttr(2|Nested, codecAttr(1, 1)...)),
		},
		{
			name: "nested",
			fn: func(ae *AttributeEncoder) {
				ae.Uint8(1, 1)
				ae.Nested(2, func(nae *AttributeEncoder) error {
					nae.String(1, "x")
					nae.Nested(2|Nested, func(nnae *AttributeEncoder) error {
						nnae.Uint32(1, 5)
						nnae.Flag(2, true)
						return nil
					})
					nae.Nested(3, func(*AttributeEncoder) error { return nil })
					return nil
				})
				ae.Uint8(3, 3)
			},
			want: codecCat(
				codecAttr(1, 1),
				codecAttr(2|Nested, codecCat(
					codecAttr(1, 'x', 0),
					codecAttr(2|Nested, codecCat(codecAttr(1, codecU32(5)...), codecAttr(2))...),
					codecAttr(3|Nested),
				)...),
				codecAttr(3, 3),
			),
		},
		{
			name: "largest values",
			fn: func(ae *AttributeEncoder) {
				ae.String(1, strings.Repeat("s", maxAttrData-1))
				ae.Bytes(2, make([]byte, maxAttrData))
				ae.Do(3, func() ([]byte, error) { return make([]byte, maxAttrData), nil })
			},
			want: codecCat(
				codecAttr(1, append(bytes.Repeat([]byte("s"), maxAttrData-1), 0)...),
				codecAttr(2, make([]byte, maxAttrData)...),
				codecAttr(3, make([]byte, maxAttrData)...),
			),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ae := NewAttributeEncoder()
			tt.fn(ae)
			got, err := ae.Encode()
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("unexpected bytes (-want +got):\n%s", diff)
			}

			// The zero value works as well, in the host's order.
			var zero AttributeEncoder
			tt.fn(&zero)
			got, err = zero.Encode()
			if err != nil {
				t.Fatalf("zero value Encode: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("zero value: unexpected bytes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAttributeEncoderByteOrder(t *testing.T) {
	ae := NewAttributeEncoder()
	if ae.ByteOrder != binary.ByteOrder(binary.NativeEndian) {
		t.Fatalf("default ByteOrder %v, want binary.NativeEndian", ae.ByteOrder)
	}
	for _, bo := range []binary.ByteOrder{binary.BigEndian, codecSwapped{binary.BigEndian}} {
		ae := NewAttributeEncoder()
		ae.ByteOrder = bo
		ae.Uint16(1, 0x1234)
		ae.Uint32(2, 0x12345678)
		ae.Uint64(3, 0x0123456789abcdef)
		ae.Int16(4, -2)
		ae.Nested(5, func(nae *AttributeEncoder) error {
			if nae.ByteOrder != bo {
				t.Errorf("nested ByteOrder %v, want %v", nae.ByteOrder, bo)
			}
			nae.Uint16(1, 0xabcd)
			return nil
		})
		got, err := ae.Encode()
		if err != nil {
			t.Fatal(err)
		}
		want := codecCat(
			codecAttr(1, 0x12, 0x34),
			codecAttr(2, 0x12, 0x34, 0x56, 0x78),
			codecAttr(3, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef),
			codecAttr(4, 0xff, 0xfe),
			codecAttr(5|Nested, codecAttr(1, 0xab, 0xcd)...),
		)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("%T: unexpected bytes (-want +got):\n%s", bo, diff)
		}
	}
}

func TestAttributeEncoderErrors(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name string
		fn   func(ae *AttributeEncoder)
		err  error
	}{
		{
			name: "string too large",
			fn:   func(ae *AttributeEncoder) { ae.String(1, strings.Repeat("s", maxAttrData)) },
			err:  errStringTooLarge,
		},
		{
			name: "bytes too large",
			fn:   func(ae *AttributeEncoder) { ae.Bytes(1, make([]byte, maxAttrData+1)) },
			err:  errBytesTooLarge,
		},
		{
			name: "Do too large",
			fn: func(ae *AttributeEncoder) {
				ae.Do(1, func() ([]byte, error) { return make([]byte, maxAttrData+1), nil })
			},
			err: errDoTooLarge,
		},
		{
			name: "Do error",
			fn:   func(ae *AttributeEncoder) { ae.Do(1, func() ([]byte, error) { return []byte{1}, errBoom }) },
			err:  errBoom,
		},
		{
			name: "Nested error",
			fn: func(ae *AttributeEncoder) {
				ae.Nested(1, func(nae *AttributeEncoder) error { nae.Uint8(1, 1); return errBoom })
			},
			err: errBoom,
		},
		{
			name: "error kept by the nested encoder",
			fn: func(ae *AttributeEncoder) {
				ae.Nested(1, func(nae *AttributeEncoder) error {
					nae.Bytes(1, make([]byte, maxAttrData+1))
					return nil
				})
			},
			err: errBytesTooLarge,
		},
		{
			name: "nested content too large",
			fn: func(ae *AttributeEncoder) {
				ae.Nested(1, func(nae *AttributeEncoder) error {
					nae.Bytes(1, make([]byte, maxAttrData))
					nae.Uint8(2, 1)
					return nil
				})
			},
			err: errDoTooLarge,
		},
		{
			name: "first error wins",
			fn: func(ae *AttributeEncoder) {
				ae.Uint8(1, 1)
				ae.Bytes(2, make([]byte, maxAttrData+1))
				ae.String(3, strings.Repeat("s", maxAttrData))
				ae.Do(4, func() ([]byte, error) { return nil, errBoom })
				ae.Nested(5, func(*AttributeEncoder) error { return errBoom })
				ae.Uint32(6, 1)
			},
			err: errBytesTooLarge,
		},
		{
			name: "parent fails inside Nested",
			fn: func(ae *AttributeEncoder) {
				ae.Nested(1, func(nae *AttributeEncoder) error {
					nae.Uint8(1, 1)
					ae.Bytes(2, make([]byte, maxAttrData+1))
					return nil
				})
			},
			err: errBytesTooLarge,
		},
		{
			name: "parent's Nested fails inside Nested",
			fn: func(ae *AttributeEncoder) {
				ae.Nested(1, func(nae *AttributeEncoder) error {
					ae.Nested(2, func(*AttributeEncoder) error { return errBoom })
					nae.Uint8(1, 1)
					return nil
				})
			},
			err: errBoom,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ae := NewAttributeEncoder()
			tt.fn(ae)
			b, err := ae.Encode()
			if err != tt.err {
				t.Fatalf("Encode error %v, want %v", err, tt.err)
			}
			if b != nil {
				t.Fatalf("Encode returned %d bytes with the error, want none", len(b))
			}
		})
	}
}

func TestAttributeEncoderNothingCalledAfterError(t *testing.T) {
	ae := NewAttributeEncoder()
	ae.Bytes(1, make([]byte, maxAttrData+1))
	ae.Do(2, func() ([]byte, error) { t.Error("Do called after an error"); return nil, nil })
	ae.Nested(3, func(*AttributeEncoder) error { t.Error("Nested called after an error"); return nil })
	if _, err := ae.Encode(); err != errBytesTooLarge {
		t.Fatalf("Encode error %v, want %v", err, errBytesTooLarge)
	}
}

func TestAttributeEncoderNestedGrowth(t *testing.T) {
	// Enough nested data to move the shared buffer several times while
	// the nested functions run.
	big := bytes.Repeat([]byte{0xab}, 1000)
	ae := NewAttributeEncoder()
	ae.Uint8(1, 1)
	ae.Nested(2, func(nae *AttributeEncoder) error {
		for i := range 5 {
			nae.Bytes(uint16(i), big)
		}
		nae.Nested(9, func(nnae *AttributeEncoder) error {
			for i := range 5 {
				nnae.Bytes(uint16(i), big)
			}
			return nil
		})
		return nil
	})
	ae.Uint8(3, 3)
	got, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}

	var inner, inner2 [][]byte
	for i := range 5 {
		inner = append(inner, codecAttr(uint16(i), big...))
		inner2 = append(inner2, codecAttr(uint16(i), big...))
	}
	inner = append(inner, codecAttr(9|Nested, codecCat(inner2...)...))
	want := codecCat(codecAttr(1, 1), codecAttr(2|Nested, codecCat(inner...)...), codecAttr(3, 3))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("unexpected bytes (-want +got):\n%s", diff)
	}
}

func TestAttributeEncoderNestedEncode(t *testing.T) {
	// Encode inside a Nested function returns the nested attributes only.
	ae := NewAttributeEncoder()
	ae.Uint8(1, 1)
	var inside []byte
	ae.Nested(2, func(nae *AttributeEncoder) error {
		nae.Uint16(1, 7)
		var err error
		inside, err = nae.Encode()
		return err
	})
	if diff := cmp.Diff(codecAttr(1, codecU16(7)...), inside); diff != "" {
		t.Fatalf("nested Encode (-want +got):\n%s", diff)
	}
	if _, err := ae.Encode(); err != nil {
		t.Fatal(err)
	}
}

func TestAttributeEncoderNestedKept(t *testing.T) {
	// A nested encoder kept past its function must not write into the
	// parent's attributes.
	ae := NewAttributeEncoder()
	var kept *AttributeEncoder
	ae.Nested(1, func(nae *AttributeEncoder) error {
		kept = nae
		nae.Uint8(1, 1)
		return nil
	})
	ae.Uint32(2, 2)
	kept.Uint32(9, 0xffffffff)
	got, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}
	want := codecCat(codecAttr(1|Nested, codecAttr(1, 1)...), codecAttr(2, codecU32(2)...))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("unexpected bytes (-want +got):\n%s", diff)
	}
	if _, err := kept.Encode(); err != errNestedDone {
		t.Fatalf("kept nested encoder: Encode error %v, want %v", err, errNestedDone)
	}
}

func TestAttributeEncoderEncodeTwice(t *testing.T) {
	ae := NewAttributeEncoder()
	ae.Uint8(1, 1)
	first, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}
	want := append([]byte(nil), first...)
	_ = append(first, 0xff, 0xff, 0xff, 0xff) // must not reach the encoder
	ae.Uint8(2, 2)
	second, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, first); diff != "" {
		t.Fatalf("first result changed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(codecCat(codecAttr(1, 1), codecAttr(2, 2)), second); diff != "" {
		t.Fatalf("second result (-want +got):\n%s", diff)
	}
}

func TestAttributeEncoderDecoderRoundTrip(t *testing.T) {
	ae := NewAttributeEncoder()
	ae.ByteOrder = binary.BigEndian
	ae.Uint8(1, 0x12)
	ae.Uint16(2, 0x1234)
	ae.Uint32(3, 0x12345678)
	ae.Uint64(4, 0x123456789abcdef0)
	ae.Int8(5, -5)
	ae.Int16(6, -6)
	ae.Int32(7, -7)
	ae.Int64(8, -8)
	ae.String(9, "wg0")
	ae.Flag(10, true)
	ae.Bytes(11, []byte{0xde, 0xad})
	ae.Nested(12, func(nae *AttributeEncoder) error {
		nae.Uint32(1, 99)
		return nil
	})
	b, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}

	ad, err := NewAttributeDecoder(b)
	if err != nil {
		t.Fatal(err)
	}
	ad.ByteOrder = binary.BigEndian
	var got []any
	for ad.Next() {
		switch ad.Type() {
		case 1:
			got = append(got, ad.Uint8())
		case 2:
			got = append(got, ad.Uint16())
		case 3:
			got = append(got, ad.Uint32())
		case 4:
			got = append(got, ad.Uint64())
		case 5:
			got = append(got, ad.Int8())
		case 6:
			got = append(got, ad.Int16())
		case 7:
			got = append(got, ad.Int32())
		case 8:
			got = append(got, ad.Int64())
		case 9:
			got = append(got, ad.String())
		case 10:
			got = append(got, ad.Flag())
		case 11:
			got = append(got, ad.Bytes())
		case 12:
			if ad.TypeFlags() != Nested {
				t.Errorf("TypeFlags() = %#x, want Nested", ad.TypeFlags())
			}
			ad.Nested(func(nad *AttributeDecoder) error {
				for nad.Next() {
					got = append(got, nad.Uint32())
				}
				return nil
			})
		}
	}
	if err := ad.Err(); err != nil {
		t.Fatal(err)
	}
	want := []any{
		uint8(0x12), uint16(0x1234), uint32(0x12345678), uint64(0x123456789abcdef0),
		int8(-5), int16(-6), int32(-7), int64(-8), "wg0", true, []byte{0xde, 0xad}, uint32(99),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("round trip (-want +got):\n%s", diff)
	}
}
