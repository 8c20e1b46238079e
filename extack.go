package netlink

import (
	"fmt"
	"math"
	"strconv"

	"github.com/mdlayher/netlink/internal/nlfacts"
)

// attrTypeMask keeps the type of an attribute header, without the
// NLA_F_NESTED and NLA_F_NET_BYTEORDER flags (NLA_TYPE_MASK).
const attrTypeMask = 0x3fff

// An ExtendedAck is an extended acknowledgement: what the kernel attaches
// to an Error message, or to the Done message of a failed dump, when the
// ExtendedAcknowledge option is on. Every field is zero when the kernel did
// not send it; a zero Offset, MissingType or MissingNest is never sent,
// since an offset counts from the start of the request's header and
// attribute type 0 is never required.
//
// ExtendedAckOf returns the extended acknowledgement of an error that
// Conn.Execute or Conn.Receive returned; DecodeExtendedAck decodes that
// of a message, such as the warning of a successful acknowledgement. An
// ExtendedAck is not an error itself: it describes one.
type ExtendedAck struct {
	// Message is the kernel's explanation (NLMSGERR_ATTR_MSG). On an
	// acknowledgement (code zero) it is a warning.
	Message string

	// Offset is the byte offset, from the start of the request's netlink
	// header, of the attribute the kernel rejected (NLMSGERR_ATTR_OFFS).
	Offset uint32

	// Cookie is opaque data some operations return (NLMSGERR_ATTR_COOKIE).
	Cookie []byte

	// Policy describes the rule that the rejected attribute broke
	// (NLMSGERR_ATTR_POLICY), or is nil.
	Policy *Policy

	// MissingType is the type of a required attribute that the request
	// did not hold (NLMSGERR_ATTR_MISS_TYPE), and MissingNest the byte
	// offset, from the start of the request's header, of the nested
	// attribute it was missing from (NLMSGERR_ATTR_MISS_NEST); zero
	// MissingNest with a MissingType means the top level.
	MissingType uint32
	MissingNest uint32

	// Path and MissingPath are not sent by the kernel: Conn.Execute fills
	// them in the ExtendedAck that ExtendedAckOf returns for its error,
	// when it knows the length of the fixed header of the request's
	// family (see AttributePath). Path holds the attribute types from the
	// top of the request down to the attribute at Offset; MissingPath the
	// types of the nests down to MissingNest followed by MissingType.
	Path        []uint16
	MissingPath []uint16
}

// A Policy describes an attribute validation rule of the kernel, as the
// kernel reports it in an extended acknowledgement (the
// NL_POLICY_TYPE_ATTR_* attributes). Optional values are nil when the
// kernel did not send them.
type Policy struct {
	// Type is the kind of attribute the rule expects.
	Type PolicyType

	// MinSigned and MaxSigned bound the value of a signed integer;
	// MinUnsigned and MaxUnsigned that of an unsigned one.
	MinSigned, MaxSigned     *int64
	MinUnsigned, MaxUnsigned *uint64

	// MinLength and MaxLength bound the length of a string or binary
	// attribute's payload.
	MinLength, MaxLength *uint32

	// Mask holds the bits an integer may have set, and Bitfield32Mask
	// those a bitfield32 attribute's selector may have.
	Mask           *uint64
	Bitfield32Mask *uint32

	// PolicyIndex and MaxType describe the policy of a nested
	// attribute's contents; the kernel sends them in policy dumps.
	PolicyIndex, MaxType *uint32
}

// A PolicyType is the kind of attribute a Policy expects (enum
// netlink_attribute_type, NL_ATTR_TYPE_*).
type PolicyType uint32

// Kinds of attributes in a Policy.
const (
	PolicyTypeInvalid PolicyType = iota
	PolicyTypeFlag
	PolicyTypeU8
	PolicyTypeU16
	PolicyTypeU32
	PolicyTypeU64
	PolicyTypeS8
	PolicyTypeS16
	PolicyTypeS32
	PolicyTypeS64
	PolicyTypeBinary
	PolicyTypeString
	PolicyTypeNulString
	PolicyTypeNested
	PolicyTypeNestedArray
	PolicyTypeBitfield32
	PolicyTypeSint
	PolicyTypeUint
)

