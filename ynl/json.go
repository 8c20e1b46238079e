package ynl

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"strconv"

	"github.com/mdlayher/netlink/ynl/spec"
)

// RequestFromJSON returns the request that a JSON object describes, as the
// kernel's ynl tool takes it: attributes and fixed header fields by name,
// side by side ({"ifi-index": 3, "ifname": "veth0"}), nests as objects,
// multi-attr attributes as arrays. Client.Request tells header fields from
// attributes by the operation's spec. Numbers keep their precision.
func RequestFromJSON(data []byte) (*Request, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("ynl: request JSON: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("ynl: request JSON: more than one value")
	}
	if m == nil {
		return nil, fmt.Errorf("ynl: request JSON: want an object")
	}
	return &Request{Attrs: m}, nil
}

// MarshalJSON writes m as one JSON object keyed by name, in the order of
// the message: the fixed header's fields, then the attributes. Nests and
// structs are objects, multi-attr attributes and indexed arrays are
// arrays, enum and flag values are their names (numbers when the spec has
// none), addresses are text and other bytes hexadecimal. An attribute the
// spec does not know is keyed "#TYPE".
func (m *Message) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	n := writeFields(&b, m.Fields, 0)
	writeAttrs(&b, m.Attrs, n)
	b.WriteByte('}')
	return b.Bytes(), nil
}

func writeKey(b *bytes.Buffer, n int, key string) {
	if n > 0 {
		b.WriteByte(',')
	}
	b.WriteString(strconv.Quote(key))
	b.WriteByte(':')
}

func writeFields(b *bytes.Buffer, fields []Field, n int) int {
	for i := range fields {
		writeKey(b, n, fields[i].Name)
		writeValue(b, &fields[i].Value)
		n++
	}
	return n
}

// writeAttrs writes attrs as members of an object, gathering the values of
// a multi-attr attribute into one array at its first place.
func writeAttrs(b *bytes.Buffer, attrs []Attr, n int) {
	done := map[int]bool{}
	for i := range attrs {
		if done[i] {
			continue
		}
		a := &attrs[i]
		key := a.Name
		if key == "" {
			key = "#" + strconv.Itoa(int(a.Type&nlaTypeMask))
		}
		writeKey(b, n, key)
		n++
		if a.Spec == nil || !a.Spec.MultiAttr {
			writeAttrValue(b, a)
			continue
		}
		b.WriteByte('[')
		for j := i; j < len(attrs); j++ {
			if attrs[j].Name == a.Name {
				if j > i {
					b.WriteByte(',')
				}
				writeAttrValue(b, &attrs[j])
				done[j] = true
			}
		}
		b.WriteByte(']')
	}
}

func writeAttrValue(b *bytes.Buffer, a *Attr) {
	if a.Kind == KindNest && len(a.Attrs) > 0 && a.Attrs[0].Entry && (a.Spec == nil || a.Spec.Type == spec.TypeIndexedArray) {
		b.WriteByte('[')
		for i := range a.Attrs {
			if i > 0 {
				b.WriteByte(',')
			}
			writeAttrValue(b, &a.Attrs[i])
		}
		b.WriteByte(']')
		return
	}
	writeValue(b, &a.Value)
}

func writeValue(b *bytes.Buffer, v *Value) {
	switch v.Kind {
	case KindFlag:
		b.WriteString("true")
	case KindUint, KindInt:
		switch {
		case v.Enum != "":
			b.WriteString(strconv.Quote(v.Enum))
		case v.Flags != nil:
			names, _ := json.Marshal(v.Flags)
			b.Write(names)
		case v.Display != spec.NoHint:
			b.WriteString(strconv.Quote(v.String()))
		case v.Kind == KindInt:
			b.WriteString(strconv.FormatInt(v.Int, 10))
		default:
			b.WriteString(strconv.FormatUint(v.Uint, 10))
		}
	case KindString:
		s, _ := json.Marshal(v.Str)
		b.Write(s)
	case KindBinary:
		b.WriteString(strconv.Quote(v.String()))
	case KindStruct:
		b.WriteByte('{')
		writeFields(b, v.Fields, 0)
		b.WriteByte('}')
	case KindNest:
		b.WriteByte('{')
		n := writeFields(b, v.Fields, 0)
		writeAttrs(b, v.Attrs, n)
		b.WriteByte('}')
	}
}

// String formats v for a person: integers in decimal (hexadecimal with the
// hex hint), enum names, addresses by their display hint, other bytes in
// hexadecimal.
func (v *Value) String() string {
	switch v.Kind {
	case KindFlag:
		return "true"
	case KindUint, KindInt:
		if v.Enum != "" {
			return v.Enum
		}
		if v.Display == spec.IPv4 && v.Kind == KindUint && v.Size == 4 {
			var a [4]byte
			u := uint32(v.Uint)
			if v.BigEndian {
				a = [4]byte{byte(u >> 24), byte(u >> 16), byte(u >> 8), byte(u)}
			} else {
				a = [4]byte{byte(u), byte(u >> 8), byte(u >> 16), byte(u >> 24)}
			}
			return netip.AddrFrom4(a).String()
		}
		if v.Display == spec.Hex {
			return "0x" + strconv.FormatUint(v.Uint, 16)
		}
		if v.Kind == KindInt {
			return strconv.FormatInt(v.Int, 10)
		}
		return strconv.FormatUint(v.Uint, 10)
	case KindString:
		return v.Str
	case KindBinary:
		switch {
		case (v.Display == spec.IPv4 || v.Display == spec.IPv6) && (len(v.Bytes) == 4 || len(v.Bytes) == 16):
			// The specs hint ipv4 for attributes whose address family
			// the message's header decides (rt-route's rta-dst), as the
			// kernel's ynl tool reads them: by length.
			a, _ := netip.AddrFromSlice(v.Bytes)
			return a.String()
		case v.Display == spec.MAC && len(v.Bytes) > 0:
			return net.HardwareAddr(v.Bytes).String()
		}
		return hex.EncodeToString(v.Bytes)
	}
	return v.Kind.String()
}
