// Package nlfacts holds the kernel facts that package netlink, nltest and
// nlctl all need, so that each has one home: the netlink families whose
// fixed headers are known, the length of those headers, and the numbers of
// the extended acknowledgement and policy attributes.
//
// It builds on every OS, because the facts are kernel ABI that package
// netlink needs even where it cannot dial a socket (to decode and trace
// captured messages). Its values are therefore copies; Linux-only tests
// check each of them against golang.org/x/sys/unix, and the rtnetlink
// table is generated from unix by internal/gentables.
package nlfacts

//go:generate go run ../gentables -nlctl ../../cmd/nlctl -nlfacts .

// Netlink families whose fixed headers this package knows (NETLINK_*).
const (
	FamilyRoute     = 0
	FamilyNetfilter = 12
	FamilyGeneric   = 16
)

// MinType is the first message type that belongs to a family
// (NLMSG_MIN_TYPE); the types below it are control messages, which have
// no family header.
const MinType = 0x10

// Sizes of the fixed headers of generic netlink (struct genlmsghdr,
// GENL_HDRLEN) and netfilter (struct nfgenmsg). A generic netlink family
// may add a header of its own (its hdrsize), which is not known here.
const (
	GenlHeaderLen  = 4
	NfgenHeaderLen = 4
)

// FixedHeaderLen returns the space that the fixed header of a message of
// type t in the given family takes before its attributes, padded to 4
// bytes as NLMSG_ALIGN pads it; 0 when t is a control message, or the
// family or type is one this package does not know.
func FixedHeaderLen(family int, t uint16) int {
	if t < MinType {
		return 0
	}
	switch family {
	case FamilyGeneric:
		return GenlHeaderLen
	case FamilyNetfilter:
		return NfgenHeaderLen
	case FamilyRoute:
		h, ok := RouteHeader(t)
		if !ok {
			return 0
		}
		return (h.Size + 3) &^ 3
	}
	return 0
}
