package netlink

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The copies of kernel constants in files that build on every OS match
// golang.org/x/sys/unix, where it has them. x/sys v0.43.0 lacks
// NLMSGERR_ATTR_POLICY, _MISS_TYPE and _MISS_NEST, NL_ATTR_TYPE_SINT and
// _UINT, and the sizes of the tc, rule, statistics and bridge headers:
// those are checked against linux/netlink.h by the integration tests and
// by the order of the enums.
func TestExtAckKernelConstants(t *testing.T) {
	tests := []struct {
		name      string
		got, want int
	}{
		{"NLMSGERR_ATTR_MSG", nlmsgerrAttrMsg, unix.NLMSGERR_ATTR_MSG},
		{"NLMSGERR_ATTR_OFFS", nlmsgerrAttrOffs, unix.NLMSGERR_ATTR_OFFS},
		{"NLMSGERR_ATTR_COOKIE", nlmsgerrAttrCookie, unix.NLMSGERR_ATTR_COOKIE},
		{"NLMSGERR_ATTR_POLICY follows COOKIE", nlmsgerrAttrPolicy, unix.NLMSGERR_ATTR_COOKIE + 1},
		{"NL_POLICY_TYPE_ATTR_TYPE", policyAttrType, unix.NL_POLICY_TYPE_ATTR_TYPE},
		{"NL_POLICY_TYPE_ATTR_MIN_VALUE_S", policyAttrMinValueS, unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_S},
		{"NL_POLICY_TYPE_ATTR_MAX_VALUE_S", policyAttrMaxValueS, unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_S},
		{"NL_POLICY_TYPE_ATTR_MIN_VALUE_U", policyAttrMinValueU, unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_U},
		{"NL_POLICY_TYPE_ATTR_MAX_VALUE_U", policyAttrMaxValueU, unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_U},
		{"NL_POLICY_TYPE_ATTR_MIN_LENGTH", policyAttrMinLength, unix.NL_POLICY_TYPE_ATTR_MIN_LENGTH},
		{"NL_POLICY_TYPE_ATTR_MAX_LENGTH", policyAttrMaxLength, unix.NL_POLICY_TYPE_ATTR_MAX_LENGTH},
		{"NL_POLICY_TYPE_ATTR_POLICY_IDX", policyAttrPolicyIdx, unix.NL_POLICY_TYPE_ATTR_POLICY_IDX},
		{"NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE", policyAttrMaxType, unix.NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE},
		{"NL_POLICY_TYPE_ATTR_BITFIELD32_MASK", policyAttrBitfield32, unix.NL_POLICY_TYPE_ATTR_BITFIELD32_MASK},
		{"NL_POLICY_TYPE_ATTR_PAD", policyAttrPad, unix.NL_POLICY_TYPE_ATTR_PAD},
		{"NL_POLICY_TYPE_ATTR_MASK", policyAttrMask, unix.NL_POLICY_TYPE_ATTR_MASK},
		{"NL_ATTR_TYPE_FLAG", int(PolicyTypeFlag), unix.NL_ATTR_TYPE_FLAG},
		{"NL_ATTR_TYPE_U8", int(PolicyTypeU8), unix.NL_ATTR_TYPE_U8},
		{"NL_ATTR_TYPE_U16", int(PolicyTypeU16), unix.NL_ATTR_TYPE_U16},
		{"NL_ATTR_TYPE_U32", int(PolicyTypeU32), unix.NL_ATTR_TYPE_U32},
		{"NL_ATTR_TYPE_U64", int(PolicyTypeU64), unix.NL_ATTR_TYPE_U64},
		{"NL_ATTR_TYPE_S8", int(PolicyTypeS8), unix.NL_ATTR_TYPE_S8},
		{"NL_ATTR_TYPE_S16", int(PolicyTypeS16), unix.NL_ATTR_TYPE_S16},
		{"NL_ATTR_TYPE_S32", int(PolicyTypeS32), unix.NL_ATTR_TYPE_S32},
		{"NL_ATTR_TYPE_S64", int(PolicyTypeS64), unix.NL_ATTR_TYPE_S64},
		{"NL_ATTR_TYPE_BINARY", int(PolicyTypeBinary), unix.NL_ATTR_TYPE_BINARY},
		{"NL_ATTR_TYPE_STRING", int(PolicyTypeString), unix.NL_ATTR_TYPE_STRING},
		{"NL_ATTR_TYPE_NUL_STRING", int(PolicyTypeNulString), unix.NL_ATTR_TYPE_NUL_STRING},
		{"NL_ATTR_TYPE_NESTED", int(PolicyTypeNested), unix.NL_ATTR_TYPE_NESTED},
		{"NL_ATTR_TYPE_NESTED_ARRAY", int(PolicyTypeNestedArray), unix.NL_ATTR_TYPE_NESTED_ARRAY},
		{"NL_ATTR_TYPE_BITFIELD32", int(PolicyTypeBitfield32), unix.NL_ATTR_TYPE_BITFIELD32},
		{"NLA_TYPE_MASK", attrTypeMask, ^(unix.NLA_F_NESTED | unix.NLA_F_NET_BYTEORDER) & 0xffff},
		{"NLM_F_DUMP_INTR", int(DumpInterrupted), unix.NLM_F_DUMP_INTR},
		{"NETLINK_ROUTE", familyRoute, unix.NETLINK_ROUTE},
		{"NETLINK_NETFILTER", familyNetfilter, unix.NETLINK_NETFILTER},
		{"NETLINK_GENERIC", familyGeneric, unix.NETLINK_GENERIC},
		{"NLMSG_MIN_TYPE", nlmsgMinType, unix.NLMSG_MIN_TYPE},
		{"RTM_BASE", rtmBase, unix.RTM_BASE},
		{"sizeof(struct genlmsghdr)", sizeofGenlmsghdr, int(unsafe.Sizeof(unix.Genlmsghdr{}))},
		{"sizeof(struct nfgenmsg)", sizeofNfgenmsg, int(unsafe.Sizeof(unix.Nfgenmsg{}))},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %d, want %d", tt.name, tt.got, tt.want)
		}
	}
}