var policyTypeNames = [...]string{
	PolicyTypeInvalid:     "invalid",
	PolicyTypeFlag:        "flag",
	PolicyTypeU8:          "u8",
	PolicyTypeU16:         "u16",
	PolicyTypeU32:         "u32",
	PolicyTypeU64:         "u64",
	PolicyTypeS8:          "s8",
	PolicyTypeS16:         "s16",
	PolicyTypeS32:         "s32",
	PolicyTypeS64:         "s64",
	PolicyTypeBinary:      "binary",
	PolicyTypeString:      "string",
	PolicyTypeNulString:   "nul-string",
	PolicyTypeNested:      "nested",
	PolicyTypeNestedArray: "nested-array",
	PolicyTypeBitfield32:  "bitfield32",
	PolicyTypeSint:        "sint",
	PolicyTypeUint:        "uint",
}

// String returns the kind's name as the kernel's YAML specs spell it
// ("u32", "nul-string"), or its number for a kind this package does not
// know.
func (t PolicyType) String() string {
	if int(t) < len(policyTypeNames) {
		return policyTypeNames[t]
	}
	return "type(" + strconv.FormatUint(uint64(t), 10) + ")"
}

// String describes the rule in one line, such as "u8 range 0..7" or
// "string max length 15". Its receiver is a value, so that a Policy prints
// this way with %v and %+v whether it is held as a value or a pointer; fmt
// prints a nil *Policy as "<nil>".
func (p Policy) String() string {
	s := p.Type.String()
	switch {
	case p.MinSigned != nil || p.MaxSigned != nil:
		s += " range " + optInt(p.MinSigned) + ".." + optInt(p.MaxSigned)
	case p.MinUnsigned != nil || p.MaxUnsigned != nil:
		s += " range " + optUint(p.MinUnsigned) + ".." + optUint(p.MaxUnsigned)
	}
	if p.MinLength != nil {
		s += " min length " + strconv.FormatUint(uint64(*p.MinLength), 10)
	}
	if p.MaxLength != nil {
		s += " max length " + strconv.FormatUint(uint64(*p.MaxLength), 10)
	}
	if p.Mask != nil {
		s += " mask 0x" + strconv.FormatUint(*p.Mask, 16)
	}
	if p.Bitfield32Mask != nil {
		s += " bitfield32 mask 0x" + strconv.FormatUint(uint64(*p.Bitfield32Mask), 16)
	}
	if p.PolicyIndex != nil {
		s += " policy " + strconv.FormatUint(uint64(*p.PolicyIndex), 10)
	}
	if p.MaxType != nil {
		s += " max type " + strconv.FormatUint(uint64(*p.MaxType), 10)
	}
	return s
}

func optInt(v *int64) string {
	if v == nil {
		return "?"
	}
	return strconv.FormatInt(*v, 10)
}

func optUint(v *uint64) string {
	if v == nil {
		return "?"
	}
	return strconv.FormatUint(*v, 10)
}

// offsetFitsInt reports whether an offset from the wire fits in an int,
// which it does not on 32-bit platforms from 2^31 up.
func offsetFitsInt(off uint32) bool {
	return uint64(off) <= math.MaxInt
}

// DecodeExtendedAck decodes the extended acknowledgement of m, an Error
// message (whatever its code, including zero: an acknowledgement that
// Execute returned, whose Message is then a warning) or a Done message
// ending a dump. It returns the zero ExtendedAck when m has none (its
// AcknowledgeTLVs flag is clear).
//
// An error reports a message that is not an Error or Done message, is too
// short for what its flags announce, or holds a malformed or wrongly sized
// attribute; the ExtendedAck then holds what was decoded before it.
// Unknown attributes are skipped.
func DecodeExtendedAck(m Message) (ExtendedAck, error) {
	var tlvs []byte
	switch m.Header.Type {
	case Error:
		if len(m.Data) < errorCodeLen {
			return ExtendedAck{}, fmt.Errorf("netlink: decoding extended acknowledgement: %w", errShortErrorMessage)
		}
		if m.Header.Flags&AcknowledgeTLVs == 0 {
			return ExtendedAck{}, nil
		}
		var ok bool
		if tlvs, ok = echoedRequestEnd(&m); !ok {
			return ExtendedAck{}, fmt.Errorf("netlink: decoding extended acknowledgement: %w", errShortErrorMessage)
		}
	case Done:
		if m.Header.Flags&AcknowledgeTLVs == 0 {
			return ExtendedAck{}, nil
		}
		if len(m.Data) < errorCodeLen {
			return ExtendedAck{}, fmt.Errorf("netlink: decoding extended acknowledgement: %w", errShortErrorMessage)
		}
		// A Done message echoes no request: its attributes follow the code.
		tlvs = m.Data[errorCodeLen:]
	default:
		return ExtendedAck{}, fmt.Errorf("netlink: decoding extended acknowledgement: %w (type %v)", errNotAck, m.Header.Type)
	}
	var a ExtendedAck
	err := a.decode(tlvs)
	return a, err
}

