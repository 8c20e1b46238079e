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
		{"sllHost", sllHost, unix.PACKET_HOST},
		{"sllOutgoing", sllOutgoing, unix.PACKET_OUTGOING},
		{"arphrdNetlink", arphrdNetlink, unix.ARPHRD_NETLINK},
	}
	for _, tt := range tests {
		if tt.have != tt.unx {
			t.Errorf("%s = %d, but unix says %d", tt.name, tt.have, tt.unx)
		}
	}
}
