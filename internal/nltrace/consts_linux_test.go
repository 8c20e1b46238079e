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
	}
	for _, tt := range tests {
		if tt.have != tt.unx {
			t.Errorf("%s = %d, but unix says %d", tt.name, tt.have, tt.unx)
		}
	}
}
