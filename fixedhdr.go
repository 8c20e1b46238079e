package netlink

// nlmsgMinType is the first message type that belongs to a family; the types
// below it are control messages.
const nlmsgMinType = 0x10

// Netlink families whose fixed headers fixedHeaderLen knows. This file
// builds on every OS, so they are copies of unix's NETLINK_* values, which
// fixedhdr_consts_linux_test.go checks.
const (
	familyRoute     = 0
	familyNetfilter = 12
	familyGeneric   = 16
)

// Sizes of fixed headers (linux/genetlink.h, linux/netfilter/nfnetlink.h).
const (
	sizeofGenlmsghdr = 4 // struct genlmsghdr
	sizeofNfgenmsg   = 4 // struct nfgenmsg
)

// rtmBase is the first rtnetlink message type (RTM_BASE); the types come in
// groups of four (NEW, DEL, GET, SET) sharing one fixed header.
const rtmBase = 0x10

// rtnlHeaderLens holds the length of the fixed header of each group of four
// rtnetlink message types, from RTM_BASE on; zero where the group is
// unknown or only the kernel sends it. fixedhdr_linux_test.go checks it
// against golang.org/x/sys/unix, whose Sizeof constants cover most of
// them; the rest are the sizes of the structs in linux/rtnetlink.h and
// friends.
var rtnlHeaderLens = [...]uint8{
	(0x10 - rtmBase) / 4: 16, // LINK: struct ifinfomsg
	(0x14 - rtmBase) / 4: 8,  // ADDR: struct ifaddrmsg
	(0x18 - rtmBase) / 4: 12, // ROUTE: struct rtmsg
	(0x1c - rtmBase) / 4: 12, // NEIGH: struct ndmsg
	(0x20 - rtmBase) / 4: 12, // RULE: struct fib_rule_hdr
	(0x24 - rtmBase) / 4: 20, // QDISC: struct tcmsg
	(0x28 - rtmBase) / 4: 20, // TCLASS: struct tcmsg
	(0x2c - rtmBase) / 4: 20, // TFILTER: struct tcmsg
	(0x30 - rtmBase) / 4: 4,  // ACTION: struct tcamsg
	(0x34 - rtmBase) / 4: 12, // PREFIX: struct prefixmsg
	(0x38 - rtmBase) / 4: 8,  // MULTICAST: struct ifaddrmsg
	(0x3c - rtmBase) / 4: 8,  // ANYCAST: struct ifaddrmsg
	(0x40 - rtmBase) / 4: 4,  // NEIGHTBL: struct ndtmsg
	(0x44 - rtmBase) / 4: 16, // NDUSEROPT: struct nduseroptmsg
	(0x48 - rtmBase) / 4: 12, // ADDRLABEL: struct ifaddrlblmsg
	(0x4c - rtmBase) / 4: 4,  // DCB: struct dcbmsg
	(0x50 - rtmBase) / 4: 1,  // NETCONF: struct netconfmsg
	(0x54 - rtmBase) / 4: 8,  // MDB: struct br_port_msg
	(0x58 - rtmBase) / 4: 1,  // NSID: struct rtgenmsg
	(0x5c - rtmBase) / 4: 12, // STATS: struct if_stats_msg
	(0x60 - rtmBase) / 4: 0,  // CACHEREPORT: sent by the kernel only
	(0x64 - rtmBase) / 4: 20, // CHAIN: struct tcmsg
	(0x68 - rtmBase) / 4: 8,  // NEXTHOP: struct nhmsg
	(0x6c - rtmBase) / 4: 16, // LINKPROP: struct ifinfomsg
	(0x70 - rtmBase) / 4: 8,  // VLAN: struct br_vlan_msg
	(0x74 - rtmBase) / 4: 8,  // NEXTHOPBUCKET: struct nhmsg
	(0x78 - rtmBase) / 4: 8,  // TUNNEL: struct tunnel_msg
}

// fixedHeaderLen returns the length of the fixed header that precedes the
// attributes of req, a request of message type msgType in the given
// netlink family, when this package knows it: generic netlink's genlmsghdr
// (a family's own extra header, its hdrsize, is not known here and is
// rarely used), netfilter's nfgenmsg, and rtnetlink's header by message
// type. ok is false for other families and types, control messages, and a
// request too short to hold the header, so that no path is reported from a
// guess.
func fixedHeaderLen(family int, msgType HeaderType, req Message) (n int, ok bool) {
	if msgType < nlmsgMinType {
		return 0, false
	}
	switch family {
	case familyGeneric:
		n = sizeofGenlmsghdr
	case familyNetfilter:
		n = sizeofNfgenmsg
	case familyRoute:
		i := int(msgType-rtmBase) / 4
		if i >= len(rtnlHeaderLens) {
			return 0, false
		}
		n = int(rtnlHeaderLens[i])
	}
	if n == 0 || n > len(req.Data) {
		return 0, false
	}
	return n, true
}

// annotateOffset adds Path and MissingPath to the extended acknowledgement
// stored for e (see ExtendedAckOf), when e is the kernel's error answering
// req, a request sent on a socket of the given netlink family, and the
// offsets it reports point into req's attributes. Conn.Execute calls it,
// before e leaves the package: only there is the request known. It does
// nothing when e has no extended acknowledgement, or one with no offset
// or missing attribute, when the family's fixed header is unknown, or
// when the paths cannot be found.
func annotateOffset(e *OpError, family int, req Message) {
	if e == nil || e.Sequence != req.Header.Sequence {
		return
	}
	a := storedExtAck(e)
	if a == nil || (a.Offset == 0 && a.MissingType == 0) {
		return
	}
	hl, ok := fixedHeaderLen(family, req.Header.Type, req)
	if !ok {
		return
	}
	var path, missingPath []uint16
	if a.Offset != 0 {
		path, _ = AttributePath(req, hl, a.Offset)
	}
	if a.MissingType != 0 {
		missingPath, _ = MissingAttributePath(req, hl, a.MissingNest, a.MissingType)
	}
	if path == nil && missingPath == nil {
		return
	}
	// Stored entries are never modified: the new one replaces it.
	n := *a
	n.Path, n.MissingPath = path, missingPath
	setExtAck(e, &n)
}
