package ynl

import (
	"errors"
	"fmt"
	"os"

	"github.com/mdlayher/netlink/ynl/internal/tables"
	"github.com/mdlayher/netlink/ynl/spec"
)

// genlIDCtrl is the fixed family ID of nlctrl (GENL_ID_CTRL), through which
// every other generic family is found.
const genlIDCtrl = 0x10

// resolve asks nlctrl for the ID and multicast groups of the Client's
// generic family, with nlctrl's own spec.
func (c *Client) resolve() error {
	ctrl := nlctrlSpec()
	if c.f == ctrl {
		c.id = genlIDCtrl
	}
	nc := &Client{c: c.c, f: ctrl, id: genlIDCtrl}
	replies, err := nc.Do("getfamily", &Request{Attrs: map[string]any{"family-name": c.f.Name}})
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("ynl: %s: %w: %w", c.f.Name, errNoFamily, err)
		}
		return fmt.Errorf("ynl: resolving generic netlink family %s: %w", c.f.Name, err)
	}
	if len(replies) != 1 {
		return fmt.Errorf("ynl: resolving %s: %d replies from nlctrl", c.f.Name, len(replies))
	}
	r := replies[0]
	id := Find(r.Attrs, "family-id")
	if id == nil || id.Kind != KindUint {
		return fmt.Errorf("ynl: resolving %s: nlctrl sent no family ID", c.f.Name)
	}
	c.id = uint16(id.Uint)
	c.groups = make(map[string]uint32)
	if gs := Find(r.Attrs, "mcast-groups"); gs != nil {
		for _, g := range gs.Attrs {
			name, gid := Find(g.Attrs, "name"), Find(g.Attrs, "id")
			if name != nil && gid != nil {
				c.groups[name.Str] = uint32(gid.Uint)
			}
		}
	}
	return nil
}

// IsNotAvailable reports whether err says that the kernel does not have
// the generic netlink family a Client was made for (the module is not
// loaded, or the kernel was built without it).
func IsNotAvailable(err error) bool { return errors.Is(err, errNoFamily) }

func nlctrlSpec() *spec.Family {
	for _, f := range tables.All {
		if f.Name == "nlctrl" {
			return f
		}
	}
	panic("ynl: no nlctrl table")
}
