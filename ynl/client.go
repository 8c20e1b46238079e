package ynl

import (
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl/spec"
)

// A Client runs the operations of one family over a netlink.Conn.
//
// A Client is safe for use by several goroutines only as far as its Conn
// is; the family ID of a generic family and its multicast groups are
// resolved once, when the Client is made.
type Client struct {
	c      *netlink.Conn
	f      *spec.Family
	owned  bool
	id     uint16            // message type: the generic family ID
	groups map[string]uint32 // generic netlink multicast groups by name
}

// Dial opens a netlink socket of the protocol that f speaks (f.Protonum)
// with the given configuration (nil for the defaults) and returns a
// Client over it; Close closes the socket.
func Dial(f *spec.Family, cfg *netlink.Config) (*Client, error) {
	c, err := netlink.Dial(f.Protonum, cfg)
	if err != nil {
		return nil, err
	}
	cl, err := NewClient(c, f)
	if err != nil {
		c.Close()
		return nil, err
	}
	cl.owned = true
	return cl, nil
}

// NewClient returns a Client for the family f over c, which must be a
// socket of f's protocol. For a generic netlink family it asks nlctrl for
// the family's ID and multicast groups, and fails when the kernel does not
// have the family. Closing the Client leaves c open.
func NewClient(c *netlink.Conn, f *spec.Family) (*Client, error) {
	cl := &Client{c: c, f: f}
	if f.Protocol.Generic() {
		if c == nil {
			return nil, fmt.Errorf("ynl: %s: a generic netlink family needs a Conn to resolve its ID", f.Name)
		}
		if err := cl.resolve(); err != nil {
			return nil, err
		}
	}
	return cl, nil
}

// Family returns the spec of the Client's family.
func (c *Client) Family() *spec.Family { return c.f }

// Conn returns the Client's netlink.Conn.
func (c *Client) Conn() *netlink.Conn { return c.c }

// Close closes the Conn if Dial opened it.
func (c *Client) Close() error {
	if c.owned {
		return c.c.Close()
	}
	return nil
}

// Request builds the netlink message of an operation's request: op's do
// form, or its dump form when dump is true, from req (nil for an empty
// request), checking every value against the spec.
func (c *Client) Request(op string, dump bool, req *Request) (netlink.Message, *Message, error) {
	o := c.f.Op(op)
	if o == nil {
		return netlink.Message{}, nil, fmt.Errorf("ynl: %s has no operation %q", c.f.Name, op)
	}
	mode, form := o.Do, "do"
	if dump {
		mode, form = o.Dump, "dump"
	}
	if mode == nil || o.Request == 0 {
		return netlink.Message{}, nil, fmt.Errorf("ynl: %s: operation %s has no %s form", c.f.Name, op, form)
	}
	if req == nil {
		req = &Request{}
	}
	req = c.splitHeader(o, req)
	m := &Message{Op: o, Cmd: uint8(o.Request), Version: c.f.Version}
	bd := builder{f: c.f}
	if o.FixedHeader != "" {
		fields, err := bd.header(c.f.Struct(o.FixedHeader), req.Header, nil)
		if err != nil {
			return netlink.Message{}, nil, err
		}
		m.Fields = fields
	} else if len(req.Header) > 0 {
		return netlink.Message{}, nil, fmt.Errorf("ynl: %s: operation %s has no fixed header", c.f.Name, op)
	}
	if len(req.Attrs) > 0 {
		if o.AttrSet == "" {
			return netlink.Message{}, nil, fmt.Errorf("ynl: %s: operation %s takes no attributes", c.f.Name, op)
		}
		attrs, err := bd.attrs(o.AttrSet, req.Attrs, nil, nil)
		if err != nil {
			return netlink.Message{}, nil, err
		}
		m.Attrs = attrs
	}
	m.Header.Type = netlink.HeaderType(o.Request)
	if c.f.Protocol.Generic() {
		m.Header.Type = netlink.HeaderType(c.id)
	}
	m.Header.Flags = netlink.Request | req.Flags
	switch {
	case dump:
		m.Header.Flags |= netlink.Dump
	case mode.Reply == nil:
		// Without a reply, only an acknowledgement says it worked.
		m.Header.Flags |= netlink.Acknowledge
	}
	nm, err := Encode(c.f, m)
	if err != nil {
		return netlink.Message{}, nil, err
	}
	return nm, m, nil
}

