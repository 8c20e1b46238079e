package spec

import "sync"

// A Family is one netlink family as its spec describes it.
type Family struct {
	// Name is the spec's name ("rt-link", "ethtool"); for generic
	// netlink families it is also the name the kernel registers, the one
	// nlctrl resolves.
	Name     string
	Doc      string
	Protocol Protocol

	// Protonum is the netlink protocol of the socket (NETLINK_ROUTE,
	// NETLINK_NETFILTER, ...) for NetlinkRaw families, and
	// NETLINK_GENERIC for the others.
	Protonum int

	// Version is the version sent in the generic netlink header (1
	// unless the spec says otherwise).
	Version uint8

	// UAPIHeader names the kernel header that defines the family.
	UAPIHeader string

	// KernelPolicy is how the kernel validates requests of a
	// genetlink-legacy family: "split" (the default), "per-op" or
	// "global".
	KernelPolicy string

	Consts      []Const
	Enums       []Enum
	Structs     []Struct
	AttrSets    []AttrSet
	SubMessages []SubMessage

	// OpModel is how the operations are numbered, and FixedHeader the
	// struct that follows the generic netlink header in every message
	// unless an operation names another (empty for none; NetlinkRaw
	// families name one per operation).
	OpModel     OpModel
	FixedHeader string
	Ops         []Op

	MCGroups []MCGroup

	once sync.Once
	idx  *index
}

// A Const is a named constant of the spec (a limit or a length).
type Const struct {
	Name string
	Doc  string
	// Value is set for integer constants, Str for string ones.
	Value int64
	Str   string
}

// An Enum is a set of named values: an enum, whose entries are values, or
// a set of flags, whose entries are bits.
type Enum struct {
	Name string
	Doc  string
	// Flags is true for a set of flags.
	Flags bool
	// Entries hold each name with its value as it appears on the wire:
	// for flags, the mask of the entry's bit.
	Entries []EnumEntry
}

// An EnumEntry is one value of an Enum.
type EnumEntry struct {
	Name  string
	Doc   string
	Value uint64
}

// A Struct is a C structure: a fixed header, or the payload of a binary
// attribute.
type Struct struct {
	Name    string
	Doc     string
	Members []Member
	// Size is the sum of the members' sizes; the specs list padding as
	// members, so this is the size of the C structure.
	Size int
}

// A Member is one field of a Struct.
type Member struct {
	Name string
	Doc  string
	// Type is an integer type, TypeString or TypeBinary (of Len bytes), or TypePad
	// (Len bytes to skip).
	Type      Type
	Len       int
	Offset    int
	ByteOrder ByteOrder
	Display   Display
	// Enum names the Enum of the values; EnumAsFlags reads an Enum
	// whose entries are values as bit numbers.
	Enum        string
	EnumAsFlags bool
	// Struct names the struct a binary member holds.
	Struct string
}

// Size returns the number of bytes m takes.
func (m *Member) Size() int {
	if n := m.Type.Size(); n > 0 {
		return n
	}
	return m.Len
}

// An AttrSet is a space of attribute types: those of one message, or of
// the inside of a nested attribute.
type AttrSet struct {
	Name string
	Doc  string
	// SubsetOf names the set whose numbering this set shares; its
	// attributes are some of that set's, as seen in one nest.
	SubsetOf string
	Attrs    []Attr
}

// An Attr is one attribute type of an AttrSet.
type Attr struct {
	Name  string
	Doc   string
	Value uint16
	Type  Type

	ByteOrder ByteOrder
	Display   Display

	// MultiAttr is true when the attribute may appear several times, each
	// one a value of a list.
	MultiAttr bool

	// Nested names the AttrSet inside a Nest, or inside each entry of an
	// IndexedArray or NestTypeValue whose SubType is Nest.
	Nested string
	// SubType is the type of the entries of an IndexedArray.
	SubType Type
	// TypeValue names the levels of a NestTypeValue, whose nests use
	// their attribute types as values.
	TypeValue []string

	// Enum names the Enum of an integer attribute's values; EnumAsFlags
	// reads an Enum of values as bit numbers.
	Enum        string
	EnumAsFlags bool

	// Struct names the struct a Binary attribute holds.
	Struct string

	// SubMessage names the SubMessage that decides the contents of a
	// SubMessage attribute, and Selector the attribute (a sibling, or an
	// attribute of an enclosing nest) whose value picks its format.
	SubMessage string
	Selector   string

	Checks Checks
}

// Checks are the limits the kernel enforces on an attribute's value or
// length. A zero length limit means none.
type Checks struct {
	HasMin, HasMax bool
	Min, Max       int64
	MinLen         int
	MaxLen         int
	ExactLen       int
	// FlagsMask names an Enum of flags outside of which no bit may be
	// set.
	FlagsMask string
	// UnterminatedOK lets a string come without its terminating NUL.
	UnterminatedOK bool
}

// A SubMessage is a set of formats of which an attribute's selector picks
// one.
type SubMessage struct {
	Name    string
	Formats []Format
}

// A Format is what a sub-message holds when its selector has Value: an
// optional fixed header (a Struct) and attributes of AttrSet, if any.
type Format struct {
	Value       string
	FixedHeader string
	AttrSet     string
}

// An Op is one operation of the family: a request and its reply, a
// notification, or an event.
type Op struct {
	Name string
	Doc  string
	// AttrSet holds the attributes of the operation's messages, and
	// FixedHeader the struct before them (empty for none).
	AttrSet     string
	FixedHeader string

	// Request and Reply are the message numbers of the operation (the
	// generic netlink command, or the message type of a NetlinkRaw
	// family); zero when there is no such message. In the unified model
	// both are the same.
	Request uint16
	Reply   uint16

	// AdminPerm is true when the kernel requires CAP_NET_ADMIN, and
	// UnsAdminPerm when it requires CAP_NET_ADMIN in the user namespace
	// that owns the network namespace.
	AdminPerm    bool
	UnsAdminPerm bool
	// DontValidate lists the kernel's relaxed checks ("strict", "dump",
	// "dump-strict").
	DontValidate []string

	Do   *Mode
	Dump *Mode

	// Notify names the operation whose reply format this notification
	// shares; Event lists the attributes of an event; MCGroup names
	// the group it is sent to.
	Notify  string
	Event   []string
	MCGroup string
}

// A Mode is the do or dump form of an operation: the attributes its
// request and reply hold (nil when that message does not exist).
type Mode struct {
	Request *Message
	Reply   *Message
}

// A Message lists the attributes, by name, that a request or reply holds.
// The NetlinkRaw specs list the members of the fixed header they use too
// (rt-link's getlink request names ifi-index), so a name is that of an
// attribute of the operation's set or of a member of its fixed header.
type Message struct {
	Attrs []string
}

// An MCGroup is a multicast group of the family. Value is the group
// number of a NetlinkRaw family (zero where the spec does not give it);
// generic netlink groups get their numbers from nlctrl.
type MCGroup struct {
	Name  string
	Value uint32
}
