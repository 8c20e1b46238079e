package netlink

import (
	"testing"

	"golang.org/x/sys/unix"
)

// TestFixedHeaderConstantsMatchUnix checks the copies of kernel constants
// in fixedhdr.go, which builds on every OS, against unix.
func TestFixedHeaderConstantsMatchUnix(t *testing.T) {
	tests := []struct {
		name      string
		have, unx int
	}{
		{"familyRoute", familyRoute, unix.NETLINK_ROUTE},
		{"familyNetfilter", familyNetfilter, unix.NETLINK_NETFILTER},
		{"familyGeneric", familyGeneric, unix.NETLINK_GENERIC},
		{"nlmsgMinType", nlmsgMinType, unix.NLMSG_MIN_TYPE},
	}
	for _, tt := range tests {
		if tt.have != tt.unx {
			t.Errorf("%s = %d, but unix says %d", tt.name, tt.have, tt.unx)
		}
	}
}
