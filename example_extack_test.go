package netlink_test

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
)

// The kernel reports offsets into the request; AttributePath names the
// attribute they point at, down through the nests.
func ExampleAttributePath() {
	// An RTM_NEWLINK-like request: a 16-byte ifinfomsg, then IFLA_IFNAME
	// (3) and IFLA_LINKINFO (18) holding IFLA_INFO_KIND (1) and
	// IFLA_INFO_DATA (2).
	ae := netlink.NewAttributeEncoder()
	ae.String(3, "vx0")
	ae.Nested(18, func(nae *netlink.AttributeEncoder) error {
		nae.String(1, "vxlan")
		nae.Nested(2, func(data *netlink.AttributeEncoder) error {
			data.Uint32(1, 42) // at offset 16 + 16 + 8 + 4 + 12 + 4 = 60
			return nil
		})
		return nil
	})
	attrs, err := ae.Encode()
	if err != nil {
		fmt.Println(err)
		return
	}
	req := netlink.Message{Data: append(make([]byte, 16), attrs...)}

	path, err := netlink.AttributePath(req, 16, 60)
	fmt.Println(path, err)

	// A required attribute 7 missing from IFLA_INFO_DATA, at offset 56.
	path, err = netlink.MissingAttributePath(req, 16, 56, 7)
	fmt.Println(path, err)
	// Output:
	// [18 2 1] <nil>
	// [18 2 7] <nil>
}

// A family package (rtnetlink, genetlink, ethtool, ...) returns the
// kernel's error wrapped in its own. The *OpError inside is v1.11.2's,
// and so is its text; ExtendedAckOf finds what else the kernel said
// through any number of fmt.Errorf("%w") wrappings, without a change to
// the family package.
func ExampleExtendedAckOf() {
	// A fake kernel that refuses an over-long link name as Linux does.
	maxLen := uint32(15)
	c := nltest.Dial(func(req []netlink.Message) ([]netlink.Message, error) {
		return nltest.ErrorWithAck(int(syscall.ERANGE), req[0], netlink.ExtendedAck{
			Message: "Attribute failed policy validation",
			Offset:  32, // the netlink header, the ifinfomsg, then IFLA_IFNAME
			Policy:  &netlink.Policy{Type: netlink.PolicyTypeString, MaxLength: &maxLen},
		}, false)
	})

	// What a family package's method does with the Conn.
	setLinkName := func(name string) error {
		ae := netlink.NewAttributeEncoder()
		ae.String(3, name) // IFLA_IFNAME
		attrs, err := ae.Encode()
		if err != nil {
			return err
		}
		_, err = c.Execute(netlink.Message{
			Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Acknowledge},
			Data:   append(make([]byte, 16), attrs...),
		})
		if err != nil {
			return fmt.Errorf("rtnetlink: set link name: %w", err)
		}
		return nil
	}

	err := setLinkName("a-name-much-too-long-for-a-link")
	if errors.Is(err, syscall.ERANGE) {
		fmt.Println("refused: out of range")
	}
	var oe *netlink.OpError
	if errors.As(err, &oe) {
		fmt.Printf("v1.11.2's fields: %q at offset %d\n", oe.Message, oe.Offset)
	}
	if ack, ok := netlink.ExtendedAckOf(err); ok {
		fmt.Println("policy:", ack.Policy)
		fmt.Println(ack)
	}
	// Output:
	// refused: out of range
	// v1.11.2's fields: "Attribute failed policy validation" at offset 32
	// policy: string max length 15
	// message: "Attribute failed policy validation", offset: 32, policy: string max length 15
}
