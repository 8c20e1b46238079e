package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mdlayher/netlink"
)

// A genlFamily is what nlctrl says of one generic netlink family.
type genlFamily struct {
	Name       string      `json:"name"`
	ID         uint16      `json:"id"`
	Version    uint32      `json:"version"`
	HeaderSize uint32      `json:"header_size"`
	MaxAttr    uint32      `json:"max_attr"`
	Ops        []genlOp    `json:"ops"`
	Groups     []genlGroup `json:"multicast_groups"`
}

// A genlOp is one operation (command) of a family.
type genlOp struct {
	ID           uint32   `json:"id"`
	Name         string   `json:"name,omitempty"` // from the YNL spec or unix
	Flags        uint32   `json:"flags"`
	Capabilities []string `json:"capabilities"`
}

// A genlGroup is one multicast group of a family.
type genlGroup struct {
	Name string `json:"name"`
	ID   uint32 `json:"id"`
}

// requestTimeout bounds the wait for the kernel's replies.
const requestTimeout = 10 * time.Second

// runFamilies runs "nlctl families".
func runFamilies(ctx context.Context, opts options, args []string, stdout io.Writer) error {
	fs := newFlagSet("families")
	opts.addCommon(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("families takes no arguments, got %q", pos[0])
	}

	c, err := dial(NETLINK_GENERIC, opts)
	if err != nil {
		return err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	fams, err := listFamilies(c)
	if err != nil {
		return err
	}
	nameOps(fams)

	if opts.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(fams)
	}
	var b strings.Builder
	for _, f := range fams {
		writeFamilyText(&b, f)
	}
	_, err = io.WriteString(stdout, b.String())
	return err
}

// writeFamilyText prints a family in the layout of "genl ctrl list".
func writeFamilyText(b *strings.Builder, f genlFamily) {
	fmt.Fprintf(b, "Name: %s\n", f.Name)
	fmt.Fprintf(b, "\tID: %#x  Version: %#x  header size: %d  max attribs: %d\n",
		f.ID, f.Version, f.HeaderSize, f.MaxAttr)
	if len(f.Ops) > 0 {
		b.WriteString("\tcommands supported:\n")
		for i, op := range f.Ops {
			fmt.Fprintf(b, "\t\t#%d:  ID-%#x", i+1, op.ID)
			if op.Name != "" {
				b.WriteString("  " + op.Name)
			}
			if len(op.Capabilities) > 0 {
				fmt.Fprintf(b, "  (%s)", strings.Join(op.Capabilities, "; "))
			}
			b.WriteByte('\n')
		}
	}
	if len(f.Groups) > 0 {
		b.WriteString("\tmulticast groups:\n")
		for i, g := range f.Groups {
			fmt.Fprintf(b, "\t\t#%d:  ID-%#x  name: %s\n", i+1, g.ID, g.Name)
		}
	}
	b.WriteByte('\n')
}

// genlCtrlRequest builds a request to nlctrl: the genetlink header of cmd,
// then attrs.
func genlCtrlRequest(cmd uint8, flags netlink.HeaderFlags, attrs []byte) netlink.Message {
	return netlink.Message{
		Header: netlink.Header{Type: GENL_ID_CTRL, Flags: netlink.Request | flags},
		Data:   append([]byte{cmd, 1, 0, 0}, attrs...),
	}
}

// listFamilies asks nlctrl for every family.
func listFamilies(c *netlink.Conn) ([]genlFamily, error) {
	if err := c.SetDeadline(time.Now().Add(requestTimeout)); err != nil {
		return nil, err
	}
	msgs, err := c.Execute(genlCtrlRequest(CTRL_CMD_GETFAMILY, netlink.Dump, nil))
	if err != nil {
		return nil, fmt.Errorf("listing generic netlink families: %w", err)
	}
	fams := make([]genlFamily, 0, len(msgs))
	for _, m := range msgs {
		f, err := parseFamily(m)
		if err != nil {
			return nil, err
		}
		fams = append(fams, f)
	}
	return fams, nil
}

