package netlink

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"unsafe"
)

// Flags carried in the high bits of an attribute's type.
const (
	// Nested marks an attribute whose data is itself a stream of
	// attributes.
	Nested uint16 = 0x8000

	// NetByteOrder marks an attribute whose data is in network (big-endian)
	// byte order rather than the host's.
	NetByteOrder uint16 = 0x4000
)

// attrFlags holds both type flags; attribute numbers are the remaining bits.
const attrFlags = Nested | NetByteOrder

// maxAttrData is the most data an attribute can hold: its 16-bit Length
// counts the header too.
const maxAttrData = math.MaxUint16 - attrHeaderLen

// An Attribute is a netlink attribute: a type-length-value record.
type Attribute struct {
	// Length of the attribute, header included and padding excluded.
	// MarshalAttributes computes it when it is zero.
	Length uint16

	// Type of the attribute, including the Nested and NetByteOrder flags.
	Type uint16

	// Data is the payload, without padding.
	Data []byte
}

// MarshalAttributes encodes attrs as a stream of attributes, each padded to
// four bytes. A zero Length is filled in as 4 + len(Data); any other Length
// is written as given. A given Length below the header's size, or data too
// large for the computed one, is an error: "invalid attribute; length too short
// or too large".
func MarshalAttributes(attrs []Attribute) ([]byte, error) {
	n := 0
	for i := range attrs {
		a := &attrs[i]
		if a.Length == 0 && len(a.Data) > maxAttrData || a.Length != 0 && a.Length < attrHeaderLen {
			return nil, errInvalidAttribute
		}
		n += attrHeaderLen + nlaAlign(len(a.Data))
	}

	b := make([]byte, n)
	off := 0
	for i := range attrs {
		a := &attrs[i]
		l := a.Length
		if l == 0 {
			l = uint16(attrHeaderLen + len(a.Data))
		}
		native.PutUint16(b[off:off+2], l)
		native.PutUint16(b[off+2:off+4], a.Type)
		copy(b[off+attrHeaderLen:], a.Data)
		off += attrHeaderLen + nlaAlign(len(a.Data)) // padding is already zero
	}
	return b, nil
}

// UnmarshalAttributes decodes a stream of attributes. Type keeps its flag
// bits. An attribute whose Length is zero is skipped: it carries nothing, and
// some senders pad with zero bytes. The Data of the returned attributes does
// not alias b: it points into one private copy of b, so b may be reused
// afterwards.
func UnmarshalAttributes(b []byte) ([]Attribute, error) {
	n, err := countAttributes(b)
	if err != nil || n == 0 {
		return nil, err
	}

	b = append(make([]byte, 0, len(b)), b...)
	attrs := make([]Attribute, 0, n)
	for len(b) > 0 {
		// countAttributes has checked every attribute.
		l, typ, data, rest, _ := splitAttr(b)
		b = rest
		if l == 0 {
			continue
		}
		attrs = append(attrs, Attribute{Length: uint16(l), Type: typ, Data: data})
	}
	return attrs, nil
}

// countAttributes checks that b is a well-formed stream of attributes and
// returns how many it holds, not counting those of Length zero.
func countAttributes(b []byte) (int, error) {
	n := 0
	for len(b) > 0 {
		l, _, _, rest, ok := splitAttr(b)
		if !ok {
			return 0, errInvalidAttribute
		}
		if l != 0 {
			n++
		}
		b = rest
	}
	return n, nil
}

// An AttributeDecoder reads a stream of attributes one at a time, decoding
// each value with the getter its type calls for. The first error, from a
// getter or from a function given to Do or Nested, stops the iteration and
// is reported by Err.
//
// The decoder works on the slice it was given without copying it: Do and
// Nested see views of that slice, valid for as long as it is not modified.
// Bytes returns a copy.
type AttributeDecoder struct {
	// ByteOrder decodes integer values; NewAttributeDecoder sets it to
	// the host's order. Attribute headers always use the host's order.
	ByteOrder binary.ByteOrder

	rest []byte // the attributes after the current one
	data []byte // the current attribute's data, capacity-limited
	typ  uint16 // the current attribute's type, flags included
	n    int    // number of attributes in the stream
	err  error
}

