package main

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// checkNetNS reports an error when f is not a network namespace: setns
// would refuse it with a bare EINVAL.
func checkNetNS(f *os.File) error {
	var st unix.Statfs_t
	if err := unix.Fstatfs(int(f.Fd()), &st); err != nil {
		return fmt.Errorf("cannot be examined: %v", err)
	}
	if st.Type != unix.NSFS_MAGIC {
		return fmt.Errorf("is not a namespace file (such as /var/run/netns/NAME or /proc/PID/ns/net)")
	}
	// The link of an open namespace file names its type: net:[4026531840].
	link, err := os.Readlink(fmt.Sprintf("/proc/self/fd/%d", f.Fd()))
	if err != nil {
		return nil // no /proc: let setns decide
	}
	if kind, _, ok := strings.Cut(link, ":"); ok && kind != "net" {
		return fmt.Errorf("is a %s namespace, not a network namespace", kind)
	}
	return nil
}
