package ynl

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strconv"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl/spec"
)

// genlHeaderLen is the size of struct genlmsghdr.
const genlHeaderLen = 4

// ErrUnknownMessage is returned (wrapped) by Decode for a message whose
// type or command no operation of the spec has.
var ErrUnknownMessage = errors.New("ynl: message unknown to the family's spec")

// Decode decodes m, a message of the family f, into names and typed
// values. The operation is found by the message's type (NetlinkRaw) or
// generic netlink command, as a reply first and then as a request, so
// that replies, notifications and requests all decode.
//
// The Message holds a copy of m's data: its Raw, Bytes and Tail slices
// point into that copy, never into m.
//
// An attribute the spec does not know is kept with an empty Name, and one
// the spec knows but whose payload does not fit its type is kept as bytes
// with a Problem; either way Encode sends it back as it came. An error
// reports a message that is not well formed: too short for its headers,
// or with attributes whose lengths do not add up.
func Decode(f *spec.Family, m netlink.Message) (*Message, error) {
	return decodeAs(f, m, nil)
}

// decodeAs decodes m as a message of op, or, when op is nil, of the
// operation its type or command names.
func decodeAs(f *spec.Family, m netlink.Message, known *spec.Op) (*Message, error) {
	data := slices.Clone(m.Data)
	out := &Message{Header: m.Header, Data: data}
	var op *spec.Op
	if f.Protocol.Generic() {
		if len(data) < genlHeaderLen {
			return nil, fmt.Errorf("ynl: %s: message of %d bytes has no generic netlink header", f.Name, len(data))
		}
		out.Cmd, out.Version = data[0], data[1]
		if data[2] != 0 || data[3] != 0 {
			return nil, fmt.Errorf("ynl: %s: generic netlink header with reserved bytes set", f.Name)
		}
		data = data[genlHeaderLen:]
		if op = known; op == nil {
			op = f.OpByReply(uint16(out.Cmd))
		}
		if op == nil {
			op = f.OpByRequest(uint16(out.Cmd))
		}
		if op == nil {
			return nil, fmt.Errorf("%w: %s command %d", ErrUnknownMessage, f.Name, out.Cmd)
		}
	} else {
		t := uint16(m.Header.Type)
		if op = known; op == nil {
			op = f.OpByReply(t)
		}
		if op == nil {
			op = f.OpByRequest(t)
		}
		if op == nil {
			return nil, fmt.Errorf("%w: %s message type %d", ErrUnknownMessage, f.Name, t)
		}
	}
	out.Op = op
	d := decoder{f: f}
	lay := layoutOf(f, op)
	if lay.FixedHeader != "" {
		hdr := f.Struct(lay.FixedHeader)
		if len(data) < hdr.Size {
			return nil, fmt.Errorf("ynl: %s: %s message of %d bytes is shorter than its %s header (%d bytes)", f.Name, op.Name, len(data), hdr.Name, hdr.Size)
		}
		out.Fields, _ = d.structFields(hdr, data[:hdr.Size])
		end := min(align4(hdr.Size), len(data))
		out.HeaderPad = data[hdr.Size:end]
		data = data[end:]
	}
	attrs, err := d.attrs(lay.AttrSet, data, nil)
	if err != nil {
		return nil, fmt.Errorf("ynl: %s: %s: %w", f.Name, op.Name, err)
	}
	out.Attrs = attrs
	return out, nil
}

// A decoder decodes the attributes of one family.
type decoder struct {
	f *spec.Family
}

// frame is one level of nesting being decoded: the attributes decoded so
// far at that level, where a sub-message looks for its selector.
type frame struct {
	attrs []Attr
	up    *frame
}

// selector finds the value of the attribute called name among those
// decoded so far at this level, or at the levels enclosing it.
func (fr *frame) selector(name string) (string, bool) {
	for ; fr != nil; fr = fr.up {
		if a := Find(fr.attrs, name); a != nil && a.Kind == KindString {
			return a.Str, true
		}
	}
	return "", false
}

// attrs decodes the attributes of b, of the set called set.
func (d *decoder) attrs(set string, b []byte, up *frame) ([]Attr, error) {
	fr := &frame{up: up}
	err := walkAttrs(b, func(typ uint16, payload []byte) error {
		sa := d.f.AttrByValue(set, typ&nlaTypeMask)
		if sa == nil {
			fr.attrs = append(fr.attrs, Attr{Type: typ, Raw: payload, Value: Value{Kind: KindBinary, Bytes: payload}})
			return nil
		}
		a, err := d.attr(sa, typ, payload, fr)
		if err != nil {
			return fmt.Errorf("%s: %w", sa.Name, err)
		}
		fr.attrs = append(fr.attrs, a)
		return nil
	})
	return fr.attrs, err
}

