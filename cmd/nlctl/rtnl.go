package main

import (
	"encoding/binary"
	"sync"

	"github.com/mdlayher/netlink/internal/nlfacts"
)

// The typed tables of rtnetlink attributes that no spec describes: the
// common attributes of neighbours and rules, and of the link and address
// messages the rt-link and rt-addr specs have no operation for (link
// properties, multicast and anycast addresses), by their names in unix.
// Links, addresses and routes otherwise go through package ynl and their
// specs. Attributes not listed are still named, and decoded by guessing.
var rtnlSchemas = sync.OnceValue(func() map[string]*schema {
	u8, u16, u32, s32, u64 := attrSpec{kind: kindU8}, attrSpec{kind: kindU16}, attrSpec{kind: kindU32}, attrSpec{kind: kindS32}, attrSpec{kind: kindU64}
	str, mac, ip, bin := attrSpec{kind: kindString}, attrSpec{kind: kindMAC}, attrSpec{kind: kindIP}, attrSpec{kind: kindBinary}
	be16 := attrSpec{kind: kindBE16}
	table := attrSpec{kind: kindU32, enum: "RT_TABLE_"}
	proto := attrSpec{kind: kindU8, enum: "RTPROT_"}

	linkInfo := specTable("IFLA_INFO_", map[string]attrSpec{
		"IFLA_INFO_KIND":       str,
		"IFLA_INFO_DATA":       {kind: kindNested, kindData: "IFLA_INFO_KIND"},
		"IFLA_INFO_XSTATS":     bin,
		"IFLA_INFO_SLAVE_KIND": str,
		"IFLA_INFO_SLAVE_DATA": {kind: kindNested, kindData: "IFLA_INFO_SLAVE_KIND"},
	})
	afSpec := specTable("AF_", map[string]attrSpec{
		"AF_INET": {kind: kindNested, child: specTable("IFLA_INET_", map[string]attrSpec{"IFLA_INET_CONF": bin})},
		"AF_INET6": {kind: kindNested, child: specTable("IFLA_INET6_", map[string]attrSpec{
			"IFLA_INET6_FLAGS": u32, "IFLA_INET6_CONF": bin, "IFLA_INET6_STATS": bin, "IFLA_INET6_MCAST": bin,
			"IFLA_INET6_CACHEINFO": bin, "IFLA_INET6_ICMP6STATS": bin, "IFLA_INET6_TOKEN": ip,
			"IFLA_INET6_ADDR_GEN_MODE": u8, "IFLA_INET6_RA_MTU": u32,
		})},
	})
	propList := specTable("IFLA_", map[string]attrSpec{"IFLA_ALT_IFNAME": str})
	link := specTable("IFLA_", map[string]attrSpec{
		"IFLA_ADDRESS": mac, "IFLA_BROADCAST": mac, "IFLA_PERM_ADDRESS": mac,
		"IFLA_IFNAME": str, "IFLA_QDISC": str, "IFLA_IFALIAS": str, "IFLA_ALT_IFNAME": str,
		"IFLA_PARENT_DEV_NAME": str, "IFLA_PARENT_DEV_BUS_NAME": str,
		"IFLA_MTU": u32, "IFLA_MIN_MTU": u32, "IFLA_MAX_MTU": u32, "IFLA_LINK": u32, "IFLA_MASTER": u32,
		"IFLA_TXQLEN": u32, "IFLA_WEIGHT": u32, "IFLA_NUM_VF": u32, "IFLA_GROUP": u32,
		"IFLA_PROMISCUITY": u32, "IFLA_ALLMULTI": u32, "IFLA_NUM_TX_QUEUES": u32, "IFLA_NUM_RX_QUEUES": u32,
		"IFLA_CARRIER_CHANGES": u32, "IFLA_CARRIER_UP_COUNT": u32, "IFLA_CARRIER_DOWN_COUNT": u32,
		"IFLA_GSO_MAX_SEGS": u32, "IFLA_GSO_MAX_SIZE": u32, "IFLA_GRO_MAX_SIZE": u32,
		"IFLA_TSO_MAX_SIZE": u32, "IFLA_TSO_MAX_SEGS": u32, "IFLA_GSO_IPV4_MAX_SIZE": u32,
		"IFLA_GRO_IPV4_MAX_SIZE": u32, "IFLA_NET_NS_PID": u32, "IFLA_NET_NS_FD": u32,
		"IFLA_EVENT":     {kind: kindU32, enum: "IFLA_EVENT_"},
		"IFLA_OPERSTATE": u8, "IFLA_LINKMODE": u8, "IFLA_CARRIER": u8, "IFLA_PROTO_DOWN": u8,
		"IFLA_LINK_NETNSID": s32, "IFLA_NEW_NETNSID": s32, "IFLA_TARGET_NETNSID": s32, "IFLA_NEW_IFINDEX": s32,
		"IFLA_MAP": bin, "IFLA_PHYS_PORT_ID": bin,
		"IFLA_STATS":          {kind: kindStruct, fields: structOf(4, linkStats...)},
		"IFLA_STATS64":        {kind: kindStruct, fields: structOf(8, linkStats...)},
		"IFLA_PHYS_SWITCH_ID": bin, "IFLA_PHYS_PORT_NAME": str, "IFLA_PAD": bin,
		"IFLA_LINKINFO":  {kind: kindNested, child: linkInfo},
		"IFLA_PROP_LIST": {kind: kindNested, child: propList},
		"IFLA_AF_SPEC":   {kind: kindNested, child: afSpec},
		"IFLA_XDP":       {kind: kindNested},
	})
	addr := specTable("IFA_", map[string]attrSpec{
		"IFA_ADDRESS": ip, "IFA_LOCAL": ip, "IFA_BROADCAST": ip, "IFA_ANYCAST": ip, "IFA_MULTICAST": ip,
		"IFA_LABEL": str, "IFA_CACHEINFO": {kind: kindStruct, fields: ifaCacheinfo}, "IFA_FLAGS": {kind: kindU32, flags: "IFA_F_"},
		"IFA_RT_PRIORITY": u32, "IFA_TARGET_NETNSID": s32,
	})
	neigh := specTable("NDA_", map[string]attrSpec{
		"NDA_DST": ip, "NDA_LLADDR": mac, "NDA_CACHEINFO": {kind: kindStruct, fields: ndaCacheinfo}, "NDA_PROBES": u32, "NDA_VLAN": u16,
		"NDA_PORT": be16, "NDA_VNI": u32, "NDA_IFINDEX": u32, "NDA_MASTER": u32, "NDA_LINK_NETNSID": s32,
		"NDA_SRC_VNI": u32,
	})
	rule := specTable("FRA_", map[string]attrSpec{
		"FRA_DST": ip, "FRA_SRC": ip, "FRA_IIFNAME": str, "FRA_OIFNAME": str, "FRA_GOTO": u32,
		"FRA_PRIORITY": u32, "FRA_FWMARK": u32, "FRA_FWMASK": u32, "FRA_FLOW": u32,
		"FRA_TUN_ID": u64, "FRA_SUPPRESS_IFGROUP": u32, "FRA_SUPPRESS_PREFIXLEN": u32,
		"FRA_TABLE": table, "FRA_L3MDEV": u8, "FRA_PROTOCOL": proto, "FRA_IP_PROTO": u8,
		"FRA_UID_RANGE": bin, "FRA_SPORT_RANGE": bin, "FRA_DPORT_RANGE": bin, "FRA_PAD": bin,
	})
	return map[string]*schema{
		"LINK": link, "LINKPROP": link, "ADDR": addr, "MULTICAST": addr, "ANYCAST": addr,
		"NEIGH": neigh, "RULE": rule,
		"NEXTHOP": {prefix: "NHA_"}, "PREFIX": {prefix: "PREFIX_"},
	}
})

