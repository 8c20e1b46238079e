package netlink

import "fmt"

// minMessageBufferSize is the smallest Config.MessageBufferSize a receive
// works with: room for one message header. Every datagram is received whole
// whatever the size (see Config.MessageBufferSize), so a larger value
// changes nothing; a smaller one cannot have been meant, and v1.11.2 fails
// every receive with it, which programs and v1.11.2's own tests rely on.
const minMessageBufferSize = headerLen

// A bufferSizeError is the error of every receive on a Conn dialled with a
// MessageBufferSize too small to hold a message header.
type bufferSizeError struct {
	size int
}

func (e *bufferSizeError) Error() string {
	return fmt.Sprintf("MessageBufferSize of %d bytes cannot hold a %d-byte netlink message header", e.size, minMessageBufferSize)
}

// messageBufferSizeError returns the error every receive reports with
// Config.MessageBufferSize set to size, or nil when receives work: zero or
// less (unset) and anything from minMessageBufferSize up.
func messageBufferSizeError(size int) error {
	if size <= 0 || size >= minMessageBufferSize {
		return nil
	}
	return &bufferSizeError{size: size}
}
