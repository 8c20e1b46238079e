package nltrace

import (
	"testing"

	"golang.org/x/sys/unix"
)

// TestDebugConstantsMatchUnix checks the copies of kernel constants that the
// trace keeps, because its files build on every OS, against unix.
func TestDebugConstantsMatchUnix(t *testing.T) {
	tests := []struct {
		name      string
		have, unx int
	}{
		{"familyRoute", familyRoute, unix.NETLINK_ROUTE},
		{"familyNetfilter", familyNetfilter, unix.NETLINK_NETFILTER},
		{"familyGeneric", familyGeneric, unix.NETLINK_GENERIC},
		{"nlmsgMinType", nlmsgMinType, unix.NLMSG_MIN_TYPE},
		{"sllHost", sllHost, unix.PACKET_HOST},
		{"sllOutgoing", sllOutgoing, unix.PACKET_OUTGOING},
		{"arphrdNetlink", arphrdNetlink, unix.ARPHRD_NETLINK},
		{"headerLen", headerLen, unix.NLMSG_HDRLEN},
		{"attrHeaderLen", attrHeaderLen, unix.SizeofNlAttr},
		{"alignTo", alignTo, unix.NLMSG_ALIGNTO},
		{"Request", int(Request), unix.NLM_F_REQUEST},
		{"Multi", int(Multi), unix.NLM_F_MULTI},
		{"Acknowledge", int(Acknowledge), unix.NLM_F_ACK},
		{"Echo", int(Echo), unix.NLM_F_ECHO},
		{"Dump", int(Dump), unix.NLM_F_DUMP},
		{"Noop", int(Noop), unix.NLMSG_NOOP},
		{"Error", int(Error), unix.NLMSG_ERROR},
		{"Done", int(Done), unix.NLMSG_DONE},
		{"Nested", int(Nested), unix.NLA_F_NESTED},
		{"NetByteOrder", int(NetByteOrder), unix.NLA_F_NET_BYTEORDER},
		{"rtnlHeaderLen(RTM_NEWLINK)", rtnlHeaderLen(unix.RTM_NEWLINK), unix.SizeofIfInfomsg},
		{"rtnlHeaderLen(RTM_GETADDR)", rtnlHeaderLen(unix.RTM_GETADDR), unix.SizeofIfAddrmsg},
		{"rtnlHeaderLen(RTM_DELROUTE)", rtnlHeaderLen(unix.RTM_DELROUTE), unix.SizeofRtMsg},
		{"rtnlHeaderLen(RTM_NEWNEIGH)", rtnlHeaderLen(unix.RTM_NEWNEIGH), unix.SizeofNdMsg},
		{"rtnlHeaderLen(RTM_NEWNEXTHOP)", rtnlHeaderLen(unix.RTM_NEWNEXTHOP), unix.SizeofNhmsg},
	}
	for _, tt := range tests {
		if tt.have != tt.unx {
			t.Errorf("%s = %d, but unix says %d", tt.name, tt.have, tt.unx)
		}
	}
}