// decode fills a from the extended acknowledgement attributes in b. It
// stops at the first malformed attribute, keeping what came before, and
// reports it; a known attribute of the wrong size is skipped and reported
// at the end.
func (a *ExtendedAck) decode(b []byte) error {
	var bad error
	for off := 0; len(b) > 0; {
		_, typ, data, rest, ok := splitAttr(b)
		if !ok {
			return fmt.Errorf("netlink: %w at byte %d of the attributes", errMalformedExtAck, off)
		}
		typ &= attrTypeMask
		if err := a.decodeOne(typ, data); err != nil && bad == nil {
			bad = fmt.Errorf("netlink: %w at byte %d of the attributes: %v", errMalformedExtAck, off, err)
		}
		off += len(b) - len(rest)
		b = rest
	}
	return bad
}

// decodeOne stores one attribute of type typ and payload data.
func (a *ExtendedAck) decodeOne(typ uint16, data []byte) error {
	switch typ {
	case nlfacts.ExtAckMsg:
		// NUL-terminated; what follows a NUL, if anything, is padding.
		for i, c := range data {
			if c == 0 {
				data = data[:i]
				break
			}
		}
		a.Message = string(data)
	case nlfacts.ExtAckOffs:
		return getU32(&a.Offset, data, "offset")
	case nlfacts.ExtAckCookie:
		a.Cookie = append([]byte{}, data...)
	case nlfacts.ExtAckPolicy:
		p, err := decodePolicy(data)
		a.Policy = &p
		return err
	case nlfacts.ExtAckMissType:
		return getU32(&a.MissingType, data, "missing type")
	case nlfacts.ExtAckMissNest:
		return getU32(&a.MissingNest, data, "missing nest")
	}
	return nil
}

// DecodePolicy decodes a Policy from the NL_POLICY_TYPE_ATTR_* attributes
// in b: the payload of an extended acknowledgement's NLMSGERR_ATTR_POLICY
// attribute, or that of one attribute's entry in a generic netlink policy
// dump (CTRL_CMD_GETPOLICY), which describes its rules the same way.
//
// Unknown attributes are skipped. The 64-bit bounds and mask are accepted
// in 4 bytes as well as 8, as the kernel may send a variable-width
// integer. An error reports a malformed attribute or a value of the wrong
// size; the Policy then holds what was decoded, the value in question
// left nil.
func DecodePolicy(b []byte) (Policy, error) {
	p, err := decodePolicy(b)
	if err != nil {
		return p, fmt.Errorf("netlink: decoding policy: %w", err)
	}
	return p, nil
}

