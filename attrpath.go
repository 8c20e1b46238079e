package netlink

import (
	"fmt"
	"math"
)

// AttributePath returns the types of the attributes of req that hold the
// byte at offset, from the top level of the request down: for an offset
// pointing at the header of an attribute nested in IFLA_LINKINFO and then
// IFLA_INFO_DATA, it returns [IFLA_LINKINFO, IFLA_INFO_DATA, type]. The
// types are returned without the NLA_F_NESTED and NLA_F_NET_BYTEORDER
// flags.
//
// offset counts from the start of req's netlink header, as the offsets of
// an extended acknowledgement do (ExtendedAck.Offset, OpError.Offset);
// headerLen is the length of the family's fixed header that precedes the
// attributes in req.Data (4 for generic netlink, the size of struct
// ifinfomsg for RTM_NEWLINK, ...), which is padded to 4 bytes as the kernel
// pads it.
//
// The kernel's offsets point at an attribute's header. For an offset inside
// a payload, the path ends with the innermost attribute holding it, the
// payloads being searched for nested attributes as far as they parse as
// attributes: a binary payload that happens to parse may then add a type
// that is not really there. An error reports an offset outside the
// attributes, in padding, or past a malformed attribute, and a headerLen
// longer than req.Data.
func AttributePath(req Message, headerLen int, offset uint32) ([]uint16, error) {
	if headerLen < 0 || headerLen > len(req.Data) {
		return nil, fmt.Errorf("netlink: attribute path: fixed header of %d bytes in a request of %d data bytes", headerLen, len(req.Data))
	}
	// The kernel pads the fixed header to 4 bytes; a request whose data
	// stops short of the padding has no attributes.
	start := min(nlmsgAlign(headerLen), len(req.Data))
	// Compared as uint64: an offset from the wire may not fit in an int.
	lo, hi := uint64(headerLenWire+start), uint64(headerLenWire+len(req.Data))
	if o := uint64(offset); o < lo || o >= hi {
		return nil, fmt.Errorf("netlink: attribute path: %w: offset %d is outside bytes %d to %d", errNoAttributeAt, offset, lo, hi)
	}
	rel := int(offset) - headerLenWire - start // fits: below len(req.Data)
	path, _ := walkPath(req.Data[start:], rel, nil)
	if path == nil {
		return nil, fmt.Errorf("netlink: attribute path: %w: offset %d is in padding or past a malformed attribute", errNoAttributeAt, offset)
	}
	return path, nil
}

// headerLenWire is the size of a netlink message header, as an int for
// offset arithmetic.
const headerLenWire = headerLen

// MissingAttributePath returns where in req a required attribute was
// missing, as an extended acknowledgement reports it: the types of the
// nests down to the one at offset nest (ExtendedAck.MissingNest; zero for
// the top level), followed by missing (ExtendedAck.MissingType). headerLen
// is as for AttributePath. An error reports a nest offset that does not
// point exactly at an attribute of req, or a type that no attribute can
// have.
func MissingAttributePath(req Message, headerLen int, nest, missing uint32) ([]uint16, error) {
	if missing > math.MaxUint16 {
		return nil, fmt.Errorf("netlink: missing attribute path: type %d is not an attribute type", missing)
	}
	if nest == 0 {
		return []uint16{uint16(missing)}, nil
	}
	path, err := AttributePath(req, headerLen, nest)
	if err != nil {
		return nil, err
	}
	if !pathExact(req, headerLen, nest) {
		return nil, fmt.Errorf("netlink: missing attribute path: %w: offset %d is inside an attribute, not at one", errNoAttributeAt, nest)
	}
	return append(path, uint16(missing)), nil
}

// pathExact reports whether offset points at the header of an attribute,
// rather than into a payload. AttributePath succeeded for it.
func pathExact(req Message, headerLen int, offset uint32) bool {
	start := min(nlmsgAlign(headerLen), len(req.Data))
	_, exact := walkPath(req.Data[start:], int(offset)-headerLenWire-start, nil)
	return exact
}

// walkPath appends to path the types of the attributes in b holding byte
// rel of b. exact reports that the last one starts at rel. It returns path
// unchanged when rel is in padding or past a malformed attribute.
func walkPath(b []byte, rel int, path []uint16) (_ []uint16, exact bool) {
	for pos := 0; pos < len(b) && pos <= rel; {
		// The kernel refuses an attribute shorter than its header
		// (nla_ok), so a Length of zero cannot be in a request it
		// parsed: taken for an empty attribute, it would make a payload
		// of zeros, such as a big-endian integer, pass for attributes.
		l, typ, data, rest, ok := splitAttr(b[pos:])
		if !ok || l < attrHeaderLen {
			return path, false
		}
		typ &= attrTypeMask
		end := pos + attrHeaderLen + len(data)
		switch {
		case rel == pos:
			return append(path, typ), true
		case rel < end:
			path = append(path, typ)
			if sub := rel - pos - attrHeaderLen; sub >= 0 {
				// The payload may hold nested attributes: look for
				// the offset among them. A payload that does not
				// parse as attributes up to it leaves path as is.
				return walkPath(data, sub, path)
			}
			return path, false
		}
		pos = len(b) - len(rest)
	}
	return path, false
}
