package main

import (
	"bytes"
	"fmt"
	"math"
	"strconv"

	"github.com/mdlayher/netlink/ynl/spec"
)

// typedGen holds what the typed mode decided about one family: the Go
// name of each part and the fields of each attribute set.
type typedGen struct {
	f   *spec.Family
	pkg string
	b   bytes.Buffer

	used       map[string]bool
	enumType   map[string]string
	enumWide   map[string]bool
	enumConst  map[string][]string // enum → constant names, by entry
	constName  map[string]string
	structType map[string]string
	setType    map[string]string
	subIface   map[string]string
	variants   map[string][]variant
	fields     map[string][]*tfield
	msgs       []*msgType
	opMsg      map[string]*msgType
}

// A variant is the type of one format of a sub-message.
type variant struct {
	format *spec.Format
	name   string
}

// A msgType is the type of the messages of operations that share a fixed
// header and an attribute set.
type msgType struct {
	header, set string
	name        string
	// wrapper is true when the type holds the header and embeds the
	// set's type; otherwise the set's type is the message type.
	wrapper bool
}

// Field forms: how a field holds its attribute's values.
const (
	formOpt     = iota // Opt[T], an optional scalar, string or struct
	formFlag           // bool
	formBytes          // []byte, nil when absent
	formPtr            // *T, a nest
	formMulti          // []T, one per attribute
	formIndexed        // []T, the entries of an indexed array
	formTypeVal        // []Entry, the entries of a nest-type-value
	formSub            // an interface, a sub-message
)

// A tfield is a field of an attribute set's type.
type tfield struct {
	a     *spec.Attr
	name  string
	typ   string
	form  int
	c     codec
	entry string // the entry type of a nest-type-value
	sub   string // the interface of a sub-message
	// selector is the Go name of the sibling that selects a sub-message.
	selector string
}

// A codec is how one value of an attribute is read and written.
type codec struct {
	typ string
	// dec writes statements that declare out (of typ) and ok from the
	// payload p of type t; ok false keeps the attribute raw.
	dec func(b *bytes.Buffer, p, t, out, ok string)
	// enc writes a statement that puts v as an attribute of type t.
	enc func(b *bytes.Buffer, t, v string)
}

var supportNames = []string{
	"Opt", "Some", "RawAttr", "Bitfield32", "Notification", "Client", "Dial", "NewClient", "Decode",
	"message", "attrOrder", "typeMask", "netByteOrder", "protocol", "generic", "familyName", "version",
}

func newTypedGen(f *spec.Family, pkg string) *typedGen {
	g := &typedGen{
		f: f, pkg: pkg,
		used:       map[string]bool{},
		enumType:   map[string]string{},
		enumWide:   map[string]bool{},
		enumConst:  map[string][]string{},
		constName:  map[string]string{},
		structType: map[string]string{},
		setType:    map[string]string{},
		subIface:   map[string]string{},
		variants:   map[string][]variant{},
		fields:     map[string][]*tfield{},
		opMsg:      map[string]*msgType{},
	}
	for _, n := range supportNames {
		g.used[n] = true
	}
	return g
}

// name reserves an identifier: want, or want with suffix, or with a
// number, whichever is free first.
func (g *typedGen) name(want, suffix string) string {
	if !g.used[want] {
		g.used[want] = true
		return want
	}
	if suffix != "" && !g.used[want+suffix] {
		g.used[want+suffix] = true
		return want + suffix
	}
	for i := 2; ; i++ {
		n := want + suffix + strconv.Itoa(i)
		if !g.used[n] {
			g.used[n] = true
			return n
		}
	}
}

func (g *typedGen) plan() error {
	f := g.f
	for _, e := range f.Enums {
		g.enumType[e.Name] = g.name(goName(e.Name), "Enum")
		for _, x := range e.Entries {
			if x.Value > math.MaxUint32 {
				g.enumWide[e.Name] = true
			}
		}
	}
	for _, s := range f.Structs {
		g.structType[s.Name] = g.name(goName(s.Name), "Struct")
	}
	for _, s := range f.AttrSets {
		g.setType[s.Name] = g.name(goName(s.Name), "Attrs")
	}
	for _, s := range f.SubMessages {
		g.subIface[s.Name] = g.name(goName(s.Name), "Msg")
	}
	for _, s := range f.SubMessages {
		for i := range s.Formats {
			fm := &s.Formats[i]
			g.variants[s.Name] = append(g.variants[s.Name], variant{format: fm, name: g.name(g.subIface[s.Name]+goName(fm.Value), "Format")})
		}
		g.variants[s.Name] = append(g.variants[s.Name], variant{name: g.name(g.subIface[s.Name]+"Raw", "")})
	}
	for _, e := range f.Enums {
		for _, x := range e.Entries {
			g.enumConst[e.Name] = append(g.enumConst[e.Name], g.name(g.enumType[e.Name]+goName(x.Name), ""))
		}
	}
	for _, c := range f.Consts {
		g.constName[c.Name] = g.name(goName(c.Name), "Const")
	}
	for i := range f.Ops {
		op := &f.Ops[i]
		g.opMsg[op.Name] = g.message(op.FixedHeader, op.AttrSet)
	}
	for i := range f.AttrSets {
		s := &f.AttrSets[i]
		if err := g.planSet(s); err != nil {
			return err
		}
	}
	return nil
}

