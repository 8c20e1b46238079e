package main

import "golang.org/x/sys/unix"

// errNoData is the kernel's answer to a policy request for a family that
// has none.
var errNoData error = unix.ENODATA
