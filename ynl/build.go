package ynl

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math"
	"net"
	"net/netip"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl/spec"
)

// A Request holds the contents of a request by name: fixed header fields
// and attributes, as Go values or as decoded JSON.
//
// Attribute values may be: bool for flags (false leaves the flag out);
// any Go integer, a float64 holding an integer (as JSON gives), a
// json.Number, or the name of an enum entry for integers; a list of
// flag names ([]string or []any) for flags; string for strings; []byte,
// an address string (for attributes the spec shows as IPv4, IPv6 or MAC)
// or a hexadecimal string for binary attributes; map[string]any for
// nests, structs, bitfield32 ({"value":..,"selector":..}) and
// sub-messages; []any (or any slice) for multi-attr attributes and
// indexed arrays. Attributes are encoded in the order of the spec, so
// that a sub-message's selector (a link's "kind") comes before it.
type Request struct {
	Header map[string]any
	Attrs  map[string]any

	// Flags are added to the request's netlink flags, such as
	// netlink.Create|netlink.Excl for a new link.
	Flags netlink.HeaderFlags
}

// builder builds the attributes of a request from names and values,
// checking each against the spec.
type builder struct {
	f *spec.Family
}

// header builds the fields of the struct s from values.
func (bd *builder) header(s *spec.Struct, values map[string]any, path []string) ([]Field, error) {
	for name := range values {
		if !slices.ContainsFunc(s.Members, func(m spec.Member) bool { return m.Name == name }) {
			return nil, checkErr(append(path, name), "%s has no member %q", s.Name, name)
		}
	}
	fields := make([]Field, 0, len(s.Members))
	for i := range s.Members {
		m := &s.Members[i]
		f := Field{Name: m.Name, Member: m}
		v, ok := values[m.Name]
		p := append(path, m.Name)
		var err error
		switch {
		case m.Type.Size() > 0:
			if !ok {
				v = 0
			}
			f.Value, err = bd.integer(m.Type, m.ByteOrder, m.Enum, m.EnumAsFlags, spec.Checks{}, v, p)
		case m.Type == spec.TypeString:
			str, isStr := v.(string)
			if ok && !isStr {
				return nil, checkErr(p, "want a string, not %T", v)
			}
			if len(str) >= m.Len {
				return nil, checkErr(p, "string of %d bytes does not fit %d with its NUL", len(str), m.Len)
			}
			f.Value = Value{Kind: KindString, Str: str}
		case m.Struct != "":
			mv, _ := v.(map[string]any)
			if ok && mv == nil {
				return nil, checkErr(p, "want an object, not %T", v)
			}
			f.Kind = KindStruct
			f.Fields, err = bd.header(bd.f.Struct(m.Struct), mv, p)
		default:
			var b []byte
			if ok {
				if b, err = bd.binary(v, m.Display, p); err == nil && len(b) > m.Len {
					err = checkErr(p, "%d bytes do not fit %d", len(b), m.Len)
				}
			}
			f.Value = Value{Kind: KindBinary, Bytes: b}
		}
		if err != nil {
			return nil, err
		}
		fields = append(fields, f)
	}
	return fields, nil
}

// attrs builds the attributes of set from values, in the spec's order.
func (bd *builder) attrs(set string, values map[string]any, path []string, up *frame) ([]Attr, error) {
	as := bd.f.AttrSet(set)
	names := make([]string, 0, len(values))
	for name := range values {
		if bd.f.Attr(set, name) == nil {
			return nil, checkErr(append(path, name), "%s has no attribute %q", set, name)
		}
		names = append(names, name)
	}
	pos := func(name string) int {
		return slices.IndexFunc(as.Attrs, func(a spec.Attr) bool { return a.Name == name })
	}
	sort.Slice(names, func(i, j int) bool { return pos(names[i]) < pos(names[j]) })
	fr := &frame{up: up}
	for _, name := range names {
		sa := bd.f.Attr(set, name)
		v := values[name]
		p := append(path, name)
		if sa.MultiAttr {
			list, ok := asList(v)
			if !ok {
				return nil, checkErr(p, "multi-attr attribute wants a list, not %T", v)
			}
			for i, e := range list {
				a, err := bd.attr(sa, e, append(p, "["+strconv.Itoa(i)+"]"), fr)
				if err != nil {
					return nil, err
				}
				if a != nil {
					fr.attrs = append(fr.attrs, *a)
				}
			}
			continue
		}
		a, err := bd.attr(sa, v, p, fr)
		if err != nil {
			return nil, err
		}
		if a != nil {
			fr.attrs = append(fr.attrs, *a)
		}
	}
	return fr.attrs, nil
}

