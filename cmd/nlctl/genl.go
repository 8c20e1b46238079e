package main

import (
	"strings"
	"sync"
)

// A genlNaming says where unix names the commands and attributes of a
// generic netlink family. The kernel reports types (policies) but no names.
type genlNaming struct {
	cmd   string // set naming the commands, such as CTRL_CMD_
	attrs string // set naming the top-level attributes, or "" (see cmdAttrs)
	// cmdAttrs derives the top-level set from the command's name, for
	// families whose commands each have their own (ethtool).
	cmdAttrs func(cmdName string) string
	root     string            // first words of nested sets (ETHTOOL_A_)
	nests    map[string]string // attribute name: set of its nested attributes
}

// genlNamings lists the families unix names, by family name.
var genlNamings = map[string]*genlNaming{
	"nlctrl": {cmd: "CTRL_CMD_", attrs: "CTRL_ATTR_", root: "CTRL_ATTR_",
		nests: map[string]string{"CTRL_ATTR_MCAST_GROUPS": "CTRL_ATTR_MCAST_GRP_", "CTRL_ATTR_OP_POLICY": "CTRL_ATTR_POLICY_"}},
	"ethtool": {cmd: "ETHTOOL_MSG_", root: "ETHTOOL_A_", cmdAttrs: ethtoolAttrs},
	"devlink": {cmd: "DEVLINK_CMD_", attrs: "DEVLINK_ATTR_", root: "DEVLINK_ATTR_"},
	"nl80211": {cmd: "NL80211_CMD_", attrs: "NL80211_ATTR_", root: "NL80211_ATTR_"},
	"wireguard": {cmd: "WG_CMD_", attrs: "WGDEVICE_A_",
		nests: map[string]string{"WGDEVICE_A_PEERS": "WGPEER_A_", "WGPEER_A_ALLOWEDIPS": "WGALLOWEDIP_A_"}},
	"TASKSTATS": {cmd: "TASKSTATS_CMD_", attrs: "TASKSTATS_CMD_ATTR_", root: "TASKSTATS_TYPE_"},
	"NCSI":      {cmd: "NCSI_CMD_", attrs: "NCSI_ATTR_", root: "NCSI_"},
	"nfc":       {cmd: "NFC_CMD_", attrs: "NFC_ATTR_", root: "NFC_ATTR_"},
}

// ethtoolAttrs maps ETHTOOL_MSG_LINKINFO_GET (or _GET_REPLY, _NTF, ...)
// to ETHTOOL_A_LINKINFO_.
func ethtoolAttrs(cmdName string) string {
	s := strings.TrimPrefix(cmdName, "ETHTOOL_MSG_")
	for _, suffix := range []string{"_REPLY", "_NTF", "_GET", "_SET", "_ACT"} {
		s = strings.TrimSuffix(s, suffix)
	}
	if p := "ETHTOOL_A_" + s + "_"; hasSet(p) {
		return p
	}
	return ""
}

// commandName names command c of the family. Where a family numbers
// requests and replies apart (ethtool), reply picks which.
func (n *genlNaming) commandName(c uint8, reply bool) string {
	if n == nil {
		return ""
	}
	var first string
	for _, k := range constSets[n.cmd] {
		if k.value != uint64(c) {
			continue
		}
		isReply := strings.HasSuffix(k.name, "_REPLY") || strings.HasSuffix(k.name, "_NTF") ||
			strings.HasPrefix(k.name, n.cmd+"KERNEL_")
		if n.cmdAttrs == nil || isReply == reply {
			return k.name
		}
		if first == "" {
			first = k.name
		}
	}
	return first
}

// parseCommand parses a command of the family: a number, or a name of its
// set, case-insensitively and with or without the set's prefix.
func (n *genlNaming) parseCommand(s string) (uint8, string, bool) {
	if v, err := parseNumber(s, 8); err == nil {
		return uint8(v), n.commandName(uint8(v), false), true
	}
	if n == nil {
		return 0, "", false
	}
	v, ok := constValue(n.cmd, s)
	if !ok || v > 255 {
		return 0, "", false
	}
	name := strings.ToUpper(s)
	if !strings.HasPrefix(name, n.cmd) {
		name = n.cmd + name
	}
	return uint8(v), name, true
}

// commandNames lists the request commands of the family, for messages.
func (n *genlNaming) commandNames() []string {
	var out []string
	for _, k := range constSets[n.cmd] {
		if strings.HasSuffix(k.name, "_REPLY") || strings.HasSuffix(k.name, "_NTF") || k.value == 0 {
			continue
		}
		out = append(out, strings.ToLower(strings.TrimPrefix(k.name, n.cmd)))
	}
	return out
}

// topSchema returns the attribute space of command c (by name cmdName),
// with names only: the caller adds the policy.
func (n *genlNaming) topSchema(cmdName string) *schema {
	if n == nil {
		return &schema{}
	}
	s := &schema{prefix: n.attrs, naming: n}
	if n.cmdAttrs != nil {
		s.prefix = n.cmdAttrs(cmdName)
	}
	if st := genlStatic()[s.prefix]; st != nil {
		s.byType = st.byType
	}
	return s
}

