package main

import (
	"encoding/binary"
	"encoding/hex"
	"syscall"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/internal/nlfacts"
)

// A messageView is one decoded message.
type messageView struct {
	Family     string        `json:"family"`
	Type       uint16        `json:"type"`
	TypeName   string        `json:"type_name,omitempty"`
	Flags      []string      `json:"flags"`
	Sequence   uint32        `json:"seq"`
	PID        uint32        `json:"pid"`
	Genl       *genlView     `json:"genl,omitempty"`
	HeaderName string        `json:"header_struct,omitempty"`
	Header     []headerField `json:"header,omitempty"`
	HeaderHex  string        `json:"header_hex,omitempty"`
	Error      *errorView    `json:"error,omitempty"`
	Attrs      []attrNode    `json:"attrs"`
	Payload    string        `json:"payload,omitempty"`
}

// A genlView is the generic netlink header of a message.
type genlView struct {
	Command     uint8  `json:"cmd"`
	CommandName string `json:"cmd_name,omitempty"`
	Version     uint8  `json:"version"`
}

// An errorView is the body of an NLMSG_ERROR message.
type errorView struct {
	Code    int32  `json:"code"`
	Message string `json:"message"`
}

// A decodeContext says what nlctl knows of the families of the messages it
// decodes: the names of generic netlink families by ID and their policies.
type decodeContext struct {
	genl map[uint16]*genlInfo
}

// genlInfo is what nlctl knows of one generic netlink family.
type genlInfo struct {
	family genlFamily
	pols   *familyPolicies // nil when the kernel gave none
	naming *genlNaming     // nil when unix names nothing of it
}

// decodeMessage decodes m, received on a socket of the given family.
func decodeMessage(family int, ctx *decodeContext, m netlink.Message) messageView {
	t := uint16(m.Header.Type)
	v := messageView{
		Family:   familyName(family),
		Type:     t,
		TypeName: typeName(family, t),
		Flags:    headerFlagList(family, t, m.Header.Flags),
		Sequence: m.Header.Sequence,
		PID:      m.Header.PID,
		Attrs:    []attrNode{},
	}
	data := m.Data
	if t == NLMSG_ERROR && len(data) >= 4 {
		code := int32(binary.NativeEndian.Uint32(data))
		v.Error = &errorView{Code: code, Message: "ack"}
		if code < 0 {
			v.Error.Message = syscall.Errno(-code).Error()
		}
		v.Payload = hex.EncodeToString(data[4:])
		return v
	}
	if t < NLMSG_MIN_TYPE {
		v.Payload = hex.EncodeToString(data)
		return v
	}

	var (
		s    *schema
		hlen int
	)
	// The fixed header is decoded only when the message holds all of it.
	n := nlfacts.FixedHeaderLen(family, t)
	if n == 0 || n > len(data) {
		n = -1
	}
	switch family {
	case NETLINK_ROUTE:
		if h, ok := nlfacts.RouteHeader(t); ok && n > 0 {
			hlen = n
			v.HeaderName = h.Struct
			if defs, ok := rtnlHeaderFields[h.Struct]; ok {
				v.Header = decodeHeaderFields(defs, data[:hlen])
			} else {
				v.HeaderHex = hex.EncodeToString(data[:hlen])
			}
			s = rtnlSchema(t)
		}
	case NETLINK_GENERIC:
		if n > 0 {
			hlen = n
			g := &genlView{Command: data[0], Version: data[1]}
			var info *genlInfo
			if ctx != nil {
				info = ctx.genl[t]
			}
			if info != nil {
				v.TypeName = info.family.Name
				g.CommandName = info.naming.commandName(data[0], true)
				s = info.schemaFor(data[0], m.Header.Flags&netlink.Dump != 0)
			}
			v.Genl = g
		}
	case NETLINK_NETFILTER:
		if n > 0 {
			hlen = n
			v.HeaderName = "nfgenmsg"
			v.HeaderHex = hex.EncodeToString(data[:hlen])
		}
	}
	if attrs, ok := decodeAttrs(data[hlen:], s, 0); ok {
		v.Attrs = attrs
	} else {
		v.Payload = hex.EncodeToString(data[hlen:])
	}
	return v
}