// attr decodes one attribute of the spec sa. An error is returned only
// for malformed nested attributes; a payload that does not fit the spec
// becomes bytes with a Problem.
func (d *decoder) attr(sa *spec.Attr, typ uint16, payload []byte, fr *frame) (Attr, error) {
	a := Attr{Name: sa.Name, Spec: sa, Type: typ, Raw: payload}
	a.Display = sa.Display
	bigEndian := sa.ByteOrder == spec.BigEndian || typ&nlaFByteOrder != 0
	problem := func(format string, args ...any) (Attr, error) {
		a.Value = Value{Kind: KindBinary, Bytes: payload, Display: sa.Display}
		a.Problem = fmt.Sprintf(format, args...)
		return a, nil
	}
	switch sa.Type {
	case spec.TypeFlag:
		if len(payload) != 0 {
			return problem("flag with a payload of %d bytes", len(payload))
		}
		a.Kind = KindFlag
	case spec.TypeU8, spec.TypeU16, spec.TypeU32, spec.TypeU64, spec.TypeS8, spec.TypeS16, spec.TypeS32, spec.TypeS64, spec.TypeUint, spec.TypeSint:
		n := sa.Type.Size()
		if n == 0 { // uint, sint
			if len(payload) != 4 && len(payload) != 8 {
				return problem("%s of %d bytes", sa.Type, len(payload))
			}
			n = len(payload)
		}
		if len(payload) != n {
			return problem("%s of %d bytes", sa.Type, len(payload))
		}
		a.Value = intValue(payload, sa.Type.Signed(), bigEndian)
		a.Display = sa.Display
		d.names(&a.Value, sa.Enum, sa.EnumAsFlags)
	case spec.TypeString:
		a.Value = stringValue(payload)
	case spec.TypeBinary, spec.TypePad, spec.TypeUnused:
		a.Kind, a.Bytes = KindBinary, payload
		if sa.Struct != "" {
			a.Kind = KindStruct
			a.Fields, a.Tail = d.structFields(d.f.Struct(sa.Struct), payload)
		}
	case spec.TypeBitfield32:
		if len(payload) != 8 {
			return problem("bitfield32 of %d bytes", len(payload))
		}
		v, sel := intValue(payload[:4], false, false), intValue(payload[4:], false, false)
		d.names(&v, sa.Enum, true)
		d.names(&sel, sa.Enum, true)
		a.Kind = KindStruct
		a.Fields = []Field{{Name: "value", Value: v}, {Name: "selector", Value: sel}}
	case spec.TypeNest:
		attrs, err := d.attrs(sa.Nested, payload, fr)
		if err != nil {
			return a, err
		}
		a.Kind, a.Attrs = KindNest, attrs
	case spec.TypeIndexedArray:
		entries, err := d.entries(sa, payload, fr)
		if err != nil {
			return a, err
		}
		a.Kind, a.Attrs = KindNest, entries
	case spec.TypeNestTypeValue:
		attrs, err := d.typeValue(sa, sa.TypeValue, payload, fr)
		if err != nil {
			return a, err
		}
		a.Kind, a.Attrs = KindNest, attrs
	case spec.TypeSubMessage:
		sel, ok := fr.selector(sa.Selector)
		if !ok {
			return problem("sub-message without its selector %s", sa.Selector)
		}
		format := d.f.SubMessage(sa.SubMessage).Format(sel)
		if format == nil {
			return problem("sub-message %s has no format for %s %q", sa.SubMessage, sa.Selector, sel)
		}
		b := payload
		a.Kind = KindNest
		if format.FixedHeader != "" {
			hdr := d.f.Struct(format.FixedHeader)
			if len(b) < hdr.Size {
				return problem("%s of %d bytes is shorter than its %s header", sel, len(b), hdr.Name)
			}
			a.Fields, _ = d.structFields(hdr, b[:hdr.Size])
			end := min(align4(hdr.Size), len(b))
			a.Tail = b[hdr.Size:end]
			b = b[end:]
		}
		if format.AttrSet == "" {
			if len(b) > 0 {
				return problem("%s has %d bytes the spec does not describe", sel, len(b))
			}
			break
		}
		attrs, err := d.attrs(format.AttrSet, b, fr)
		if err != nil {
			return a, err
		}
		a.Attrs = attrs
	default:
		return problem("type %s not supported", sa.Type)
	}
	return a, nil
}

// entries decodes the entries of an indexed array, each of the array's
// sub-type, their types being their indexes.
func (d *decoder) entries(sa *spec.Attr, b []byte, fr *frame) ([]Attr, error) {
	var out []Attr
	elem := spec.Attr{Name: sa.Name, Type: sa.SubType, Nested: sa.Nested, ByteOrder: sa.ByteOrder, Display: sa.Display, Enum: sa.Enum, EnumAsFlags: sa.EnumAsFlags, Struct: sa.Struct}
	err := walkAttrs(b, func(typ uint16, payload []byte) error {
		a, err := d.attr(&elem, typ, payload, fr)
		if err != nil {
			return fmt.Errorf("[%d]: %w", typ&nlaTypeMask, err)
		}
		a.Name, a.Spec, a.Entry = "", nil, true
		out = append(out, a)
		return nil
	})
	return out, err
}