// schemaFor returns the attribute space of a message of command c: the
// family's names, and the kernel's policy for that command (that of dump
// requests when dump is set and the family has one, else that of do).
func (g *genlInfo) schemaFor(c uint8, dump bool) *schema {
	s := g.naming.topSchema(g.naming.commandName(c, true))
	if g.pols == nil {
		return s
	}
	op, ok := g.pols.ops[uint32(c)]
	if !ok {
		// Replies and notifications often have a command of their own:
		// the request's policy, or the family's only one, still
		// describes the attribute space.
		op, ok = g.pols.ops[uint32(g.requestFor(c))]
	}
	var idx *uint32
	switch {
	case ok && dump && op.dump != nil:
		idx = op.dump
	case ok && op.do != nil:
		idx = op.do
	case ok && op.dump != nil:
		idx = op.dump
	case !ok && len(g.pols.policies) == 1:
		for i := range g.pols.policies {
			idx = &i
		}
	}
	if idx != nil {
		s.pols, s.idx = g.pols, *idx
	}
	return s
}

// requestFor maps a reply command to its request by name (ethtool's
// ETHTOOL_MSG_LINKINFO_GET_REPLY to ETHTOOL_MSG_LINKINFO_GET), or returns c.
func (g *genlInfo) requestFor(c uint8) uint8 {
	name := g.naming.commandName(c, true)
	for _, suffix := range []string{"_REPLY", "_NTF"} {
		if base, ok := strings.CutSuffix(name, suffix); ok {
			if v, ok := constValue(g.naming.cmd, base); ok {
				return uint8(v)
			}
		}
	}
	return c
}

// genlStatic holds typed tables for the attributes the kernel's policies
// leave out because they appear only in replies (nlctrl's family
// descriptions), by set.
var genlStatic = sync.OnceValue(func() map[string]*schema {
	u16, u32, str := attrSpec{kind: kindU16}, attrSpec{kind: kindU32}, attrSpec{kind: kindString}
	op := specTable("CTRL_ATTR_OP_", map[string]attrSpec{
		"CTRL_ATTR_OP_ID": u32, "CTRL_ATTR_OP_FLAGS": {kind: kindU32, flags: "GENL_"},
	})
	grp := specTable("CTRL_ATTR_MCAST_GRP_", map[string]attrSpec{
		"CTRL_ATTR_MCAST_GRP_NAME": str, "CTRL_ATTR_MCAST_GRP_ID": u32,
	})
	opPol := specTable("CTRL_ATTR_POLICY_", map[string]attrSpec{
		"CTRL_ATTR_POLICY_DO": u32, "CTRL_ATTR_POLICY_DUMP": u32,
	})
	// CTRL_ATTR_POLICY { [policy] { [attribute] { NL_POLICY_TYPE_ATTR_* } } }
	polAttr := specTable("NL_POLICY_TYPE_ATTR_", map[string]attrSpec{
		"NL_POLICY_TYPE_ATTR_TYPE":        {kind: kindU32, enum: "NL_ATTR_TYPE_"},
		"NL_POLICY_TYPE_ATTR_MIN_VALUE_S": {kind: kindS64}, "NL_POLICY_TYPE_ATTR_MAX_VALUE_S": {kind: kindS64},
		"NL_POLICY_TYPE_ATTR_MIN_VALUE_U": {kind: kindU64}, "NL_POLICY_TYPE_ATTR_MAX_VALUE_U": {kind: kindU64},
		"NL_POLICY_TYPE_ATTR_MIN_LENGTH": u32, "NL_POLICY_TYPE_ATTR_MAX_LENGTH": u32,
		"NL_POLICY_TYPE_ATTR_POLICY_IDX": u32, "NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE": u32,
		"NL_POLICY_TYPE_ATTR_BITFIELD32_MASK": u32, "NL_POLICY_TYPE_ATTR_MASK": {kind: kindU64},
		"NL_POLICY_TYPE_ATTR_PAD": {kind: kindBinary},
	})
	polAttrs := &schema{anonymous: true, anyType: &attrSpec{kind: kindNested, child: polAttr}}
	policies := &schema{anonymous: true, anyType: &attrSpec{kind: kindNested, child: polAttrs}}
	ctrl := specTable("CTRL_ATTR_", map[string]attrSpec{
		"CTRL_ATTR_FAMILY_ID": u16, "CTRL_ATTR_FAMILY_NAME": str, "CTRL_ATTR_VERSION": u32,
		"CTRL_ATTR_HDRSIZE": u32, "CTRL_ATTR_MAXATTR": u32, "CTRL_ATTR_OP": u32,
		"CTRL_ATTR_OPS":          {kind: kindArray, child: op},
		"CTRL_ATTR_MCAST_GROUPS": {kind: kindArray, child: grp},
		"CTRL_ATTR_OP_POLICY":    {kind: kindArray, child: opPol},
		"CTRL_ATTR_POLICY":       {kind: kindNested, child: policies},
	})
	return map[string]*schema{"CTRL_ATTR_": ctrl}
})

// newDecodeContext returns a context that knows nlctrl.
func newDecodeContext() *decodeContext {
	return &decodeContext{genl: map[uint16]*genlInfo{
		GENL_ID_CTRL: {family: genlFamily{Name: "nlctrl", ID: GENL_ID_CTRL}, naming: genlNamings["nlctrl"]},
	}}
}

// add records a family and its policies.
func (d *decodeContext) add(f genlFamily, pols *familyPolicies) {
	d.genl[f.ID] = &genlInfo{family: f, pols: pols, naming: genlNamings[f.Name]}
}
