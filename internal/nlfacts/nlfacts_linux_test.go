package nlfacts

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// TestConstantsMatchUnix checks the copies against golang.org/x/sys/unix.
// x/sys v0.43.0 lacks NLMSGERR_ATTR_POLICY, _MISS_TYPE and _MISS_NEST:
// they are checked by their order in the enum, which the kernel never
// renumbers, and by the integration tests of package netlink.
func TestConstantsMatchUnix(t *testing.T) {
	tests := []struct {
		name      string
		got, want int
	}{
		{"NETLINK_ROUTE", FamilyRoute, unix.NETLINK_ROUTE},
		{"NETLINK_NETFILTER", FamilyNetfilter, unix.NETLINK_NETFILTER},
		{"NETLINK_GENERIC", FamilyGeneric, unix.NETLINK_GENERIC},
		{"NLMSG_MIN_TYPE", MinType, unix.NLMSG_MIN_TYPE},
		{"RTM_BASE", MinType, unix.RTM_BASE},
		{"GENL_HDRLEN", GenlHeaderLen, unix.GENL_HDRLEN},
		{"sizeof(struct genlmsghdr)", GenlHeaderLen, int(unsafe.Sizeof(unix.Genlmsghdr{}))},
		{"sizeof(struct nfgenmsg)", NfgenHeaderLen, int(unsafe.Sizeof(unix.Nfgenmsg{}))},
		{"NLMSGERR_ATTR_MSG", ExtAckMsg, unix.NLMSGERR_ATTR_MSG},
		{"NLMSGERR_ATTR_OFFS", ExtAckOffs, unix.NLMSGERR_ATTR_OFFS},
		{"NLMSGERR_ATTR_COOKIE", ExtAckCookie, unix.NLMSGERR_ATTR_COOKIE},
		{"NLMSGERR_ATTR_POLICY follows COOKIE", ExtAckPolicy, unix.NLMSGERR_ATTR_COOKIE + 1},
		{"NLMSGERR_ATTR_MISS_TYPE follows POLICY", ExtAckMissType, ExtAckPolicy + 1},
		{"NLMSGERR_ATTR_MISS_NEST follows MISS_TYPE", ExtAckMissNest, ExtAckMissType + 1},
		{"NL_POLICY_TYPE_ATTR_TYPE", PolicyAttrType, unix.NL_POLICY_TYPE_ATTR_TYPE},
		{"NL_POLICY_TYPE_ATTR_MIN_VALUE_S", PolicyAttrMinValueS, unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_S},
		{"NL_POLICY_TYPE_ATTR_MAX_VALUE_S", PolicyAttrMaxValueS, unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_S},
		{"NL_POLICY_TYPE_ATTR_MIN_VALUE_U", PolicyAttrMinValueU, unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_U},
		{"NL_POLICY_TYPE_ATTR_MAX_VALUE_U", PolicyAttrMaxValueU, unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_U},
		{"NL_POLICY_TYPE_ATTR_MIN_LENGTH", PolicyAttrMinLength, unix.NL_POLICY_TYPE_ATTR_MIN_LENGTH},
		{"NL_POLICY_TYPE_ATTR_MAX_LENGTH", PolicyAttrMaxLength, unix.NL_POLICY_TYPE_ATTR_MAX_LENGTH},
		{"NL_POLICY_TYPE_ATTR_POLICY_IDX", PolicyAttrPolicyIdx, unix.NL_POLICY_TYPE_ATTR_POLICY_IDX},
		{"NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE", PolicyAttrMaxType, unix.NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE},
		{"NL_POLICY_TYPE_ATTR_BITFIELD32_MASK", PolicyAttrBitfield32, unix.NL_POLICY_TYPE_ATTR_BITFIELD32_MASK},
		{"NL_POLICY_TYPE_ATTR_PAD", PolicyAttrPad, unix.NL_POLICY_TYPE_ATTR_PAD},
		{"NL_POLICY_TYPE_ATTR_MASK", PolicyAttrMask, unix.NL_POLICY_TYPE_ATTR_MASK},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %d, want %d", tt.name, tt.got, tt.want)
		}
	}
}

// TestFixedHeaderLen checks the lengths against unix's sizes, padded as
// the kernel pads them.
func TestFixedHeaderLen(t *testing.T) {
	tests := []struct {
		family int
		typ    uint16
		want   int
	}{
		{unix.NETLINK_ROUTE, unix.NLMSG_ERROR, 0},
		{unix.NETLINK_ROUTE, unix.NLMSG_MIN_TYPE - 1, 0},
		{unix.NETLINK_ROUTE, unix.RTM_NEWLINK, unix.SizeofIfInfomsg},
		{unix.NETLINK_ROUTE, unix.RTM_SETLINK, unix.SizeofIfInfomsg},
		{unix.NETLINK_ROUTE, unix.RTM_GETLINKPROP, unix.SizeofIfInfomsg},
		{unix.NETLINK_ROUTE, unix.RTM_DELADDR, unix.SizeofIfAddrmsg},
		{unix.NETLINK_ROUTE, unix.RTM_GETANYCAST, unix.SizeofIfAddrmsg},
		{unix.NETLINK_ROUTE, unix.RTM_GETROUTE, unix.SizeofRtMsg},
		{unix.NETLINK_ROUTE, unix.RTM_NEWNEIGH, unix.SizeofNdMsg},
		{unix.NETLINK_ROUTE, unix.RTM_NEWNEXTHOPBUCKET, unix.SizeofNhmsg},
		{unix.NETLINK_ROUTE, unix.RTM_GETNSID, 4},    // rtgenmsg: 1 byte, padded
		{unix.NETLINK_ROUTE, unix.RTM_GETNETCONF, 4}, // netconfmsg: 1 byte, padded
		{unix.NETLINK_ROUTE, unix.RTM_MAX + 1, 0},
		{unix.NETLINK_ROUTE, 0xffff, 0},
		{unix.NETLINK_GENERIC, unix.GENL_ID_CTRL, unix.GENL_HDRLEN},
		{unix.NETLINK_GENERIC, 0x1c, unix.GENL_HDRLEN},
		{unix.NETLINK_GENERIC, unix.NLMSG_DONE, 0},
		{unix.NETLINK_NETFILTER, 0x0a01, int(unsafe.Sizeof(unix.Nfgenmsg{}))},
		{unix.NETLINK_AUDIT, 1000, 0},
		{-1, unix.RTM_NEWLINK, 0},
	}
	for _, tt := range tests {
		if got := FixedHeaderLen(tt.family, tt.typ); got != tt.want {
			t.Errorf("FixedHeaderLen(%d, %d) = %d, want %d", tt.family, tt.typ, got, tt.want)
		}
	}
}

// TestRouteHeadersMatchUnix checks every row of the generated table, and
// that it covers the rtnetlink types up to RTM_MAX.
func TestRouteHeadersMatchUnix(t *testing.T) {
	if len(unixHeaders) != len(headers) {
		t.Fatalf("%d headers, but %d checks against unix", len(headers), len(unixHeaders))
	}
	for _, u := range unixHeaders {
		for off := range 4 {
			typ := uint16(u.typ + off)
			h, ok := RouteHeader(typ)
			if !ok || int(h.First) != u.typ || h.Size != u.size {
				t.Errorf("RouteHeader(%d) = %+v, %t; want First %d and Size %d", typ, h, ok, u.typ, u.size)
			}
		}
	}
	if last := int(headers[len(headers)-1].First) + 3; last != unix.RTM_MAX {
		t.Errorf("table covers types up to %d, RTM_MAX is %d", last, unix.RTM_MAX)
	}
}
