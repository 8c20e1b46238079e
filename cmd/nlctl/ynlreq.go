package main

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl"
	"github.com/mdlayher/netlink/ynl/spec"
)

// buildRequest gathers the request of op from its --json documents and
// NAME=VALUE words, after those given for every operation, and checks
// that the family has the operation in the form asked for. Values stay as
// text where the spec wants a number or bytes: package ynl parses them by
// the attribute's type, enum and display hint.
func buildRequest(f *spec.Family, op *ynlOp, common *ynlOp, flags netlink.HeaderFlags) (*ynl.Request, error) {
	o := f.Op(op.name)
	if o == nil {
		return nil, usagef("%s has no operation %q (nlctl --family %s --list-ops lists them)", f.Name, op.name, f.Name)
	}
	form, mode := "do", o.Do
	if op.dump {
		form, mode = "dump", o.Dump
	}
	if mode == nil {
		return nil, usagef("%s operation %s has no %s form", f.Name, o.Name, form)
	}
	attrs := map[string]any{}
	for _, doc := range slices.Concat(common.json, op.json) {
		r, err := ynl.RequestFromJSON([]byte(doc))
		if err != nil {
			return nil, usagef("--json for %s: %v", o.Name, err)
		}
		maps.Copy(attrs, r.Attrs)
	}
	for _, arg := range slices.Concat(common.args, op.args) {
		if err := setArg(f, o, attrs, arg); err != nil {
			return nil, err
		}
	}
	if err := headerAliases(f, o, attrs); err != nil {
		return nil, err
	}
	if err := attrAliases(f, o, attrs); err != nil {
		return nil, err
	}
	return &ynl.Request{Attrs: attrs, Flags: flags}, nil
}

// setArg adds one NAME=VALUE (NAME may be a dotted path into nests) to
// attrs, typed as the spec wants: true or false for flags, a list for a
// multi-attr attribute given several times, text for the rest.
func setArg(f *spec.Family, op *spec.Op, attrs map[string]any, arg string) error {
	key, value, ok := strings.Cut(arg, "=")
	if !ok || key == "" {
		return usagef("%q: want NAME=VALUE", arg)
	}
	path := strings.Split(key, ".")
	if slices.Contains(path, "") {
		return usagef("%q: empty name in the path", arg)
	}
	set, m := op.AttrSet, attrs
	for _, name := range path[:len(path)-1] {
		var a *spec.Attr
		if set != "" {
			a = f.Attr(set, name)
		}
		set = ""
		if a != nil && a.Type == spec.TypeNest {
			set = a.Nested
		}
		child, ok := m[name].(map[string]any)
		if !ok {
			if _, taken := m[name]; taken {
				return usagef("%q: %s is not a nest", arg, name)
			}
			child = map[string]any{}
			m[name] = child
		}
		m = child
	}
	name := path[len(path)-1]
	var a *spec.Attr
	if set != "" {
		a = f.Attr(set, name)
	}
	var v any = value
	switch {
	case a != nil && a.Type == spec.TypeFlag:
		b, err := strconv.ParseBool(value)
		if err != nil {
			return usagef("%q: %s is a flag: want true or false", arg, name)
		}
		v = b
	case a != nil && a.MultiAttr:
		list, _ := m[name].([]any)
		v = append(list, value)
	}
	m[name] = v
	return nil
}

// attrAliases renames the top-level names of attrs (other than header
// fields, which headerAliases took first) that are short names of
// the operation's attributes: rt-route's attributes carry the prefix of
// their C names (rta-oif), which oif may leave out. A short name that two
// attributes share is left alone, to fail as unknown.
func attrAliases(f *spec.Family, op *spec.Op, attrs map[string]any) error {
	set := f.AttrSet(op.AttrSet)
	if set == nil {
		return nil
	}
	for name, v := range attrs {
		if f.Attr(op.AttrSet, name) != nil {
			continue
		}
		full := ""
		for _, a := range set.Attrs {
			if _, short, ok := strings.Cut(a.Name, "-"); ok && short == name {
				if full != "" {
					full = ""
					break
				}
				full = a.Name
			}
		}
		if full == "" {
			continue
		}
		if _, dup := attrs[full]; dup {
			return usagef("%s and %s name the same attribute", name, full)
		}
		delete(attrs, name)
		attrs[full] = v
	}
	return nil
}

// headerAliases renames the top-level names of attrs that are short names
// of the operation's fixed-header fields: the field's name without its
// prefix ("family" for rtm-family, "index" for ifi-index) or, for an
// interface index, "ifindex". An address family may be given by name
// (inet, inet6, bridge, ...), since the specs give those fields no enum.
func headerAliases(f *spec.Family, op *spec.Op, attrs map[string]any) error {
	if op.FixedHeader == "" {
		return nil
	}
	hdr := f.Struct(op.FixedHeader)
	for name, v := range attrs {
		if op.AttrSet != "" && f.Attr(op.AttrSet, name) != nil {
			continue
		}
		m := headerMember(hdr, name)
		if m == nil {
			continue
		}
		if m.Name != name {
			if _, dup := attrs[m.Name]; dup {
				return usagef("%s and %s name the same header field", name, m.Name)
			}
			delete(attrs, name)
		}
		if s, ok := v.(string); ok && isFamilyField(m) {
			if n, ok := addressFamily(s); ok {
				v = n
			}
		}
		attrs[m.Name] = v
	}
	return nil
}

// headerMember finds the member of hdr that name means.
func headerMember(hdr *spec.Struct, name string) *spec.Member {
	for i := range hdr.Members {
		m := &hdr.Members[i]
		_, short, _ := strings.Cut(m.Name, "-")
		if m.Name == name || short == name || name == "ifindex" && short == "index" {
			return m
		}
	}
	return nil
}

// isFamilyField reports whether m holds an address family with no enum of
// the spec to name it (rtm-family, ifa-family, ...).
func isFamilyField(m *spec.Member) bool {
	return m.Enum == "" && m.Type == spec.TypeU8 && strings.HasSuffix(m.Name, "family")
}

// addressFamily returns the number of the address family called name
// (inet, AF_INET6, bridge, ...).
func addressFamily(name string) (uint64, bool) {
	return constValue("AF_", name)
}

// addressFamilyName names an address family ("inet6"), or returns "".
func addressFamilyName(v uint64) string {
	return strings.ToLower(strings.TrimPrefix(constName("AF_", v), "AF_"))
}
