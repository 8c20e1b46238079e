package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mdlayher/netlink"
)

// Netlink families (the protocol argument of socket(AF_NETLINK, ...)). The
// values are kernel ABI; they are spelled out here because x/sys/unix
// defines them only on Linux and nlctl builds everywhere.
const (
	familyRoute     = 0
	familyNetfilter = 12
	familyGeneric   = 16
)

// familyNames maps the names nlctl accepts to netlink families.
var familyNames = map[string]int{
	"route":          0,
	"rtnetlink":      0,
	"usersock":       2,
	"firewall":       3,
	"sock_diag":      4,
	"inet_diag":      4,
	"nflog":          5,
	"xfrm":           6,
	"selinux":        7,
	"iscsi":          8,
	"audit":          9,
	"fib_lookup":     10,
	"connector":      11,
	"netfilter":      12,
	"ip6_fw":         13,
	"dnrtmsg":        14,
	"kobject_uevent": 15,
	"generic":        16,
	"genl":           16,
	"scsitransport":  18,
	"ecryptfs":       19,
	"rdma":           20,
	"crypto":         21,
	"smc":            22,
}

// familyName returns the usual name of a netlink family, or its number.
func familyName(family int) string {
	switch family {
	case familyRoute:
		return "route"
	case familyGeneric:
		return "generic"
	}
	best := ""
	for name, f := range familyNames {
		if f == family && (best == "" || name < best) {
			best = name
		}
	}
	if best == "" {
		return strconv.Itoa(family)
	}
	return best
}

// Generic netlink controller (nlctrl) constants, from linux/genetlink.h.
const (
	genlIDCtrl = 0x10

	ctrlCmdNewFamily = 1
	ctrlCmdGetFamily = 3

	ctrlAttrFamilyID    = 1
	ctrlAttrFamilyName  = 2
	ctrlAttrVersion     = 3
	ctrlAttrHdrSize     = 4
	ctrlAttrMaxAttr     = 5
	ctrlAttrOps         = 6
	ctrlAttrMcastGroups = 7

	ctrlAttrOpID    = 1
	ctrlAttrOpFlags = 2

	ctrlAttrMcastGrpName = 1
	ctrlAttrMcastGrpID   = 2
)

// genlOpFlags names the flags of a generic netlink operation, in bit order,
// worded as genl(8) prints them.
var genlOpFlags = []string{
	"requires admin permission",           // GENL_ADMIN_PERM
	"can doit",                            // GENL_CMD_CAP_DO
	"can dumpit",                          // GENL_CMD_CAP_DUMP
	"has policy",                          // GENL_CMD_CAP_HASPOL
	"requires namespace admin permission", // GENL_UNS_ADMIN_PERM
}