// The rtnetlink table agrees with x/sys's sizes for every header it has.
func TestRtnetlinkHeaderLens(t *testing.T) {
	sizes := []struct {
		name  string
		types []int
		size  int
	}{
		{"ifinfomsg", []int{unix.RTM_NEWLINK, unix.RTM_DELLINK, unix.RTM_GETLINK, unix.RTM_SETLINK, unix.RTM_NEWLINKPROP, unix.RTM_DELLINKPROP, unix.RTM_GETLINKPROP}, unix.SizeofIfInfomsg},
		{"ifaddrmsg", []int{unix.RTM_NEWADDR, unix.RTM_DELADDR, unix.RTM_GETADDR, unix.RTM_NEWMULTICAST, unix.RTM_GETMULTICAST, unix.RTM_NEWANYCAST, unix.RTM_GETANYCAST}, unix.SizeofIfAddrmsg},
		{"rtmsg", []int{unix.RTM_NEWROUTE, unix.RTM_DELROUTE, unix.RTM_GETROUTE}, unix.SizeofRtMsg},
		{"ndmsg", []int{unix.RTM_NEWNEIGH, unix.RTM_DELNEIGH, unix.RTM_GETNEIGH}, unix.SizeofNdMsg},
		{"prefixmsg", []int{unix.RTM_NEWPREFIX}, unix.SizeofPrefixmsg},
		{"nduseroptmsg", []int{unix.RTM_NEWNDUSEROPT}, unix.SizeofNdUseroptmsg},
		{"ifaddrlblmsg", []int{unix.RTM_NEWADDRLABEL, unix.RTM_DELADDRLABEL, unix.RTM_GETADDRLABEL}, unix.SizeofIfAddrlblmsg},
		{"rtgenmsg", []int{unix.RTM_NEWNSID, unix.RTM_DELNSID, unix.RTM_GETNSID}, unix.SizeofRtGenmsg},
		{"nhmsg", []int{unix.RTM_NEWNEXTHOP, unix.RTM_DELNEXTHOP, unix.RTM_GETNEXTHOP, unix.RTM_NEWNEXTHOPBUCKET, unix.RTM_GETNEXTHOPBUCKET}, unix.SizeofNhmsg},
	}
	for _, s := range sizes {
		for _, typ := range s.types {
			got, ok := fixedHeaderLen(unix.NETLINK_ROUTE, HeaderType(typ), Message{Data: make([]byte, 64)})
			if !ok || got != s.size {
				t.Errorf("type %d: fixedHeaderLen = %d, %v; want sizeof(struct %s) = %d", typ, got, ok, s.name, s.size)
			}
		}
	}
	if n := len(rtnlHeaderLens); rtmBase+4*n-1 != unix.RTM_MAX {
		t.Errorf("table covers types up to %d, RTM_MAX is %d", rtmBase+4*n-1, unix.RTM_MAX)
	}
}
