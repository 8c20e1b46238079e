//go:build !linux

package netlink

import "runtime"

// dial fails: netlink is a Linux interface. The package still builds
// elsewhere so that code using it compiles everywhere.
func dial(family int, cfg *Config) (Socket, uint32, error) {
	return nil, 0, platformError{goos: runtime.GOOS, goarch: runtime.GOARCH}
}
