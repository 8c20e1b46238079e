package netlink

import (
	"errors"
	"os"
	"testing"
)

func TestPlatformError(t *testing.T) {
	err := error(platformError{goos: "plan9", goarch: "arm"})
	if got, want := err.Error(), "netlink: not implemented on plan9/arm"; got != want {
		t.Errorf("text %q, want %q", got, want)
	}
	if !errors.Is(err, errors.ErrUnsupported) {
		t.Error("does not match errors.ErrUnsupported")
	}
	if errors.Is(err, os.ErrNotExist) {
		t.Error("matches os.ErrNotExist")
	}
}
