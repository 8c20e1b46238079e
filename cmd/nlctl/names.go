package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/mdlayher/netlink"
)

// nameIndex finds the names of constSets by value and values by name.
type nameIndex struct {
	byValue map[string]map[uint64]string // prefix, value: printed name
	byName  map[string]map[string]uint64 // prefix, name in upper case: value
}

var names = sync.OnceValue(func() *nameIndex {
	ix := &nameIndex{
		byValue: make(map[string]map[uint64]string, len(constSets)),
		byName:  make(map[string]map[string]uint64, len(constSets)),
	}
	for prefix, set := range constSets {
		bv := make(map[uint64]string, len(set))
		bn := make(map[string]uint64, len(set))
		for _, c := range set {
			if _, ok := bv[c.value]; !ok {
				bv[c.value] = c.name
			}
			bn[strings.ToUpper(c.name)] = c.value
		}
		ix.byValue[prefix], ix.byName[prefix] = bv, bn
	}
	return ix
})

// constName returns the name unix gives value v in the set prefix, or "".
func constName(prefix string, v uint64) string {
	return names().byValue[prefix][v]
}

// hasSet reports whether constSets has a set called prefix.
func hasSet(prefix string) bool {
	_, ok := constSets[prefix]
	return ok
}

// constValue finds a name of the set prefix, case-insensitively and with or
// without the prefix.
func constValue(prefix, name string) (uint64, bool) {
	up := strings.ToUpper(name)
	bn := names().byName[prefix]
	if v, ok := bn[up]; ok {
		return v, true
	}
	v, ok := bn[prefix+up]
	return v, ok
}

// setNames returns the printed names of a set, in value order.
func setNames(prefix string) []string {
	var out []string
	for _, c := range constSets[prefix] {
		if constName(prefix, c.value) == c.name {
			out = append(out, c.name)
		}
	}
	return out
}

// flagNames names the bits of v by the set prefix; bits without a name are
// given in hexadecimal. It never returns nil, so JSON shows [].
func flagNames(prefix string, v uint64) []string {
	out := []string{}
	var rest uint64
	for bit := uint64(1); bit != 0; bit <<= 1 {
		if v&bit == 0 {
			continue
		}
		if n := constName(prefix, bit); n != "" {
			out = append(out, n)
		} else {
			rest |= bit
		}
	}
	if rest != 0 {
		out = append(out, fmt.Sprintf("%#x", rest))
	}
	return out
}

// familyNames maps the names nlctl accepts to netlink families: NETLINK_*
// without the prefix, in lower case, and a few usual aliases.
var familyNames = sync.OnceValue(func() map[string]int {
	m := map[string]int{"rtnetlink": NETLINK_ROUTE, "genl": NETLINK_GENERIC}
	for _, c := range constSets["NETLINK_"] {
		m[strings.ToLower(strings.TrimPrefix(c.name, "NETLINK_"))] = int(c.value)
	}
	return m
})

// familyName returns the usual name of a netlink family, or its number.
func familyName(family int) string {
	if n := constName("NETLINK_", uint64(family)); n != "" {
		return strings.ToLower(strings.TrimPrefix(n, "NETLINK_"))
	}
	return strconv.Itoa(family)
}

// typeName returns the name of a message type of the given family, or "".
func typeName(family int, t uint16) string {
	if t < NLMSG_MIN_TYPE {
		return constName("NLMSG_", uint64(t))
	}
	if family == NETLINK_ROUTE {
		return constName("RTM_", uint64(t))
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
	for _, prefix := range []string{"RTM_", "NLMSG_"} {
		if v, ok := constValue(prefix, s); ok {
			return uint16(v), true
		}
	}
	return 0, false
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

// headerFlagList names the flags of the header of a message of type t,
// received on a socket of the given family. The bits above 0x80 mean
// different things in GET requests (root, match, atomic), NEW requests
// (replace, excl, create, append) and acknowledgements (capped, ack-tlvs);
// where nlctl cannot tell, they are shown as a number.
func headerFlagList(family int, t uint16, f netlink.HeaderFlags) []string {
	type flagName struct {
		f    netlink.HeaderFlags
		name string
	}
	all := []flagName{
		{netlink.Request, "request"}, {netlink.Multi, "multi"}, {netlink.Acknowledge, "ack"},
		{netlink.Echo, "echo"}, {netlink.DumpInterrupted, "dump-interrupted"},
		{netlink.DumpFiltered, "dump-filtered"},
	}
	switch {
	case t == NLMSG_ERROR:
		all = append(all, flagName{netlink.Capped, "capped"}, flagName{netlink.AcknowledgeTLVs, "ack-tlvs"})
	case family == NETLINK_ROUTE && t >= NLMSG_MIN_TYPE && (t-NLMSG_MIN_TYPE)%4 == 0: // RTM_NEW*
		all = append(all, flagName{netlink.Replace, "replace"}, flagName{netlink.Excl, "excl"},
			flagName{netlink.Create, "create"}, flagName{netlink.Append, "append"})
	case family == NETLINK_ROUTE && t >= NLMSG_MIN_TYPE && (t-NLMSG_MIN_TYPE)%4 == 2: // RTM_GET*
		all = append(all, flagName{netlink.Root, "root"}, flagName{netlink.Match, "match"}, flagName{netlink.Atomic, "atomic"})
	}
	out := []string{}
	for _, fl := range all {
		if f&fl.f != 0 {
			out = append(out, fl.name)
			f &^= fl.f
		}
	}
	if f != 0 {
		out = append(out, fmt.Sprintf("%#x", uint16(f)))
	}
	return out
}

// routeGroupName turns RTNLGRP_IPV6_PREFIX into ipv6-prefix.
func routeGroupName(constant string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(constant, "RTNLGRP_")), "_", "-")
}

// routeGroup finds an rtnetlink multicast group by its name (ipv6-prefix,
// or RTNLGRP_IPV6_PREFIX in any case).
func routeGroup(name string) (uint32, bool) {
	if v, ok := constValue("RTNLGRP_", strings.ReplaceAll(name, "-", "_")); ok {
		return uint32(v), true
	}
	return 0, false
}

// routeGroupNames lists the rtnetlink group names nlctl accepts.
func routeGroupNames() []string {
	var out []string
	for _, n := range setNames("RTNLGRP_") {
		out = append(out, routeGroupName(n))
	}
	slices.Sort(out)
	return out
}

// genlOpCapabilities names the flags of a generic netlink operation, worded
// as genl(8) prints them.
var genlOpCapabilities = map[string]string{
	"GENL_ADMIN_PERM":     "requires admin permission",
	"GENL_CMD_CAP_DO":     "can doit",
	"GENL_CMD_CAP_DUMP":   "can dumpit",
	"GENL_CMD_CAP_HASPOL": "has policy",
	"GENL_UNS_ADMIN_PERM": "requires namespace admin permission",
}
