package main

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"syscall"

	"github.com/mdlayher/netlink"
)

// An attrNode is one decoded attribute. Nested attributes hold their
// children; others hold their data in hexadecimal, plus a string or an
// integer when the data looks like one.
type attrNode struct {
	Type         uint16     `json:"type"`
	NestedFlag   bool       `json:"nested_flag,omitempty"`
	NetByteOrder bool       `json:"net_byte_order,omitempty"`
	Length       int        `json:"length"`
	Nested       bool       `json:"nested,omitempty"`
	Attrs        []attrNode `json:"attrs,omitempty"`
	String       *string    `json:"string,omitempty"`
	Value        *uint64    `json:"value,omitempty"`
	Hex          string     `json:"hex,omitempty"`
}

// maxNestingDepth bounds how deep nested attributes are decoded.
const maxNestingDepth = 32

// decodeAttrs decodes b as a stream of attributes. It reports false when b
// is not one.
func decodeAttrs(b []byte, depth int) ([]attrNode, bool) {
	attrs, err := netlink.UnmarshalAttributes(b)
	if err != nil {
		return nil, false
	}
	nodes := make([]attrNode, 0, len(attrs))
	for _, a := range attrs {
		nodes = append(nodes, decodeAttr(a, depth))
	}
	return nodes, true
}

// decodeAttr decodes one attribute. Its data is decoded as nested
// attributes when the Nested flag says so, or when it looks like nested
// attributes (see looksNested): many families nest without setting the
// flag. Otherwise it is kept in hexadecimal, with its value when it has the
// size of an integer and its text when it is a NUL-terminated string (for
// integer sizes, only when the text looks like a name: see looksLikeName).
func decodeAttr(a netlink.Attribute, depth int) attrNode {
	n := attrNode{
		Type:         a.Type &^ (netlink.Nested | netlink.NetByteOrder),
		NestedFlag:   a.Type&netlink.Nested != 0,
		NetByteOrder: a.Type&netlink.NetByteOrder != 0,
		Length:       len(a.Data),
	}
	if depth < maxNestingDepth && (n.NestedFlag || looksNested(a.Data)) {
		if children, ok := decodeAttrs(a.Data, depth+1); ok {
			n.Nested = true
			n.Attrs = children
			return n
		}
	}
	if s, ok := cString(a.Data); ok && (!intSized(len(a.Data)) || looksLikeName(s)) {
		n.String = &s
	}
	if intSized(len(a.Data)) {
		var order binary.ByteOrder = binary.NativeEndian
		if n.NetByteOrder {
			order = binary.BigEndian
		}
		var v uint64
		switch len(a.Data) {
		case 1:
			v = uint64(a.Data[0])
		case 2:
			v = uint64(order.Uint16(a.Data))
		case 4:
			v = uint64(order.Uint32(a.Data))
		case 8:
			v = order.Uint64(a.Data)
		}
		n.Value = &v
	}
	n.Hex = hex.EncodeToString(a.Data)
	return n
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
		if a.Type&^(netlink.Nested|netlink.NetByteOrder) == 0 {
			return false
		}
	}
	return true
}

// cString returns the text of b when b is a NUL-terminated string of
// printable characters (padding NULs after the first are allowed).
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
	return string(b[:end]), true
}

// A messageView is one decoded message.
type messageView struct {
	Family      string     `json:"family"`
	Type        uint16     `json:"type"`
	TypeName    string     `json:"type_name,omitempty"`
	Flags       string     `json:"flags"`
	Sequence    uint32     `json:"seq"`
	PID         uint32     `json:"pid"`
	GenlCommand *uint8     `json:"genl_cmd,omitempty"`
	GenlVersion *uint8     `json:"genl_version,omitempty"`
	Header      string     `json:"header,omitempty"`
	Error       *errorView `json:"error,omitempty"`
	Attrs       []attrNode `json:"attrs,omitempty"`
	Payload     string     `json:"payload,omitempty"`
}

// An errorView is the body of an NLMSG_ERROR message.
type errorView struct {
	Code    int32  `json:"code"`
	Message string `json:"message"`
}

