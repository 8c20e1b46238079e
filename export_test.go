package netlink

// Test hooks for the tests of package netlink_test; export_linux_test.go
// holds those that need a socket of Dial.

// ExtAckTableLen returns how many errors have an extended acknowledgement
// stored beside them.
func ExtAckTableLen() int {
	extAcks.mu.Lock()
	defer extAcks.mu.Unlock()
	return len(extAcks.m)
}

// Rewind positions ad before the first attribute of b again, so that
// TestNoAllocs can measure a pass over the attributes without counting
// the decoder's own allocation.
func (ad *AttributeDecoder) Rewind(b []byte) {
	ad.rest, ad.data, ad.err = b, nil, nil
}

// LogToNilSink traces msgs to the sink of a Conn without NLDEBUG, for
// TestNoAllocs.
func LogToNilSink(msgs []Message) {
	var d *debugSink
	d.log(0, debugSend, msgs)
	d.flush()
}

// NewLoopConn returns a Conn with the given PID whose socket hands over
// dgrams, in turn, for ever, without allocating, as the socket of Dial
// does for a datagram that fits its receive area: TestNoAllocs measures
// the receive path on it.
func NewLoopConn(dgrams [][]byte, pid uint32) *Conn {
	return NewConn(&loopSocket{dgrams: dgrams}, pid)
}

// loopSocket is the socket of NewLoopConn.
type loopSocket struct {
	fakeSocket
	dgrams [][]byte
	next   int
}

func (s *loopSocket) receiveRaw() ([]byte, error) {
	b := s.dgrams[s.next]
	s.next = (s.next + 1) % len(s.dgrams)
	return b, nil
}
