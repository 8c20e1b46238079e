package main

import (
	"encoding/binary"
	"fmt"
	"math"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/mdlayher/netlink"
)

// An attrArg is one NAME=VALUE argument; NAME.CHILD=VALUE nests.
type attrArg struct {
	path  []string
	value string
	arg   string // as given, for messages
}

// parseAttrArgs splits NAME=VALUE arguments.
func parseAttrArgs(args []string) ([]attrArg, error) {
	var out []attrArg
	for _, a := range args {
		name, value, ok := strings.Cut(a, "=")
		if !ok || name == "" {
			return nil, usagef("attribute %q: want NAME=VALUE, such as CTRL_ATTR_FAMILY_NAME=nlctrl", a)
		}
		path := strings.Split(name, ".")
		for _, p := range path {
			if p == "" {
				return nil, usagef("attribute %q: empty name in %q", a, name)
			}
		}
		out = append(out, attrArg{path: path, value: value, arg: a})
	}
	return out, nil
}

// encodeAttrArgs encodes the arguments as attributes of the space s, in
// the order their first names appear; arguments sharing a first name are
// nested together.
func encodeAttrArgs(args []attrArg, s *schema, depth int) ([]byte, error) {
	// Arguments naming the same attribute, by any of its names, go
	// together.
	type group struct {
		t    uint16
		name string
		spec attrSpec
		args []attrArg
	}
	var groups []*group
	byType := make(map[uint16]*group)
	for _, a := range args {
		t, name, spec, err := resolveAttr(s, a.path[depth])
		if err != nil {
			return nil, fmt.Errorf("attribute %q: %v", a.arg, err)
		}
		g, ok := byType[t]
		if !ok {
			g = &group{t: t, name: name, spec: spec}
			byType[t] = g
			groups = append(groups, g)
		}
		g.args = append(g.args, a)
	}
	var attrs []netlink.Attribute
	for _, g := range groups {
		t, name, spec, group := g.t, g.name, g.spec, g.args
		var leaves, nested []attrArg
		for _, a := range group {
			if len(a.path) == depth+1 {
				leaves = append(leaves, a)
			} else {
				nested = append(nested, a)
			}
		}
		if len(leaves) > 0 && len(nested) > 0 || len(leaves) > 1 {
			return nil, fmt.Errorf("attribute %q: %s is given more than once", group[0].arg, name)
		}
		if len(nested) > 0 {
			if spec.kind != "" && spec.kind != kindNested {
				return nil, fmt.Errorf("attribute %q: %s is a %s, not nested", nested[0].arg, name, spec.kind)
			}
			data, err := encodeAttrArgs(nested, spec.child, depth+1)
			if err != nil {
				return nil, err
			}
			attrs = append(attrs, netlink.Attribute{Type: t | netlink.Nested, Data: data})
			continue
		}
		data, skip, err := encodeValue(spec, leaves[0].value)
		if err != nil {
			return nil, fmt.Errorf("attribute %q: %s: %v", leaves[0].arg, name, err)
		}
		if !skip {
			attrs = append(attrs, netlink.Attribute{Type: t, Data: data})
		}
	}
	return netlink.MarshalAttributes(attrs)
}

// resolveAttr finds an attribute of the space s by name or number.
func resolveAttr(s *schema, key string) (uint16, string, attrSpec, error) {
	if n, err := parseNumber(key, 14); err == nil {
		name, spec := s.lookup(uint16(n))
		if name == "" {
			name = key
		}
		return uint16(n), name, spec, nil
	}
	if s == nil || s.prefix == "" {
		return 0, "", attrSpec{}, fmt.Errorf("nlctl knows no attribute names here; give %q as a number", key)
	}
	v, ok := constValue(s.prefix, key)
	if !ok || v >= 1<<14 {
		return 0, "", attrSpec{}, fmt.Errorf("unknown attribute %q (want a number or a %s* name)", key, s.prefix)
	}
	name, spec := s.lookup(uint16(v))
	return uint16(v), name, spec, nil
}

