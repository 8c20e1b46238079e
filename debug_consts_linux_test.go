package netlink

import (
	"testing"

	"golang.org/x/sys/unix"
)

// TestDebugConstantsMatchUnix checks the copies of kernel constants that the
// debug output keeps, because its files build on every OS, against unix.
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