// attr builds one attribute; nil for a flag set to false.
func (bd *builder) attr(sa *spec.Attr, v any, path []string, fr *frame) (*Attr, error) {
	a := &Attr{Name: sa.Name, Spec: sa, Type: sa.Value}
	var err error
	switch sa.Type {
	case spec.TypeFlag:
		on, ok := v.(bool)
		if !ok {
			return nil, checkErr(path, "flag wants true or false, not %T", v)
		}
		if !on {
			return nil, nil
		}
		a.Kind = KindFlag
	case spec.TypeU8, spec.TypeU16, spec.TypeU32, spec.TypeU64, spec.TypeS8, spec.TypeS16, spec.TypeS32, spec.TypeS64, spec.TypeUint, spec.TypeSint:
		a.Value, err = bd.integer(sa.Type, sa.ByteOrder, sa.Enum, sa.EnumAsFlags, sa.Checks, v, path)
	case spec.TypeString:
		s, ok := v.(string)
		if !ok {
			return nil, checkErr(path, "want a string, not %T", v)
		}
		if strings.IndexByte(s, 0) >= 0 {
			return nil, checkErr(path, "string holds a NUL byte")
		}
		if err := lengthChecks(sa.Checks, len(s), path); err != nil {
			return nil, err
		}
		a.Value = Value{Kind: KindString, Str: s}
	case spec.TypeBinary, spec.TypePad:
		if sa.Struct != "" {
			m, ok := v.(map[string]any)
			if !ok {
				return nil, checkErr(path, "struct %s wants an object, not %T", sa.Struct, v)
			}
			a.Kind = KindStruct
			a.Fields, err = bd.header(bd.f.Struct(sa.Struct), m, path)
			break
		}
		var b []byte
		if b, err = bd.binary(v, sa.Display, path); err == nil {
			err = lengthChecks(sa.Checks, len(b), path)
		}
		a.Value = Value{Kind: KindBinary, Bytes: b, Display: sa.Display}
	case spec.TypeBitfield32:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, checkErr(path, "bitfield32 wants {\"value\": ..., \"selector\": ...}, not %T", v)
		}
		val, err1 := bd.integer(spec.TypeU32, 0, sa.Enum, true, spec.Checks{}, orZero(m["value"]), append(path, "value"))
		sel, err2 := bd.integer(spec.TypeU32, 0, sa.Enum, true, spec.Checks{}, orZero(m["selector"]), append(path, "selector"))
		if err1 != nil || err2 != nil {
			return nil, firstErr(err1, err2)
		}
		a.Kind = KindStruct
		a.Fields = []Field{{Name: "value", Value: val}, {Name: "selector", Value: sel}}
	case spec.TypeNest:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, checkErr(path, "nest wants an object, not %T", v)
		}
		a.Type |= nlaFNested
		a.Kind = KindNest
		a.Attrs, err = bd.attrs(sa.Nested, m, path, fr)
	case spec.TypeIndexedArray:
		list, ok := asList(v)
		if !ok {
			return nil, checkErr(path, "indexed array wants a list, not %T", v)
		}
		a.Type |= nlaFNested
		a.Kind = KindNest
		elem := spec.Attr{Name: sa.Name, Type: sa.SubType, Nested: sa.Nested, ByteOrder: sa.ByteOrder, Display: sa.Display, Enum: sa.Enum, EnumAsFlags: sa.EnumAsFlags, Struct: sa.Struct}
		for i, e := range list {
			ea, err := bd.attr(&elem, e, append(path, "["+strconv.Itoa(i)+"]"), fr)
			if err != nil {
				return nil, err
			}
			if ea != nil {
				ea.Name, ea.Spec, ea.Entry, ea.Type = "", nil, true, uint16(i)|(ea.Type&nlaFNested)
				a.Attrs = append(a.Attrs, *ea)
			}
		}
	case spec.TypeSubMessage:
		sel, ok := fr.selector(sa.Selector)
		if !ok {
			return nil, checkErr(path, "sub-message needs its selector %s first", sa.Selector)
		}
		format := bd.f.SubMessage(sa.SubMessage).Format(sel)
		if format == nil {
			return nil, checkErr(path, "%s has no format for %s %q", sa.SubMessage, sa.Selector, sel)
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, checkErr(path, "sub-message wants an object, not %T", v)
		}
		a.Kind = KindNest
		if format.FixedHeader != "" {
			hdr := bd.f.Struct(format.FixedHeader)
			hv, _ := m[hdr.Name].(map[string]any)
			if a.Fields, err = bd.header(hdr, hv, append(path, hdr.Name)); err != nil {
				return nil, err
			}
			m = without(m, hdr.Name)
		}
		if format.AttrSet == "" {
			if len(m) > 0 {
				return nil, checkErr(path, "%s %q takes no attributes", sa.Selector, sel)
			}
			break
		}
		a.Type |= nlaFNested
		a.Attrs, err = bd.attrs(format.AttrSet, m, path, fr)
	default:
		return nil, checkErr(path, "cannot build attributes of type %s", sa.Type)
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}

