package main

import (
	"errors"
	"fmt"

	"github.com/mdlayher/netlink/ynl/spec"
)

// check verifies that every name the model refers to exists, so that a
// decoder never meets a dangling reference at run time.
func (r *resolver) check() error {
	f := r.f
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	sets := map[string]*spec.AttrSet{}
	for i := range f.AttrSets {
		sets[f.AttrSets[i].Name] = &f.AttrSets[i]
	}
	structs := map[string]bool{}
	for _, s := range f.Structs {
		structs[s.Name] = true
	}
	enums := map[string]bool{}
	for _, e := range f.Enums {
		enums[e.Name] = true
	}
	subs := map[string]bool{}
	for _, s := range f.SubMessages {
		subs[s.Name] = true
		for _, fm := range s.Formats {
			if fm.AttrSet != "" && sets[fm.AttrSet] == nil {
				bad("sub-message %s/%s: no attribute-set %s", s.Name, fm.Value, fm.AttrSet)
			}
			if fm.FixedHeader != "" && !structs[fm.FixedHeader] {
				bad("sub-message %s/%s: no struct %s", s.Name, fm.Value, fm.FixedHeader)
			}
		}
	}
	for _, s := range f.AttrSets {
		for _, a := range s.Attrs {
			where := s.Name + "/" + a.Name
			if a.Nested != "" && sets[a.Nested] == nil {
				bad("%s: no attribute-set %s", where, a.Nested)
			}
			if a.Enum != "" && !enums[a.Enum] {
				bad("%s: no enum %s", where, a.Enum)
			}
			if a.Checks.FlagsMask != "" && !enums[a.Checks.FlagsMask] {
				bad("%s: no enum %s", where, a.Checks.FlagsMask)
			}
			if a.Struct != "" && !structs[a.Struct] {
				bad("%s: no struct %s", where, a.Struct)
			}
			if a.Type == spec.TypeSubMessage && (!subs[a.SubMessage] || a.Selector == "") {
				bad("%s: sub-message %q with selector %q", where, a.SubMessage, a.Selector)
			}
			if a.Type == spec.TypeNest && a.Nested == "" {
				bad("%s: nest without nested-attributes", where)
			}
		}
	}
	ops := map[string]bool{}
	for _, op := range f.Ops {
		ops[op.Name] = true
	}
	groups := map[string]bool{}
	for _, g := range f.MCGroups {
		groups[g.Name] = true
	}
	for _, op := range f.Ops {
		set := sets[op.AttrSet]
		if op.AttrSet != "" && set == nil {
			bad("operation %s: no attribute-set %s", op.Name, op.AttrSet)
		}
		if op.FixedHeader != "" && !structs[op.FixedHeader] {
			bad("operation %s: no struct %s", op.Name, op.FixedHeader)
		}
		if op.Notify != "" && !ops[op.Notify] {
			bad("operation %s: notifies of unknown operation %s", op.Name, op.Notify)
		}
		if op.MCGroup != "" && !groups[op.MCGroup] {
			bad("operation %s: no mcast group %s", op.Name, op.MCGroup)
		}
	}
	return errors.Join(errs...)
}

// pruneOpAttrs drops from the operations' attribute lists the names that
// neither their attribute set nor their fixed header has, and returns a warning for each. Some specs
// list attributes that were never defined (nftables' rule-attrs has no
// "name" in Linux 6.12); the kernel's own tools ignore them, and so do the
// tables, which must name nothing that is not there.
func pruneOpAttrs(f *spec.Family) []string {
	var warnings []string
	prune := func(op *spec.Op, names []string) []string {
		set := f.AttrSet(op.AttrSet)
		hdr := f.Struct(op.FixedHeader)
		out := names[:0:0]
		for _, n := range names {
			if set != nil {
				if _, ok := findAttr(set.Attrs, n); ok {
					out = append(out, n)
					continue
				}
			}
			if hdr != nil && hasMember(hdr, n) {
				out = append(out, n)
				continue
			}
			warnings = append(warnings, fmt.Sprintf("%s: operation %s: dropped attribute %q, which %s does not define", f.Name, op.Name, n, op.AttrSet))
		}
		if names != nil && out == nil {
			out = []string{}
		}
		return out
	}
	for i := range f.Ops {
		op := &f.Ops[i]
		if op.Event != nil {
			op.Event = prune(op, op.Event)
		}
		for _, m := range []*spec.Mode{op.Do, op.Dump} {
			if m == nil {
				continue
			}
			for _, msg := range []*spec.Message{m.Request, m.Reply} {
				if msg != nil && msg.Attrs != nil {
					msg.Attrs = prune(op, msg.Attrs)
				}
			}
		}
	}
	return warnings
}

func hasMember(s *spec.Struct, name string) bool {
	for _, m := range s.Members {
		if m.Name == name {
			return true
		}
	}
	return false
}
