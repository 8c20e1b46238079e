package main

import (
	"errors"
	"fmt"
	"syscall"
	"time"

	"github.com/mdlayher/netlink"
)

// A policyAttr is the kernel's policy for one attribute
// (NL_POLICY_TYPE_ATTR_*). Limits the kernel did not send are nil.
type policyAttr struct {
	kind      uint32 // NL_ATTR_TYPE_*
	minS      *int64
	maxS      *int64
	minU      *uint64
	maxU      *uint64
	minLen    *uint32
	maxLen    *uint32
	policyIdx *uint32 // nested attributes: the policy of their children
	maxType   *uint32 // and its highest attribute type
	mask      *uint64 // bitfield32 and masked integers: the allowed bits
}

// policyKinds names the kernel's policy types.
var policyKinds = map[uint32]string{
	NL_ATTR_TYPE_FLAG: kindFlag, NL_ATTR_TYPE_U8: kindU8, NL_ATTR_TYPE_U16: kindU16,
	NL_ATTR_TYPE_U32: kindU32, NL_ATTR_TYPE_U64: kindU64, NL_ATTR_TYPE_S8: kindS8,
	NL_ATTR_TYPE_S16: kindS16, NL_ATTR_TYPE_S32: kindS32, NL_ATTR_TYPE_S64: kindS64,
	NL_ATTR_TYPE_BINARY: kindBinary, NL_ATTR_TYPE_STRING: kindString,
	NL_ATTR_TYPE_NUL_STRING: kindNulString, NL_ATTR_TYPE_NESTED: kindNested,
	NL_ATTR_TYPE_NESTED_ARRAY: kindArray, NL_ATTR_TYPE_BITFIELD32: kindBitfield32,
}

// kindName returns the decoding kind of the policy's type, or "" for a type
// newer than unix knows (which nlctl then decodes by guessing).
func (p policyAttr) kindName() string { return policyKinds[p.kind] }

// typeName names the policy's type for output: the kind, or its number.
func (p policyAttr) typeName() string {
	if k := p.kindName(); k != "" {
		return k
	}
	return fmt.Sprintf("type %d", p.kind)
}

// An opPolicy gives the policies of one command's do and dump requests.
type opPolicy struct {
	do   *uint32
	dump *uint32
}

// familyPolicies is what CTRL_CMD_GETPOLICY says of one family.
type familyPolicies struct {
	policies map[uint32]map[uint16]policyAttr // policy index, attribute type
	ops      map[uint32]opPolicy              // by command
}

// errNoPolicies means the kernel has no policies to give for the family:
// it is older than 5.8, or the family validates nothing.
var errNoPolicies = errors.New("the kernel reports no attribute policies for this family")

// fetchPolicies asks nlctrl for the policies of family name; cmd, when not
// nil, limits them to one command's.
func fetchPolicies(c *netlink.Conn, name string, cmd *uint32) (*familyPolicies, error) {
	ae := netlink.NewAttributeEncoder()
	ae.String(CTRL_ATTR_FAMILY_NAME, name)
	if cmd != nil {
		ae.Uint32(CTRL_ATTR_OP, *cmd)
	}
	attrs, err := ae.Encode()
	if err != nil {
		return nil, err
	}
	if err := c.SetDeadline(time.Now().Add(requestTimeout)); err != nil {
		return nil, err
	}
	msgs, err := c.Execute(genlCtrlRequest(CTRL_CMD_GETPOLICY, netlink.Dump, attrs))
	switch {
	case errors.Is(err, syscall.EOPNOTSUPP), errors.Is(err, errNoData):
		return nil, errNoPolicies
	case errors.Is(err, syscall.ENOENT) && cmd != nil:
		return nil, fmt.Errorf("generic netlink family %q has no command %d", name, *cmd)
	case err != nil:
		return nil, fmt.Errorf("asking nlctrl for the policies of %q: %w", name, err)
	}
	fp := &familyPolicies{policies: make(map[uint32]map[uint16]policyAttr), ops: make(map[uint32]opPolicy)}
	for _, m := range msgs {
		if len(m.Data) < GENL_HDRLEN {
			return nil, fmt.Errorf("nlctrl policy reply of %d bytes has no genetlink header", len(m.Data))
		}
		if err := fp.parse(m.Data[GENL_HDRLEN:]); err != nil {
			return nil, fmt.Errorf("decoding nlctrl's policies of %q: %w", name, err)
		}
	}
	if len(fp.policies) == 0 {
		return nil, errNoPolicies
	}
	return fp, nil
}

// parse adds the policies of one GETPOLICY reply.
func (fp *familyPolicies) parse(b []byte) error {
	ad, err := netlink.NewAttributeDecoder(b)
	if err != nil {
		return err
	}
	for ad.Next() {
		switch ad.Type() {
		case CTRL_ATTR_POLICY:
			ad.Nested(func(pols *netlink.AttributeDecoder) error {
				for pols.Next() {
					idx := uint32(pols.Type())
					pols.Nested(func(attrs *netlink.AttributeDecoder) error {
						for attrs.Next() {
							t := attrs.Type()
							var pa policyAttr
							attrs.Nested(func(nad *netlink.AttributeDecoder) error {
								pa = parsePolicyAttr(nad)
								return nil
							})
							if fp.policies[idx] == nil {
								fp.policies[idx] = make(map[uint16]policyAttr)
							}
							fp.policies[idx][t] = pa
						}
						return nil
					})
				}
				return nil
			})
		case CTRL_ATTR_OP_POLICY:
			ad.Nested(func(ops *netlink.AttributeDecoder) error {
				for ops.Next() {
					cmd := uint32(ops.Type())
					var op opPolicy
					ops.Nested(func(nad *netlink.AttributeDecoder) error {
						for nad.Next() {
							v := nad.Uint32()
							switch nad.Type() {
							case CTRL_ATTR_POLICY_DO:
								op.do = &v
							case CTRL_ATTR_POLICY_DUMP:
								op.dump = &v
							}
						}
						return nil
					})
					fp.ops[cmd] = op
				}
				return nil
			})
		}
	}
	return ad.Err()
}

// parsePolicyAttr decodes the NL_POLICY_TYPE_ATTR_* of one attribute.
func parsePolicyAttr(ad *netlink.AttributeDecoder) policyAttr {
	var pa policyAttr
	for ad.Next() {
		switch ad.Type() {
		case NL_POLICY_TYPE_ATTR_TYPE:
			pa.kind = ad.Uint32()
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_S:
			v := ad.Int64()
			pa.minS = &v
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_S:
			v := ad.Int64()
			pa.maxS = &v
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
			v := ad.Uint64()
			pa.minU = &v
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
			v := ad.Uint64()
			pa.maxU = &v
		case NL_POLICY_TYPE_ATTR_MIN_LENGTH:
			v := ad.Uint32()
			pa.minLen = &v
		case NL_POLICY_TYPE_ATTR_MAX_LENGTH:
			v := ad.Uint32()
			pa.maxLen = &v
		case NL_POLICY_TYPE_ATTR_POLICY_IDX:
			v := ad.Uint32()
			pa.policyIdx = &v
		case NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE:
			v := ad.Uint32()
			pa.maxType = &v
		case NL_POLICY_TYPE_ATTR_BITFIELD32_MASK:
			v := uint64(ad.Uint32())
			pa.mask = &v
		case NL_POLICY_TYPE_ATTR_MASK:
			v := ad.Uint64()
			pa.mask = &v
		}
	}
	return pa
}