// rtnlSchema returns the attribute space of rtnetlink message type t.
func rtnlSchema(t uint16) *schema {
	h, ok := nlfacts.RouteHeader(t)
	if !ok {
		return nil
	}
	return rtnlSchemas()[h.Object]
}

// A headerField is one field of a decoded fixed header.
type headerField struct {
	Name   string   `json:"name"`
	Value  any      `json:"value"`            // a number
	Symbol string   `json:"symbol,omitempty"` // the value's name
	Flags  []string `json:"flags,omitempty"`  // the names of its bits
}

// A fieldDef describes a field of a fixed header: its offset, size in
// bytes, and the set naming its value or bits.
type fieldDef struct {
	name  string
	off   int
	size  int
	enum  string
	flags string
	sign  bool
}

// rtnlHeaderFields lays out the fixed headers nlctl decodes, by kernel
// struct name (see <linux/rtnetlink.h>, <linux/if_addr.h>,
// <linux/neighbour.h>, <linux/fib_rules.h>).
var rtnlHeaderFields = map[string][]fieldDef{
	"ifinfomsg": {
		{name: "family", off: 0, size: 1, enum: "AF_"},
		{name: "type", off: 2, size: 2, enum: "ARPHRD_"},
		{name: "index", off: 4, size: 4, sign: true},
		{name: "flags", off: 8, size: 4, flags: "IFF_"},
		{name: "change", off: 12, size: 4},
	},
	"ifaddrmsg": {
		{name: "family", off: 0, size: 1, enum: "AF_"},
		{name: "prefixlen", off: 1, size: 1},
		{name: "flags", off: 2, size: 1, flags: "IFA_F_"},
		{name: "scope", off: 3, size: 1, enum: "RT_SCOPE_"},
		{name: "index", off: 4, size: 4},
	},
	"ndmsg": {
		{name: "family", off: 0, size: 1, enum: "AF_"},
		{name: "index", off: 4, size: 4, sign: true},
		{name: "state", off: 8, size: 2, flags: "NUD_"},
		{name: "flags", off: 10, size: 1, flags: "NTF_"},
		{name: "type", off: 11, size: 1, enum: "RTN_"},
	},
	"fib_rule_hdr": {
		{name: "family", off: 0, size: 1, enum: "AF_"},
		{name: "dst_len", off: 1, size: 1},
		{name: "src_len", off: 2, size: 1},
		{name: "tos", off: 3, size: 1},
		{name: "table", off: 4, size: 1, enum: "RT_TABLE_"},
		{name: "action", off: 7, size: 1, enum: "FR_ACT_"},
		{name: "flags", off: 8, size: 4},
	},
}