// NewAttributeDecoder returns a decoder positioned before the first
// attribute of b. It fails when b ends inside an attribute header; any
// other malformed attribute is reported by Next when the decoder reaches
// it, so the attributes before it can still be read.
func NewAttributeDecoder(b []byte) (*AttributeDecoder, error) {
	n, err := countHeaders(b)
	if err != nil {
		return nil, err
	}
	return &AttributeDecoder{ByteOrder: native, rest: b, n: n}, nil
}

// Next advances to the next attribute and reports whether there is one. It
// returns false at the end of the stream and after any error, including a
// malformed attribute. An attribute whose Length is zero is returned as an
// attribute with no data.
func (ad *AttributeDecoder) Next() bool {
	if ad.err != nil || len(ad.rest) == 0 {
		return false
	}
	_, typ, data, rest, ok := splitAttr(ad.rest)
	if !ok {
		ad.err = errInvalidAttribute
		return false
	}
	ad.typ, ad.data, ad.rest = typ, data, rest
	return true
}

// Type returns the type of the current attribute without the Nested and
// NetByteOrder flags.
func (ad *AttributeDecoder) Type() uint16 { return ad.typ &^ attrFlags }

// TypeFlags returns only the Nested and NetByteOrder flags of the current
// attribute's type.
func (ad *AttributeDecoder) TypeFlags() uint16 { return ad.typ & attrFlags }

// Len returns the number of attributes of non-zero Length that the
// stream's headers announce.
func (ad *AttributeDecoder) Len() int { return ad.n }

// Err returns the first error met while decoding, if any.
func (ad *AttributeDecoder) Err() error { return ad.err }

// Bytes returns a copy of the current attribute's data, which the caller may
// keep and modify.
func (ad *AttributeDecoder) Bytes() []byte {
	b := make([]byte, len(ad.data))
	copy(b, ad.data)
	return b
}

// String returns the current attribute's data as a string, without its
// trailing NUL bytes (the terminator, and any padding a sender counted in
// the attribute's length).
func (ad *AttributeDecoder) String() string {
	b := ad.data
	for len(b) > 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	return string(b)
}

// Flag reports whether the current attribute is present as a flag: an
// attribute with no data. An attribute with data records an error.
func (ad *AttributeDecoder) Flag() bool {
	if len(ad.data) != 0 {
		ad.wrongSize("flag")
		return false
	}
	return true
}

// Uint8 decodes the current attribute as a uint8. Any other size records an
// error and returns 0.
func (ad *AttributeDecoder) Uint8() uint8 {
	if len(ad.data) != 1 {
		ad.wrongSize("uint8")
		return 0
	}
	return ad.data[0]
}

// Uint16 decodes the current attribute as a uint16 in ByteOrder. Any other
// size records an error and returns 0.
func (ad *AttributeDecoder) Uint16() uint16 {
	if len(ad.data) != 2 {
		ad.wrongSize("uint16")
		return 0
	}
	return getUint16(ad.ByteOrder, ad.data)
}

// Uint32 decodes the current attribute as a uint32 in ByteOrder. Any other
// size records an error and returns 0.
func (ad *AttributeDecoder) Uint32() uint32 {
	if len(ad.data) != 4 {
		ad.wrongSize("uint32")
		return 0
	}
	return getUint32(ad.ByteOrder, ad.data)
}

// Uint64 decodes the current attribute as a uint64 in ByteOrder. Any other
// size records an error and returns 0.
func (ad *AttributeDecoder) Uint64() uint64 {
	if len(ad.data) != 8 {
		ad.wrongSize("uint64")
		return 0
	}
	return getUint64(ad.ByteOrder, ad.data)
}

// Int8 decodes the current attribute as an int8. Any other size records an
// error and returns 0.
func (ad *AttributeDecoder) Int8() int8 {
	if len(ad.data) != 1 {
		ad.wrongSize("int8")
		return 0
	}
	return int8(ad.data[0])
}

