package netlink_test

import (
	"encoding/binary"
	"testing"

	"github.com/mdlayher/netlink"
)

// splitDatagram splits b into the messages it holds, stopping at the first
// header that does not fit, as a socket would hand them to Conn.
func splitDatagram(b []byte) []netlink.Message {
	var msgs []netlink.Message
	for len(b) >= 16 {
		l := int(binary.NativeEndian.Uint32(b))
		if l < 16 || l > len(b) {
			break
		}
		var m netlink.Message
		// UnmarshalBinary wants an aligned buffer; hand it exactly one
		// message, padded to four bytes.
		padded := append([]byte(nil), b[:l]...)
		padded = append(padded, make([]byte, (4-l%4)%4)...)
		if err := m.UnmarshalBinary(padded); err != nil {
			break
		}
		msgs = append(msgs, m)
		b = b[min((l+3)&^3, len(b)):]
	}
	return msgs
}

// FuzzConnReceive feeds arbitrary replies, in two datagrams, to Receive and
// ReceiveIter: whatever the kernel or a peer sends, Conn must return
// messages or an error, never panic or loop, and never return the Done
// message that closes a multi-part reply (one with the Multi flag; a Done
// without it is an ordinary message).
func FuzzConnReceive(f *testing.F) {
	ne := binary.NativeEndian
	msg := func(typ netlink.HeaderType, flags netlink.HeaderFlags, data []byte) []byte {
		b := make([]byte, 16, 16+len(data)+3)
		ne.PutUint32(b[0:4], uint32(16+len(data)))
		ne.PutUint16(b[4:6], uint16(typ))
		ne.PutUint16(b[6:8], uint16(flags))
		ne.PutUint32(b[8:12], 1)
		b = append(b, data...)
		return append(b, make([]byte, (4-len(b)%4)%4)...)
	}
	code := func(c int32, rest ...byte) []byte { return append(ne.AppendUint32(nil, uint32(c)), rest...) }
	cat := func(bs ...[]byte) []byte {
		var out []byte
		for _, b := range bs {
			out = append(out, b...)
		}
		return out
	}
	echoed := msg(0x10, netlink.Request|netlink.Acknowledge, []byte{1, 2, 3, 4})
	extack := cat(
		[]byte{12, 0, 1, 0}, []byte("bad\x00value\x00\x00\x00"),
		ne.AppendUint16(ne.AppendUint16(nil, 8), 2), ne.AppendUint32(nil, 20),
	)
	extack[0] = 14 // "bad\x00value\x00" is 10 bytes; the rest is padding

	f.Add(msg(netlink.Error, 0, code(0, echoed...)), uint16(0))
	f.Add(msg(netlink.Error, 0, code(-2, echoed...)), uint16(0))
	f.Add(msg(netlink.Error, 0, code(2)), uint16(0))
	f.Add(msg(netlink.Error, 0, []byte{1, 2}), uint16(0))
	f.Add(msg(netlink.Error, netlink.AcknowledgeTLVs, cat(code(-22), echoed, extack)), uint16(0))
	f.Add(msg(netlink.Error, netlink.AcknowledgeTLVs|netlink.Capped, cat(code(-22), echoed[:16], extack)), uint16(0))
	f.Add(cat(msg(0x10, netlink.Multi, []byte{1, 2, 3}), msg(0x10, netlink.Multi, nil)), uint16(20))
	f.Add(cat(msg(0x10, netlink.Multi, []byte{1}), msg(netlink.Done, netlink.Multi, code(0))), uint16(20))
	f.Add(cat(msg(0x10, netlink.Multi, nil), msg(netlink.Done, netlink.Multi|netlink.AcknowledgeTLVs, cat(code(-95), extack))), uint16(16))
	f.Add(msg(netlink.Done, 0, nil), uint16(0))

	f.Fuzz(func(t *testing.T, b []byte, cut uint16) {
		first, second := b, []byte(nil)
		if len(b) > 0 {
			c := int(cut) % (len(b) + 1)
			first, second = b[:c], b[c:]
		}
		datagrams := [][]netlink.Message{splitDatagram(first), splitDatagram(second)}

		check := func(how string, msgs []netlink.Message, err error) {
			if err != nil {
				_ = err.Error()
				return
			}
			for _, m := range msgs {
				if m.Header.Type == netlink.Done && m.Header.Flags&netlink.Multi != 0 {
					t.Fatalf("%s returned a closing Done message: %+v", how, m.Header)
				}
			}
		}

		c := netlink.NewConn(&datagramSocket{datagrams: clone(datagrams)}, 1)
		msgs, err := c.Receive()
		check("Receive", msgs, err)

		c = netlink.NewConn(&datagramSocket{datagrams: clone(datagrams)}, 1)
		msgs, err = nil, nil
		for m, e := range c.ReceiveIter() {
			if e != nil {
				err = e
				break
			}
			msgs = append(msgs, m)
		}
		check("ReceiveIter", msgs, err)

		// Stopping at once must drain without trouble too.
		c = netlink.NewConn(&datagramSocket{datagrams: clone(datagrams)}, 1)
		for range c.ReceiveIter() {
			break
		}
	})
}

// clone copies the datagram lists so that each Conn gets its own queue.
func clone(d [][]netlink.Message) [][]netlink.Message {
	out := make([][]netlink.Message, len(d))
	for i := range d {
		out[i] = append([]netlink.Message(nil), d[i]...)
	}
	return out
}
