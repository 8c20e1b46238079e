package main

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
)

// An explicitSet is a group of constants chosen by prefix, from any file of
// unix, optionally narrowed by a pattern on the name or a list of names.
type explicitSet struct {
	prefix string
	match  *regexp.Regexp // nil: every name with the prefix
	names  []string       // nil: every name with the prefix
}

// explicitSets are the groups whose members are not marked by a *_UNSPEC
// constant: message types, multicast groups, flags and the like.
var explicitSets = []explicitSet{
	{prefix: "NETLINK_", names: []string{
		// The protocols of socket(AF_NETLINK, ...); NETLINK_* also names
		// socket options, which are left out.
		"NETLINK_ROUTE", "NETLINK_USERSOCK", "NETLINK_FIREWALL", "NETLINK_SOCK_DIAG",
		"NETLINK_INET_DIAG", "NETLINK_NFLOG", "NETLINK_XFRM", "NETLINK_SELINUX",
		"NETLINK_ISCSI", "NETLINK_AUDIT", "NETLINK_FIB_LOOKUP", "NETLINK_CONNECTOR",
		"NETLINK_NETFILTER", "NETLINK_IP6_FW", "NETLINK_DNRTMSG", "NETLINK_KOBJECT_UEVENT",
		"NETLINK_GENERIC", "NETLINK_SCSITRANSPORT", "NETLINK_ECRYPTFS", "NETLINK_RDMA",
		"NETLINK_CRYPTO", "NETLINK_SMC",
	}},
	{prefix: "NLMSG_", names: []string{"NLMSG_NOOP", "NLMSG_ERROR", "NLMSG_DONE", "NLMSG_OVERRUN"}},
	{prefix: "RTM_", match: regexp.MustCompile(`^RTM_(NEW|DEL|GET|SET)[A-Z]+$`)},
	{prefix: "RTM_F_"},
	{prefix: "RTNLGRP_", match: regexp.MustCompile(`^RTNLGRP_(?:[^N]|N[^O]|NO[^PN])`)},
	{prefix: "IFF_", names: []string{
		// struct net_device flags (ifi_flags); IFF_* also names tun flags.
		"IFF_UP", "IFF_BROADCAST", "IFF_DEBUG", "IFF_LOOPBACK", "IFF_POINTOPOINT",
		"IFF_NOTRAILERS", "IFF_RUNNING", "IFF_NOARP", "IFF_PROMISC", "IFF_ALLMULTI",
		"IFF_MASTER", "IFF_SLAVE", "IFF_MULTICAST", "IFF_PORTSEL", "IFF_AUTOMEDIA",
		"IFF_DYNAMIC", "IFF_LOWER_UP", "IFF_DORMANT", "IFF_ECHO",
	}},
	{prefix: "IFA_F_"},
	{prefix: "NTF_"},
	{prefix: "NUD_"},
	{prefix: "RTPROT_"},
	{prefix: "RT_SCOPE_"},
	{prefix: "RT_TABLE_"},
	{prefix: "AF_"},
	{prefix: "ARPHRD_"},
	{prefix: "NL_ATTR_TYPE_"},
	{prefix: "ETHTOOL_MSG_"},
	{prefix: "WG_CMD_"},
	{prefix: "IFLA_EVENT_"},
}

// unspecRoots are the first words of the attribute and command enums that
// nlctl names: each enum is found by its *_UNSPEC constant.
var unspecRoots = []string{
	"IFLA_", "IFA_", "RTA_", "NDA_", "NDTA_", "NDTPA_", "FRA_", "FR_", "NHA_", "RTN_", "PREFIX_",
	"MPLS_", "CTRL_", "NL_", "ETHTOOL_", "NL80211_", "DEVLINK_", "TASKSTATS_",
	"WGDEVICE_", "WGPEER_", "WGALLOWEDIP_", "NCSI_", "NFC_", "CGROUPSTATS_",
}

// preferred names win over their aliases of the same value.
var preferred = map[string]bool{"AF_UNIX": true, "AF_NETLINK": true}

// A constSet is one group of constants to emit.
type constSet struct {
	prefix string
	consts []unixConst // first of each value is the name to print
}

// selectSets groups the constants of u into the sets nlctl needs. Each
// constant belongs to the set with the longest matching prefix, so that
// IFLA_INFO_KIND is in IFLA_INFO_ and not IFLA_.
func selectSets(u *unixPkg) []constSet {
	type setInfo struct {
		explicit *explicitSet
		file     string // for enums: the file of the *_UNSPEC constant
	}
	sets := make(map[string]setInfo)
	for i := range explicitSets {
		sets[explicitSets[i].prefix] = setInfo{explicit: &explicitSets[i]}
	}
	for _, c := range u.consts {
		p, ok := strings.CutSuffix(c.name, "UNSPEC")
		if !ok || c.value != 0 || !strings.HasSuffix(p, "_") {
			continue
		}
		if _, dup := sets[p]; dup {
			continue
		}
		for _, r := range unspecRoots {
			if strings.HasPrefix(p, r) {
				sets[p] = setInfo{file: c.file}
				break
			}
		}
	}
	prefixes := make([]string, 0, len(sets))
	for p := range sets {
		prefixes = append(prefixes, p)
	}
	// Longest first, so the first match is the most specific.
	slices.SortFunc(prefixes, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b))
	})

	members := make(map[string][]unixConst)
	for _, c := range u.consts {
		if strings.HasSuffix(c.name, "_MAX") || strings.HasPrefix(c.name, "_") {
			continue
		}
		for _, p := range prefixes {
			if !strings.HasPrefix(c.name, p) {
				continue
			}
			info := sets[p]
			switch {
			case info.explicit != nil:
				e := info.explicit
				if e.match != nil && !e.match.MatchString(c.name) ||
					e.names != nil && !slices.Contains(e.names, c.name) {
					c.name = "" // belongs to no set
				}
			case c.file != info.file:
				c.name = ""
			}
			if c.name != "" {
				members[p] = append(members[p], c)
			}
			break
		}
	}

	out := make([]constSet, 0, len(members))
	for p, cs := range members {
		// Preferred names go before their aliases; otherwise the
		// declaration order decides which name is printed.
		out = append(out, constSet{prefix: p, consts: moveUpPreferred(cs)})
	}
	slices.SortFunc(out, func(a, b constSet) int { return strings.Compare(a.prefix, b.prefix) })
	return out
}

// moveUpPreferred moves each preferred name before the earlier aliases of
// its value, keeping everything else in place.
func moveUpPreferred(cs []unixConst) []unixConst {
	for i, c := range cs {
		if !preferred[c.name] {
			continue
		}
		for j := 0; j < i; j++ {
			if cs[j].value == c.value && !preferred[cs[j].name] {
				copy(cs[j+1:i+1], cs[j:i])
				cs[j] = c
				break
			}
		}
	}
	return cs
}

// sortConsts puts constants in declaration order: by file, then position.
func sortConsts(cs []unixConst) {
	slices.SortFunc(cs, func(a, b unixConst) int {
		return cmp.Or(strings.Compare(a.file, b.file), cmp.Compare(a.pos, b.pos))
	})
}
