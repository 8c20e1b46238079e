package main

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/mdlayher/netlink"
)

// An attrNode is one decoded attribute: its type and name, how it was
// decoded (Kind), and its value, children or bytes.
type attrNode struct {
	Type         uint16
	Name         string
	Kind         string // a kind, or "" when the decoder guessed
	NestedFlag   bool
	NetByteOrder bool
	Length       int
	Value        any      // uint64, int64, string, bool or bitfield
	Symbol       string   // the name of Value, for enumerations
	Flags        []string // the names of Value's bits, for flag sets
	Nested       bool     // Attrs holds the children
	Attrs        []attrNode
	Hex          string // the data, for binary and unknown attributes
	Note         string // why a typed attribute is shown as bytes
}

// A bitfield is the value of an NLA_BITFIELD32 attribute.
type bitfield struct {
	Value    uint32 `json:"value"`
	Selector uint32 `json:"selector"`
}

// maxNestingDepth bounds how deep nested attributes are decoded.
const maxNestingDepth = 32

// decodeAttrs decodes b as a stream of attributes of the space s (nil:
// unknown). It reports false when b is not one.
func decodeAttrs(b []byte, s *schema, depth int) ([]attrNode, bool) {
	attrs, err := netlink.UnmarshalAttributes(b)
	if err != nil {
		return nil, false
	}
	// IFLA_INFO_DATA is typed by the kind next to it.
	kinds := make(map[string]string)
	if s != nil {
		for _, a := range attrs {
			name, spec := s.lookup(a.Type &^ attrFlags)
			if spec.kind == kindString && strings.HasSuffix(name, "KIND") {
				if k, ok := printable(a.Data); ok {
					kinds[name] = k
				}
			}
		}
	}
	nodes := make([]attrNode, 0, len(attrs))
	for _, a := range attrs {
		nodes = append(nodes, decodeAttr(a, s, kinds, depth))
	}
	return nodes, true
}

// attrFlags are the flag bits of an attribute's type.
const attrFlags = netlink.Nested | netlink.NetByteOrder

// decodeAttr decodes one attribute of the space s.
func decodeAttr(a netlink.Attribute, s *schema, kinds map[string]string, depth int) attrNode {
	n := attrNode{
		Type:         a.Type &^ attrFlags,
		NestedFlag:   a.Type&netlink.Nested != 0,
		NetByteOrder: a.Type&netlink.NetByteOrder != 0,
		Length:       len(a.Data),
	}
	name, spec := s.lookup(n.Type)
	n.Name = name
	if spec.kindData != "" {
		if k := kinds[spec.kindData]; k != "" && hasSet("IFLA_"+strings.ToUpper(k)+"_") {
			spec.child = &schema{prefix: "IFLA_" + strings.ToUpper(k) + "_"}
		}
	}
	if spec.kind == "" {
		decodeGuess(&n, a.Data, spec.child, depth)
		return n
	}
	n.Kind = spec.kind
	if !decodeTyped(&n, a.Data, spec, depth) {
		n.Note = fmt.Sprintf("not a valid %s", spec.kind)
		n.Kind = kindBinary
		decodeBytes(&n, a.Data)
	}
	return n
}

