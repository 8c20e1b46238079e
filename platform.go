package netlink

//lint:file-ignore U1000 platformError is used by conn_others.go only; built on Linux too for TestPlatformError.

import "errors"

// platformError is the error of Dial on a system without netlink. It lives
// in a file built everywhere, rather than beside dial in conn_others.go, so
// that its test runs on Linux too.
type platformError struct{ goos, goarch string }

func (e platformError) Error() string {
	return "netlink: not implemented on " + e.goos + "/" + e.goarch
}

// Is makes the error match errors.ErrUnsupported, so that callers can tell
// "no netlink here" from a failure, while the text stays as v1.11.2 has it.
func (platformError) Is(target error) bool { return target == errors.ErrUnsupported }
