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

// SetPeekOnly makes the socket under c read every datagram by peeking at it
// first, as it does where no receive area can be had.
func SetPeekOnly(c *Conn) {
	s := c.sock.(*sysSocket)
	s.rmu.Lock()
	defer s.rmu.Unlock()
	s.peekOnly = true
}

// ReceiveAreasUsable reports whether reads can use receive areas here.
func ReceiveAreasUsable() bool {
	a := getArea()
	if a == nil {
		return false
	}
	putArea(a, 0)
	return true
}

// Registered reports whether the socket under c is registered with the
// runtime poller (see poller_linux.go). c must come from Dial.
func Registered(c *Conn) bool {
	return c.sock.(*sysSocket).armed.Load()
}

// SocketFD returns the descriptor of the socket under c, for tests that
// look at it from outside. c must come from Dial.
func SocketFD(c *Conn) int {
	return c.sock.(*sysSocket).st.fd
}
