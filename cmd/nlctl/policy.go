package main

import (
	"errors"
	"fmt"
	"syscall"
	"time"

	"github.com/mdlayher/netlink"
)

// A policyAttr is the kernel's policy for one attribute, as package
// netlink decodes it.
type policyAttr struct{ netlink.Policy }

// kindName returns the decoding kind of the policy's type, or "" for a type
// newer than netlink knows (which nlctl then decodes by guessing). The
// kinds are named as PolicyType names them.
func (p policyAttr) kindName() string {
	if p.Type == netlink.PolicyTypeInvalid || p.Type > netlink.PolicyTypeUint {
		return ""
	}
	return p.Type.String()
}

// typeName names the policy's type for output: the kind, or its number.
func (p policyAttr) typeName() string {
	if k := p.kindName(); k != "" {
		return k
	}
	return fmt.Sprintf("type %d", uint32(p.Type))
}

// mask returns the bits an integer or a bitfield32's selector may have
// set, or nil.
func (p policyAttr) mask() *uint64 {
	if p.Mask != nil {
		return p.Mask
	}
	if p.Bitfield32Mask != nil {
		v := uint64(*p.Bitfield32Mask)
		return &v
	}
	return nil
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
							attrs.Do(func(b []byte) error {
								var err error
								pa.Policy, err = netlink.DecodePolicy(b)
								return err
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
