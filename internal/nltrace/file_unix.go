//go:build unix

package nltrace

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// debugOpenFlags open the trace for writing without ever following a
// symbolic link at the path, without waiting (opening a named pipe for
// writing blocks until a reader comes), and without making a terminal the
// process's controlling one.
const debugOpenFlags = unix.O_WRONLY | unix.O_NOFOLLOW | unix.O_NONBLOCK | unix.O_NOCTTY | unix.O_CLOEXEC

// openDebugFile opens the file= output of NLDEBUG for writing. A new file
// is created, mode 0600, only where nothing is at the path (O_EXCL, so
// that no link planted there is followed). What is there already is used,
// truncated and made 0600, only if it is a regular file with one name that
// belongs to the effective user: else a privileged process would write its
// secrets into a file another user owns and reads, or through a second name
// into a file elsewhere.
func openDebugFile(path string) (*os.File, error) {
	fd, err := openNoEINTR(path, debugOpenFlags|unix.O_CREAT|unix.O_EXCL, 0o600)
	created := err == nil
	if errors.Is(err, unix.EEXIST) {
		fd, err = openNoEINTR(path, debugOpenFlags, 0)
	}
	if err != nil {
		// Say what is in the way when that is why: O_NOFOLLOW reports a
		// link as ELOOP, and a pipe without a reader as ENXIO.
		if fi, lerr := os.Lstat(path); lerr == nil {
			if terr := checkDebugFileType(path, fi.Mode()); terr != nil {
				return nil, terr
			}
		}
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	// Opening was the only step that could wait; writes from here on
	// block as writes to standard error do.
	if err := unix.SetNonblock(fd, false); err != nil {
		_ = unix.Close(fd)
		return nil, &os.PathError{Op: "fcntl", Path: path, Err: err}
	}
	f := os.NewFile(uintptr(fd), path)
	if created {
		return f, nil
	}
	if err := takeDebugFile(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

// takeDebugFile checks that the existing file f may hold the trace, then
// empties it and makes it the owner's only.
func takeDebugFile(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if err := checkDebugFileType(f.Name(), fi.Mode()); err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fmt.Errorf("%s: cannot tell who owns it", f.Name())
	}
	if euid := os.Geteuid(); int64(st.Uid) != int64(euid) {
		return fmt.Errorf("%s belongs to user %d, not to this process's effective user %d", f.Name(), st.Uid, euid)
	}
	if n := uint64(st.Nlink); n != 1 {
		return fmt.Errorf("%s has %d names; the trace goes only into a file with one", f.Name(), n)
	}
	if err := f.Truncate(0); err != nil {
		return err
	}
	return restrictDebugFile(f, fi.Mode())
}

// openNoEINTR is open(2), retried when a signal interrupts it.
func openNoEINTR(path string, flags int, mode uint32) (int, error) {
	for {
		fd, err := unix.Open(path, flags, mode)
		if err != unix.EINTR {
			return fd, err
		}
	}
}
