package ynl

import (
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl/spec"
)

// A Kind tells which field of a Value holds the value.
type Kind uint8

// Kinds of values.
const (
	// KindBinary values are bytes in Bytes, the payload as it came.
	KindBinary Kind = iota
	// KindFlag values are present and carry nothing.
	KindFlag
	// KindUint and KindInt values are integers in Uint and Int, of Size
	// bytes on the wire.
	KindUint
	KindInt
	// KindString values are in Str.
	KindString
	// KindStruct values are C structures, their members in Fields (a
	// binary attribute with a struct, a bitfield32).
	KindStruct
	// KindNest values hold attributes in Attrs: a nest, an indexed array
	// (whose entries are marked Entry), a nest-type-value level, or a
	// sub-message (whose fixed header, if any, is in Fields).
	KindNest
)

var kindNames = [...]string{"binary", "flag", "uint", "int", "string", "struct", "nest"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(?)"
}

// A Value is a typed value of an attribute or of a struct member.
type Value struct {
	Kind Kind

	Uint  uint64
	Int   int64
	Str   string
	Bytes []byte

	// Size is the width in bytes of an integer on the wire, and
	// BigEndian its byte order.
	Size      int
	BigEndian bool

	// Enum is the name of an integer's value in the spec's enum, and
	// Flags the names of its set bits in a set of flags ("up",
	// "running"); both are empty when the spec names none.
	Enum  string
	Flags []string

	// Display is the spec's hint for showing the value: an IPv4 or
	// IPv6 address, a MAC address, hexadecimal.
	Display spec.Display

	// Unterminated is true for a string that came without its NUL.
	Unterminated bool
	// Tail holds bytes that follow the value on the wire and that the
	// spec does not describe: padding after a string's NUL, members of
	// a struct newer than the spec. They are sent back as they came.
	Tail []byte

	// Fields hold the members of a KindStruct value, or the fixed header
	// of a sub-message, and Attrs the attributes of a KindNest value.
	Fields []Field
	Attrs  []Attr
}

// A Field is a named member of a fixed header or of a struct.
type Field struct {
	Name   string
	Member *spec.Member
	Value
}

// An Attr is one attribute of a message, decoded by its spec.
type Attr struct {
	// Name is the spec's name of the attribute, or "" when the spec
	// does not know its type (and Spec is nil).
	Name string
	Spec *spec.Attr

	// Type is the attribute type as it came, with the NLA_F_NESTED
	// and NLA_F_NET_BYTEORDER flags, so that it is sent back the same.
	Type uint16

	// Entry is true for the entries of an indexed array or of a
	// nest-type-value level, whose types are indexes or values rather
	// than attribute types; Name then names the level, if any.
	Entry bool

	// Problem says why the attribute was kept as bytes although the spec
	// knows it (a length that does not fit its type, a sub-message of
	// an unknown kind); empty when it was decoded.
	Problem string

	Value

	// Raw is the payload as it came.
	Raw []byte
}

// A Message is a message of a family, decoded.
type Message struct {
	Header netlink.Header

	// Op is the operation the message belongs to, found by its type (or
	// generic netlink command); nil when the spec knows none.
	Op *spec.Op

	// Cmd and Version are the generic netlink header's fields; zero
	// for other protocols.
	Cmd, Version uint8

	// Fields hold the family's fixed header, and HeaderPad the bytes
	// between it and the attributes (the header's padding to 4 bytes).
	Fields    []Field
	HeaderPad []byte

	Attrs []Attr

	// Data is the message's data as it came (a copy, which the Raw,
	// Bytes and Tail slices of the decoded values point into). Encode
	// does not read it.
	Data []byte
}

// Find returns the first attribute of attrs called name, or nil.
func Find(attrs []Attr, name string) *Attr {
	for i := range attrs {
		if attrs[i].Name == name {
			return &attrs[i]
		}
	}
	return nil
}

// FindField returns the first field of fields called name, or nil.
func FindField(fields []Field, name string) *Field {
	for i := range fields {
		if fields[i].Name == name {
			return &fields[i]
		}
	}
	return nil
}
