package main

import (
	"encoding/binary"
	"fmt"
	"net"
	"os"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// env holds what requests need to know about the namespace they run in.
type env struct {
	// linkIndex is the index of the link named by -link (0 without one).
	linkIndex int32
	// ethtool is the generic netlink family ID of ethtool.
	ethtool netlink.HeaderType
}

// newEnv looks up the link named link (when not empty) and the ethtool
// family. Both are successful requests: a failure here is the harness's,
// not a case's.
func newEnv(link string) (env, error) {
	var e env
	if link != "" {
		ifi, err := net.InterfaceByName(link)
		if err != nil {
			return e, err
		}
		e.linkIndex = int32(ifi.Index)
	}
	id, err := familyID(unix.ETHTOOL_GENL_NAME)
	if err != nil {
		return e, fmt.Errorf("resolving generic netlink family %q: %w", unix.ETHTOOL_GENL_NAME, err)
	}
	e.ethtool = id
	return e, nil
}

// familyID asks the generic netlink controller for the ID of family name.
func familyID(name string) (netlink.HeaderType, error) {
	c, err := netlink.Dial(unix.NETLINK_GENERIC, nil)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	msgs, err := c.Execute(getFamily(name))
	if err != nil {
		return 0, err
	}
	if len(msgs) != 1 || len(msgs[0].Data) < unix.GENL_HDRLEN {
		return 0, fmt.Errorf("unexpected reply: %d messages", len(msgs))
	}
	ad, err := netlink.NewAttributeDecoder(msgs[0].Data[unix.GENL_HDRLEN:])
	if err != nil {
		return 0, err
	}
	for ad.Next() {
		if ad.Type() == unix.CTRL_ATTR_FAMILY_ID {
			return netlink.HeaderType(ad.Uint16()), nil
		}
	}
	if err := ad.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no family ID in the reply")
}

// Requests are built by hand: the program must not depend on any family
// package, and the bytes sent are then plain to see.

// genl returns a generic netlink request of family and cmd carrying attrs.
func genl(family netlink.HeaderType, flags netlink.HeaderFlags, cmd, version uint8, attrs ...netlink.Attribute) netlink.Message {
	data := []byte{cmd, version, 0, 0}
	return netlink.Message{
		Header: netlink.Header{Type: family, Flags: netlink.Request | flags},
		Data:   append(data, marshal(attrs)...),
	}
}

// getFamily is CTRL_CMD_GETFAMILY for the family called name.
func getFamily(name string) netlink.Message {
	return genl(unix.GENL_ID_CTRL, netlink.Acknowledge, unix.CTRL_CMD_GETFAMILY, 2,
		str(unix.CTRL_ATTR_FAMILY_NAME, name))
}

// rtnl returns a route netlink request of type typ: the fixed header hdr
// followed by attrs.
func rtnl(typ netlink.HeaderType, flags netlink.HeaderFlags, hdr []byte, attrs ...netlink.Attribute) netlink.Message {
	return netlink.Message{
		Header: netlink.Header{Type: typ, Flags: netlink.Request | flags},
		Data:   append(hdr, marshal(attrs)...),
	}
}

// ifinfomsg is a struct ifinfomsg for the link with index index.
func ifinfomsg(index int32) []byte {
	b := make([]byte, unix.SizeofIfInfomsg)
	binary.NativeEndian.PutUint32(b[4:8], uint32(index))
	return b
}

// rtmsg is a struct rtmsg of family with rtm_tos set to tos.
func rtmsg(family, tos uint8) []byte {
	b := make([]byte, unix.SizeofRtMsg)
	b[0] = family
	b[3] = tos
	return b
}

// ifaddrmsg is a struct ifaddrmsg of family with ifa_prefixlen set to
// prefixLen.
func ifaddrmsg(family, prefixLen uint8) []byte {
	b := make([]byte, unix.SizeofIfAddrmsg)
	b[0] = family
	b[1] = prefixLen
	return b
}

// str is a NUL-terminated string attribute.
func str(typ uint16, s string) netlink.Attribute {
	return netlink.Attribute{Type: typ, Data: append([]byte(s), 0)}
}

// u32 is a native-endian 32-bit attribute.
func u32(typ uint16, v uint32) netlink.Attribute {
	return netlink.Attribute{Type: typ, Data: binary.NativeEndian.AppendUint32(nil, v)}
}

// nest is a nested attribute, flagged NLA_F_NESTED as strict validation
// requires.
func nest(typ uint16, attrs ...netlink.Attribute) netlink.Attribute {
	return netlink.Attribute{Type: typ | netlink.Nested, Data: marshal(attrs)}
}

// marshal encodes attrs; the attributes here are all well formed, so an
// error is the program's bug.
func marshal(attrs []netlink.Attribute) []byte {
	if len(attrs) == 0 {
		return nil
	}
	b, err := netlink.MarshalAttributes(attrs)
	if err != nil {
		fmt.Fprintf(os.Stderr, "errdiff: marshalling attributes: %v\n", err)
		os.Exit(2)
	}
	return b
}