// decodeTyped decodes data as the kind spec gives. It reports false when
// the data does not fit the kind.
func decodeTyped(n *attrNode, data []byte, spec attrSpec, depth int) bool {
	order := binary.ByteOrder(binary.NativeEndian)
	if n.NetByteOrder {
		order = binary.BigEndian
	}
	switch spec.kind {
	case kindFlag:
		n.Value = true
		return len(data) == 0
	case kindU8, kindU16, kindU32, kindU64, kindBE16, kindBE32:
		size := map[string]int{kindU8: 1, kindU16: 2, kindU32: 4, kindU64: 8, kindBE16: 2, kindBE32: 4}[spec.kind]
		if spec.kind == kindBE16 || spec.kind == kindBE32 {
			order = binary.BigEndian
		}
		v, ok := readUint(data, size, order)
		if !ok {
			return false
		}
		n.Value = v
		if spec.enum != "" {
			n.Symbol = constName(spec.enum, v)
		}
		if spec.flags != "" {
			n.Flags = flagNames(spec.flags, v)
		}
		return true
	case kindUint:
		if len(data) != 4 && len(data) != 8 {
			return false
		}
		v, _ := readUint(data, len(data), order)
		n.Value = v
		return true
	case kindS8, kindS16, kindS32, kindS64, kindSint:
		size := map[string]int{kindS8: 1, kindS16: 2, kindS32: 4, kindS64: 8}[spec.kind]
		if spec.kind == kindSint {
			size = 8
			if len(data) == 4 {
				size = 4
			}
		}
		v, ok := readUint(data, size, order)
		if !ok {
			return false
		}
		shift := 64 - 8*size
		n.Value = int64(v<<shift) >> shift
		return true
	case kindString, kindNulString:
		s, ok := printable(data)
		if !ok {
			return false
		}
		n.Value = s
		return true
	case kindBinary:
		decodeBytes(n, data)
		return true
	case kindMAC:
		if len(data) == 0 {
			return false
		}
		n.Value = net.HardwareAddr(data).String()
		return true
	case kindIP:
		ip, ok := netip.AddrFromSlice(data)
		if !ok {
			return false
		}
		n.Value = ip.String()
		return true
	case kindStruct:
		// Kernels append fields to these structs: a longer one is
		// decoded as far as nlctl knows it.
		if len(spec.fields) == 0 || len(data) < structSize(spec.fields) {
			return false
		}
		n.Value = decodeHeaderFields(spec.fields, data)
		if extra := len(data) - structSize(spec.fields); extra > 0 {
			n.Note = fmt.Sprintf("and %d bytes nlctl does not know", extra)
		}
		return true
	case kindBitfield32:
		if len(data) != 8 {
			return false
		}
		n.Value = bitfield{Value: binary.NativeEndian.Uint32(data), Selector: binary.NativeEndian.Uint32(data[4:])}
		return true
	case kindNested:
		if depth >= maxNestingDepth {
			return false
		}
		children, ok := decodeAttrs(data, spec.child, depth+1)
		if !ok {
			return false
		}
		n.Nested, n.Attrs = true, children
		return true
	case kindArray:
		if depth >= maxNestingDepth {
			return false
		}
		items, err := netlink.UnmarshalAttributes(data)
		if err != nil {
			return false
		}
		n.Nested, n.Attrs = true, make([]attrNode, 0, len(items))
		for _, it := range items {
			item := attrNode{
				Type:       it.Type &^ attrFlags,
				NestedFlag: it.Type&netlink.Nested != 0,
				Length:     len(it.Data),
				Kind:       kindNested,
			}
			children, ok := decodeAttrs(it.Data, spec.child, depth+2)
			if !ok {
				item.Kind, item.Note = kindBinary, "not a valid nested item"
				decodeBytes(&item, it.Data)
			} else {
				item.Nested, item.Attrs = true, children
			}
			n.Attrs = append(n.Attrs, item)
		}
		return true
	}
	// A policy type nlctl does not know: show the bytes.
	n.Note = "unknown kind " + spec.kind
	decodeBytes(n, data)
	return true
}

// readUint reads an unsigned integer of exactly size bytes.
func readUint(data []byte, size int, order binary.ByteOrder) (uint64, bool) {
	if len(data) != size {
		return 0, false
	}
	switch size {
	case 1:
		return uint64(data[0]), true
	case 2:
		return uint64(order.Uint16(data)), true
	case 4:
		return uint64(order.Uint32(data)), true
	}
	return order.Uint64(data), true
}

// decodeBytes keeps data as bytes, with its text when the whole value is a
// NUL-terminated printable string.
func decodeBytes(n *attrNode, data []byte) {
	if s, ok := cString(data); ok {
		n.Value = s
	}
	n.Hex = hex.EncodeToString(data)
}