// typeValue decodes the levels of a nest-type-value attribute: at each
// level named by levels, the types of the nests are values (an operation
// number, a policy index); inside the last level are attributes of the
// attribute's nested set.
func (d *decoder) typeValue(sa *spec.Attr, levels []string, b []byte, fr *frame) ([]Attr, error) {
	if len(levels) == 0 {
		return d.attrs(sa.Nested, b, fr)
	}
	var out []Attr
	err := walkAttrs(b, func(typ uint16, payload []byte) error {
		inner, err := d.typeValue(sa, levels[1:], payload, fr)
		if err != nil {
			return fmt.Errorf("%s %d: %w", levels[0], typ&nlaTypeMask, err)
		}
		out = append(out, Attr{Name: levels[0], Type: typ, Entry: true, Raw: payload, Value: Value{Kind: KindNest, Attrs: inner, Uint: uint64(typ & nlaTypeMask)}})
		return nil
	})
	return out, err
}

// structFields decodes the members of s from b. Members that b is too
// short for are left out, and the bytes past the last whole member are
// returned as the tail: a kernel older or newer than the spec sends a
// shorter or longer struct.
func (d *decoder) structFields(s *spec.Struct, b []byte) ([]Field, []byte) {
	fields := make([]Field, 0, len(s.Members))
	off := 0
	for i := range s.Members {
		m := &s.Members[i]
		n := m.Size()
		if off+n > len(b) {
			break
		}
		v := b[off : off+n]
		f := Field{Name: m.Name, Member: m}
		switch {
		case m.Type.Size() > 0:
			f.Value = intValue(v, m.Type.Signed(), m.ByteOrder == spec.BigEndian)
			d.names(&f.Value, m.Enum, m.EnumAsFlags)
		case m.Type == spec.TypeString:
			// A char array: the string, then its NUL and padding.
			s := v
			if i := slices.Index(v, 0); i >= 0 {
				s = v[:i]
			}
			f.Value = Value{Kind: KindString, Str: string(s), Tail: v[len(s):]}
		case m.Struct != "":
			f.Kind = KindStruct
			f.Fields, f.Tail = d.structFields(d.f.Struct(m.Struct), v)
		default:
			f.Value = Value{Kind: KindBinary, Bytes: v}
		}
		f.Display = m.Display
		fields = append(fields, f)
		off += n
	}
	return fields, b[off:]
}

// intValue decodes an integer of len(b) bytes.
func intValue(b []byte, signed, bigEndian bool) Value {
	var order binary.ByteOrder = binary.NativeEndian
	if bigEndian {
		order = binary.BigEndian
	}
	var u uint64
	switch len(b) {
	case 1:
		u = uint64(b[0])
	case 2:
		u = uint64(order.Uint16(b))
	case 4:
		u = uint64(order.Uint32(b))
	case 8:
		u = order.Uint64(b)
	}
	v := Value{Kind: KindUint, Uint: u, Size: len(b), BigEndian: bigEndian}
	if signed {
		shift := 64 - 8*len(b)
		v.Kind, v.Int, v.Uint = KindInt, int64(u<<shift)>>shift, 0
	}
	return v
}

// stringValue decodes a string attribute: the bytes up to the first NUL,
// with the NUL and anything after it kept as the tail; a string without a
// NUL is unterminated.
func stringValue(b []byte) Value {
	i := slices.Index(b, 0)
	if i < 0 {
		return Value{Kind: KindString, Str: string(b), Unterminated: true}
	}
	v := Value{Kind: KindString, Str: string(b[:i])}
	if len(b) > i+1 {
		v.Tail = b[i+1:]
	}
	return v
}

// names sets the enum or flag names of an integer value from the enum
// called enum (none when empty). asFlags reads an enum of values as bit
// numbers.
func (d *decoder) names(v *Value, enum string, asFlags bool) {
	if enum == "" {
		return
	}
	e := d.f.Enum(enum)
	u := v.Uint
	if v.Kind == KindInt {
		u = uint64(v.Int)
	}
	if !e.Flags && !asFlags {
		v.Enum = e.EntryName(u)
		return
	}
	for rest := u; rest != 0; rest &= rest - 1 {
		bit := uint64(1) << bits.TrailingZeros64(rest)
		var name string
		if e.Flags {
			name = e.EntryName(bit)
		} else {
			name = e.EntryName(uint64(bits.TrailingZeros64(rest)))
		}
		if name == "" {
			name = "0x" + strconv.FormatUint(bit, 16)
		}
		v.Flags = append(v.Flags, name)
	}
}