// Int16 decodes the current attribute as an int16 in ByteOrder. Any other
// size records an error and returns 0.
func (ad *AttributeDecoder) Int16() int16 {
	if len(ad.data) != 2 {
		ad.wrongSize("int16")
		return 0
	}
	return int16(getUint16(ad.ByteOrder, ad.data))
}

// Int32 decodes the current attribute as an int32 in ByteOrder. Any other
// size records an error and returns 0.
func (ad *AttributeDecoder) Int32() int32 {
	if len(ad.data) != 4 {
		ad.wrongSize("int32")
		return 0
	}
	return int32(getUint32(ad.ByteOrder, ad.data))
}

// Int64 decodes the current attribute as an int64 in ByteOrder. Any other
// size records an error and returns 0.
func (ad *AttributeDecoder) Int64() int64 {
	if len(ad.data) != 8 {
		ad.wrongSize("int64")
		return 0
	}
	return int64(getUint64(ad.ByteOrder, ad.data))
}

// wrongSize records, unless an error is already recorded, that the current
// attribute does not have the size of the type a getter asked for.
func (ad *AttributeDecoder) wrongSize(kind string) {
	if ad.err == nil {
		ad.err = fmt.Errorf("netlink: attribute %d is not a %s; length: %d", ad.Type(), kind, len(ad.data))
	}
}

// Do calls fn with the current attribute's data; an error fn returns becomes
// Err. fn must not modify the data, and must copy it to keep it past the
// life of the decoder's input. Do does nothing once an error is recorded.
func (ad *AttributeDecoder) Do(fn func(b []byte) error) {
	if ad.err != nil {
		return
	}
	if err := fn(ad.data); err != nil {
		ad.err = err
	}
}

// Nested decodes the current attribute's data as a stream of attributes,
// calling fn with a decoder for it that inherits ByteOrder. Data that
// NewAttributeDecoder would refuse, an error fn returns, or else an error
// left in the nested decoder becomes Err. Nested does nothing once an error
// is recorded.
func (ad *AttributeDecoder) Nested(fn func(nad *AttributeDecoder) error) {
	if ad.err != nil {
		return
	}
	n, err := countHeaders(ad.data)
	if err != nil {
		ad.err = err
		return
	}
	nad := &AttributeDecoder{ByteOrder: ad.ByteOrder, rest: ad.data, n: n}
	if err := fn(nad); err != nil {
		ad.err = err
		return
	}
	if nad.err != nil {
		ad.err = nad.err
	}
}

// An AttributeEncoder builds a stream of attributes, appending each one as
// its setter is called. The first error, a value too large for an attribute
// or an error from a function given to Do or Nested, is kept; later setters
// do nothing and Encode returns it.
type AttributeEncoder struct {
	// ByteOrder encodes integer values; NewAttributeEncoder sets it to
	// the host's order. Attribute headers always use the host's order.
	ByteOrder binary.ByteOrder

	// b holds the attributes from b[base:]. A nested encoder shares its
	// parent's buffer and starts after the parent's contents, so nesting
	// copies nothing.
	b    []byte
	base int32

	// nest is 1 + where the attribute being nested starts in b while a
	// Nested function runs, and 0 otherwise (see nesting and nestStart).
	// It and base are 32-bit, next to each other, which keeps the encoder
	// at 80 bytes and NewAttributeEncoder's allocation within 512: add
	// refuses to grow b past math.MaxInt32 bytes, which no netlink
	// message could hold anyway.
	nest int32

	err error

	// child is the nested encoder that Nested hands out, reused from one
	// call to the next rather than allocated each time.
	child *AttributeEncoder

	// side collects what is added to the encoder while one of its own
	// Nested functions runs, when b belongs to the nested encoder: it goes
	// before the nested attribute once the function returns. Made on first
	// use and reused.
	side *AttributeEncoder
}

// nesting reports whether one of ae's Nested functions runs.
func (ae *AttributeEncoder) nesting() bool { return ae.nest != 0 }