// decodePolicy decodes the NL_POLICY_TYPE_ATTR_* attributes in b. It
// returns what it could decode even with an error.
func decodePolicy(b []byte) (Policy, error) {
	var p Policy
	var bad error
	note := func(err error) {
		if err != nil && bad == nil {
			bad = err
		}
	}
	for len(b) > 0 {
		_, typ, data, rest, ok := splitAttr(b)
		if !ok {
			note(errMalformedPolicy)
			break
		}
		b = rest
		switch typ & attrTypeMask {
		case nlfacts.PolicyAttrType:
			var t uint32
			note(getU32(&t, data, "policy type"))
			p.Type = PolicyType(t)
		case nlfacts.PolicyAttrMinValueS:
			note(getS64(&p.MinSigned, data, "policy minimum"))
		case nlfacts.PolicyAttrMaxValueS:
			note(getS64(&p.MaxSigned, data, "policy maximum"))
		case nlfacts.PolicyAttrMinValueU:
			note(getU64(&p.MinUnsigned, data, "policy minimum"))
		case nlfacts.PolicyAttrMaxValueU:
			note(getU64(&p.MaxUnsigned, data, "policy maximum"))
		case nlfacts.PolicyAttrMinLength:
			note(getOptU32(&p.MinLength, data, "policy minimum length"))
		case nlfacts.PolicyAttrMaxLength:
			note(getOptU32(&p.MaxLength, data, "policy maximum length"))
		case nlfacts.PolicyAttrPolicyIdx:
			note(getOptU32(&p.PolicyIndex, data, "policy index"))
		case nlfacts.PolicyAttrMaxType:
			note(getOptU32(&p.MaxType, data, "policy maximum type"))
		case nlfacts.PolicyAttrBitfield32:
			note(getOptU32(&p.Bitfield32Mask, data, "policy bitfield32 mask"))
		case nlfacts.PolicyAttrMask:
			note(getU64(&p.Mask, data, "policy mask"))
		}
	}
	return p, bad
}

func sizeError(what string, got, want int) error {
	return fmt.Errorf("%s is %d bytes, want %d", what, got, want)
}

func getU32(dst *uint32, b []byte, what string) error {
	if len(b) != 4 {
		return sizeError(what, len(b), 4)
	}
	*dst = native.Uint32(b)
	return nil
}

func getOptU32(dst **uint32, b []byte, what string) error {
	var v uint32
	if err := getU32(&v, b, what); err != nil {
		return err
	}
	*dst = &v
	return nil
}

// getU64 and getS64 accept 8 bytes, as the kernel sends these values, and
// also 4, as a variable-width NLA_UINT or NLA_SINT may be.
func getU64(dst **uint64, b []byte, what string) error {
	var v uint64
	switch len(b) {
	case 8:
		v = native.Uint64(b)
	case 4:
		v = uint64(native.Uint32(b))
	default:
		return sizeError(what, len(b), 8)
	}
	*dst = &v
	return nil
}

func getS64(dst **int64, b []byte, what string) error {
	var v int64
	switch len(b) {
	case 8:
		v = int64(native.Uint64(b))
	case 4:
		v = int64(int32(native.Uint32(b)))
	default:
		return sizeError(what, len(b), 8)
	}
	*dst = &v
	return nil
}

// echoedRequestEnd returns the extended acknowledgement attributes of m,
// an Error message: its data is the error code, then the request that
// failed, of which only the header is there when the Capped flag is set.
// Without Capped, the echoed header's Length tells where the request ends.
// ok is false when the data is too short for the header, or for the
// request its Length announces.
func echoedRequestEnd(m *Message) (tlvs []byte, ok bool) {
	b := m.Data[errorCodeLen:]
	if len(b) < headerLen {
		return nil, false
	}
	if m.Header.Flags&Capped != 0 {
		return b[headerLen:], true
	}
	// The length is compared as a uint64: converted to an int first, a
	// length from 2^31 up would be negative on 32-bit platforms and pass.
	l := native.Uint32(b[0:4])
	if uint64(l) > uint64(len(b)) {
		return nil, false
	}
	// The attributes start at the aligned end of the request; a request
	// of less than a header still has its whole header echoed.
	n := max(int(l), headerLen)
	return b[min(nlmsgAlign(n), len(b)):], true
}

// fillExtAck sets e's Message and Offset from the extended acknowledgement
// attributes in b, and keeps the whole acknowledgement beside e for
// ExtendedAckOf. What was decoded before a malformed attribute is kept, and
// known attributes of the wrong size are ignored: the errno is what
// matters, and a reply the kernel would not send must not hide it. Offset
// gets the kernel's offset only when it fits in an int.
func (e *OpError) fillExtAck(b []byte) {
	if len(b) == 0 {
		return
	}
	a := new(ExtendedAck)
	_ = a.decode(b)
	e.Message = a.Message
	if offsetFitsInt(a.Offset) {
		e.Offset = int(a.Offset)
	}
	setExtAck(e, a)
}
