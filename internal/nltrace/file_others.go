//go:build !unix

package nltrace

import (
	"errors"
	"io/fs"
	"os"
)

// openDebugFile opens the file= output of NLDEBUG for writing. A new file
// is created, readable by its owner only where the system has such
// permissions, only where nothing is at the path. What is there already is
// used, truncated, only if it is a regular file (not a link); these systems
// have no owner that the os package can compare.
func openDebugFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		return f, nil
	}
	if !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	before, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if err := checkDebugFileType(path, before.Mode()); err != nil {
		return nil, err
	}
	f, err = os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return nil, err
	}
	if err := takeDebugFile(f, before); err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

// takeDebugFile checks that f is still the regular file that was looked at,
// then empties it and makes it the owner's only.
func takeDebugFile(f *os.File, before fs.FileInfo) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !os.SameFile(before, fi) {
		return errors.New(f.Name() + " changed while it was opened")
	}
	if err := checkDebugFileType(f.Name(), fi.Mode()); err != nil {
		return err
	}
	if err := f.Truncate(0); err != nil {
		return err
	}
	return restrictDebugFile(f, fi.Mode())
}