// nestStart is where the attribute being nested starts in b, while
// nesting.
func (ae *AttributeEncoder) nestStart() int { return int(ae.nest) - 1 }

// encoderInline is the room a new encoder has before its buffer must grow:
// enough for a typical request and its copy that Encode returns (see
// there), in the same 512-byte allocation as the encoder and the two
// nested encoders that Nested hands out.
const encoderInline = 512 - 3*int(unsafe.Sizeof(AttributeEncoder{}))

// encoderWithBuffer is an AttributeEncoder allocated together with its
// first buffer and the encoders of the first two levels of nesting, which
// usually are all there are.
type encoderWithBuffer struct {
	AttributeEncoder
	kids [2]AttributeEncoder
	buf  [encoderInline]byte
}

// NewAttributeEncoder returns an empty encoder using the host's byte order.
func NewAttributeEncoder() *AttributeEncoder {
	e := new(encoderWithBuffer)
	e.ByteOrder = native
	e.b = e.buf[:0]
	e.kids[0].child = &e.kids[1]
	e.child = &e.kids[0]
	return &e.AttributeEncoder
}

// Uint8 appends an attribute of type t holding v.
func (ae *AttributeEncoder) Uint8(t uint16, v uint8) {
	if ae.err != nil {
		return
	}
	ae.add(t, 1)[0] = v
}

// Uint16 appends an attribute of type t holding v in ByteOrder.
func (ae *AttributeEncoder) Uint16(t uint16, v uint16) {
	if ae.err != nil {
		return
	}
	putUint16(ae.ByteOrder, ae.add(t, 2), v)
}

// Uint32 appends an attribute of type t holding v in ByteOrder.
func (ae *AttributeEncoder) Uint32(t uint16, v uint32) {
	if ae.err != nil {
		return
	}
	putUint32(ae.ByteOrder, ae.add(t, 4), v)
}

// Uint64 appends an attribute of type t holding v in ByteOrder.
func (ae *AttributeEncoder) Uint64(t uint16, v uint64) {
	if ae.err != nil {
		return
	}
	putUint64(ae.ByteOrder, ae.add(t, 8), v)
}

// Int8 appends an attribute of type t holding v.
func (ae *AttributeEncoder) Int8(t uint16, v int8) { ae.Uint8(t, uint8(v)) }

// Int16 appends an attribute of type t holding v in ByteOrder.
func (ae *AttributeEncoder) Int16(t uint16, v int16) { ae.Uint16(t, uint16(v)) }

// Int32 appends an attribute of type t holding v in ByteOrder.
func (ae *AttributeEncoder) Int32(t uint16, v int32) { ae.Uint32(t, uint32(v)) }

// Int64 appends an attribute of type t holding v in ByteOrder.
func (ae *AttributeEncoder) Int64(t uint16, v int64) { ae.Uint64(t, uint64(v)) }

// Flag appends an empty attribute of type t when v is true, and nothing when
// it is false.
func (ae *AttributeEncoder) Flag(t uint16, v bool) {
	if ae.err != nil || !v {
		return
	}
	ae.add(t, 0)
}

// String appends an attribute of type t holding s followed by a NUL byte.
func (ae *AttributeEncoder) String(t uint16, s string) {
	if ae.err != nil {
		return
	}
	if len(s)+1 > maxAttrData {
		ae.err = errStringTooLarge
		return
	}
	b := ae.add(t, len(s)+1)
	copy(b, s)
	b[len(s)] = 0
}

// Bytes appends an attribute of type t holding a copy of b.
func (ae *AttributeEncoder) Bytes(t uint16, b []byte) {
	if ae.err != nil {
		return
	}
	if len(b) > maxAttrData {
		ae.err = errBytesTooLarge
		return
	}
	copy(ae.add(t, len(b)), b)
}

