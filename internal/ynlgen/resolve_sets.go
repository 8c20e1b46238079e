package main

import (
	"fmt"
	"math"

	"github.com/mdlayher/netlink/ynl/spec"
)

// attrSets numbers the attributes of each set (from 1, or from an explicit
// value onwards) and fills the subsets from the sets they belong to.
func (r *resolver) attrSets() error {
	full := make(map[string]spec.AttrSet)
	for _, ys := range r.y.AttributeSets {
		if ys.SubsetOf != "" {
			continue
		}
		s := spec.AttrSet{Name: ys.Name, Doc: clean(ys.Doc)}
		next := 1
		for _, ya := range ys.Attributes {
			v := next
			if ya.Value != nil {
				v = *ya.Value
			}
			next = v + 1
			if v < 0 || v > math.MaxUint16 {
				return fmt.Errorf("attribute-set %s: %s: value %d out of range", ys.Name, ya.Name, v)
			}
			a, err := r.attr(spec.Attr{Name: ya.Name, Value: uint16(v)}, ya)
			if err != nil {
				return fmt.Errorf("attribute-set %s: %w", ys.Name, err)
			}
			s.Attrs = append(s.Attrs, a)
		}
		full[s.Name] = s
	}
	for _, ys := range r.y.AttributeSets {
		s, ok := full[ys.Name]
		if ys.SubsetOf != "" {
			parent, ok := full[ys.SubsetOf]
			if !ok {
				return fmt.Errorf("attribute-set %s: subset of unknown set %s", ys.Name, ys.SubsetOf)
			}
			s = spec.AttrSet{Name: ys.Name, Doc: clean(ys.Doc), SubsetOf: ys.SubsetOf}
			for _, ya := range ys.Attributes {
				base, found := findAttr(parent.Attrs, ya.Name)
				if !found {
					return fmt.Errorf("attribute-set %s: %s is not in %s", ys.Name, ya.Name, ys.SubsetOf)
				}
				if ya.Value != nil {
					return fmt.Errorf("attribute-set %s: %s: a subset cannot renumber", ys.Name, ya.Name)
				}
				// What the subset says of the attribute adds to what
				// the full set says.
				a, err := r.attr(base, ya)
				if err != nil {
					return fmt.Errorf("attribute-set %s: %w", ys.Name, err)
				}
				s.Attrs = append(s.Attrs, a)
			}
		} else if !ok {
			return fmt.Errorf("attribute-set %s lost", ys.Name)
		}
		r.f.AttrSets = append(r.f.AttrSets, s)
	}
	return nil
}

func findAttr(attrs []spec.Attr, name string) (spec.Attr, bool) {
	for _, a := range attrs {
		if a.Name == name {
			return a, true
		}
	}
	return spec.Attr{}, false
}

// attr applies what ya says to a, which holds the name and value and, in a
// subset, what the full set says.
func (r *resolver) attr(a spec.Attr, ya yAttr) (spec.Attr, error) {
	fail := func(format string, args ...any) (spec.Attr, error) {
		return a, fmt.Errorf("%s: %s", ya.Name, fmt.Sprintf(format, args...))
	}
	if ya.Type != "" {
		t, ok := spec.ParseType(ya.Type)
		if !ok {
			return fail("unknown type %q", ya.Type)
		}
		a.Type = t
	}
	if a.Type == 0 {
		return fail("no type")
	}
	if ya.Doc != "" {
		a.Doc = clean(ya.Doc)
	}
	var err error
	if ya.ByteOrder != "" {
		if a.ByteOrder, err = byteOrder(ya.ByteOrder); err != nil {
			return fail("%v", err)
		}
	}
	if ya.DisplayHint != "" {
		if a.Display, err = display(ya.DisplayHint); err != nil {
			return fail("%v", err)
		}
	}
	if ya.MultiAttr != nil {
		a.MultiAttr = *ya.MultiAttr
	}
	if ya.NestedAttributes != "" {
		a.Nested = ya.NestedAttributes
	}
	if ya.SubType != "" {
		t, ok := spec.ParseType(ya.SubType)
		if !ok {
			return fail("unknown sub-type %q", ya.SubType)
		}
		a.SubType = t
	}
	if ya.TypeValue != nil {
		a.TypeValue = ya.TypeValue
	}
	if ya.Enum != "" {
		a.Enum = ya.Enum
	}
	if ya.EnumAsFlags != nil {
		a.EnumAsFlags = *ya.EnumAsFlags
	}
	if ya.Struct != "" {
		a.Struct = ya.Struct
	}
	if ya.SubMessage != "" {
		a.SubMessage = ya.SubMessage
	}
	if ya.Selector != "" {
		a.Selector = ya.Selector
	}
	if c := ya.Checks; c != nil {
		ch := spec.Checks{FlagsMask: c.FlagsMask, UnterminatedOK: c.UnterminatedOK}
		if c.Min != nil {
			if ch.Min, err = r.limit(c.Min); err != nil {
				return fail("checks: min: %v", err)
			}
			ch.HasMin = true
		}
		if c.Max != nil {
			if ch.Max, err = r.limit(c.Max); err != nil {
				return fail("checks: max: %v", err)
			}
			ch.HasMax = true
		}
		for _, l := range []struct {
			v   any
			dst *int
		}{{c.MinLen, &ch.MinLen}, {c.MaxLen, &ch.MaxLen}, {c.ExactLen, &ch.ExactLen}} {
			if l.v == nil {
				continue
			}
			if *l.dst, err = r.length(l.v); err != nil {
				return fail("checks: %v", err)
			}
		}
		a.Checks = ch
	}
	return a, nil
}

func (r *resolver) subMessages() error {
	for _, ys := range r.y.SubMessages {
		s := spec.SubMessage{Name: ys.Name}
		for _, yf := range ys.Formats {
			s.Formats = append(s.Formats, spec.Format{Value: yf.Value, FixedHeader: yf.FixedHeader, AttrSet: yf.AttributeSet})
		}
		r.f.SubMessages = append(r.f.SubMessages, s)
	}
	return nil
}