// Do runs the do form of op with the request req and returns the decoded
// replies (none for an operation without a reply). A kernel error comes
// back as an *Error naming the attribute it points at.
func (c *Client) Do(op string, req *Request) ([]*Message, error) {
	nm, m, err := c.Request(op, false, req)
	if err != nil {
		return nil, err
	}
	replies, err := c.c.Execute(nm)
	if err != nil {
		return nil, c.kernelError(op, nm, m, err)
	}
	var out []*Message
	for _, r := range replies {
		if r.Header.Type == netlink.Error {
			continue // the acknowledgement
		}
		d, err := Decode(c.f, r)
		if err != nil {
			return out, err
		}
		out = append(out, d)
	}
	return out, nil
}

// Dump runs the dump form of op with the request req and yields each
// decoded message as it arrives. Breaking out of the loop discards the
// rest of the dump.
func (c *Client) Dump(op string, req *Request) iter.Seq2[*Message, error] {
	return func(yield func(*Message, error) bool) {
		nm, m, err := c.Request(op, true, req)
		if err != nil {
			yield(nil, err)
			return
		}
		for r, err := range c.c.ExecuteIter(nm) {
			if err != nil {
				yield(nil, c.kernelError(op, nm, m, err))
				return
			}
			d, err := Decode(c.f, r)
			if !yield(d, err) {
				return
			}
		}
	}
}

// Subscribe joins the multicast group of the family called group, so that
// Receive gets its notifications.
func (c *Client) Subscribe(group string) error {
	id, err := c.groupID(group)
	if err != nil {
		return err
	}
	return c.c.JoinGroup(id)
}

func (c *Client) groupID(group string) (uint32, error) {
	g := c.f.MCGroup(group)
	if g == nil {
		return 0, fmt.Errorf("ynl: %s has no multicast group %q", c.f.Name, group)
	}
	if c.f.Protocol.Generic() {
		id, ok := c.groups[group]
		if !ok {
			return 0, fmt.Errorf("ynl: the kernel's %s has no multicast group %q", c.f.Name, group)
		}
		return id, nil
	}
	if g.Value == 0 {
		return 0, fmt.Errorf("ynl: the spec of %s gives no number for multicast group %q", c.f.Name, group)
	}
	return g.Value, nil
}

// Receive waits for the next messages on the Conn (notifications of the
// groups joined with Subscribe) and returns them decoded. A message that
// does not decode is returned with a nil entry and the first such error.
func (c *Client) Receive() ([]*Message, error) {
	msgs, err := c.c.Receive()
	if err != nil {
		return nil, err
	}
	out := make([]*Message, 0, len(msgs))
	var first error
	for _, m := range msgs {
		d, err := Decode(c.f, m)
		if err != nil && first == nil {
			first = err
		}
		out = append(out, d)
	}
	return out, first
}

// errNoFamily is wrapped by NewClient when the kernel lacks the family.
var errNoFamily = errors.New("family not available in the kernel")

// splitHeader moves the names in req.Attrs that are fields of op's fixed
// header, and not attributes of its set, into the header, as requests from
// JSON hold both side by side.
func (c *Client) splitHeader(op *spec.Op, req *Request) *Request {
	if op.FixedHeader == "" || len(req.Attrs) == 0 {
		return req
	}
	hdr := c.f.Struct(op.FixedHeader)
	var out *Request
	for name, v := range req.Attrs {
		if c.f.Attr(op.AttrSet, name) != nil || !slices.ContainsFunc(hdr.Members, func(m spec.Member) bool { return m.Name == name }) {
			continue
		}
		if out == nil {
			out = &Request{Header: maps.Clone(req.Header), Attrs: maps.Clone(req.Attrs), Flags: req.Flags}
			if out.Header == nil {
				out.Header = map[string]any{}
			}
		}
		if _, dup := out.Header[name]; !dup {
			out.Header[name] = v
			delete(out.Attrs, name)
		}
	}
	if out == nil {
		return req
	}
	return out
}
