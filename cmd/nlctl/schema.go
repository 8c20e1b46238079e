package main

import (
	"fmt"
	"strings"

	"github.com/mdlayher/netlink"
)

// Attribute kinds. The first group are the kernel's policy types
// (NL_ATTR_TYPE_*); the second are the shapes of rtnetlink attributes that
// the typed tables use. An empty kind means unknown: the decoder guesses.
const (
	kindFlag       = "flag"
	kindU8         = "u8"
	kindU16        = "u16"
	kindU32        = "u32"
	kindU64        = "u64"
	kindS8         = "s8"
	kindS16        = "s16"
	kindS32        = "s32"
	kindS64        = "s64"
	kindBinary     = "binary"
	kindString     = "string"
	kindNulString  = "nul-string"
	kindNested     = "nested"
	kindArray      = "nested-array"
	kindBitfield32 = "bitfield32"
	kindSint       = "sint" // 4 or 8 bytes, as the value needs
	kindUint       = "uint"

	kindBE16   = "be16" // network byte order, whatever the attribute's flag says
	kindBE32   = "be32"
	kindMAC    = "mac"    // link-layer address
	kindIP     = "ip"     // IPv4 or IPv6 address, by length
	kindStruct = "struct" // a C struct of integers: see attrSpec.fields
)

// An attrSpec says how to decode one attribute.
type attrSpec struct {
	kind   string
	enum   string      // set naming the value, such as RT_TABLE_
	flags  string      // set naming the bits, such as IFA_F_
	child  *schema     // for nested attributes and the items of arrays
	policy *policyAttr // the kernel's policy, when it gave one
	fields []fieldDef  // the layout of a struct

	// kindData marks IFLA_INFO_DATA and IFLA_INFO_SLAVE_DATA, whose
	// attributes depend on the kind next to them.
	kindData string
}

// A schema describes one attribute space: the names of its attributes, and
// their types from a typed table, from the kernel's policy, or both.
type schema struct {
	prefix string              // set naming the attributes, or ""
	byType map[uint16]attrSpec // typed table
	pols   *familyPolicies     // kernel policies, or nil
	idx    uint32              // which of pols describes this space
	naming *genlNaming         // how a family's nested spaces are named

	// anyType decodes the types byType lacks, for spaces whose types are
	// indexes (nlctrl's policy dumps); anonymous keeps them unnamed.
	anyType   *attrSpec
	anonymous bool
}

// specTable builds the typed table of a schema from attribute names of the
// set prefix. A name unix lacks is a bug in nlctl: tests check every table.
func specTable(prefix string, specs map[string]attrSpec) *schema {
	s := &schema{prefix: prefix, byType: make(map[uint16]attrSpec, len(specs))}
	for name, spec := range specs {
		v, ok := names().byName[prefix][strings.ToUpper(name)]
		if !ok {
			panic(fmt.Sprintf("nlctl: %s is not in the %s constants", name, prefix))
		}
		s.byType[uint16(v)] = spec
	}
	return s
}

// lookup returns the name and decoding of attribute type t.
func (s *schema) lookup(t uint16) (string, attrSpec) {
	if s == nil {
		return "", attrSpec{}
	}
	var name string
	if s.prefix != "" {
		name = constName(s.prefix, uint64(t))
	}
	spec, ok := s.byType[t]
	if !ok && s.anyType != nil {
		spec = *s.anyType
	}
	if s.pols != nil {
		if pa, ok := s.pols.policies[s.idx][t]; ok {
			spec.policy = &pa
			if k := pa.kindName(); k != "" && !(spec.kind != "" && pa.Type == netlink.PolicyTypeBinary) {
				// The kernel's type wins, except that a typed table
				// knows more than "binary" (an address, say).
				spec.kind = k
			}
			if pa.PolicyIndex != nil {
				child := &schema{pols: s.pols, idx: *pa.PolicyIndex, naming: s.naming}
				if spec.child != nil {
					child.prefix, child.byType = spec.child.prefix, spec.child.byType
				}
				if child.prefix == "" && *pa.PolicyIndex == s.idx {
					// A policy nested in itself names its attributes alike.
					child.prefix, child.byType = s.prefix, s.byType
				}
				spec.child = child
			}
		}
	}
	if spec.kind == "" || spec.kind == kindNested || spec.kind == kindArray {
		if spec.child == nil {
			spec.child = &schema{naming: s.naming}
		}
		if spec.child.prefix == "" && !spec.child.anonymous {
			c := *spec.child
			c.prefix = s.childPrefix(name)
			spec.child = &c
		}
	}
	return name, spec
}

// childPrefix guesses the set naming the attributes nested in the
// attribute called name: the family's explicit choice, the name itself
// (CTRL_ATTR_POLICY_*), or the name's last words under the family's root
// (ETHTOOL_A_LINKINFO_HEADER holds ETHTOOL_A_HEADER_*; CTRL_ATTR_OPS holds
// CTRL_ATTR_OP_*).
func (s *schema) childPrefix(name string) string {
	if name == "" {
		return ""
	}
	if s.naming != nil {
		if p, ok := s.naming.nests[name]; ok {
			return p
		}
	}
	if hasSet(name + "_") {
		return name + "_"
	}
	if s.naming == nil || s.naming.root == "" {
		return ""
	}
	suffix := strings.TrimPrefix(name, s.prefix)
	for _, p := range []string{s.naming.root + suffix + "_", s.naming.root + strings.TrimSuffix(suffix, "S") + "_"} {
		if hasSet(p) {
			return p
		}
	}
	return ""
}
