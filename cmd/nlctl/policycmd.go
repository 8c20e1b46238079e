package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
)

// A policyView is the output of "nlctl policy".
type policyView struct {
	Family   string          `json:"family"`
	ID       uint16          `json:"id"`
	Version  uint32          `json:"version"`
	Commands []policyCommand `json:"commands"`
	Policies []policyTable   `json:"policies"`
}

// A policyCommand names the policies of one command's requests.
type policyCommand struct {
	Command uint32  `json:"cmd"`
	Name    string  `json:"name,omitempty"`
	Do      *uint32 `json:"do"`   // null: the command has no do policy
	Dump    *uint32 `json:"dump"` // null: no dump policy
}

// A policyTable is one policy: the attributes it accepts.
type policyTable struct {
	Index uint32           `json:"index"`
	Attrs []policyAttrView `json:"attrs"`
}

// A policyAttrView is the policy of one attribute.
type policyAttrView struct {
	Type      uint16  `json:"type"`
	Name      string  `json:"name,omitempty"`
	Kind      string  `json:"kind"`
	MinValue  any     `json:"min_value,omitempty"`
	MaxValue  any     `json:"max_value,omitempty"`
	MinLength *uint32 `json:"min_length,omitempty"`
	MaxLength *uint32 `json:"max_length,omitempty"`
	Policy    *uint32 `json:"policy,omitempty"`   // nested: the children's policy
	MaxType   *uint32 `json:"max_type,omitempty"` // and its highest type
	Mask      any     `json:"mask,omitempty"`
}

