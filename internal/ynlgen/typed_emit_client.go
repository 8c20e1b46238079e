package main

import (
	"bytes"
	"fmt"

	"github.com/mdlayher/netlink/ynl/spec"
)

// emitMessage writes a message type. Its decodeOwned decodes into a zero
// value: a new one, or one UnmarshalBinary has zeroed.
func (g *typedGen) emitMessage(b *bytes.Buffer, m *msgType) {
	t := m.name
	if m.wrapper {
		what := "the attributes of " + m.set
		if m.set == "" {
			what = "no attributes"
		}
		hdr := "no fixed header"
		if m.header != "" {
			hdr = "the fixed header " + m.header
		}
		docComment(b, fmt.Sprintf("%s is a message of %s with %s.", t, hdr, what), "")
		fmt.Fprintf(b, "type %s struct {\n", t)
		if m.header != "" {
			fmt.Fprintf(b, "Header %s\n", g.structType[m.header])
		}
		if m.set != "" {
			fmt.Fprintf(b, "%s\n", g.setType[m.set])
		}
		b.WriteString("}\n\n")
	}
	fmt.Fprintf(b, "func (m *%s) marshal() ([]byte, error) {\nif m == nil {\nm = new(%s)\n}\nvar b []byte\n", t, t)
	if m.header != "" {
		b.WriteString("b = m.Header.appendTo(b)\nfor len(b)%4 != 0 {\nb = append(b, 0)\n}\n")
	}
	if m.set != "" {
		self := "m"
		if m.wrapper {
			self = "m." + g.setType[m.set]
		}
		fmt.Fprintf(b, "ae := netlink.NewAttributeEncoder()\nif err := %s.Encode(ae); err != nil {\nreturn nil, err\n}\nab, err := ae.Encode()\nif err != nil {\nreturn nil, err\n}\nb = append(b, ab...)\n", self)
	}
	b.WriteString("return b, nil\n}\n\n")
	fmt.Fprintf(b, "func (m *%s) decodeOwned(b []byte) error {\n", t)
	if m.header != "" {
		size := g.f.Struct(m.header).Size
		fmt.Fprintf(b, "if len(b) < %d {\nreturn fmt.Errorf(\"%%s: message of %%d bytes is shorter than its %s header (%d bytes)\", familyName, len(b))\n}\nm.Header.decode(b)\nb = b[min(%d, len(b)):]\n", size, m.header, size, (size+3)&^3)
	}
	switch {
	case m.set == "":
		b.WriteString("if len(b) > 0 {\nreturn fmt.Errorf(\"%s: %d bytes after the fixed header\", familyName, len(b))\n}\nreturn nil\n}\n\n")
	case m.wrapper:
		fmt.Fprintf(b, "return m.%s.decode(b)\n}\n\n", g.setType[m.set])
	default:
		b.WriteString("return m.decode(b)\n}\n\n")
	}
	fmt.Fprintf(b, "// MarshalBinary returns the message as it follows the netlink header\n// (and the generic netlink header, if any): the fixed header and the\n// attributes.\nfunc (m *%s) MarshalBinary() ([]byte, error) { return m.marshal() }\n\n", t)
	fmt.Fprintf(b, "// UnmarshalBinary decodes a copy of b, a message as MarshalBinary\n// returns it.\nfunc (m *%s) UnmarshalBinary(b []byte) error {\n*m = %s{}\nreturn m.decodeOwned(append([]byte(nil), b...))\n}\n\n", t, t)
}

