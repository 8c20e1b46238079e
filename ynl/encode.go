package ynl

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl/spec"
)

// Encode returns the netlink message that m describes, as a message of the
// family f: its header as in m (the length is left for netlink.Conn to
// fill), the generic netlink header for a generic family, the fixed header
// from m.Fields and the attributes from their values.
//
// Everything is encoded from the typed values: an attribute's Raw is not
// read, so a program may change a Value and send the message. Bytes that
// Decode could not type (unknown attributes, a Problem, a Tail) go back as
// they came, so that encoding what Decode returned gives the same bytes.
func Encode(f *spec.Family, m *Message) (netlink.Message, error) {
	var b []byte
	if f.Protocol.Generic() {
		b = append(b, m.Cmd, m.Version, 0, 0)
	}
	op := layoutOf(f, m.Op)
	if op != nil && op.FixedHeader != "" {
		hdr := f.Struct(op.FixedHeader)
		start := len(b)
		var err error
		if b, err = appendStruct(b, hdr, m.Fields); err != nil {
			return netlink.Message{}, fmt.Errorf("ynl: %s: %s header: %w", f.Name, hdr.Name, err)
		}
		if m.HeaderPad != nil {
			b = append(b, m.HeaderPad...)
		} else {
			b = pad(b, start)
		}
	} else if len(m.Fields) > 0 {
		return netlink.Message{}, fmt.Errorf("ynl: %s: fields for a message without a fixed header", f.Name)
	}
	b, err := appendAttrs(b, m.Attrs)
	if err != nil {
		return netlink.Message{}, fmt.Errorf("ynl: %s: %w", f.Name, err)
	}
	return netlink.Message{Header: m.Header, Data: b}, nil
}

// pad appends zeros to b until what was appended since start fills
// whole 4-byte units.
func pad(b []byte, start int) []byte {
	for (len(b)-start)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// appendAttrs appends the attributes attrs to b.
func appendAttrs(b []byte, attrs []Attr) ([]byte, error) {
	for i := range attrs {
		a := &attrs[i]
		start := len(b)
		b = append(b, 0, 0, 0, 0)
		var err error
		if b, err = appendValue(b, &a.Value); err != nil {
			return nil, fmt.Errorf("%s: %w", a.label(), err)
		}
		n := len(b) - start
		if n > math.MaxUint16 {
			return nil, fmt.Errorf("%s: %d bytes do not fit an attribute", a.label(), n)
		}
		binary.NativeEndian.PutUint16(b[start:], uint16(n))
		binary.NativeEndian.PutUint16(b[start+2:], a.Type)
		b = pad(b, start)
	}
	return b, nil
}

// label names a for an error message.
func (a *Attr) label() string {
	if a.Name != "" {
		return a.Name
	}
	return fmt.Sprintf("attribute %d", a.Type&nlaTypeMask)
}

// appendValue appends the payload of an attribute holding v.
func appendValue(b []byte, v *Value) ([]byte, error) {
	var err error
	switch v.Kind {
	case KindFlag:
	case KindBinary:
		b = append(b, v.Bytes...)
	case KindUint, KindInt:
		if b, err = appendInt(b, v); err != nil {
			return nil, err
		}
		b = append(b, v.Tail...)
	case KindString:
		b = append(b, v.Str...)
		if !v.Unterminated {
			b = append(b, 0)
		}
		b = append(b, v.Tail...)
	case KindStruct:
		for i := range v.Fields {
			if b, err = appendField(b, &v.Fields[i]); err != nil {
				return nil, err
			}
		}
		b = append(b, v.Tail...)
	case KindNest:
		if len(v.Fields) > 0 {
			// A sub-message's fixed header, padded to 4 bytes.
			start := len(b)
			for i := range v.Fields {
				if b, err = appendField(b, &v.Fields[i]); err != nil {
					return nil, err
				}
			}
			if v.Tail != nil {
				b = append(b, v.Tail...)
			} else {
				b = pad(b, start)
			}
		}
		if b, err = appendAttrs(b, v.Attrs); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("value of unknown kind %d", v.Kind)
	}
	return b, nil
}

// appendStruct appends the struct s with the members in fields, which
// must be s's members in order (trailing ones may be missing when the
// fields came from a shorter struct; they are sent as zeros only when
// none is given at all, as for a request built without a header).
func appendStruct(b []byte, s *spec.Struct, fields []Field) ([]byte, error) {
	if len(fields) == 0 {
		return append(b, make([]byte, s.Size)...), nil
	}
	if len(fields) > len(s.Members) {
		return nil, fmt.Errorf("%d fields for %d members", len(fields), len(s.Members))
	}
	var err error
	for i := range fields {
		if fields[i].Name != s.Members[i].Name {
			return nil, fmt.Errorf("field %q where member %q belongs", fields[i].Name, s.Members[i].Name)
		}
		if b, err = appendField(b, &fields[i]); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// appendField appends a struct member, exactly its size when the spec's
// member is known.
func appendField(b []byte, f *Field) ([]byte, error) {
	start := len(b)
	var err error
	switch f.Kind {
	case KindUint, KindInt:
		b, err = appendInt(b, &f.Value)
	case KindString:
		b = append(append(b, f.Str...), f.Tail...)
	case KindBinary:
		b = append(b, f.Bytes...)
	case KindStruct:
		for i := range f.Fields {
			if b, err = appendField(b, &f.Fields[i]); err != nil {
				break
			}
		}
		b = append(b, f.Tail...)
	default:
		err = fmt.Errorf("value of kind %s", f.Kind)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	if f.Member == nil {
		return b, nil
	}
	size := f.Member.Size()
	if n := len(b) - start; n > size {
		return nil, fmt.Errorf("%s: %d bytes do not fit %d", f.Name, n, size)
	}
	for len(b)-start < size {
		b = append(b, 0)
	}
	return b, nil
}

// appendInt appends an integer of v.Size bytes in v's byte order.
func appendInt(b []byte, v *Value) ([]byte, error) {
	u := v.Uint
	if v.Kind == KindInt {
		u = uint64(v.Int)
	}
	var order binary.AppendByteOrder = binary.NativeEndian
	if v.BigEndian {
		order = binary.BigEndian
	}
	switch v.Size {
	case 1:
		return append(b, uint8(u)), nil
	case 2:
		return order.AppendUint16(b, uint16(u)), nil
	case 4:
		return order.AppendUint32(b, uint32(u)), nil
	case 8:
		return order.AppendUint64(b, u), nil
	}
	return nil, fmt.Errorf("integer of %d bytes", v.Size)
}
