package rtnlhdr

import (
	"testing"

	"golang.org/x/sys/unix"
)

func TestHeadersMatchUnix(t *testing.T) {
	if len(unixHeaders) != len(headers) {
		t.Fatalf("%d headers, but %d checks against unix", len(headers), len(unixHeaders))
	}
	for _, u := range unixHeaders {
		for off := range 4 {
			typ := uint16(u.typ + off)
			h, ok := Lookup(typ)
			if !ok || int(h.First) != u.typ || h.Size != u.size {
				t.Errorf("Lookup(%d) = %+v, %t; want First %d and Size %d", typ, h, ok, u.typ, u.size)
			}
		}
	}
}

func TestLen(t *testing.T) {
	tests := []struct {
		typ  uint16
		want int
	}{
		{unix.NLMSG_ERROR, 0},
		{unix.NLMSG_MIN_TYPE - 1, 0},
		{unix.RTM_NEWLINK, unix.SizeofIfInfomsg},
		{unix.RTM_GETLINK, unix.SizeofIfInfomsg},
		{unix.RTM_DELADDR, unix.SizeofIfAddrmsg},
		{unix.RTM_GETROUTE, unix.SizeofRtMsg},
		{unix.RTM_NEWNEIGH, unix.SizeofNdMsg},
		{unix.RTM_GETNSID, 4},    // rtgenmsg: 1 byte, aligned
		{unix.RTM_GETNETCONF, 4}, // netconfmsg: 1 byte, aligned
		{unix.RTM_MAX + 1, 0},
		{0xffff, 0},
	}
	for _, tt := range tests {
		if got := Len(tt.typ); got != tt.want {
			t.Errorf("Len(%d) = %d, want %d", tt.typ, got, tt.want)
		}
	}
}