func (g *typedGen) emitClient(b *bytes.Buffer) {
	taken := map[string]bool{"Conn": true, "Close": true}
	for i := range g.f.Ops {
		op := &g.f.Ops[i]
		if op.Request == 0 {
			continue
		}
		m := g.opMsg[op.Name]
		base := goName(op.Name)
		if op.Do != nil {
			name := base
			for taken[name] {
				name += "Op"
			}
			taken[name], taken[name+"Context"] = true, true
			if op.Do.Reply != nil {
				docComment(b, fmt.Sprintf("%s runs the do form of %s and returns its reply.", name, op.Name), op.Doc)
				fmt.Fprintf(b, "func (c *Client) %s(req *%s, flags ...netlink.HeaderFlags) (*%s, error) {\nreturn c.%sContext(context.Background(), req, flags...)\n}\n\n", name, m.name, m.name, name)
				fmt.Fprintf(b, "// %sContext is %s, ended by ctx.\nfunc (c *Client) %sContext(ctx context.Context, req *%s, flags ...netlink.HeaderFlags) (*%s, error) {\nreturn doReply[%s](ctx, c, %d, req, allFlags(flags))\n}\n\n", name, name, name, m.name, m.name, m.name, op.Request)
			} else {
				docComment(b, fmt.Sprintf("%s runs the do form of %s and waits for the kernel's acknowledgement.", name, op.Name), op.Doc)
				fmt.Fprintf(b, "func (c *Client) %s(req *%s, flags ...netlink.HeaderFlags) error {\nreturn c.%sContext(context.Background(), req, flags...)\n}\n\n", name, m.name, name)
				fmt.Fprintf(b, "// %sContext is %s, ended by ctx.\nfunc (c *Client) %sContext(ctx context.Context, req *%s, flags ...netlink.HeaderFlags) error {\nreturn doAck(ctx, c, %d, req, allFlags(flags))\n}\n\n", name, name, name, m.name, op.Request)
			}
		}
		if op.Dump != nil {
			name := base + "Dump"
			for taken[name] {
				name += "Op"
			}
			taken[name], taken[name+"Context"] = true, true
			docComment(b, fmt.Sprintf("%s runs the dump form of %s and yields each message as it arrives, a value of its own; breaking out of the loop discards the rest.", name, op.Name), op.Doc)
			fmt.Fprintf(b, "func (c *Client) %s(req *%s, flags ...netlink.HeaderFlags) iter.Seq2[%s, error] {\nreturn c.%sContext(context.Background(), req, flags...)\n}\n\n", name, m.name, m.name, name)
			fmt.Fprintf(b, "// %sContext is %s, ended by ctx.\nfunc (c *Client) %sContext(ctx context.Context, req *%s, flags ...netlink.HeaderFlags) iter.Seq2[%s, error] {\nreturn dump[%s](ctx, c, %d, req, allFlags(flags))\n}\n\n", name, name, name, m.name, m.name, m.name, op.Request)
		}
	}
	for _, grp := range g.f.MCGroups {
		name := "Watch" + goName(grp.Name)
		for taken[name] {
			name += "Group"
		}
		taken[name] = true
		fmt.Fprintf(b, "// %s joins the multicast group %s and yields its messages, decoded\n// by Decode, until ctx ends or the loop stops; then it leaves the group.\n// Like a dump, it holds the Client's Conn while it runs.\n", name, grp.Name)
		fmt.Fprintf(b, "func (c *Client) %s(ctx context.Context) iter.Seq2[Notification, error] {\nreturn c.watch(ctx, %q, %d)\n}\n\n", name, grp.Name, grp.Value)
	}
}

// emitDecode writes Decode, which decodes any message of the family by
// its number: as the reply of the first operation that has it, else as
// the request of the first one.
func (g *typedGen) emitDecode(b *bytes.Buffer) {
	type entry struct {
		op  *spec.Op
		num uint16
	}
	var entries []entry
	seen := map[uint16]bool{}
	for pass := 0; pass < 2; pass++ {
		for i := range g.f.Ops {
			op := &g.f.Ops[i]
			n := op.Reply
			if pass == 1 {
				n = op.Request
			}
			if n != 0 && !seen[n] {
				seen[n] = true
				entries = append(entries, entry{op, n})
			}
		}
	}
	b.WriteString("// Decode decodes a message of the family, found by its type (or generic\n// netlink command): as the reply of the first operation that has it, else\n// as the request of the first one. It decodes a copy of m's data.\nfunc Decode(m netlink.Message) (Notification, error) {\nnum, b := uint16(m.Header.Type), m.Data\nif generic {\nif len(b) < 4 {\nreturn Notification{}, fmt.Errorf(\"%s: message of %d bytes has no generic netlink header\", familyName, len(b))\n}\nnum, b = uint16(b[0]), b[4:]\n}\nvar op string\nvar v message\nswitch num {\n")
	for _, e := range entries {
		fmt.Fprintf(b, "case %d:\nop, v = %q, new(%s)\n", e.num, e.op.Name, g.opMsg[e.op.Name].name)
	}
	b.WriteString("default:\nreturn Notification{}, fmt.Errorf(\"%s: message number %d unknown to the spec\", familyName, num)\n}\n")
	b.WriteString("if err := v.decodeOwned(append([]byte(nil), b...)); err != nil {\nreturn Notification{}, fmt.Errorf(\"%s: %s: %w\", familyName, op, err)\n}\nreturn Notification{Op: op, Msg: v}, nil\n}\n")
}
