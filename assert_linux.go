package netlink

import "net"

// Compile-time checks: the kernel socket is a Socket and has every optional
// capability a Conn looks for, so that a changed method signature breaks
// the build instead of silently turning a Conn method into "not
// supported"; and OpError is a net.Error, as callers that test for
// timeouts expect.
var (
	_ Socket         = (*sysSocket)(nil)
	_ groupJoiner    = (*sysSocket)(nil)
	_ bpfSetter      = (*sysSocket)(nil)
	_ deadlineSetter = (*sysSocket)(nil)
	_ optionSetter   = (*sysSocket)(nil)
	_ bufferSetter   = (*sysSocket)(nil)
	_ syscallConner  = (*sysSocket)(nil)
	_ drainer        = (*sysSocket)(nil)
	_ infoSocket     = (*sysSocket)(nil)
	_ rawSocket      = (*sysSocket)(nil)

	_ net.Error = (*OpError)(nil)
)
