package spec

import "strconv"

// A Protocol is the flavour of netlink a family speaks, which decides the
// socket it uses and the header in front of its attributes.
type Protocol uint8

// The protocols of the specs. The three generic netlink flavours differ
// only in what the specs may declare; on the wire all three put a
// genlmsghdr (and possibly a fixed header) before the attributes.
const (
	Genetlink Protocol = iota + 1
	GenetlinkC
	GenetlinkLegacy
	NetlinkRaw
)

// Generic reports whether p is one of the generic netlink flavours, whose
// family IDs are resolved through nlctrl.
func (p Protocol) Generic() bool { return p >= Genetlink && p <= GenetlinkLegacy }

func (p Protocol) String() string {
	switch p {
	case Genetlink:
		return "genetlink"
	case GenetlinkC:
		return "genetlink-c"
	case GenetlinkLegacy:
		return "genetlink-legacy"
	case NetlinkRaw:
		return "netlink-raw"
	}
	return "protocol(" + itoa(int64(p)) + ")"
}

// A Type is the type of an attribute or of a struct member.
type Type uint8

// The attribute types of the specs. TypeUint and TypeSint are the variable-width
// integers of generic netlink (4 or 8 bytes on the wire).
const (
	TypeUnused Type = iota + 1
	TypePad
	TypeFlag
	TypeBinary
	TypeBitfield32
	TypeU8
	TypeU16
	TypeU32
	TypeU64
	TypeS8
	TypeS16
	TypeS32
	TypeS64
	TypeUint
	TypeSint
	TypeString
	TypeNest
	TypeIndexedArray
	TypeNestTypeValue
	TypeSubMessage
)

var typeNames = [...]string{
	TypeUnused: "unused", TypePad: "pad", TypeFlag: "flag", TypeBinary: "binary",
	TypeBitfield32: "bitfield32", TypeU8: "u8", TypeU16: "u16", TypeU32: "u32", TypeU64: "u64",
	TypeS8: "s8", TypeS16: "s16", TypeS32: "s32", TypeS64: "s64", TypeUint: "uint", TypeSint: "sint",
	TypeString: "string", TypeNest: "nest", TypeIndexedArray: "indexed-array",
	TypeNestTypeValue: "nest-type-value", TypeSubMessage: "sub-message",
}

// String returns the name the specs use for t.
func (t Type) String() string {
	if int(t) < len(typeNames) && typeNames[t] != "" {
		return typeNames[t]
	}
	return "type(" + itoa(int64(t)) + ")"
}

// ParseType returns the Type the specs call name.
func ParseType(name string) (Type, bool) {
	for t, n := range typeNames {
		if n != "" && n == name {
			return Type(t), true
		}
	}
	return 0, false
}

// Size returns the size in bytes of a fixed-width integer type, and 0 for
// any other type.
func (t Type) Size() int {
	switch t {
	case TypeU8, TypeS8:
		return 1
	case TypeU16, TypeS16:
		return 2
	case TypeU32, TypeS32:
		return 4
	case TypeU64, TypeS64:
		return 8
	}
	return 0
}

// Signed reports whether t is a signed integer type.
func (t Type) Signed() bool {
	switch t {
	case TypeS8, TypeS16, TypeS32, TypeS64, TypeSint:
		return true
	}
	return false
}

// Integer reports whether t is an integer type, fixed or variable width.
func (t Type) Integer() bool { return t.Size() > 0 || t == TypeUint || t == TypeSint }

// A ByteOrder is the byte order of an integer on the wire; the zero value
// is the host's.
type ByteOrder uint8

// Byte orders of the specs.
const (
	HostEndian ByteOrder = iota
	LittleEndian
	BigEndian
)

// A Display is a hint on how to show a value to a person.
type Display uint8

// Display hints of the specs.
const (
	NoHint Display = iota
	Hex
	MAC
	FDDI
	IPv4
	IPv6
	UUID
)

var displayNames = [...]string{Hex: "hex", MAC: "mac", FDDI: "fddi", IPv4: "ipv4", IPv6: "ipv6", UUID: "uuid"}

func (d Display) String() string {
	if int(d) < len(displayNames) {
		return displayNames[d]
	}
	return "display(" + itoa(int64(d)) + ")"
}

// ParseDisplay returns the Display the specs call name.
func ParseDisplay(name string) (Display, bool) {
	for d, n := range displayNames {
		if n != "" && n == name {
			return Display(d), true
		}
	}
	return 0, false
}

// An OpModel is how a family numbers its messages.
type OpModel uint8

// Operation numbering models. In the unified model a request and its reply
// share one number; in the directional model messages to the kernel and
// from it are numbered separately, so an operation has two numbers.
const (
	Unified OpModel = iota
	Directional
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
