package netlink

// What is known of a datagram besides its bytes.
type datagramMeta struct {
	info MessageInfo
	// multicast is set when the datagram went to a multicast group:
	// from the group in the sender's address (groups 1 to 32), or from
	// PacketInfo's group (any group, but only with the option on).
	multicast bool
}