// encodeValue encodes the value of a leaf attribute by its kind. skip
// reports a flag set to false, which is left out.
func encodeValue(spec attrSpec, value string) (data []byte, skip bool, err error) {
	order := binary.ByteOrder(binary.NativeEndian)
	switch spec.kind {
	case kindFlag:
		switch strings.ToLower(value) {
		case "", "true", "1":
			return []byte{}, false, nil
		case "false", "0":
			return nil, true, nil
		}
		return nil, false, fmt.Errorf("a flag takes no value, true or false, not %q", value)
	case kindBE16, kindBE32:
		order = binary.BigEndian
		fallthrough
	case kindU8, kindU16, kindU32, kindU64:
		size := map[string]int{kindU8: 1, kindU16: 2, kindU32: 4, kindU64: 8, kindBE16: 2, kindBE32: 4}[spec.kind]
		v, err := parseNumber(value, 8*size)
		if err != nil {
			named, ok := constValue(spec.enum, value)
			if spec.enum == "" || !ok {
				return nil, false, fmt.Errorf("want an unsigned %d-bit number, got %q", 8*size, value)
			}
			v = named
		}
		return putUint(v, size, order), false, nil
	case kindUint:
		v, err := parseNumber(value, 64)
		if err != nil {
			return nil, false, fmt.Errorf("want an unsigned 64-bit number, got %q", value)
		}
		// The kernel takes 4 bytes for a value that fits, as
		// nla_put_uint writes it, or 8.
		if v <= math.MaxUint32 {
			return putUint(v, 4, order), false, nil
		}
		return putUint(v, 8, order), false, nil
	case kindSint:
		v, err := strconv.ParseInt(value, 0, 64)
		if err != nil {
			return nil, false, fmt.Errorf("want a signed 64-bit number, got %q", value)
		}
		if v >= math.MinInt32 && v <= math.MaxInt32 {
			return putUint(uint64(v), 4, order), false, nil
		}
		return putUint(uint64(v), 8, order), false, nil
	case kindS8, kindS16, kindS32, kindS64:
		size := map[string]int{kindS8: 1, kindS16: 2, kindS32: 4, kindS64: 8}[spec.kind]
		v, err := strconv.ParseInt(value, 0, 8*size)
		if err != nil {
			return nil, false, fmt.Errorf("want a signed %d-bit number, got %q", 8*size, value)
		}
		return putUint(uint64(v), size, order), false, nil
	case kindString, kindNulString:
		if strings.IndexByte(value, 0) >= 0 {
			return nil, false, fmt.Errorf("a string cannot hold NUL")
		}
		return append([]byte(value), 0), false, nil
	case kindMAC:
		hw, err := net.ParseMAC(value)
		if err != nil {
			return nil, false, fmt.Errorf("want a link-layer address such as 02:00:00:00:00:01: %v", err)
		}
		return hw, false, nil
	case kindIP:
		ip, err := netip.ParseAddr(value)
		if err != nil {
			return nil, false, fmt.Errorf("want an IPv4 or IPv6 address: %v", err)
		}
		return ip.AsSlice(), false, nil
	case kindBitfield32:
		vs, ss, hasSel := strings.Cut(value, "/")
		v, err := parseNumber(vs, 32)
		if err != nil {
			return nil, false, fmt.Errorf("want VALUE or VALUE/SELECTOR, 32-bit numbers, got %q", value)
		}
		sel := v
		if hasSel {
			if sel, err = parseNumber(ss, 32); err != nil {
				return nil, false, fmt.Errorf("want VALUE or VALUE/SELECTOR, 32-bit numbers, got %q", value)
			}
		}
		b := binary.NativeEndian.AppendUint32(nil, uint32(v))
		return binary.NativeEndian.AppendUint32(b, uint32(sel)), false, nil
	}
	// Binary, nested given whole, or of unknown type: bytes in hex.
	if !strings.HasPrefix(value, "0x") && spec.kind != kindBinary {
		what := "its type is unknown"
		if spec.kind != "" {
			what = "it is " + spec.kind
		}
		return nil, false, fmt.Errorf("%s: give its bytes in hexadecimal, such as 0x0102ff", what)
	}
	b, err := parseHex("value", value)
	if err != nil {
		return nil, false, err
	}
	if b == nil {
		b = []byte{}
	}
	return b, false, nil
}

// putUint encodes v in size bytes.
func putUint(v uint64, size int, order binary.ByteOrder) []byte {
	b := make([]byte, size)
	switch size {
	case 1:
		b[0] = uint8(v)
	case 2:
		order.PutUint16(b, uint16(v))
	case 4:
		order.PutUint32(b, uint32(v))
	default:
		order.PutUint64(b, v)
	}
	return b
}