// rtnlTypes names the rtnetlink message types (RTM_*).
var rtnlTypes = map[uint16]string{
	16: "RTM_NEWLINK", 17: "RTM_DELLINK", 18: "RTM_GETLINK", 19: "RTM_SETLINK",
	20: "RTM_NEWADDR", 21: "RTM_DELADDR", 22: "RTM_GETADDR",
	24: "RTM_NEWROUTE", 25: "RTM_DELROUTE", 26: "RTM_GETROUTE",
	28: "RTM_NEWNEIGH", 29: "RTM_DELNEIGH", 30: "RTM_GETNEIGH",
	32: "RTM_NEWRULE", 33: "RTM_DELRULE", 34: "RTM_GETRULE",
	36: "RTM_NEWQDISC", 37: "RTM_DELQDISC", 38: "RTM_GETQDISC",
	40: "RTM_NEWTCLASS", 41: "RTM_DELTCLASS", 42: "RTM_GETTCLASS",
	44: "RTM_NEWTFILTER", 45: "RTM_DELTFILTER", 46: "RTM_GETTFILTER",
	48: "RTM_NEWACTION", 49: "RTM_DELACTION", 50: "RTM_GETACTION",
	52: "RTM_NEWPREFIX", 58: "RTM_GETMULTICAST", 62: "RTM_GETANYCAST",
	64: "RTM_NEWNEIGHTBL", 66: "RTM_GETNEIGHTBL", 67: "RTM_SETNEIGHTBL",
	68: "RTM_NEWNDUSEROPT",
	72: "RTM_NEWADDRLABEL", 73: "RTM_DELADDRLABEL", 74: "RTM_GETADDRLABEL",
	78: "RTM_GETDCB", 79: "RTM_SETDCB",
	80: "RTM_NEWNETCONF", 81: "RTM_DELNETCONF", 82: "RTM_GETNETCONF",
	84: "RTM_NEWMDB", 85: "RTM_DELMDB", 86: "RTM_GETMDB",
	88: "RTM_NEWNSID", 89: "RTM_DELNSID", 90: "RTM_GETNSID",
	92: "RTM_NEWSTATS", 94: "RTM_GETSTATS", 95: "RTM_SETSTATS",
	96:  "RTM_NEWCACHEREPORT",
	100: "RTM_NEWCHAIN", 101: "RTM_DELCHAIN", 102: "RTM_GETCHAIN",
	104: "RTM_NEWNEXTHOP", 105: "RTM_DELNEXTHOP", 106: "RTM_GETNEXTHOP",
	108: "RTM_NEWLINKPROP", 109: "RTM_DELLINKPROP", 110: "RTM_GETLINKPROP",
	112: "RTM_NEWVLAN", 113: "RTM_DELVLAN", 114: "RTM_GETVLAN",
	116: "RTM_NEWNEXTHOPBUCKET", 117: "RTM_DELNEXTHOPBUCKET", 118: "RTM_GETNEXTHOPBUCKET",
	120: "RTM_NEWTUNNEL", 121: "RTM_DELTUNNEL", 122: "RTM_GETTUNNEL",
}

// controlTypes names the message types shared by every family.
var controlTypes = map[uint16]string{
	1: "NLMSG_NOOP", 2: "NLMSG_ERROR", 3: "NLMSG_DONE", 4: "NLMSG_OVERRUN",
}

// typeName returns the name of a message type of the given family, or "".
func typeName(family int, t uint16) string {
	if n, ok := controlTypes[t]; ok {
		return n
	}
	if family == familyRoute {
		return rtnlTypes[t]
	}
	return ""
}

// parseNumber parses a decimal or 0x-prefixed hexadecimal number of at most
// bits bits.
func parseNumber(s string, bits int) (uint64, error) {
	return strconv.ParseUint(s, 0, bits)
}

// parseRouteType parses an rtnetlink message type: a number, an RTM_* name,
// or that name in lower case without its prefix ("getlink").
func parseRouteType(s string) (uint16, bool) {
	if n, err := parseNumber(s, 16); err == nil {
		return uint16(n), true
	}
	want := strings.ToUpper(s)
	for t, name := range rtnlTypes {
		if name == want || name == "RTM_"+want {
			return t, true
		}
	}
	for t, name := range controlTypes {
		if name == want || name == "NLMSG_"+want {
			return t, true
		}
	}
	return 0, false
}

// genlCommands names the commands of the nlctrl family that nlctl knows.
var genlCommands = map[string]uint8{
	"getfamily": ctrlCmdGetFamily,
	"getpolicy": 10,
}

// parseGenlCommand parses a generic netlink command: a number, or for the
// nlctrl family one of the names in genlCommands (with or without
// CTRL_CMD_).
func parseGenlCommand(family, s string) (uint8, bool) {
	if n, err := parseNumber(s, 8); err == nil {
		return uint8(n), true
	}
	if family != "nlctrl" {
		return 0, false
	}
	c, ok := genlCommands[strings.TrimPrefix(strings.ToLower(s), "ctrl_cmd_")]
	return c, ok
}

