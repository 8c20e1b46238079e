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
	{prefix: "RTAX_FEATURE_"},
	{prefix: "GENL_", names: []string{
		"GENL_ADMIN_PERM", "GENL_CMD_CAP_DO", "GENL_CMD_CAP_DUMP", "GENL_CMD_CAP_HASPOL", "GENL_UNS_ADMIN_PERM",
	}},
}

// unspecRoots are the first words of the attribute and command enums that
// nlctl names: each enum is found by its *_UNSPEC constant.
var unspecRoots = []string{
	"IFLA_", "IFA_", "RTA_", "NDA_", "NDTA_", "NDTPA_", "FRA_", "FR_", "NHA_", "RTAX_", "RTN_", "PREFIX_",
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
	// An enum is the run of constants that starts with its *_UNSPEC and
	// goes on while names keep its prefix: CTRL_ATTR_OP_POLICY belongs to
	// CTRL_ATTR_, declared among its members, and not to CTRL_ATTR_OP_,
	// which starts with CTRL_ATTR_OP_UNSPEC further down.
	claimed := make(map[string]bool)
	cur, curFile := "", ""
	for _, c := range u.consts {
		if c.file != curFile {
			cur, curFile = "", c.file
		}
		if p, ok := strings.CutSuffix(c.name, "UNSPEC"); ok && c.value == 0 {
			if info, ok := sets[p]; ok && info.explicit == nil && info.file == c.file {
				cur = p
			}
		}
		if cur == "" || !strings.HasPrefix(c.name, cur) {
			cur = ""
			continue
		}
		if longerExplicit(c.name, cur) || strings.HasSuffix(c.name, "_MAX") {
			continue
		}
		members[cur] = append(members[cur], c)
		claimed[c.name] = true
	}
	for _, c := range u.consts {
		if claimed[c.name] || strings.HasSuffix(c.name, "_MAX") || strings.HasPrefix(c.name, "_") {
			continue
		}
		// Outside runs (as where unix sorts an enum by name), the
		// longest prefix decides.
		for _, p := range prefixes {
			if !strings.HasPrefix(c.name, p) {
				continue
			}
			info := sets[p]
			if e := info.explicit; e != nil {
				if (e.match == nil || e.match.MatchString(c.name)) && (e.names == nil || slices.Contains(e.names, c.name)) {
					members[p] = append(members[p], c)
				}
			} else if c.file == info.file {
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

// longerExplicit reports whether name belongs to an explicit set more
// specific than prefix (IFLA_EVENT_ rather than IFLA_).
func longerExplicit(name, prefix string) bool {
	for _, e := range explicitSets {
		if len(e.prefix) > len(prefix) && strings.HasPrefix(name, e.prefix) {
			return true
		}
	}
	return false
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

// codeConsts are the constants nlctl's code refers to by name: they are
// emitted as Go constants named as in unix.
var codeConsts = []string{
	"NETLINK_ROUTE", "NETLINK_GENERIC", "NETLINK_NETFILTER",
	"NLMSG_MIN_TYPE", "NLMSG_ERROR", "NLMSG_DONE",
	"GENL_ID_CTRL", "GENL_HDRLEN",
	"CTRL_CMD_GETFAMILY", "CTRL_CMD_GETPOLICY",
	"CTRL_ATTR_FAMILY_ID", "CTRL_ATTR_FAMILY_NAME", "CTRL_ATTR_VERSION", "CTRL_ATTR_HDRSIZE",
	"CTRL_ATTR_MAXATTR", "CTRL_ATTR_OPS", "CTRL_ATTR_MCAST_GROUPS", "CTRL_ATTR_POLICY",
	"CTRL_ATTR_OP_POLICY", "CTRL_ATTR_OP",
	"CTRL_ATTR_OP_ID", "CTRL_ATTR_OP_FLAGS", "CTRL_ATTR_MCAST_GRP_NAME", "CTRL_ATTR_MCAST_GRP_ID",
	"CTRL_ATTR_POLICY_DO", "CTRL_ATTR_POLICY_DUMP",
	"IFLA_LINKINFO", "IFLA_INFO_KIND", "IFLA_INFO_DATA", "IFLA_INFO_SLAVE_KIND", "IFLA_INFO_SLAVE_DATA",
}
