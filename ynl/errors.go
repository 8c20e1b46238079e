package ynl

import (
	"strconv"
	"strings"

	"github.com/mdlayher/netlink"
)

// An Error is a kernel error in answer to an operation, with the
// attribute that the kernel's extended acknowledgement points at named by
// the spec. Err is the error the Conn returned: netlink.ExtendedAckOf and
// errors.Is work through an *Error as on the Conn's own errors.
type Error struct {
	Family, Op string
	Err        error

	// Message is the kernel's explanation, if it gave one.
	Message string
	// Path names the attribute at the acknowledgement's offset, from
	// the top of the request down ("linkinfo", "data", "id"); empty
	// when the kernel pointed at none.
	Path []string
	// MissingPath names a required attribute that the request lacked,
	// after the nests it was missing from.
	MissingPath []string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("ynl: " + e.Family + " " + e.Op + ": " + e.Err.Error())
	if len(e.Path) > 0 {
		b.WriteString(" (at " + strings.Join(e.Path, " > ") + ")")
	}
	if len(e.MissingPath) > 0 {
		b.WriteString(" (missing " + strings.Join(e.MissingPath, " > ") + ")")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// kernelError wraps err, the Conn's error for the request nm built from
// m, naming the attributes its extended acknowledgement points at.
func (c *Client) kernelError(op string, nm netlink.Message, m *Message, err error) error {
	e := &Error{Family: c.f.Name, Op: op, Err: err}
	ack, ok := netlink.ExtendedAckOf(err)
	if !ok {
		return e
	}
	e.Message = ack.Message
	start := nlmsgHeaderLen + c.attrStart(m)
	if ack.Offset != 0 && int(ack.Offset) >= start {
		e.Path = namePath(m.Attrs, nm.Data[start-nlmsgHeaderLen:], int(ack.Offset)-start, nil)
	}
	if ack.MissingType != 0 {
		set := ""
		if m.Op != nil {
			set = m.Op.AttrSet
		}
		if ack.MissingNest != 0 && int(ack.MissingNest) >= start {
			var nest *Attr
			e.MissingPath = namePath(m.Attrs, nm.Data[start-nlmsgHeaderLen:], int(ack.MissingNest)-start, &nest)
			set = ""
			if nest != nil && nest.Spec != nil {
				set = nest.Spec.Nested
			}
		}
		name := "attribute " + strconv.FormatUint(uint64(ack.MissingType), 10)
		if a := c.f.AttrByValue(set, uint16(ack.MissingType)); set != "" && a != nil {
			name = a.Name
		}
		e.MissingPath = append(e.MissingPath, name)
	}
	return e
}

// attrStart returns the offset of the attributes in the data of m.
func (c *Client) attrStart(m *Message) int {
	n := 0
	if c.f.Protocol.Generic() {
		n = genlHeaderLen
	}
	if m.Op != nil && m.Op.FixedHeader != "" {
		n += align4(c.f.Struct(m.Op.FixedHeader).Size)
	}
	return n
}

// namePath names the attributes of attrs, encoded as b, that hold the
// byte at offset rel of b, from the outside in; *last, if last is not nil,
// is set to the innermost one.
func namePath(attrs []Attr, b []byte, rel int, last **Attr) []string {
	var path []string
	for {
		i, off := 0, 0
		var hit *Attr
		var payload []byte
		var payloadOff int
		_ = walkAttrs(b, func(typ uint16, p []byte) error {
			n := nlaHeaderLen + len(p)
			if i < len(attrs) && rel >= off && rel < off+align4(n) {
				hit, payload, payloadOff = &attrs[i], p, off+nlaHeaderLen
				return errStop
			}
			i++
			off += align4(n)
			return nil
		})
		if hit == nil {
			return path
		}
		path = append(path, hit.label())
		if last != nil {
			*last = hit
		}
		if rel < payloadOff || hit.Kind != KindNest {
			return path
		}
		skip := 0
		if len(hit.Fields) > 0 {
			skip = align4(fieldsLen(hit.Fields))
		}
		if skip > len(payload) {
			return path
		}
		attrs, b, rel = hit.Attrs, payload[skip:], rel-payloadOff-skip
	}
}

func fieldsLen(fields []Field) int {
	n := 0
	for i := range fields {
		if fields[i].Member != nil {
			n += fields[i].Member.Size()
		}
	}
	return n
}

// ExplainError returns err, the error a Conn returned for req, a request
// of operation op that the caller sent itself (built by Request and then
// changed, say), as an *Error naming the attributes that the kernel's
// extended acknowledgement points at. A request that does not decode by
// the spec gets an *Error without names. A nil err stays nil.
func (c *Client) ExplainError(op string, req netlink.Message, err error) error {
	if err == nil {
		return nil
	}
	o := c.f.Op(op)
	m, derr := decodeAs(c.f, req, o)
	if o == nil || derr != nil {
		return &Error{Family: c.f.Name, Op: op, Err: err}
	}
	return c.kernelError(op, req, m, err)
}