// lookupFamily asks nlctrl for the family called name.
func lookupFamily(c *netlink.Conn, name string) (genlFamily, error) {
	ae := netlink.NewAttributeEncoder()
	ae.String(CTRL_ATTR_FAMILY_NAME, name)
	attrs, err := ae.Encode()
	if err != nil {
		return genlFamily{}, fmt.Errorf("family name %q: %w", name, err)
	}
	if err := c.SetDeadline(time.Now().Add(requestTimeout)); err != nil {
		return genlFamily{}, err
	}
	msgs, err := c.Execute(genlCtrlRequest(CTRL_CMD_GETFAMILY, 0, attrs))
	if errors.Is(err, os.ErrNotExist) {
		return genlFamily{}, fmt.Errorf("no generic netlink family named %q (see nlctl families)", name)
	}
	if err != nil {
		return genlFamily{}, fmt.Errorf("looking up generic netlink family %q: %w", name, err)
	}
	if len(msgs) != 1 {
		return genlFamily{}, fmt.Errorf("looking up generic netlink family %q: got %d replies, want 1", name, len(msgs))
	}
	return parseFamily(msgs[0])
}

// parseFamily decodes nlctrl's description of a family.
func parseFamily(m netlink.Message) (genlFamily, error) {
	f := genlFamily{Ops: []genlOp{}, Groups: []genlGroup{}}
	if len(m.Data) < GENL_HDRLEN {
		return f, fmt.Errorf("nlctrl reply of %d bytes has no genetlink header", len(m.Data))
	}
	ad, err := netlink.NewAttributeDecoder(m.Data[GENL_HDRLEN:])
	if err != nil {
		return f, fmt.Errorf("decoding an nlctrl reply: %w", err)
	}
	for ad.Next() {
		switch ad.Type() {
		case CTRL_ATTR_FAMILY_ID:
			f.ID = ad.Uint16()
		case CTRL_ATTR_FAMILY_NAME:
			f.Name = ad.String()
		case CTRL_ATTR_VERSION:
			f.Version = ad.Uint32()
		case CTRL_ATTR_HDRSIZE:
			f.HeaderSize = ad.Uint32()
		case CTRL_ATTR_MAXATTR:
			f.MaxAttr = ad.Uint32()
		case CTRL_ATTR_OPS:
			ad.Nested(func(list *netlink.AttributeDecoder) error {
				for list.Next() {
					var op genlOp
					list.Nested(func(nad *netlink.AttributeDecoder) error {
						for nad.Next() {
							switch nad.Type() {
							case CTRL_ATTR_OP_ID:
								op.ID = nad.Uint32()
							case CTRL_ATTR_OP_FLAGS:
								op.Flags = nad.Uint32()
							}
						}
						return nil
					})
					op.Capabilities = opCapabilities(op.Flags)
					f.Ops = append(f.Ops, op)
				}
				return nil
			})
		case CTRL_ATTR_MCAST_GROUPS:
			ad.Nested(func(list *netlink.AttributeDecoder) error {
				for list.Next() {
					var g genlGroup
					list.Nested(func(nad *netlink.AttributeDecoder) error {
						for nad.Next() {
							switch nad.Type() {
							case CTRL_ATTR_MCAST_GRP_NAME:
								g.Name = nad.String()
							case CTRL_ATTR_MCAST_GRP_ID:
								g.ID = nad.Uint32()
							}
						}
						return nil
					})
					f.Groups = append(f.Groups, g)
				}
				return nil
			})
		}
	}
	if err := ad.Err(); err != nil {
		return f, fmt.Errorf("decoding nlctrl's description of %q: %w", f.Name, err)
	}
	return f, nil
}

// opCapabilities names the flags of an operation (GENL_*), in the words of
// genl(8).
func opCapabilities(flags uint32) []string {
	names := []string{}
	for _, name := range flagNames("GENL_", uint64(flags)) {
		if words, ok := genlOpCapabilities[name]; ok {
			name = words
		}
		names = append(names, name)
	}
	return names
}
