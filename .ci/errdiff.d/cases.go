package main

import (
	"strings"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// testCase is one request the kernel refuses.
type testCase struct {
	name   string
	family int // NETLINK_ROUTE or NETLINK_GENERIC
	opts   []netlink.ConnOption
	// nobody marks a case that runs as an unprivileged user (and only
	// then), to be refused for lack of privilege.
	nobody bool
	// want is the errno the kernel refuses the request with. It checks
	// the harness: a malformed request would otherwise be refused for
	// another reason, and equally by both builds.
	want unix.Errno
	req  func(env) netlink.Message
}

// The acknowledgement options a request is tried with: the error reply
// takes another shape under each.
var (
	plain  = variant{"plain", nil}
	extack = variant{"extack", []netlink.ConnOption{netlink.ExtendedAcknowledge}}
	capack = variant{"capack", []netlink.ConnOption{netlink.CapAcknowledge}}
	both   = variant{"extack+capack", []netlink.ConnOption{netlink.ExtendedAcknowledge, netlink.CapAcknowledge}}
)

// variant names a set of options set on the Conn before the request.
type variant struct {
	name string
	opts []netlink.ConnOption
}

// each returns c once per variant, named NAME/VARIANT, with the variant's
// options after c's own.
func each(c testCase, vs ...variant) []testCase {
	out := make([]testCase, 0, len(vs))
	for _, v := range vs {
		d := c
		d.name = c.name + "/" + v.name
		d.opts = append(append([]netlink.ConnOption(nil), c.opts...), v.opts...)
		out = append(out, d)
	}
	return out
}

// longName is 19 characters, 20 bytes with its NUL: more than IFNAMSIZ-1,
// the longest link name the policy allows.
var longName = strings.Repeat("n", 19)

const (
	route   = unix.NETLINK_ROUTE
	generic = unix.NETLINK_GENERIC
)

// strict turns on the kernel's strict checking of dump requests, which
// rejects headers with fields a dump cannot filter on.
var strict = []netlink.ConnOption{netlink.GetStrictCheck}

// cases returns every case, in the order they run. Their positions give
// their sequence numbers, so new cases go at the end.
func cases() []testCase {
	var cs []testCase
	add := func(c ...testCase) { cs = append(cs, c...) }

	// rtnetlink.
	add(each(testCase{
		name: "rtnl/newlink-long-ifname", family: route, want: unix.ERANGE,
		req: func(env) netlink.Message {
			return rtnl(unix.RTM_NEWLINK, netlink.Acknowledge|netlink.Create|netlink.Excl, ifinfomsg(0),
				str(unix.IFLA_IFNAME, longName),
				nest(unix.IFLA_LINKINFO, str(unix.IFLA_INFO_KIND, "ifb")))
		},
	}, plain, extack, capack, both)...)
	add(each(testCase{
		name: "rtnl/setlink-long-ifname", family: route, want: unix.ERANGE,
		req: func(e env) netlink.Message {
			return rtnl(unix.RTM_SETLINK, netlink.Acknowledge, ifinfomsg(e.linkIndex),
				str(unix.IFLA_IFNAME, longName))
		},
	}, plain, extack)...)
	add(each(testCase{
		name: "rtnl/newlink-no-kind", family: route, want: unix.EOPNOTSUPP,
		req: func(env) netlink.Message {
			return rtnl(unix.RTM_NEWLINK, netlink.Acknowledge|netlink.Create|netlink.Excl, ifinfomsg(0),
				str(unix.IFLA_IFNAME, "errdiff0"))
		},
	}, plain, extack, both)...)
	add(each(testCase{
		name: "rtnl/getlink-no-such-index", family: route, want: unix.ENODEV,
		req: func(env) netlink.Message {
			return rtnl(unix.RTM_GETLINK, netlink.Acknowledge, ifinfomsg(999999))
		},
	}, plain, extack, capack)...)
	add(each(testCase{
		name: "rtnl/getnexthop-no-such-id", family: route, want: unix.ENOENT,
		req: func(env) netlink.Message {
			// struct nhmsg is 8 bytes; family AF_UNSPEC.
			return rtnl(unix.RTM_GETNEXTHOP, netlink.Acknowledge, make([]byte, 8),
				u32(unix.NHA_ID, 4242))
		},
	}, plain, extack)...)
	add(each(testCase{
		name: "rtnl/dump-route-bad-header", family: route, opts: strict, want: unix.EINVAL,
		req: func(env) netlink.Message {
			return rtnl(unix.RTM_GETROUTE, netlink.Dump, rtmsg(unix.AF_INET, 1))
		},
	}, plain, extack, capack, both)...)
	add(each(testCase{
		name: "rtnl/dump-addr-bad-header", family: route, opts: strict, want: unix.EINVAL,
		req: func(env) netlink.Message {
			return rtnl(unix.RTM_GETADDR, netlink.Dump, ifaddrmsg(unix.AF_INET, 8))
		},
	}, plain, extack)...)
	add(each(testCase{
		name: "rtnl/newlink-as-nobody", family: route, nobody: true, want: unix.EPERM,
		req: func(env) netlink.Message {
			return rtnl(unix.RTM_NEWLINK, netlink.Acknowledge|netlink.Create|netlink.Excl, ifinfomsg(0),
				str(unix.IFLA_IFNAME, "errdiff1"),
				nest(unix.IFLA_LINKINFO, str(unix.IFLA_INFO_KIND, "ifb")))
		},
	}, plain, extack)...)

	// Generic netlink: the controller and ethtool.
	add(each(testCase{
		name: "genl/getfamily-unknown", family: generic, want: unix.ENOENT,
		req: func(env) netlink.Message { return getFamily("errdiffnofam") },
	}, plain, extack, capack, both)...)
	add(each(testCase{
		// Longer than GENL_NAMSIZ-1: a policy violation.
		name: "genl/getfamily-long-name", family: generic, want: unix.EINVAL,
		req: func(env) netlink.Message { return getFamily(strings.Repeat("f", 19)) },
	}, plain, extack, both)...)
	add(each(testCase{
		name: "genl/ctrl-unknown-command", family: generic, want: unix.EOPNOTSUPP,
		req: func(env) netlink.Message {
			return genl(unix.GENL_ID_CTRL, netlink.Acknowledge, 0xf0, 2)
		},
	}, plain, extack)...)
	add(each(testCase{
		name: "genl/getpolicy-dump-no-family", family: generic, want: unix.EINVAL,
		req: func(env) netlink.Message {
			return genl(unix.GENL_ID_CTRL, netlink.Dump, unix.CTRL_CMD_GETPOLICY, 2)
		},
	}, plain, extack)...)
	add(each(testCase{
		name: "genl/ethtool-linkinfo-no-header", family: generic, want: unix.EINVAL,
		req: func(e env) netlink.Message {
			return genl(e.ethtool, netlink.Acknowledge, unix.ETHTOOL_MSG_LINKINFO_GET, unix.ETHTOOL_GENL_VERSION)
		},
	}, plain, extack, both)...)
	add(each(testCase{
		name: "genl/ethtool-linkinfo-no-such-dev", family: generic, want: unix.ENODEV,
		req: func(e env) netlink.Message {
			return genl(e.ethtool, netlink.Acknowledge, unix.ETHTOOL_MSG_LINKINFO_GET, unix.ETHTOOL_GENL_VERSION,
				nest(unix.ETHTOOL_A_LINKINFO_HEADER, str(unix.ETHTOOL_A_HEADER_DEV_NAME, "errdiff-nodev")))
		},
	}, plain, extack, capack, both)...)
	add(each(testCase{
		name: "genl/ethtool-linkinfo-long-devname", family: generic, want: unix.EINVAL,
		req: func(e env) netlink.Message {
			return genl(e.ethtool, netlink.Acknowledge, unix.ETHTOOL_MSG_LINKINFO_GET, unix.ETHTOOL_GENL_VERSION,
				nest(unix.ETHTOOL_A_LINKINFO_HEADER, str(unix.ETHTOOL_A_HEADER_DEV_NAME, strings.Repeat("d", 200))))
		},
	}, plain, extack)...)
	add(each(testCase{
		name: "genl/ethtool-linkinfo-set-as-nobody", family: generic, nobody: true, want: unix.EPERM,
		req: func(e env) netlink.Message {
			return genl(e.ethtool, netlink.Acknowledge, unix.ETHTOOL_MSG_LINKINFO_SET, unix.ETHTOOL_GENL_VERSION,
				nest(unix.ETHTOOL_A_LINKINFO_HEADER, str(unix.ETHTOOL_A_HEADER_DEV_NAME, "lo")))
		},
	}, plain, extack)...)
	return cs
}
