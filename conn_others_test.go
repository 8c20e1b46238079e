//go:build !linux

package netlink_test

import (
	"errors"
	"runtime"
	"testing"

	"github.com/mdlayher/netlink"
)

func TestDialUnsupported(t *testing.T) {
	c, err := netlink.Dial(0, nil)
	if c != nil || !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("Dial: %v, %v; want no Conn and an error matching errors.ErrUnsupported", c, err)
	}
	if got, want := err.Error(), "netlink: not implemented on "+runtime.GOOS+"/"+runtime.GOARCH; got != want {
		t.Errorf("text %q, want %q", got, want)
	}
}
