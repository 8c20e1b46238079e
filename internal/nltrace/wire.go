package nltrace

// The parts of the netlink wire format the trace reads. The package builds
// on every OS, so the kernel's values are copies, which a Linux test checks
// against golang.org/x/sys/unix.

// Sizes and alignment (NLMSG_ALIGNTO, NLA_ALIGNTO).
const (
	headerLen     = 16 // struct nlmsghdr
	attrHeaderLen = 4  // struct nlattr
	alignTo       = 4
)

// nlmsgAlign and nlaAlign round n up to the alignment of messages and of
// attributes.
func nlmsgAlign(n int) int { return (n + alignTo - 1) &^ (alignTo - 1) }
func nlaAlign(n int) int   { return (n + alignTo - 1) &^ (alignTo - 1) }

// Header flags (NLM_F_*) that the mnl layout shows as letters.
const (
	Request     HeaderFlags = 0x1
	Multi       HeaderFlags = 0x2
	Acknowledge HeaderFlags = 0x4
	Echo        HeaderFlags = 0x8
)

// Control message types (NLMSG_*).
const (
	Noop  HeaderType = 0x1
	Error HeaderType = 0x2
	Done  HeaderType = 0x3
)

// Attribute type flags (NLA_F_*).
const (
	Nested       uint16 = 0x8000
	NetByteOrder uint16 = 0x4000
	attrFlags           = Nested | NetByteOrder
)
