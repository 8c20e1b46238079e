//go:build linux

package ynl_test

import (
	"testing"

	"github.com/mdlayher/netlink/ynl"
	"github.com/mdlayher/netlink/ynl/spec"
	"golang.org/x/sys/unix"
)

// TestTablesNumbering checks a few numbers of the tables against the
// kernel's headers, as a check of the generator's numbering rules: enum
// value-start, flags as bits, attributes counted from 1 or from an
// explicit value, directional and unified operations.
func TestTablesNumbering(t *testing.T) {
	rtLink, _ := ynl.Lookup("rt-link")
	ethtool, _ := ynl.Lookup("ethtool")
	nlctrl, _ := ynl.Lookup("nlctrl")
	handshake, _ := ynl.Lookup("handshake")
	type num struct {
		what      string
		got, want uint64
	}
	attr := func(f *spec.Family, set, name string) uint64 {
		if a := f.Attr(set, name); a != nil {
			return uint64(a.Value)
		}
		return 1 << 63
	}
	op := func(f *spec.Family, name string) (uint64, uint64) {
		if o := f.Op(name); o != nil {
			return uint64(o.Request), uint64(o.Reply)
		}
		return 1 << 63, 1 << 63
	}
	enum := func(f *spec.Family, e, name string) uint64 {
		if en := f.Enum(e); en != nil {
			if v, ok := en.EntryValue(name); ok {
				return v
			}
		}
		return 1 << 63
	}
	getlinkReq, getlinkRsp := op(rtLink, "getlink")
	newlinkReq, newlinkRsp := op(rtLink, "newlink")
	strsetReq, strsetRsp := op(ethtool, "strset-get")
	ntfReq, ntfRsp := op(ethtool, "cable-test-ntf")
	famReq, famRsp := op(nlctrl, "getfamily")
	nums := []num{
		{"IFLA_IFNAME", attr(rtLink, "link-attrs", "ifname"), unix.IFLA_IFNAME},
		{"IFLA_MAX_MTU", attr(rtLink, "link-attrs", "max-mtu"), unix.IFLA_MAX_MTU},
		{"IFLA_INFO_KIND", attr(rtLink, "linkinfo-attrs", "kind"), unix.IFLA_INFO_KIND},
		{"RTM_GETLINK", getlinkReq, unix.RTM_GETLINK},
		{"RTM_NEWLINK reply", getlinkRsp, unix.RTM_NEWLINK},
		{"RTM_NEWLINK", newlinkReq, unix.RTM_NEWLINK},
		{"newlink has no reply", newlinkRsp, 0},
		{"IFF_UP", enum(rtLink, "ifinfo-flags", "up"), unix.IFF_UP},
		{"IFF_MULTICAST", enum(rtLink, "ifinfo-flags", "multicast"), unix.IFF_MULTICAST},
		{"ETHTOOL_MSG_STRSET_GET", strsetReq, unix.ETHTOOL_MSG_STRSET_GET},
		{"ETHTOOL_MSG_STRSET_GET_REPLY", strsetRsp, unix.ETHTOOL_MSG_STRSET_GET_REPLY},
		{"ETHTOOL_MSG_CABLE_TEST_NTF request", ntfReq, 0},
		{"ETHTOOL_MSG_CABLE_TEST_NTF", ntfRsp, unix.ETHTOOL_MSG_CABLE_TEST_NTF},
		{"CTRL_CMD_GETFAMILY", famReq, unix.CTRL_CMD_GETFAMILY},
		{"CTRL_CMD_NEWFAMILY (getfamily reply)", famRsp, unix.CTRL_CMD_NEWFAMILY},
		{"CTRL_ATTR_MCAST_GROUPS", attr(nlctrl, "ctrl-attrs", "mcast-groups"), unix.CTRL_ATTR_MCAST_GROUPS},
		{"HANDSHAKE_AUTH_UNSPEC (value-start 0)", enum(handshake, "auth", "unspec"), 0},
		{"NETLINK_GENERIC", uint64(nlctrl.Protonum), unix.NETLINK_GENERIC},
	}
	for _, n := range nums {
		if n.got != n.want {
			t.Errorf("%s = %d, want %d", n.what, n.got, n.want)
		}
	}
	if rtLink.Protocol != spec.NetlinkRaw || rtLink.Protonum != unix.NETLINK_ROUTE || !nlctrl.Protocol.Generic() {
		t.Errorf("protocols: rt-link %v/%d, nlctrl %v/%d", rtLink.Protocol, rtLink.Protonum, nlctrl.Protocol, nlctrl.Protonum)
	}
}
