package nltrace

import (
	"fmt"
	"io/fs"
	"os"
)

// The file= output of NLDEBUG often lives in a shared directory such as
// /tmp, where another user may have put something at the path first, and
// the trace holds every byte sent, keys included. So a new file is created
// for the owner only, and what is already there is used only if it is a
// plain file of this process's own; openDebugFile (one per platform) says
// why anything else is refused, and the trace then goes to standard error.

// checkDebugFileType refuses anything at path but a regular file: a trace
// written into a named pipe, a device or a socket ends up with whoever is at
// the other end.
func checkDebugFileType(path string, mode fs.FileMode) error {
	if mode.IsRegular() {
		return nil
	}
	return fmt.Errorf("%s is %s, not a regular file", path, describeFileType(mode))
}

// describeFileType names the kind of file mode describes, for a report.
func describeFileType(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeSymlink != 0:
		return "a symbolic link"
	case mode.IsDir():
		return "a directory"
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeDevice != 0:
		return "a device"
	default:
		return "a special file"
	}
}

// restrictDebugFile makes an existing regular file that f opened readable
// and writable by its owner only: the mode given to OpenFile applies only
// to a file it creates, and a trace must not become readable through the
// permissions of the file it replaced.
func restrictDebugFile(f *os.File, mode fs.FileMode) error {
	if mode.Perm()&^0o600 == 0 {
		return nil
	}
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("making %s private: %w", f.Name(), err)
	}
	return nil
}
