package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/mdlayher/netlink/ynl/spec"
)

// netlinkGeneric is NETLINK_GENERIC, the protocol of every generic netlink
// family. The generator keeps to the standard library and the spec model,
// so the number is written here; package ynl checks it against x/sys.
const netlinkGeneric = 16

// resolve turns a parsed spec into the model, applying the specs' rules for
// what the YAML leaves implicit: default protocol and version, numbering
// of enum entries, attributes and operations, struct layout, subsets
// sharing their parent's attributes. It checks every reference by name, so
// that the tables never name something that is not there.
func resolve(y *yFamily) (*spec.Family, error) {
	r := &resolver{y: y, f: &spec.Family{
		Name:         y.Name,
		Doc:          clean(y.Doc),
		UAPIHeader:   y.UAPIHeader,
		KernelPolicy: y.KernelPolicy,
		Version:      1,
		Protonum:     netlinkGeneric,
	}}
	if err := r.run(); err != nil {
		return nil, fmt.Errorf("%s: %w", y.Name, err)
	}
	return r.f, nil
}

type resolver struct {
	y *yFamily
	f *spec.Family
}

func (r *resolver) run() error {
	y, f := r.y, r.f
	switch y.Protocol {
	case "", "genetlink":
		f.Protocol = spec.Genetlink
	case "genetlink-c":
		f.Protocol = spec.GenetlinkC
	case "genetlink-legacy":
		f.Protocol = spec.GenetlinkLegacy
	case "netlink-raw":
		f.Protocol = spec.NetlinkRaw
		if y.Protonum == nil {
			return fmt.Errorf("netlink-raw without protonum")
		}
		f.Protonum = *y.Protonum
	default:
		return fmt.Errorf("unknown protocol %q", y.Protocol)
	}
	if y.Version != nil {
		if *y.Version < 1 || *y.Version > math.MaxUint8 {
			return fmt.Errorf("version %d out of range", *y.Version)
		}
		f.Version = uint8(*y.Version)
	}
	steps := []func() error{r.definitions, r.attrSets, r.subMessages, r.ops, r.groups, r.check}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// definitions resolves consts first, since enums, struct lengths and
// checks may name them.
func (r *resolver) definitions() error {
	for _, d := range r.y.Definitions {
		if d.Type != "const" {
			continue
		}
		c := spec.Const{Name: d.Name, Doc: clean(d.Doc)}
		switch v := d.Value.(type) {
		case int:
			c.Value = int64(v)
		case string:
			c.Str = v
		default:
			return fmt.Errorf("const %s: value %v is neither an integer nor a string", d.Name, d.Value)
		}
		r.f.Consts = append(r.f.Consts, c)
	}
	for _, d := range r.y.Definitions {
		switch d.Type {
		case "const":
		case "enum", "flags":
			e, err := r.enum(d)
			if err != nil {
				return err
			}
			r.f.Enums = append(r.f.Enums, e)
		case "struct":
			r.f.Structs = append(r.f.Structs, spec.Struct{Name: d.Name, Doc: clean(d.Doc)})
		default:
			return fmt.Errorf("definition %s: unknown type %q", d.Name, d.Type)
		}
	}
	// Structs may hold one another, so their layout is computed once all
	// are known.
	for i, d := range r.structDefs() {
		s, err := r.layout(d, 0)
		if err != nil {
			return err
		}
		r.f.Structs[i] = s
	}
	return nil
}

func (r *resolver) structDefs() []yDefinition {
	var out []yDefinition
	for _, d := range r.y.Definitions {
		if d.Type == "struct" {
			out = append(out, d)
		}
	}
	return out
}

func (r *resolver) enum(d yDefinition) (spec.Enum, error) {
	e := spec.Enum{Name: d.Name, Doc: clean(d.Doc), Flags: d.Type == "flags"}
	next := int64(0)
	if d.ValueStart != nil {
		v, err := r.number(d.ValueStart)
		if err != nil {
			return e, fmt.Errorf("enum %s: value-start: %w", d.Name, err)
		}
		next = v
	}
	for _, en := range d.Entries {
		v := next
		if en.Value != nil {
			v = *en.Value
		}
		next = v + 1
		if v < 0 || (e.Flags && v > 63) {
			return e, fmt.Errorf("enum %s: entry %s: value %d out of range", d.Name, en.Name, v)
		}
		u := uint64(v)
		if e.Flags {
			u = 1 << u
		}
		e.Entries = append(e.Entries, spec.EnumEntry{Name: en.Name, Doc: clean(en.Doc), Value: u})
	}
	return e, nil
}

// layout computes the members of the struct d, their offsets and sizes.
// depth guards against a struct that holds itself.
func (r *resolver) layout(d yDefinition, depth int) (spec.Struct, error) {
	s := spec.Struct{Name: d.Name, Doc: clean(d.Doc)}
	if depth > 8 {
		return s, fmt.Errorf("struct %s: nested too deep", d.Name)
	}
	off := 0
	for _, m := range d.Members {
		t, ok := spec.ParseType(m.Type)
		if !ok || !(t.Size() > 0 || t == spec.TypeString || t == spec.TypeBinary || t == spec.TypePad) {
			return s, fmt.Errorf("struct %s: member %s: unsupported type %q", d.Name, m.Name, m.Type)
		}
		mm := spec.Member{Name: m.Name, Doc: clean(m.Doc), Type: t, Offset: off, Enum: m.Enum, EnumAsFlags: m.EnumAsFlags, Struct: m.Struct}
		var err error
		if mm.ByteOrder, err = byteOrder(m.ByteOrder); err != nil {
			return s, fmt.Errorf("struct %s: member %s: %w", d.Name, m.Name, err)
		}
		if mm.Display, err = display(m.DisplayHint); err != nil {
			return s, fmt.Errorf("struct %s: member %s: %w", d.Name, m.Name, err)
		}
		switch {
		case t.Size() > 0:
			if m.Len != nil {
				return s, fmt.Errorf("struct %s: member %s: len on an integer", d.Name, m.Name)
			}
		case m.Len != nil:
			n, err := r.length(m.Len)
			if err != nil {
				return s, fmt.Errorf("struct %s: member %s: len: %w", d.Name, m.Name, err)
			}
			mm.Len = n
		case m.Struct != "":
			inner, ok := r.findStruct(m.Struct)
			if !ok {
				return s, fmt.Errorf("struct %s: member %s: no struct %s", d.Name, m.Name, m.Struct)
			}
			is, err := r.layout(inner, depth+1)
			if err != nil {
				return s, err
			}
			mm.Len = is.Size
		default:
			return s, fmt.Errorf("struct %s: member %s: %s without len", d.Name, m.Name, m.Type)
		}
		if mm.Enum != "" && r.findEnum(mm.Enum) == nil {
			return s, fmt.Errorf("struct %s: member %s: no enum %s", d.Name, m.Name, mm.Enum)
		}
		off += mm.Size()
		s.Members = append(s.Members, mm)
	}
	s.Size = off
	return s, nil
}

func (r *resolver) findStruct(name string) (yDefinition, bool) {
	for _, d := range r.y.Definitions {
		if d.Type == "struct" && d.Name == name {
			return d, true
		}
	}
	return yDefinition{}, false
}

func (r *resolver) findEnum(name string) *spec.Enum {
	for i := range r.f.Enums {
		if r.f.Enums[i].Name == name {
			return &r.f.Enums[i]
		}
	}
	return nil
}

func (r *resolver) findConst(name string) *spec.Const {
	for i := range r.f.Consts {
		if r.f.Consts[i].Name == name {
			return &r.f.Consts[i]
		}
	}
	return nil
}

// number resolves an integer or the name of an integer constant.
func (r *resolver) number(v any) (int64, error) {
	switch v := v.(type) {
	case int:
		return int64(v), nil
	case string:
		if c := r.findConst(v); c != nil && c.Str == "" {
			return c.Value, nil
		}
		return 0, fmt.Errorf("no integer constant %q", v)
	}
	return 0, fmt.Errorf("%v is not an integer", v)
}

// length resolves a length: an integer, a constant, or "CONST - 1".
func (r *resolver) length(v any) (int, error) {
	if s, ok := v.(string); ok {
		if base, ok := strings.CutSuffix(s, " - 1"); ok {
			n, err := r.number(base)
			return int(n - 1), err
		}
		if n, err := strconv.Atoi(s); err == nil {
			return n, nil
		}
	}
	n, err := r.number(v)
	if err == nil && (n < 0 || n > math.MaxInt32) {
		err = fmt.Errorf("length %d out of range", n)
	}
	return int(n), err
}

// limit resolves a value limit: an integer, a constant, or a limit of a
// fixed-width type such as "u32-max" or "s16-min".
func (r *resolver) limit(v any) (int64, error) {
	if s, ok := v.(string); ok {
		if t, bound, ok := strings.Cut(s, "-"); ok && (bound == "min" || bound == "max") {
			if ty, ok := spec.ParseType(t); ok && ty.Size() > 0 {
				bits := uint(ty.Size() * 8)
				switch {
				case bound == "min" && ty.Signed():
					return -1 << (bits - 1), nil
				case bound == "min":
					return 0, nil
				case ty.Signed():
					return 1<<(bits-1) - 1, nil
				case bits < 64:
					return 1<<bits - 1, nil
				default:
					return 0, fmt.Errorf("limit %s does not fit the model", s)
				}
			}
		}
	}
	return r.number(v)
}

func byteOrder(s string) (spec.ByteOrder, error) {
	switch s {
	case "":
		return spec.HostEndian, nil
	case "little-endian":
		return spec.LittleEndian, nil
	case "big-endian":
		return spec.BigEndian, nil
	}
	return 0, fmt.Errorf("unknown byte order %q", s)
}

func display(s string) (spec.Display, error) {
	if s == "" {
		return spec.NoHint, nil
	}
	d, ok := spec.ParseDisplay(s)
	if !ok {
		return 0, fmt.Errorf("unknown display hint %q", s)
	}
	return d, nil
}

// clean trims the white space that YAML block scalars leave around a doc.
func clean(s string) string { return strings.TrimSpace(s) }