// Do appends an attribute of type t holding the bytes fn returns. An error
// from fn is kept. fn is not called once an error is kept.
func (ae *AttributeEncoder) Do(t uint16, fn func() ([]byte, error)) {
	if ae.err != nil {
		return
	}
	b, err := fn()
	if err != nil {
		ae.err = err
		return
	}
	if len(b) > maxAttrData {
		ae.err = errDoTooLarge
		return
	}
	copy(ae.add(t, len(b)), b)
}

// Nested appends an attribute of type t|Nested holding the attributes that
// fn adds to the encoder it is given, which inherits ByteOrder. An error from
// fn, or one kept by the nested encoder, is kept. Attributes that fn adds to
// ae itself come before the nested attribute, as they were added first.
//
// The nested encoder is valid only until fn returns: later calls on it do
// nothing and its Encode reports an error. Nested reuses it for the next
// call.
func (ae *AttributeEncoder) Nested(t uint16, fn func(nae *AttributeEncoder) error) {
	if ae.err != nil {
		return
	}
	if ae.nesting() {
		// fn of an enclosing call nests again in ae: set aside too.
		s := ae.sideEncoder()
		s.Nested(t, fn)
		if s.err != nil {
			ae.err = s.err
		}
		return
	}
	start := len(ae.b)
	ae.add(t|Nested, 0) // its Length is fixed below
	nae := ae.child
	if nae == nil {
		// Nesting usually goes two levels deep: make both at once.
		kids := new([2]AttributeEncoder)
		kids[0].child = &kids[1]
		nae = &kids[0]
		ae.child = nae
	}
	// Field by field: copying a whole AttributeEncoder costs a bulk write
	// barrier while the garbage collector runs. child and side are kept
	// for reuse.
	nae.ByteOrder, nae.b, nae.base, nae.err = ae.ByteOrder, ae.b, int32(len(ae.b)), nil
	nae.nest = 0
	ae.nest = int32(start) + 1
	// Capped, so that an attribute added to ae meanwhile takes the slow
	// path of add, which sets it aside.
	ae.b = ae.b[:len(ae.b):len(ae.b)]
	err := fn(nae)
	ae.nest = 0
	if err == nil {
		err = nae.err
	}
	if err == nil {
		// Kept by an attribute fn added to ae.
		err = ae.err
	}
	b := nae.b
	nae.b, nae.err = nil, errNestedDone
	if err == nil && len(b)-start > math.MaxUint16 {
		err = errDoTooLarge
	}
	var side []byte
	if ae.side != nil {
		side = ae.side.b[int(ae.side.base):]
		ae.side.b = ae.side.b[:int(ae.side.base)]
	}
	if err != nil {
		ae.b = ae.b[:start]
		ae.err = err
		return
	}
	native.PutUint16(b[start:start+2], uint16(len(b)-start))
	if len(side) > 0 {
		b = slices.Insert(b, start, side...)
	}
	ae.b = b
}

// sideEncoder returns the encoder that keeps what is added to ae while one
// of its Nested functions runs.
func (ae *AttributeEncoder) sideEncoder() *AttributeEncoder {
	if ae.side == nil {
		ae.side = &AttributeEncoder{}
	}
	ae.side.ByteOrder = ae.ByteOrder
	return ae.side
}

// Encode returns the attributes added so far, or the first error kept, in
// which case it returns no bytes. The bytes are the caller's: neither
// writing into them nor using the encoder afterwards changes the other.
func (ae *AttributeEncoder) Encode() ([]byte, error) {
	if ae.err != nil {
		return nil, ae.err
	}
	// A copy: the encoder's buffer is reused as it goes on, and a caller
	// may write into what it got. When the buffer has room for it after
	// the encoder's bytes, it goes there, and the buffer is capped before
	// it, so that what is added later goes to a new buffer: a small
	// request is encoded without an allocation of its own (TestNoAllocs).
	if !ae.nesting() {
		n, end := len(ae.b)-int(ae.base), len(ae.b)
		if n > 0 && cap(ae.b)-end >= n {
			out := ae.b[end : end+n : end+n]
			copy(out, ae.b[int(ae.base):])
			ae.b = ae.b[:end:end]
			return out, nil
		}
	}
	return ae.appendDone([]byte{}), nil
}