// headerFlagNames maps the names --flags accepts to header flags. The
// modifiers of GET and NEW requests share bits; both names are accepted.
var headerFlagNames = map[string]netlink.HeaderFlags{
	"request":     netlink.Request,
	"multi":       netlink.Multi,
	"ack":         netlink.Acknowledge,
	"acknowledge": netlink.Acknowledge,
	"echo":        netlink.Echo,
	"dump":        netlink.Dump,
	"root":        netlink.Root,
	"match":       netlink.Match,
	"atomic":      netlink.Atomic,
	"replace":     netlink.Replace,
	"excl":        netlink.Excl,
	"create":      netlink.Create,
	"append":      netlink.Append,
}

// parseHeaderFlags parses a comma-separated list of flag names and numbers.
func parseHeaderFlags(s string) (netlink.HeaderFlags, error) {
	var f netlink.HeaderFlags
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if v, ok := headerFlagNames[strings.ToLower(item)]; ok {
			f |= v
			continue
		}
		n, err := parseNumber(item, 16)
		if err != nil {
			return 0, fmt.Errorf("unknown flag %q (want request, ack, echo, dump, root, match, atomic, replace, excl, create, append or a number)", item)
		}
		f |= netlink.HeaderFlags(n)
	}
	return f, nil
}

// routeGroups maps rtnetlink multicast group names (RTNLGRP_* in lower case,
// with dashes) to group numbers.
var routeGroups = map[string]uint32{
	"link":          1,
	"notify":        2,
	"neigh":         3,
	"tc":            4,
	"ipv4-ifaddr":   5,
	"ipv4-mroute":   6,
	"ipv4-route":    7,
	"ipv4-rule":     8,
	"ipv6-ifaddr":   9,
	"ipv6-mroute":   10,
	"ipv6-route":    11,
	"ipv6-ifinfo":   12,
	"decnet-ifaddr": 13,
	"decnet-route":  15,
	"decnet-rule":   16,
	"ipv6-prefix":   17,
	"ipv6-rule":     18,
	"nd-useropt":    19,
	"phonet-ifaddr": 20,
	"phonet-route":  21,
	"dcb":           22,
	"ipv4-netconf":  23,
	"ipv6-netconf":  24,
	"mdb":           25,
	"mpls-route":    26,
	"nsid":          27,
	"mpls-netconf":  28,
	"ipv4-mroute-r": 29,
	"ipv6-mroute-r": 30,
	"nexthop":       31,
	"brvlan":        32,
	"mctp-ifaddr":   33,
	"tunnel":        34,
	"stats":         35,
}

// routeHeaderLen returns the size of the fixed header of an rtnetlink
// message type, which precedes its attributes; rtnetlink types come in groups
// of four (NEW, DEL, GET, SET) sharing one header.
func routeHeaderLen(t uint16) int {
	if t < 16 {
		return 0
	}
	switch 16 + (t-16)/4*4 {
	case 16, 108: // link, link property: struct ifinfomsg
		return 16
	case 20, 56, 60: // address, multicast, anycast: struct ifaddrmsg
		return 8
	case 24, 28, 32, 96: // route, neighbour, rule, cache report
		return 12
	case 36, 40, 44, 100: // qdisc, class, filter, chain: struct tcmsg
		return 20
	case 48, 64, 76, 80, 88: // action, neighbour table, dcb, netconf, nsid
		return 4
	case 52, 72, 92: // prefix, address label, stats
		return 12
	case 68: // struct nduseroptmsg
		return 16
	case 84, 104, 112, 116, 120: // mdb, nexthop, vlan, nexthop bucket, tunnel
		return 8
	}
	return 0
}

// familyHeaderLen returns the size of the family header of a message, or 0
// when nlctl does not know it.
func familyHeaderLen(family int, t uint16) int {
	if t < 16 {
		return 0
	}
	switch family {
	case familyRoute:
		return routeHeaderLen(t)
	case familyGeneric, familyNetfilter:
		return 4 // struct genlmsghdr, struct nfgenmsg
	}
	return 0
}