// structSize returns the size of a struct laid out by defs.
func structSize(defs []fieldDef) int {
	n := 0
	for _, d := range defs {
		n = max(n, d.off+d.size)
	}
	return n
}

// structOf lays out a struct of consecutive fields of one size.
func structOf(size int, names ...string) []fieldDef {
	defs := make([]fieldDef, len(names))
	for i, name := range names {
		defs[i] = fieldDef{name: name, off: i * size, size: size}
	}
	return defs
}

// linkStats names the counters of struct rtnl_link_stats and the first of
// rtnl_link_stats64 (<linux/if_link.h>), in order.
var linkStats = []string{
	"rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors",
	"rx_dropped", "tx_dropped", "multicast", "collisions", "rx_length_errors",
	"rx_over_errors", "rx_crc_errors", "rx_frame_errors", "rx_fifo_errors",
	"rx_missed_errors", "tx_aborted_errors", "tx_carrier_errors", "tx_fifo_errors",
	"tx_heartbeat_errors", "tx_window_errors", "rx_compressed", "tx_compressed",
	"rx_nohandler",
}

// The cache information structs of addresses and neighbours (struct
// ifa_cacheinfo, nda_cacheinfo).
var (
	ifaCacheinfo = structOf(4, "preferred", "valid", "cstamp", "tstamp")
	ndaCacheinfo = structOf(4, "confirmed", "used", "updated", "refcnt")
)

// decodeHeaderFields decodes a fixed header laid out by defs, in the host's
// byte order.
func decodeHeaderFields(defs []fieldDef, b []byte) []headerField {
	out := make([]headerField, 0, len(defs))
	for _, d := range defs {
		if d.off+d.size > len(b) {
			break
		}
		var v uint64
		switch d.size {
		case 1:
			v = uint64(b[d.off])
		case 2:
			v = uint64(binary.NativeEndian.Uint16(b[d.off:]))
		case 4:
			v = uint64(binary.NativeEndian.Uint32(b[d.off:]))
		case 8:
			v = binary.NativeEndian.Uint64(b[d.off:])
		}
		f := headerField{Name: d.name, Value: v}
		if d.sign {
			shift := 64 - 8*d.size
			f.Value = int64(v<<shift) >> shift
		}
		if d.enum != "" {
			f.Symbol = constName(d.enum, v)
		}
		if d.flags != "" {
			f.Flags = flagNames(d.flags, v)
		}
		out = append(out, f)
	}
	return out
}
