package netlink

// splitAttr splits the attribute at the start of b from the attributes
// after it. It is the one walker of attribute streams in this package:
// UnmarshalAttributes, the AttributeDecoder, the extended acknowledgement
// and policy decoders and AttributePath all step through attributes with
// it, so that all of them agree on what a stream holds.
//
// Its rules: an attribute needs a whole 4-byte header. A Length of zero is
// an attribute with no data that takes the 4 bytes of its header (some
// senders pad with zero bytes): each caller decides whether to skip it.
// Any other Length below 4, or past the end of b, is malformed: ok is
// false, and the callers report errInvalidAttribute or an error of their
// own.
// The padding of the last attribute may be missing, as the kernel allows.
// data is capacity-limited, so that appending to it never overwrites the
// attributes after it. typ keeps the Nested and NetByteOrder flags.
//
// It is small enough to be inlined into each caller (TestInlining), so
// that AttributeDecoder.Next and UnmarshalAttributes cost no more than a
// walk written into them.
func splitAttr(b []byte) (l int, typ uint16, data, rest []byte, ok bool) {
	if len(b) < attrHeaderLen {
		return 0, 0, nil, nil, false
	}
	l = int(native.Uint16(b[0:2])) // a uint16 always fits in an int
	end := l
	if l == 0 {
		end = attrHeaderLen
	}
	if end < attrHeaderLen || end > len(b) {
		return 0, 0, nil, nil, false
	}
	return l, native.Uint16(b[2:4]), b[attrHeaderLen:end:end], b[min(nlaAlign(end), len(b)):], true
}

// countHeaders returns how many attributes of non-zero Length b announces,
// stepping from header to header without splitting the attributes: the
// count that NewAttributeDecoder and Nested make before any attribute is
// read. It agrees with splitAttr on a well-formed stream, and on a Length
// of zero (4 bytes, not counted). Where splitAttr would refuse an
// attribute it keeps going, as v1.11.2 does, so that the decoder can
// return the well-formed attributes before it: a Length from 1 to 3
// advances by 4 and is counted, and a Length past the end is counted and
// ends the walk. It fails only when b ends inside a header.
func countHeaders(b []byte) (int, error) {
	n := 0
	for i := 0; i < len(b); {
		if len(b)-i < attrHeaderLen {
			return 0, errInvalidAttribute
		}
		l := int(native.Uint16(b[i : i+2]))
		if l != 0 {
			n++
		}
		i += nlaAlign(max(l, attrHeaderLen))
	}
	return n, nil
}
