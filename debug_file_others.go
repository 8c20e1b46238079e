//go:build !unix

package netlink

import "os"

// openDebugFile opens the file= output of NLDEBUG for writing, truncated,
// readable by its owner only where the system has such permissions.
func openDebugFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	if err := restrictDebugFile(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}
