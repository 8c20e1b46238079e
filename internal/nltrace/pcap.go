package nltrace

import (
	"bufio"
	"encoding/binary"
	"io"
	"time"
)

// The pcap format writes a classic libpcap capture file (version 2.4, in the
// host's byte order, microsecond timestamps) with link type LINKTYPE_NETLINK,
// one record per message. Each record starts with the 16-byte "cooked"
// header that the kernel's nlmon device gives captured netlink traffic, all
// fields big-endian:
//
//	packet type   2 bytes  the direction: 4 (LINUX_SLL_OUTGOING) for a
//	                       message sent, 0 (LINUX_SLL_HOST) for one received
//	ARPHRD type   2 bytes  824, ARPHRD_NETLINK
//	address len   2 bytes  0
//	address       8 bytes  zero
//	protocol      2 bytes  the netlink family (NETLINK_ROUTE, ...), or
//	                       0xffff when the Conn does not know it (NewConn)
//
// followed by the message as it goes on the wire: its 16-byte header (in the
// host's byte order, Length as it is) and its payload. Wireshark and tshark
// read the family from the cooked header and dissect the message with the
// family's own dissector (netlink-route, genl, netfilter, ...).

// The SLL and ARPHRD values are copies of unix's (this file builds on every
// OS); a Linux test checks them against unix.
const (
	pcapMagic        = 0xa1b2c3d4 // microsecond timestamps
	pcapVersionMajor = 2
	pcapVersionMinor = 4
	pcapSnapLen      = 262144
	linkTypeNetlink  = 253

	sllHeaderLen    = 16
	sllHost         = 0   // LINUX_SLL_HOST, unix.PACKET_HOST: sent to us
	sllOutgoing     = 4   // LINUX_SLL_OUTGOING, unix.PACKET_OUTGOING: sent by us
	arphrdNetlink   = 824 // unix.ARPHRD_NETLINK
	sllUnknownProto = 0xffff
)

// A pcapWriter writes netlink messages to a capture file. It is not safe for
// concurrent use; the Sink's mutex guards it.
type pcapWriter struct {
	w       *bufio.Writer
	scratch [16 + sllHeaderLen + headerLen]byte
}

// newPcapWriter writes the file header to w and returns a writer for the
// records.
func newPcapWriter(w io.Writer) (*pcapWriter, error) {
	p := &pcapWriter{w: bufio.NewWriter(w)}
	var h [24]byte
	native.PutUint32(h[0:4], pcapMagic)
	native.PutUint16(h[4:6], pcapVersionMajor)
	native.PutUint16(h[6:8], pcapVersionMinor)
	// h[8:16]: time zone offset and timestamp accuracy, both zero.
	native.PutUint32(h[16:20], pcapSnapLen)
	native.PutUint32(h[20:24], linkTypeNetlink)
	p.w.Write(h[:])
	if err := p.w.Flush(); err != nil {
		return nil, err
	}
	return p, nil
}

// write appends one record per message and flushes them to the file.
func (p *pcapWriter) write(family int, dir Dir, msgs []Message, now time.Time) error {
	for i := range msgs {
		p.record(family, dir, &msgs[i], now)
	}
	return p.w.Flush()
}

// record buffers the record of one message. Errors surface at the next
// Flush.
func (p *pcapWriter) record(family int, dir Dir, m *Message, now time.Time) {
	payload := debugPayloadLen(m)
	origLen := sllHeaderLen + headerLen + payload
	inclLen := min(origLen, pcapSnapLen)

	b := p.scratch[:]
	native.PutUint32(b[0:4], uint32(now.Unix()))
	native.PutUint32(b[4:8], uint32(now.Nanosecond()/1000))
	native.PutUint32(b[8:12], uint32(inclLen))
	native.PutUint32(b[12:16], uint32(origLen))

	sll := b[16 : 16+sllHeaderLen]
	pktType := uint16(sllHost)
	if dir == Send {
		pktType = sllOutgoing
	}
	binary.BigEndian.PutUint16(sll[0:2], pktType)
	binary.BigEndian.PutUint16(sll[2:4], arphrdNetlink)
	clear(sll[4:14]) // address length and address
	proto := uint16(sllUnknownProto)
	if family >= 0 && family < sllUnknownProto {
		proto = uint16(family)
	}
	binary.BigEndian.PutUint16(sll[14:16], proto)

	h := b[16+sllHeaderLen:]
	native.PutUint32(h[0:4], m.Header.Length)
	native.PutUint16(h[4:6], uint16(m.Header.Type))
	native.PutUint16(h[6:8], uint16(m.Header.Flags))
	native.PutUint32(h[8:12], m.Header.Sequence)
	native.PutUint32(h[12:16], m.Header.PID)
	p.w.Write(b)

	// The payload, cut to the snapshot length.
	room := inclLen - len(b) + 16
	data := m.Data[:min(len(m.Data), payload, room)]
	p.w.Write(data)
	for range min(payload, room) - len(data) {
		p.w.WriteByte(0) // alignment padding of a sent message
	}
}

// flush writes out the buffered records.
func (p *pcapWriter) flush() error {
	return p.w.Flush()
}