// message returns the message type of a fixed header and attribute set,
// making it on first use.
func (g *typedGen) message(header, set string) *msgType {
	for _, m := range g.msgs {
		if m.header == header && m.set == set {
			return m
		}
	}
	m := &msgType{header: header, set: set}
	switch {
	case header == "" && set != "":
		m.name = g.setType[set]
	case set == "":
		m.wrapper = true
		base := "Empty"
		if header != "" {
			base = goName(header)
		}
		m.name = g.name(base+"Msg", "")
	default:
		m.wrapper = true
		base := set
		if n := len(base); n > 6 && base[n-6:] == "-attrs" {
			base = base[:n-6]
		}
		m.name = g.name(goName(base)+"Msg", "")
	}
	g.msgs = append(g.msgs, m)
	return m
}

// reservedFields are names a set's type uses for itself.
var reservedFields = map[string]bool{"Unknown": true, "Encode": true, "Decode": true, "Header": true, "MarshalBinary": true, "UnmarshalBinary": true, "Selector": true}

func (g *typedGen) planSet(s *spec.AttrSet) error {
	names := map[string]bool{}
	for i := range s.Attrs {
		a := &s.Attrs[i]
		if a.Type == spec.TypeUnused || a.Type == spec.TypePad {
			continue
		}
		n := goName(a.Name)
		if reservedFields[n] {
			n += "Attr"
		}
		for k := 2; names[n]; k++ {
			n = goName(a.Name) + strconv.Itoa(k)
		}
		names[n] = true
		fd := &tfield{a: a, name: n}
		g.planField(s, fd)
		g.fields[s.Name] = append(g.fields[s.Name], fd)
	}
	// A sub-message's selector must be a string sibling decoded before
	// it; other selectors keep the payload raw.
	for _, fd := range g.fields[s.Name] {
		if fd.form != formSub {
			continue
		}
		for _, o := range g.fields[s.Name] {
			if o.a.Name == fd.a.Selector && o.form == formOpt && o.a.Type == spec.TypeString {
				fd.selector = o.name
			}
		}
		if fd.selector == "" {
			fd.form, fd.c = formBytes, g.bytesCodec()
			fd.typ = "[]byte"
		}
	}
	return nil
}

func (g *typedGen) planField(s *spec.AttrSet, fd *tfield) {
	a := fd.a
	switch a.Type {
	case spec.TypeFlag:
		fd.form, fd.typ, fd.c = formFlag, "bool", g.simpleCodec("bool", "getFlag(%s)", "putFlag(ae, %s, %s)")
		if a.MultiAttr {
			fd.form, fd.typ = formMulti, "[]bool"
		}
		return
	case spec.TypeIndexedArray:
		elem := spec.Attr{Name: a.Name, Type: a.SubType, Nested: a.Nested, ByteOrder: a.ByteOrder, Display: a.Display, Enum: a.Enum, EnumAsFlags: a.EnumAsFlags, Struct: a.Struct}
		fd.c = g.valueCodec(&elem)
		fd.form, fd.typ = formIndexed, "[]"+fd.c.typ
		return
	case spec.TypeNestTypeValue:
		fd.form = formTypeVal
		fd.entry = g.name(g.setType[s.Name]+fd.name+"Entry", "")
		fd.typ = "[]" + fd.entry
		return
	case spec.TypeSubMessage:
		fd.form, fd.sub = formSub, g.subIface[a.SubMessage]
		fd.typ = fd.sub
		if a.MultiAttr {
			fd.form, fd.c, fd.typ = formMulti, g.bytesCodec(), "[][]byte"
		}
		return
	}
	fd.c = g.valueCodec(a)
	switch {
	case a.MultiAttr:
		fd.form, fd.typ = formMulti, "[]"+fd.c.typ
	case a.Type == spec.TypeNest:
		fd.form, fd.typ = formPtr, "*"+fd.c.typ
	case fd.c.typ == "[]byte":
		fd.form, fd.typ = formBytes, "[]byte"
	default:
		fd.form, fd.typ = formOpt, "Opt["+fd.c.typ+"]"
	}
}

