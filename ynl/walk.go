package ynl

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// nlaHeaderLen is the size of an attribute header (struct nlattr).
const nlaHeaderLen = 4

// nlaTypeMask keeps an attribute type without its NLA_F_NESTED and
// NLA_F_NET_BYTEORDER flags.
const nlaTypeMask = 0x3fff

// Flags of an attribute type (NLA_F_NESTED, NLA_F_NET_BYTEORDER).
const (
	nlaFNested    = 0x8000
	nlaFByteOrder = 0x4000
)

func align4(n int) int { return (n + 3) &^ 3 }

var errTruncated = errors.New("attribute runs past the end of its container")

// walkAttrs calls fn for each attribute of b, in order, with its type
// (flags included) and payload. It checks each header exactly, as the
// kernel's nla_ok does, and fails on anything that is not a whole
// attribute, including trailing bytes too short for a header; the padding
// of the last attribute may be missing.
func walkAttrs(b []byte, fn func(typ uint16, payload []byte) error) error {
	for off := 0; off < len(b); {
		if len(b)-off < nlaHeaderLen {
			return fmt.Errorf("ynl: %d stray bytes at offset %d after the attributes", len(b)-off, off)
		}
		n := int(binary.NativeEndian.Uint16(b[off:]))
		typ := binary.NativeEndian.Uint16(b[off+2:])
		if n < nlaHeaderLen || n > len(b)-off {
			return fmt.Errorf("ynl: attribute at offset %d with length %d: %w", off, n, errTruncated)
		}
		if err := fn(typ, b[off+nlaHeaderLen:off+n]); err != nil {
			return err
		}
		off += min(align4(n), len(b)-off)
	}
	return nil
}

// errStop ends a walk early without an error.
var errStop = errors.New("stop")

// nlmsgHeaderLen is the size of a netlink message header (NLMSG_HDRLEN);
// the extended acknowledgement's offsets count from its start.
const nlmsgHeaderLen = 16