// decodeMessage decodes m, received on a socket of the given family.
// genlNames names generic netlink families by ID, when known.
func decodeMessage(family int, genlNames map[uint16]string, m netlink.Message) messageView {
	t := uint16(m.Header.Type)
	v := messageView{
		Family:   familyName(family),
		Type:     t,
		TypeName: typeName(family, t),
		Flags:    m.Header.Flags.String(),
		Sequence: m.Header.Sequence,
		PID:      m.Header.PID,
	}
	if family == familyGeneric && t >= 16 {
		if name, ok := genlNames[t]; ok {
			v.TypeName = name
		}
	}

	data := m.Data
	if m.Header.Type == netlink.Error && len(data) >= 4 {
		code := int32(binary.NativeEndian.Uint32(data))
		v.Error = &errorView{Code: code, Message: "ack"}
		if code < 0 {
			v.Error.Message = syscall.Errno(-code).Error()
		}
		v.Payload = hex.EncodeToString(data[4:])
		return v
	}

	n := familyHeaderLen(family, t)
	if len(data) < n {
		v.Payload = hex.EncodeToString(data)
		return v
	}
	if n > 0 {
		v.Header = hex.EncodeToString(data[:n])
		if family == familyGeneric {
			cmd, ver := data[0], data[1]
			v.GenlCommand, v.GenlVersion = &cmd, &ver
		}
	}
	if attrs, ok := decodeAttrs(data[n:], 0); ok {
		v.Attrs = attrs
	} else {
		v.Payload = hex.EncodeToString(data[n:])
	}
	return v
}

// writeMessageText prints a decoded message: a summary line, then its
// family header and attribute tree indented below it. prefix starts the
// summary line.
func writeMessageText(w io.Writer, prefix string, v messageView) {
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteString(v.Family)
	b.WriteByte(' ')
	if v.TypeName != "" {
		fmt.Fprintf(&b, "%s (%d)", v.TypeName, v.Type)
	} else {
		fmt.Fprintf(&b, "type %d", v.Type)
	}
	if v.GenlCommand != nil {
		fmt.Fprintf(&b, " cmd %d version %d", *v.GenlCommand, *v.GenlVersion)
	}
	fmt.Fprintf(&b, " flags=%s seq=%d pid=%d\n", v.Flags, v.Sequence, v.PID)
	if v.Error != nil {
		fmt.Fprintf(&b, "    error %d: %s\n", v.Error.Code, v.Error.Message)
	}
	if v.Header != "" {
		fmt.Fprintf(&b, "    header: %s\n", spacedHex(v.Header))
	}
	writeAttrsText(&b, v.Attrs, 1)
	if v.Payload != "" {
		fmt.Fprintf(&b, "    payload: %s\n", spacedHex(v.Payload))
	}
	io.WriteString(w, b.String())
}

// writeAttrsText prints an attribute tree, one attribute a line, indented
// four spaces a level.
func writeAttrsText(b *strings.Builder, attrs []attrNode, depth int) {
	indent := strings.Repeat("    ", depth)
	for _, a := range attrs {
		fmt.Fprintf(b, "%s[%d]", indent, a.Type)
		switch {
		case a.Nested:
			b.WriteString(" nested:\n")
			writeAttrsText(b, a.Attrs, depth+1)
			continue
		case a.String != nil:
			fmt.Fprintf(b, " %q", *a.String)
		case a.Value != nil:
			kind := "u"
			if a.NetByteOrder {
				kind = "be"
			}
			fmt.Fprintf(b, " %s%d %d (%#x)", kind, a.Length*8, *a.Value, *a.Value)
		case a.Length == 0:
			b.WriteString(" (empty)")
		default:
			fmt.Fprintf(b, " %d bytes: %s", a.Length, spacedHex(a.Hex[:min(len(a.Hex), 2*maxTextBytes)]))
			if a.Length > maxTextBytes {
				fmt.Fprintf(b, " ... (%d more)", a.Length-maxTextBytes)
			}
		}
		b.WriteByte('\n')
	}
}

// maxTextBytes is how many bytes of an opaque attribute the text output
// shows; JSON has them all.
const maxTextBytes = 32

// spacedHex puts a space between the bytes of a hexadecimal string.
func spacedHex(h string) string {
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(h[i:min(i+2, len(h))])
	}
	return b.String()
}
