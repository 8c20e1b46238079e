//go:build unix

package netlink

import (
	"os"
	"syscall"
)

// openDebugFile opens the file= output of NLDEBUG for writing, truncated.
// A trace holds every byte sent, keys included, so the file is made
// readable by its owner only, and a symbolic link is refused: a privileged
// process pointed at a shared directory must not be turned into a tool that
// overwrites whatever a link there names.
func openDebugFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, err
	}
	if err := restrictDebugFile(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}
