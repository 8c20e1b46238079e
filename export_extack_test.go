package netlink

// ExtAckTableLen returns how many errors have an extended acknowledgement
// stored beside them, for the tests of package netlink_test.
func ExtAckTableLen() int {
	extAcks.mu.Lock()
	defer extAcks.mu.Unlock()
	return len(extAcks.m)
}