func (g *typedGen) simpleCodec(typ, get, put string) codec {
	return codec{
		typ: typ,
		dec: func(b *bytes.Buffer, p, t, out, ok string) {
			fmt.Fprintf(b, "%s, %s := %s\n", out, ok, fmt.Sprintf(get, p))
		},
		enc: func(b *bytes.Buffer, t, v string) { fmt.Fprintf(b, put+"\n", t, v) },
	}
}

func (g *typedGen) bytesCodec() codec {
	return g.simpleCodec("[]byte", "getBytes(%s)", "putBytes(ae, %s, %s)")
}

// valueCodec returns the codec of one value of a (one entry of an indexed
// array when a is its entry).
func (g *typedGen) valueCodec(a *spec.Attr) codec {
	be := strconv.FormatBool(a.ByteOrder == spec.BigEndian)
	switch a.Type {
	case spec.TypeString:
		return g.simpleCodec("string", "getString(%s)", "putString(ae, %s, %s)")
	case spec.TypeFlag:
		return g.simpleCodec("bool", "getFlag(%s)", "putFlag(ae, %s, %s)")
	case spec.TypeBitfield32:
		return g.simpleCodec("Bitfield32", "getBitfield32(%s)", "putBitfield32(ae, %s, %s)")
	case spec.TypeBinary:
		if a.Struct != "" {
			st := g.structType[a.Struct]
			return codec{
				typ: st,
				dec: func(b *bytes.Buffer, p, t, out, ok string) {
					fmt.Fprintf(b, "var %s %s\n%s.decodeAttr(%s)\n%s := true\n", out, st, out, p, ok)
				},
				enc: func(b *bytes.Buffer, t, v string) { fmt.Fprintf(b, "ae.Bytes(%s, %s.appendAttr(nil))\n", t, v) },
			}
		}
		return g.bytesCodec()
	case spec.TypeNest:
		st := g.setType[a.Nested]
		name := a.Name
		return codec{
			typ: st,
			dec: func(b *bytes.Buffer, p, t, out, ok string) {
				fmt.Fprintf(b, "var %s %s\nif err := %s.decode(%s); err != nil { return fmt.Errorf(\"%s: %%w\", err) }\n%s := true\n", out, st, out, p, name, ok)
			},
			enc: func(b *bytes.Buffer, t, v string) { fmt.Fprintf(b, "putNested(ae, %s, %s.Encode)\n", t, v) },
		}
	}
	if !a.Type.Integer() {
		return g.bytesCodec()
	}
	// Integers: read as unsigned of the wire's width, then converted to
	// the field's type (signed, or the enum's type).
	var base, get, put string
	switch a.Type {
	case spec.TypeU8, spec.TypeS8:
		base, get, put = "uint8", "getU8(%s)", "putU8(ae, %s, uint8(%s))"
	case spec.TypeU16, spec.TypeS16:
		base, get, put = "uint16", "getU16(%s, %s, "+be+")", "putU16(ae, %s, uint16(%s), "+be+")"
	case spec.TypeU32, spec.TypeS32:
		base, get, put = "uint32", "getU32(%s, %s, "+be+")", "putU32(ae, %s, uint32(%s), "+be+")"
	case spec.TypeU64, spec.TypeS64:
		base, get, put = "uint64", "getU64(%s, %s, "+be+")", "putU64(ae, %s, uint64(%s), "+be+")"
	case spec.TypeUint:
		base, get, put = "uint64", "getUint(%s, %s, "+be+")", "putUint(ae, %s, uint64(%s), "+be+")"
	case spec.TypeSint:
		base, get, put = "int64", "getSint(%s, %s, "+be+")", "putSint(ae, %s, int64(%s), "+be+")"
	}
	typ := base
	if a.Type.Signed() && a.Type != spec.TypeSint {
		typ = "int" + base[4:]
	}
	if g.useEnum(a.Enum, a.EnumAsFlags) && !a.Type.Signed() {
		wide := g.enumWide[a.Enum]
		if fits := a.Type.Size() > 0 && a.Type.Size() <= 4; fits || wide {
			typ = g.enumType[a.Enum]
		}
	}
	return codec{
		typ: typ,
		dec: func(b *bytes.Buffer, p, t, out, ok string) {
			args := []any{p}
			if a.Type.Size() != 1 {
				args = append(args, t)
			}
			fmt.Fprintf(b, "%sRaw, %s := %s\n%s := %s(%sRaw)\n", out, ok, fmt.Sprintf(get, args...), out, typ, out)
		},
		enc: func(b *bytes.Buffer, t, v string) { fmt.Fprintf(b, put+"\n", t, v) },
	}
}

// useEnum reports whether values of the enum get its type: always for a
// set of flags, and for an enum of values unless the spec reads them as
// bit numbers (enum-as-flags).
func (g *typedGen) useEnum(enum string, asFlags bool) bool {
	if enum == "" {
		return false
	}
	e := g.f.Enum(enum)
	return e != nil && (e.Flags || !asFlags)
}
