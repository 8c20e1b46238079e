//go:build linux

package netlink

// RecvmsgCalls returns how many recvmsg system calls the socket under c has
// made, for the integration tests of package netlink_test. c must come from
// Dial.
func RecvmsgCalls(c *Conn) int {
	s := c.sock.(*sysSocket)
	s.rmu.Lock()
	defer s.rmu.Unlock()
	return s.nrecv
}
