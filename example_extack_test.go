package netlink_test

import (
	"fmt"

	"github.com/mdlayher/netlink"
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
