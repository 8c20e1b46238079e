//go:build !unix

package nltest

// receiveError returns err as it is: only on Unix does a kernel socket's
// receive wrap system call errors, and this fake socket does as it would.
func receiveError(err error) error { return err }
