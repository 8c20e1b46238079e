package main

import "fmt"

// Kernels after 6.12 send link attributes that the 6.12 specs do not list
// (IFLA_MAX_PACING_OFFLOAD_HORIZON and on), which would otherwise decode as
// unknown numbers. The supplement adds them to the spec they belong to,
// after the spec's own attributes, so that every attribute a current
// kernel sends has a name.
//
// Sources: the names and numbers are those of the kernel's enum in
// <linux/if_link.h>, as this machine's kernel (6.18) describes it in its
// BTF (/sys/kernel/btf/vmlinux); neither the linux-libc-dev headers here
// (6.1) nor golang.org/x/sys has them yet. The spec names are the C names
// without IFLA_, in lower case with '-' for '_', as the specs write them.
// The types are the payloads the kernel sends (4, 1, 2 and 2 bytes; the
// pacing horizon is a variable-width uint, put with nla_put_uint).
// ynl's kernel test decodes every link of a dump and fails on an unknown
// attribute, so a wrong number or size here does not go unseen.

// A supplementAttr is an attribute to add to an attribute set of a spec.
type supplementAttr struct {
	family, set string
	attr        yAttr
}

// supplement lists the attributes added to the specs.
var supplement = []supplementAttr{
	{"rt-link", "link-attrs", yAttr{Name: "max-pacing-offload-horizon", Type: "uint", Value: intp(66),
		Doc: "Added by ynlgen (Linux 6.13): the longest time ahead that the device's pacing offload takes packets for, in nanoseconds."}},
	{"rt-link", "link-attrs", yAttr{Name: "netns-immutable", Type: "u8", Value: intp(67),
		Doc: "Added by ynlgen (Linux 6.13): whether the device may not move to another network namespace."}},
	{"rt-link", "link-attrs", yAttr{Name: "headroom", Type: "u16", Value: intp(68),
		Doc: "Added by ynlgen (Linux 6.14): the headroom the device needs in front of packets."}},
	{"rt-link", "link-attrs", yAttr{Name: "tailroom", Type: "u16", Value: intp(69),
		Doc: "Added by ynlgen (Linux 6.14): the tailroom the device needs after packets."}},
}

func intp(n int) *int { return &n }

// applySupplement adds the supplement's attributes to y, unless the spec
// has them already (a newer spec), and fails when a spec gives their
// numbers to other attributes: the supplement is then out of date.
func applySupplement(y *yFamily) error {
	for _, s := range supplement {
		if s.family != y.Name {
			continue
		}
		var set *yAttrSet
		for i := range y.AttributeSets {
			if y.AttributeSets[i].Name == s.set {
				set = &y.AttributeSets[i]
			}
		}
		if set == nil {
			return fmt.Errorf("supplement: %s has no attribute set %s", y.Name, s.set)
		}
		have := false
		for _, a := range set.Attributes {
			if a.Name == s.attr.Name {
				have = true
			}
		}
		if have {
			continue
		}
		// The spec numbers its attributes from 1 (or their value) on.
		next := 1
		for _, a := range set.Attributes {
			if a.Value != nil {
				next = *a.Value
			}
			next++
		}
		if next != *s.attr.Value {
			return fmt.Errorf("supplement: %s %s: %s would be attribute %d, but the spec's next is %d",
				y.Name, s.set, s.attr.Name, *s.attr.Value, next)
		}
		set.Attributes = append(set.Attributes, s.attr)
	}
	return nil
}
