//go:build linux

package netlink_test

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// A real nftables batch whose failure the kernel reports in an error
// acknowledgement echoing the failed message whole: 3000 set elements for
// a table that does not exist make a datagram of about 48 KiB, which must
// arrive whole and give ENOENT, as with v1.11.2.
func TestIntegrationNftablesBatchError(t *testing.T) {
	fd, _ := newNetNS(t)
	probe, err := netlink.Dial(unix.NETLINK_NETFILTER, &netlink.Config{NetNS: fd})
	if err != nil {
		t.Skipf("no NETLINK_NETFILTER here: %v", err)
	}
	probe.Close()

	readModes(t, func(t *testing.T) *netlink.Conn {
		return dialT(t, unix.NETLINK_NETFILTER, &netlink.Config{NetNS: fd})
	}, func(t *testing.T, c *netlink.Conn) {
		batch := nftSetElemBatch(t, 3000)
		if n := batch[1].Header.Length; n < 40<<10 {
			t.Fatalf("the set element message is %d bytes, want above 40 KiB", n)
		}
		for i := range 3 {
			if _, err := c.SendMessages(batch); err != nil {
				t.Fatal(err)
			}
			msgs, err := c.Receive()
			if !errors.Is(err, unix.ENOENT) {
				t.Fatalf("try %d: %d messages, error %v; want ENOENT", i, len(msgs), err)
			}
		}
		// The Conn goes on: a small batch fails the same way.
		if _, err := c.SendMessages(nftSetElemBatch(t, 1)); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Receive(); !errors.Is(err, unix.ENOENT) {
			t.Fatalf("small batch: %v, want ENOENT", err)
		}
	})
}

// nftSetElemBatch makes a batch adding n elements to set "nope" of table
// "nope", neither of which exists, asking for an acknowledgement.
func nftSetElemBatch(t *testing.T, n int) []netlink.Message {
	t.Helper()
	// struct nfgenmsg: family, version, resource ID (big-endian).
	nfgen := func(family uint8, resID uint16) []byte {
		return binary.BigEndian.AppendUint16([]byte{family, unix.NFNETLINK_V0}, resID)
	}
	ae := netlink.NewAttributeEncoder()
	ae.String(unix.NFTA_SET_ELEM_LIST_TABLE, "nope")
	ae.String(unix.NFTA_SET_ELEM_LIST_SET, "nope")
	ae.Nested(unix.NFTA_SET_ELEM_LIST_ELEMENTS, func(ae *netlink.AttributeEncoder) error {
		for i := range n {
			ae.Nested(unix.NFTA_LIST_ELEM, func(ae *netlink.AttributeEncoder) error {
				ae.Nested(unix.NFTA_SET_ELEM_KEY, func(ae *netlink.AttributeEncoder) error {
					ae.Bytes(unix.NFTA_DATA_VALUE, binary.BigEndian.AppendUint32(nil, uint32(i)))
					return nil
				})
				return nil
			})
		}
		return nil
	})
	attrs, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}
	msg := func(typ netlink.HeaderType, flags netlink.HeaderFlags, data []byte) netlink.Message {
		return netlink.Message{
			Header: netlink.Header{Length: uint32(16 + len(data)), Type: typ, Flags: netlink.Request | flags},
			Data:   data,
		}
	}
	return []netlink.Message{
		msg(unix.NFNL_MSG_BATCH_BEGIN, 0, nfgen(unix.AF_UNSPEC, unix.NFNL_SUBSYS_NFTABLES)),
		msg(unix.NFNL_SUBSYS_NFTABLES<<8|unix.NFT_MSG_NEWSETELEM, netlink.Create|netlink.Acknowledge, append(nfgen(unix.NFPROTO_IPV4, 0), attrs...)),
		msg(unix.NFNL_MSG_BATCH_END, 0, nfgen(unix.AF_UNSPEC, unix.NFNL_SUBSYS_NFTABLES)),
	}
}
