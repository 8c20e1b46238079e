package netlink

import "iter"

// A MessageInfo is what the kernel tells about the datagram a message
// arrived in, in the control messages it attaches when the Conn's
// PacketInfo or ListenAllNSID option is on (see SetOption).
type MessageInfo struct {
	// Group is the multicast group the datagram was sent to, or zero for
	// a unicast datagram or when PacketInfo is off (NETLINK_PKTINFO).
	Group uint32

	// NSID is the ID, as the Conn's network namespace knows it, of the
	// network namespace the datagram came from; -1 when it came from the
	// Conn's own namespace, when that namespace has no ID for the other,
	// or when ListenAllNSID is off (NETLINK_LISTEN_ALL_NSID).
	NSID int
}

// A ReceivedMessage is a message together with what the kernel told about
// the datagram it arrived in.
type ReceivedMessage struct {
	Message
	Info MessageInfo
}

// ReceiveWithInfo is ReceiveIter, yielding each message together with the
// information the kernel attached to its datagram: the multicast group it
// was sent to (with PacketInfo on) and the network namespace it came from
// (with ListenAllNSID on). A message that was set aside for the next
// receiver (see Conn.Execute) comes with the information of the datagram it
// arrived in. Reading without it, through Receive or ReceiveIter, costs
// nothing for this information.
func (c *Conn) ReceiveWithInfo() iter.Seq2[ReceivedMessage, error] {
	return func(yield func(ReceivedMessage, error) bool) {
		is, _ := c.sock.(infoSocket)
		info := func() MessageInfo {
			if a := c.rx.aside; a != nil && a.yielding {
				// A message set aside keeps its own datagram's.
				return a.info
			}
			if is == nil {
				return MessageInfo{NSID: -1}
			}
			return is.datagramInfo()
		}
		c.receiveIter(func(m Message, err error) bool {
			if err != nil {
				return yield(ReceivedMessage{}, err)
			}
			return yield(ReceivedMessage{Message: m, Info: info()}, nil)
		})
	}
}

// An infoSocket is a Socket that keeps the MessageInfo of the datagram
// whose messages it is yielding; the socket of Dial is one.
type infoSocket interface {
	datagramInfo() MessageInfo
}

// What is known of a datagram besides its bytes.
type datagramMeta struct {
	info MessageInfo
	// multicast is set when the datagram went to a multicast group:
	// from the group in the sender's address (groups 1 to 32), or from
	// PacketInfo's group (any group, but only with the option on).
	multicast bool
}