// runPolicy runs "nlctl policy".
func runPolicy(ctx context.Context, opts options, args []string, stdout io.Writer) error {
	fs := newFlagSet("policy")
	opts.addCommon(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 1 || len(pos) > 2 {
		return usagef("policy needs FAMILY and optionally COMMAND, such as: nlctl policy nlctrl getfamily")
	}
	name := pos[0]
	if len(name) > genlNameMax {
		return usagef("%q is not a generic netlink family name (at most %d bytes)", name, genlNameMax)
	}
	naming := genlNamings[name]
	var cmd *uint32
	if len(pos) == 2 {
		c, _, ok := naming.parseCommand(pos[1])
		if !ok {
			return usagef("unknown command %q for generic netlink family %q", pos[1], name)
		}
		v := uint32(c)
		cmd = &v
	}

	c, err := dial(NETLINK_GENERIC, opts)
	if err != nil {
		return err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	f, err := lookupFamily(c, name)
	if err != nil {
		return err
	}
	pols, err := fetchPolicies(c, f.Name, cmd)
	if err != nil {
		return fmt.Errorf("generic netlink family %q: %w", f.Name, err)
	}
	info := &genlInfo{family: f, pols: pols, naming: naming}
	v, schemas := buildPolicyView(info)
	if opts.json {
		return writeJSON(stdout, v)
	}
	var b strings.Builder
	writePolicyText(&b, v, info, schemas)
	_, err = io.WriteString(stdout, b.String())
	return err
}

// buildPolicyView lays out the policies of a family, naming each policy's
// attributes by the first command that reaches it. It returns the view and
// each policy's schema.
func buildPolicyView(info *genlInfo) (policyView, map[uint32]*schema) {
	fp := info.pols
	v := policyView{Family: info.family.Name, ID: info.family.ID, Version: info.family.Version,
		Commands: []policyCommand{}, Policies: []policyTable{}}
	schemas := make(map[uint32]*schema)
	var visit func(s *schema)
	visit = func(s *schema) {
		if _, seen := schemas[s.idx]; seen {
			return
		}
		schemas[s.idx] = s
		for _, t := range sortedTypes(fp.policies[s.idx]) {
			if _, spec := s.lookup(t); spec.child != nil && spec.child.pols != nil {
				visit(spec.child)
			}
		}
	}
	cmds := make([]uint32, 0, len(fp.ops))
	for c := range fp.ops {
		cmds = append(cmds, c)
	}
	slices.Sort(cmds)
	for _, c := range cmds {
		op := fp.ops[c]
		pc := policyCommand{Command: c, Name: info.naming.commandName(uint8(c), false), Do: op.do, Dump: op.dump}
		v.Commands = append(v.Commands, pc)
		top := info.naming.topSchema(pc.Name)
		for _, idx := range []*uint32{op.do, op.dump} {
			if idx != nil {
				s := *top
				s.pols, s.idx = fp, *idx
				visit(&s)
			}
		}
	}
	// Policies no command reaches (kernels before 5.12 give one for the
	// whole family) are named by the family's top-level set.
	idxs := make([]uint32, 0, len(fp.policies))
	for i := range fp.policies {
		idxs = append(idxs, i)
	}
	slices.Sort(idxs)
	for _, i := range idxs {
		if _, ok := schemas[i]; !ok {
			s := info.naming.topSchema("")
			s.pols, s.idx = fp, i
			visit(s)
		}
	}
	for _, i := range idxs {
		s := schemas[i]
		table := policyTable{Index: i, Attrs: []policyAttrView{}}
		for _, t := range sortedTypes(fp.policies[i]) {
			pa := fp.policies[i][t]
			name, _ := s.lookup(t)
			table.Attrs = append(table.Attrs, policyAttrJSON(t, name, pa))
		}
		v.Policies = append(v.Policies, table)
	}
	return v, schemas
}

// policyAttrJSON turns one attribute's policy into its view.
func policyAttrJSON(t uint16, name string, pa policyAttr) policyAttrView {
	a := policyAttrView{Type: t, Name: name, Kind: pa.typeName(),
		MinLength: pa.MinLength, MaxLength: pa.MaxLength, Policy: pa.PolicyIndex, MaxType: pa.MaxType}
	switch {
	case pa.MinSigned != nil:
		a.MinValue = jsonValue(*pa.MinSigned)
	case pa.MinUnsigned != nil:
		a.MinValue = jsonValue(*pa.MinUnsigned)
	}
	switch {
	case pa.MaxSigned != nil:
		a.MaxValue = jsonValue(*pa.MaxSigned)
	case pa.MaxUnsigned != nil:
		a.MaxValue = jsonValue(*pa.MaxUnsigned)
	}
	if pa.mask() != nil {
		a.Mask = jsonValue(*pa.mask())
	}
	return a
}

// sortedTypes returns the attribute types of a policy in order.
func sortedTypes(p map[uint16]policyAttr) []uint16 {
	ts := make([]uint16, 0, len(p))
	for t := range p {
		ts = append(ts, t)
	}
	slices.Sort(ts)
	return ts
}

// writePolicyText prints the policy tree of each command.
func writePolicyText(b *strings.Builder, v policyView, info *genlInfo, schemas map[uint32]*schema) {
	fmt.Fprintf(b, "%s (id %#x, version %d)\n", v.Family, v.ID, v.Version)
	var printed map[uint32]bool // per command
	printTree := func(idx uint32, depth int) {
		writePolicyTree(b, info.pols, schemas, idx, depth, printed)
	}
	if len(v.Commands) == 0 {
		for _, p := range v.Policies {
			fmt.Fprintf(b, "policy %d:\n", p.Index)
			printed = map[uint32]bool{}
			printTree(p.Index, 1)
		}
		return
	}
	for _, c := range v.Commands {
		if c.Name != "" {
			fmt.Fprintf(b, "%s (%d)\n", c.Name, c.Command)
		} else {
			fmt.Fprintf(b, "command %d\n", c.Command)
		}
		printed = map[uint32]bool{}
		switch {
		case c.Do == nil && c.Dump == nil:
			b.WriteString("    no policy\n")
		case c.Do != nil && c.Dump != nil && *c.Do == *c.Dump:
			b.WriteString("    do and dump:\n")
			printTree(*c.Do, 2)
		default:
			if c.Do != nil {
				b.WriteString("    do:\n")
				printTree(*c.Do, 2)
			}
			if c.Dump != nil {
				b.WriteString("    dump:\n")
				printTree(*c.Dump, 2)
			}
		}
	}
}

// writePolicyTree prints the attributes of policy idx, and those of their
// nested policies below them. A policy already printed for the command is
// referred to, not repeated: recursive policies end, and the output grows
// with the policies, not with the ways they nest.
func writePolicyTree(b *strings.Builder, fp *familyPolicies, schemas map[uint32]*schema, idx uint32, depth int, printed map[uint32]bool) {
	indent := strings.Repeat("    ", depth)
	attrs := fp.policies[idx]
	if len(attrs) == 0 {
		b.WriteString(indent + "(no attributes)\n")
		return
	}
	printed[idx] = true
	s := schemas[idx]
	for _, t := range sortedTypes(attrs) {
		pa := attrs[t]
		if name, _ := s.lookup(t); name != "" {
			fmt.Fprintf(b, "%s%s (%d) ", indent, name, t)
		} else {
			fmt.Fprintf(b, "%s[%d] ", indent, t)
		}
		fmt.Fprintf(b, "%s%s", pa.typeName(), policyLimits(pa))
		if pa.PolicyIndex == nil {
			b.WriteByte('\n')
			continue
		}
		if printed[*pa.PolicyIndex] {
			fmt.Fprintf(b, " of policy %d (see above)\n", *pa.PolicyIndex)
			continue
		}
		fmt.Fprintf(b, " of policy %d {\n", *pa.PolicyIndex)
		writePolicyTree(b, fp, schemas, *pa.PolicyIndex, depth+1, printed)
		b.WriteString(indent + "}\n")
	}
}

// policyLimits describes the limits of an attribute's policy, leaving out
// ranges that only repeat what its type holds anyway.
func policyLimits(pa policyAttr) string {
	var parts []string
	kind := pa.kindName()
	if pa.MinUnsigned != nil && pa.MaxUnsigned != nil {
		if !(*pa.MinUnsigned == 0 && *pa.MaxUnsigned == unsignedMax(kind)) {
			parts = append(parts, fmt.Sprintf("range %d..%d", *pa.MinUnsigned, *pa.MaxUnsigned))
		}
	}
	if pa.MinSigned != nil && pa.MaxSigned != nil {
		lo, hi := signedRange(kind)
		if !(*pa.MinSigned == lo && *pa.MaxSigned == hi) {
			parts = append(parts, fmt.Sprintf("range %d..%d", *pa.MinSigned, *pa.MaxSigned))
		}
	}
	switch {
	case pa.MinLength != nil && pa.MaxLength != nil:
		parts = append(parts, fmt.Sprintf("length %d..%d", *pa.MinLength, *pa.MaxLength))
	case pa.MinLength != nil:
		parts = append(parts, fmt.Sprintf("length at least %d", *pa.MinLength))
	case pa.MaxLength != nil:
		parts = append(parts, fmt.Sprintf("length at most %d", *pa.MaxLength))
	}
	if pa.mask() != nil {
		parts = append(parts, fmt.Sprintf("mask %#x", *pa.mask()))
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, ", ")
}

// unsignedMax returns the largest value of an unsigned kind.
func unsignedMax(kind string) uint64 {
	switch kind {
	case kindU8:
		return math.MaxUint8
	case kindU16:
		return math.MaxUint16
	case kindU32:
		return math.MaxUint32
	}
	return math.MaxUint64
}

// signedRange returns the range of a signed kind.
func signedRange(kind string) (int64, int64) {
	switch kind {
	case kindS8:
		return math.MinInt8, math.MaxInt8
	case kindS16:
		return math.MinInt16, math.MaxInt16
	case kindS32:
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}