// without returns m without the key k.
func without(m map[string]any, k string) map[string]any {
	out := make(map[string]any, len(m))
	for key, v := range m {
		if key != k {
			out[key] = v
		}
	}
	return out
}

func orZero(v any) any {
	if v == nil {
		return 0
	}
	return v
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// asList returns the elements of a slice of any type.
func asList(v any) ([]any, bool) {
	if l, ok := v.([]any); ok {
		return l, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice || rv.Type().Elem().Kind() == reflect.Uint8 {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}

// lengthChecks applies the spec's length limits to a payload of n bytes
// (a string's length without its NUL, as the kernel counts it).
func lengthChecks(c spec.Checks, n int, path []string) error {
	switch {
	case c.ExactLen > 0 && n != c.ExactLen:
		return checkErr(path, "length %d, the spec wants exactly %d", n, c.ExactLen)
	case c.MinLen > 0 && n < c.MinLen:
		return checkErr(path, "length %d below the minimum %d", n, c.MinLen)
	case c.MaxLen > 0 && n > c.MaxLen:
		return checkErr(path, "length %d above the maximum %d", n, c.MaxLen)
	}
	return nil
}

// binary turns v into bytes: []byte as it is, an address for a display
// hint, or a hexadecimal string (colons allowed).
func (bd *builder) binary(v any, d spec.Display, path []string) ([]byte, error) {
	switch v := v.(type) {
	case []byte:
		return v, nil
	case string:
		switch d {
		case spec.IPv4, spec.IPv6:
			addr, err := netip.ParseAddr(v)
			if err != nil {
				return nil, checkErr(path, "%v", err)
			}
			// An ipv4 hint takes IPv6 addresses too: the specs give it
			// to attributes whose family the header decides (rta-dst).
			return addr.AsSlice(), nil
		case spec.MAC:
			hw, err := net.ParseMAC(v)
			if err != nil {
				return nil, checkErr(path, "%v", err)
			}
			return hw, nil
		}
		b, err := hex.DecodeString(strings.ReplaceAll(v, ":", ""))
		if err != nil {
			if b, err2 := base64.StdEncoding.DecodeString(v); err2 == nil {
				return b, nil
			}
			return nil, checkErr(path, "binary wants bytes or a hexadecimal string: %v", err)
		}
		return b, nil
	}
	if list, ok := asList(v); ok {
		b := make([]byte, len(list))
		for i, e := range list {
			n, ok := toInt(e)
			if !ok || n < 0 || n > 255 {
				return nil, checkErr(path, "byte %d is %v", i, e)
			}
			b[i] = byte(n)
		}
		return b, nil
	}
	return nil, checkErr(path, "binary wants bytes, not %T", v)
}

// integer builds an integer of type t from v, checking it against the
// type's range and the spec's checks.
func (bd *builder) integer(t spec.Type, bo spec.ByteOrder, enum string, asFlags bool, c spec.Checks, v any, path []string) (Value, error) {
	var e *spec.Enum
	if enum != "" {
		e = bd.f.Enum(enum)
	}
	var n int64
	var u uint64
	neg := false
	switch {
	case e != nil && (e.Flags || asFlags) && isNames(v):
		names, _ := asList(v)
		for _, nm := range names {
			s, _ := nm.(string)
			ev, ok := e.EntryValue(s)
			if !ok {
				return Value{}, checkErr(path, "%s has no flag %q", e.Name, s)
			}
			if !e.Flags {
				ev = 1 << ev
			}
			u |= ev
		}
	default:
		if s, ok := v.(string); ok && e != nil {
			ev, found := e.EntryValue(s)
			if found {
				if !e.Flags && asFlags {
					ev = 1 << ev
				}
				u = ev
				break
			}
			// Not a name: a number given as text, as on a command line.
			_, isUint := toUint(s)
			if _, isInt := toInt(s); !isUint && !isInt {
				return Value{}, checkErr(path, "%s has no entry %q", e.Name, s)
			}
		}
		if x, ok := toUint(v); ok {
			u = x
			break
		}
		x, ok := toInt(v)
		if !ok {
			return Value{}, checkErr(path, "want an integer, not %v (%T)", v, v)
		}
		n, neg = x, x < 0
		u = uint64(x)
	}
	size := t.Size()
	if size == 0 { // uint, sint: the kernel takes 4 bytes when they do
		size = 8
		if (!neg && u <= math.MaxUint32 && !t.Signed()) || (t.Signed() && int64(u) >= math.MinInt32 && int64(u) <= math.MaxInt32) {
			size = 4
		}
	}
	bits := uint(size * 8)
	if t.Signed() {
		s := int64(u)
		if !neg && u > math.MaxInt64 {
			return Value{}, checkErr(path, "%d does not fit %s", u, t)
		}
		if bits < 64 && (s < -1<<(bits-1) || s > 1<<(bits-1)-1) {
			return Value{}, checkErr(path, "%d does not fit %s", s, t)
		}
		if c.HasMin && s < c.Min || c.HasMax && s > c.Max {
			return Value{}, checkErr(path, "%d outside the range %s", s, rangeText(c))
		}
		return Value{Kind: KindInt, Int: s, Size: size, BigEndian: bo == spec.BigEndian}, nil
	}
	if neg {
		return Value{}, checkErr(path, "%d does not fit %s", n, t)
	}
	if bits < 64 && u>>bits != 0 {
		return Value{}, checkErr(path, "%d does not fit %s", u, t)
	}
	if c.HasMin && c.Min > 0 && u < uint64(c.Min) || c.HasMax && (c.Max < 0 || u > uint64(c.Max)) {
		return Value{}, checkErr(path, "%d outside the range %s", u, rangeText(c))
	}
	if c.FlagsMask != "" {
		var mask uint64
		for _, en := range bd.f.Enum(c.FlagsMask).Entries {
			mask |= en.Value
		}
		if u&^mask != 0 {
			return Value{}, checkErr(path, "bits 0x%x outside the flags of %s", u&^mask, c.FlagsMask)
		}
	}
	val := Value{Kind: KindUint, Uint: u, Size: size, BigEndian: bo == spec.BigEndian}
	(&decoder{f: bd.f}).names(&val, enum, asFlags)
	return val, nil
}

func rangeText(c spec.Checks) string {
	lo, hi := "", ""
	if c.HasMin {
		lo = strconv.FormatInt(c.Min, 10)
	}
	if c.HasMax {
		hi = strconv.FormatInt(c.Max, 10)
	}
	return "[" + lo + ", " + hi + "]"
}

// isNames reports whether v is a list of strings.
func isNames(v any) bool {
	l, ok := asList(v)
	if !ok {
		return false
	}
	for _, e := range l {
		if _, ok := e.(string); !ok {
			return false
		}
	}
	return true
}

func toUint(v any) (uint64, bool) {
	switch v := v.(type) {
	case uint:
		return uint64(v), true
	case uint8:
		return uint64(v), true
	case uint16:
		return uint64(v), true
	case uint32:
		return uint64(v), true
	case uint64:
		return v, true
	case json.Number:
		u, err := strconv.ParseUint(string(v), 0, 64)
		return u, err == nil
	case string:
		u, err := strconv.ParseUint(v, 0, 64)
		return u, err == nil
	}
	return 0, false
}

func toInt(v any) (int64, bool) {
	switch v := v.(type) {
	case int:
		return int64(v), true
	case int8:
		return int64(v), true
	case int16:
		return int64(v), true
	case int32:
		return int64(v), true
	case int64:
		return v, true
	case float64:
		if v != math.Trunc(v) || v < math.MinInt64 || v >= math.MaxInt64 {
			return 0, false
		}
		return int64(v), true
	case json.Number:
		n, err := strconv.ParseInt(string(v), 0, 64)
		return n, err == nil
	case string:
		n, err := strconv.ParseInt(v, 0, 64)
		return n, err == nil
	}
	if u, ok := toUint(v); ok && u <= math.MaxInt64 {
		return int64(u), true
	}
	return 0, false
}