// decodeGuess decodes an attribute of unknown type. Its data is decoded as
// nested attributes when the Nested flag says so, or when it looks like
// nested attributes (see looksNested): many families nest without setting
// the flag. Otherwise it is kept in hexadecimal, with its value when it has
// the size of an integer and its text when it is a NUL-terminated string
// (for integer sizes, only when the text looks like a name: see
// looksLikeName).
func decodeGuess(n *attrNode, data []byte, child *schema, depth int) {
	if depth < maxNestingDepth && (n.NestedFlag || looksNested(data)) {
		if children, ok := decodeAttrs(data, child, depth+1); ok {
			n.Nested = true
			n.Attrs = children
			return
		}
	}
	if s, ok := cString(data); ok && (!intSized(len(data)) || looksLikeName(s)) {
		n.Value = s
	} else if v, ok := guessUint(data, n.NetByteOrder); ok {
		n.Value = v
	}
	n.Hex = hex.EncodeToString(data)
}

// guessUint reads data as an unsigned integer when it has the size of one.
func guessUint(data []byte, netOrder bool) (uint64, bool) {
	var order binary.ByteOrder = binary.NativeEndian
	if netOrder {
		order = binary.BigEndian
	}
	if !intSized(len(data)) {
		return 0, false
	}
	return readUint(data, len(data), order)
}

// intSized reports whether n bytes can hold an integer attribute.
func intSized(n int) bool { return n == 1 || n == 2 || n == 4 || n == 8 }

// looksLikeName reports whether s, found in data the size of an integer, is
// more likely a short name (such as "ifb" or "tun") than an integer: at
// least three letters, digits, dashes, dots or underscores. MTU 9000 is
// "(#" followed by NULs, and stays a number.
func looksLikeName(s string) bool {
	if len(s) < 3 {
		return false
	}
	for _, c := range []byte(s) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return true
}

// looksNested reports whether b, from an attribute without the Nested flag,
// is taken for nested attributes: it is at least 8 bytes, a multiple of 4,
// not a NUL-terminated string, and parses completely as attributes none of
// which has type 0. The size rule keeps 4-byte integers and the zero-type
// rule keeps zero-filled blobs from being mistaken for attributes.
func looksNested(b []byte) bool {
	if len(b) < 8 || len(b)%4 != 0 {
		return false
	}
	if _, ok := cString(b); ok {
		return false
	}
	// Zero bytes decode as attributes of Length zero, which are skipped:
	// data that holds nothing else is not a nested stream.
	attrs, err := netlink.UnmarshalAttributes(b)
	if err != nil || len(attrs) == 0 {
		return false
	}
	for _, a := range attrs {
		if a.Type&^attrFlags == 0 {
			return false
		}
	}
	return true
}

// cString returns the text of b when b is a NUL-terminated string of
// printable characters. NULs may pad it to 4 bytes, or fill a buffer of up
// to 32 bytes (an interface name, an ethtool string); a character followed
// by hundreds of NULs is a counter, not text.
func cString(b []byte) (string, bool) {
	end := -1
	for i, c := range b {
		if c == 0 {
			end = i
			break
		}
		if c < 0x20 || c > 0x7e {
			return "", false
		}
	}
	if end <= 0 {
		return "", false
	}
	for _, c := range b[end:] {
		if c != 0 {
			return "", false
		}
	}
	if len(b)-end > 4 && len(b) > 32 {
		return "", false
	}
	return string(b[:end]), true
}

// printable returns the text of b for an attribute the kernel calls a
// string: printable characters, NUL-terminated or not, possibly empty.
func printable(b []byte) (string, bool) {
	end := len(b)
	for i, c := range b {
		if c == 0 {
			end = i
			break
		}
		if c < 0x20 || c > 0x7e {
			return "", false
		}
	}
	for _, c := range b[end:] {
		if c != 0 {
			return "", false
		}
	}
	return string(b[:end]), true
}
