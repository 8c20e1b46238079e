package netlink

import (
	"fmt"
	"os"
)

// restrictDebugFile makes an existing regular file that f opened readable
// and writable by its owner only: the mode given to OpenFile applies only
// to a file it creates, and a trace must not become readable through the
// permissions of the file it replaced. Devices and pipes are left alone.
func restrictDebugFile(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm()&^0o600 == 0 {
		return nil
	}
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("making %s private: %w", f.Name(), err)
	}
	return nil
}