// Len returns the number of bytes that Encode would return now: the
// attributes complete so far, padding included, or zero once an error was
// recorded. Inside one of the encoder's own Nested functions, the nested
// attribute being built is not yet counted.
func (ae *AttributeEncoder) Len() int {
	if ae.err != nil {
		return 0
	}
	return ae.doneLen()
}

// doneLen is the length of what appendDone appends.
func (ae *AttributeEncoder) doneLen() int {
	if !ae.nesting() {
		return len(ae.b) - int(ae.base)
	}
	n := ae.nestStart() - int(ae.base)
	if ae.side != nil {
		n += ae.side.doneLen()
	}
	return n
}

// appendDone appends to out the attributes of ae that are complete: when
// called from one of ae's Nested functions, those before the attribute
// being built, then those set aside meanwhile (themselves perhaps in the
// middle of a Nested call).
func (ae *AttributeEncoder) appendDone(out []byte) []byte {
	if !ae.nesting() {
		return append(out, ae.b[int(ae.base):]...)
	}
	out = append(out, ae.b[int(ae.base):ae.nestStart()]...)
	if ae.side != nil {
		out = ae.side.appendDone(out)
	}
	return out
}

// add appends the header of an attribute of type t with n bytes of data,
// and zeroed padding after the data, and returns the n bytes for the caller
// to fill. n must be at most maxAttrData.
func (ae *AttributeEncoder) add(t uint16, n int) []byte {
	off := len(ae.b)
	end := off + attrHeaderLen + nlaAlign(n)
	if end > cap(ae.b) {
		if ae.nesting() {
			// The buffer is the nested encoder's (see Nested).
			return ae.sideEncoder().add(t, n)
		}
		if end > math.MaxInt32 {
			// More than any netlink message holds, and past what
			// base and nest can point to: refused, the value goes
			// nowhere.
			ae.err = errEncoderTooLarge
			return make([]byte, n)
		}
		ae.grow(end)
	}
	b := ae.b[off:end]
	ae.b = ae.b[:end]
	native.PutUint16(b[0:2], uint16(attrHeaderLen+n))
	native.PutUint16(b[2:4], t)
	if n > 0 {
		// Zero the last four bytes, which hold all the padding; the
		// caller overwrites the data among them.
		native.PutUint32(b[len(b)-4:], 0)
	}
	return b[attrHeaderLen : attrHeaderLen+n]
}

// grow moves the buffer to one of at least need bytes, doubling so that
// large encodings copy each byte only a few times.
func (ae *AttributeEncoder) grow(need int) {
	nb := make([]byte, len(ae.b), max(need, 2*cap(ae.b), 1024))
	copy(nb, ae.b)
	ae.b = nb
}

// The helpers below read and write integers in a caller's byte order. A nil
// order means the host's. A plain interface call is cheaper here than
// comparing the order with known ones to call them directly.

func getUint16(bo binary.ByteOrder, b []byte) uint16 {
	if bo == nil {
		return native.Uint16(b)
	}
	return bo.Uint16(b)
}

func getUint32(bo binary.ByteOrder, b []byte) uint32 {
	if bo == nil {
		return native.Uint32(b)
	}
	return bo.Uint32(b)
}

func getUint64(bo binary.ByteOrder, b []byte) uint64 {
	if bo == nil {
		return native.Uint64(b)
	}
	return bo.Uint64(b)
}

func putUint16(bo binary.ByteOrder, b []byte, v uint16) {
	if bo == nil {
		native.PutUint16(b, v)
		return
	}
	bo.PutUint16(b, v)
}

func putUint32(bo binary.ByteOrder, b []byte, v uint32) {
	if bo == nil {
		native.PutUint32(b, v)
		return
	}
	bo.PutUint32(b, v)
}

func putUint64(bo binary.ByteOrder, b []byte, v uint64) {
	if bo == nil {
		native.PutUint64(b, v)
		return
	}
	bo.PutUint64(b, v)
}
