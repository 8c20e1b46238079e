package main

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/mdlayher/netlink/ynl/spec"
)

// setFields returns the fields of a set that get a case of their own:
// the first attribute of each type.
func (g *typedGen) setFields(s *spec.AttrSet) []*tfield {
	var out []*tfield
	seen := map[uint16]bool{}
	for _, fd := range g.fields[s.Name] {
		if !seen[fd.a.Value] {
			seen[fd.a.Value] = true
			out = append(out, fd)
		}
	}
	return out
}

// nestLike reports whether a field's attribute holds attributes, so that
// a new one is sent with NLA_F_NESTED.
func nestLike(fd *tfield) bool {
	switch fd.form {
	case formPtr, formIndexed, formTypeVal, formSub:
		return true
	case formMulti:
		return fd.a.Type == spec.TypeNest
	}
	return false
}

func (g *typedGen) emitSet(b *bytes.Buffer, s *spec.AttrSet) {
	t := g.setType[s.Name]
	fields := g.setFields(s)
	docComment(b, fmt.Sprintf("%s holds the attributes of the spec's attribute set %s.", t, s.Name), s.Doc)
	fmt.Fprintf(b, "type %s struct {\n", t)
	for _, fd := range fields {
		docComment(b, fmt.Sprintf("%s is %s (%s).", fd.name, fd.a.Name, fd.a.Type), fd.a.Doc)
		fmt.Fprintf(b, "%s %s `ynl:%q`\n", fd.name, fd.typ, fd.a.Name)
	}
	b.WriteString("\n// Unknown holds the attributes kept as they came: unknown to the spec,\n// or not of the type it gives.\nUnknown []RawAttr\n\norder attrOrder\n")
	for _, fd := range fields {
		if fd.form == formIndexed {
			fmt.Fprintf(b, "idx%s []uint16\n", fd.name)
		}
	}
	b.WriteString("}\n\n")
	for _, fd := range fields {
		if fd.form == formTypeVal {
			g.emitTypeValueEntry(b, fd)
		}
	}
	g.emitSetDecode(b, t, fields)
	g.emitSetEncode(b, t, fields)
}

func (g *typedGen) emitSetDecode(b *bytes.Buffer, t string, fields []*tfield) {
	fmt.Fprintf(b, "// Decode decodes the attributes of b into v, replacing what v held. The\n// byte slices of v point into b.\nfunc (v *%s) Decode(b []byte) error {\n*v = %s{}\nreturn v.decode(b)\n}\n\n", t, t)
	fmt.Fprintf(b, "// decode is Decode into a zero v.\nfunc (v *%s) decode(b []byte) error {\n", t)
	for _, fd := range fields {
		if fd.form == formSub {
			fmt.Fprintf(b, "var sub%s []byte\n", fd.name)
		}
	}
	b.WriteString("for len(b) > 0 {\nt, p, rest, err := nextAttr(b)\nif err != nil {\nreturn err\n}\nb = rest\nv.order.add(t)\nswitch t & typeMask {\n")
	unknown := "v.Unknown = append(v.Unknown, RawAttr{Type: t, Data: p})\nbreak\n"
	for _, fd := range fields {
		fmt.Fprintf(b, "case %d:\n", fd.a.Value)
		f := "v." + fd.name
		switch fd.form {
		case formOpt:
			fmt.Fprintf(b, "if %s.Present {\n%s}\n", f, unknown)
			fd.c.dec(b, "p", "t", "x", "ok")
			fmt.Fprintf(b, "if !ok {\n%s}\n%s = Some(x)\n", unknown, f)
		case formFlag:
			fmt.Fprintf(b, "if %s {\n%s}\n", f, unknown)
			fd.c.dec(b, "p", "t", "x", "ok")
			fmt.Fprintf(b, "if !ok {\n%s}\n%s = x\n", unknown, f)
		case formBytes:
			fmt.Fprintf(b, "if %s != nil {\n%s}\n", f, unknown)
			fd.c.dec(b, "p", "t", "x", "ok")
			fmt.Fprintf(b, "if !ok {\n%s}\n%s = x\n", unknown, f)
		case formPtr:
			fmt.Fprintf(b, "if %s != nil {\n%s}\n", f, unknown)
			fd.c.dec(b, "p", "t", "x", "ok")
			fmt.Fprintf(b, "if !ok {\n%s}\n%s = &x\n", unknown, f)
		case formMulti:
			fd.c.dec(b, "p", "t", "x", "ok")
			fmt.Fprintf(b, "if !ok {\n%s}\n%s = append(%s, x)\n", unknown, f, f)
		case formIndexed:
			fmt.Fprintf(b, "if %s != nil {\n%s}\n", f, unknown)
			fmt.Fprintf(b, "xs, idx, ok := %s{}, []uint16(nil), true\nfor q := p; len(q) > 0; {\net, ep, rest, err := nextAttr(q)\nif err != nil {\nreturn fmt.Errorf(\"%s: %%w\", err)\n}\nq = rest\n", fd.typ, fd.a.Name)
			fd.c.dec(b, "ep", "et", "x", "eok")
			b.WriteString("if !eok {\nok = false\nbreak\n}\nxs, idx = append(xs, x), append(idx, et)\n}\n")
			fmt.Fprintf(b, "if !ok {\n%s}\n%s, v.idx%s = xs, idx\n", unknown, f, fd.name)
		case formTypeVal:
			fmt.Fprintf(b, "if %s != nil {\n%s}\n", f, unknown)
			levels := len(fd.a.TypeValue)
			fmt.Fprintf(b, "xs := %s{}\nerr := walkTypeValue(p, %d, nil, func(path []uint16, q []byte) error {\nvar e %s\ncopy(e.types[:], path)\n", fd.typ, levels, fd.entry)
			for i, l := range fd.a.TypeValue {
				fmt.Fprintf(b, "e.%s = path[%d] & typeMask\n", goName(l), i)
			}
			fmt.Fprintf(b, "if err := e.Attrs.decode(q); err != nil {\nreturn err\n}\nxs = append(xs, e)\nreturn nil\n})\nif err != nil {\nreturn fmt.Errorf(\"%s: %%w\", err)\n}\n%s = xs\n", fd.a.Name, f)
		case formSub:
			fmt.Fprintf(b, "if sub%s != nil {\n%s}\nsub%s = p\n", fd.name, unknown, fd.name)
		}
	}
	b.WriteString("default:\nv.Unknown = append(v.Unknown, RawAttr{Type: t, Data: p})\n}\n}\n")
	for _, fd := range fields {
		if fd.form == formSub {
			fmt.Fprintf(b, "if sub%s != nil {\nx, err := decode%s(v.%s, sub%s)\nif err != nil {\nreturn fmt.Errorf(\"%s: %%w\", err)\n}\nv.%s = x\n}\n", fd.name, fd.sub, fd.selector, fd.name, fd.a.Name, fd.name)
		}
	}
	b.WriteString("return nil\n}\n\n")
}

// count returns the expression of how many attributes a field holds.
func count(fd *tfield) string {
	f := "v." + fd.name
	switch fd.form {
	case formOpt:
		return "one(" + f + ".Present)"
	case formFlag:
		return "one(" + f + ")"
	case formMulti:
		return "len(" + f + ")"
	}
	return "one(" + f + " != nil)"
}

func (g *typedGen) emitSetEncode(b *bytes.Buffer, t string, fields []*tfield) {
	n := len(fields)
	fmt.Fprintf(b, "// Encode adds the attributes of v to ae: those decoded, in the order they\n// came, then those set since, in the spec's order.\nfunc (v *%s) Encode(ae *netlink.AttributeEncoder) error {\nvar n [%d]int\nfor i := 0; i < v.order.n; i++ {\nv.put(ae, v.order.at(i), &n)\n}\n", t, n+1)
	for i, fd := range fields {
		typ := strconv.Itoa(int(fd.a.Value))
		if nestLike(fd) {
			typ += "|netlink.Nested"
		}
		fmt.Fprintf(b, "for n[%d] < %s {\nv.put(ae, %s, &n)\n}\n", i, count(fd), typ)
	}
	fmt.Fprintf(b, "for ; n[%d] < len(v.Unknown); n[%d]++ {\nae.Bytes(v.Unknown[n[%d]].Type, v.Unknown[n[%d]].Data)\n}\nreturn nil\n}\n\n", n, n, n, n)

	fmt.Fprintf(b, "func (v *%s) put(ae *netlink.AttributeEncoder, t uint16, n *[%d]int) {\n", t, n+1)
	if n > 0 {
		b.WriteString("switch t & typeMask {\n")
	}
	for i, fd := range fields {
		f := "v." + fd.name
		fmt.Fprintf(b, "case %d:\nif n[%d] < %s {\n", fd.a.Value, i, count(fd))
		switch fd.form {
		case formOpt:
			fd.c.enc(b, "t", f+".Value")
		case formFlag:
			b.WriteString("putFlag(ae, t, true)\n")
		case formBytes, formPtr:
			fd.c.enc(b, "t", f)
		case formMulti:
			fd.c.enc(b, "t", fmt.Sprintf("%s[n[%d]]", f, i))
		case formIndexed:
			fmt.Fprintf(b, "putNested(ae, t, func(ae *netlink.AttributeEncoder) error {\nfor i := range %s {\net := uint16(i)\nif i < len(v.idx%s) {\net = v.idx%s[i]\n}\n", f, fd.name, fd.name)
			fd.c.enc(b, "et", f+"[i]")
			b.WriteString("}\nreturn nil\n})\n")
		case formTypeVal:
			fmt.Fprintf(b, "putNested(ae, t, func(ae *netlink.AttributeEncoder) error {\nputTypeValue(ae, len(%s), 0, %d, func(i int) []uint16 { return %s[i].typesOf() }, func(i int, ae *netlink.AttributeEncoder) error { return %s[i].Attrs.Encode(ae) })\nreturn nil\n})\n", f, len(fd.a.TypeValue), f, f)
		case formSub:
			fmt.Fprintf(b, "%s.encodeSub(ae, t)\n", f)
		}
		fmt.Fprintf(b, "n[%d]++\nreturn\n}\n", i)
	}
	if n > 0 {
		b.WriteString("}\n")
	}
	fmt.Fprintf(b, "putUnknown(ae, v.Unknown, t, &n[%d])\n}\n\n", n)
}

func (g *typedGen) emitTypeValueEntry(b *bytes.Buffer, fd *tfield) {
	levels := len(fd.a.TypeValue)
	docComment(b, fmt.Sprintf("%s is one entry of %s: the attributes inside its nests of types %v.", fd.entry, fd.a.Name, fd.a.TypeValue), "")
	fmt.Fprintf(b, "type %s struct {\n", fd.entry)
	for _, l := range fd.a.TypeValue {
		fmt.Fprintf(b, "%s uint16 `ynl:%q`\n", goName(l), l)
	}
	fmt.Fprintf(b, "Attrs %s\ntypes [%d]uint16\n}\n\n", g.setType[fd.a.Nested], levels)
	fmt.Fprintf(b, "// typesOf returns the nests' types: as they came, or from the fields.\nfunc (e *%s) typesOf() []uint16 {\nt := e.types\n", fd.entry)
	for i, l := range fd.a.TypeValue {
		fmt.Fprintf(b, "if t[%d]&typeMask != e.%s {\nt[%d] = e.%s | netlink.Nested\n}\n", i, goName(l), i, goName(l))
	}
	b.WriteString("return t[:]\n}\n\n")
}

func (g *typedGen) emitSubMessage(b *bytes.Buffer, s *spec.SubMessage) {
	iface := g.subIface[s.Name]
	docComment(b, fmt.Sprintf("%s is the spec's sub-message %s: one type per format, chosen by the value of the attribute that selects it, and %sRaw for a value the spec does not know.", iface, s.Name, iface), "")
	fmt.Fprintf(b, "type %s interface {\n// Selector returns the value of the selecting attribute that\n// chose this format.\nSelector() string\nencodeSub(ae *netlink.AttributeEncoder, t uint16)\ndecodeSub(p []byte) (bool, error)\n}\n\n", iface)
	vs := g.variants[s.Name]
	for _, v := range vs {
		if v.format == nil {
			g.emitRawVariant(b, v.name, iface)
			continue
		}
		fm := v.format
		docComment(b, fmt.Sprintf("%s is the format of %s for %q.", v.name, s.Name, fm.Value), "")
		fmt.Fprintf(b, "type %s struct {\n", v.name)
		if fm.FixedHeader != "" {
			fmt.Fprintf(b, "Header %s\n", g.structType[fm.FixedHeader])
		}
		if fm.AttrSet != "" {
			fmt.Fprintf(b, "%s\n", g.setType[fm.AttrSet])
		}
		b.WriteString("}\n\n")
		fmt.Fprintf(b, "// Selector returns %q.\nfunc (*%s) Selector() string { return %q }\n\n", fm.Value, v.name, fm.Value)
		fmt.Fprintf(b, "func (v *%s) encodeSub(ae *netlink.AttributeEncoder, t uint16) {\nae.Do(t, func() ([]byte, error) {\nvar b []byte\n", v.name)
		if fm.FixedHeader != "" {
			b.WriteString("b = v.Header.appendTo(b)\nfor len(b)%4 != 0 {\nb = append(b, 0)\n}\n")
		}
		if fm.AttrSet != "" {
			fmt.Fprintf(b, "nae := netlink.NewAttributeEncoder()\nif err := v.%s.Encode(nae); err != nil {\nreturn nil, err\n}\nab, err := nae.Encode()\nif err != nil {\nreturn nil, err\n}\nb = append(b, ab...)\n", g.setType[fm.AttrSet])
		}
		b.WriteString("return b, nil\n})\n}\n\n")
		fmt.Fprintf(b, "func (v *%s) decodeSub(p []byte) (bool, error) {\n", v.name)
		if fm.FixedHeader != "" {
			size := g.f.Struct(fm.FixedHeader).Size
			fmt.Fprintf(b, "if len(p) < %d {\nreturn false, nil\n}\nv.Header.decode(p)\np = p[min(%d, len(p)):]\n", size, (size+3)&^3)
		}
		if fm.AttrSet != "" {
			fmt.Fprintf(b, "return true, v.%s.decode(p)\n}\n\n", g.setType[fm.AttrSet])
		} else {
			b.WriteString("return len(p) == 0, nil\n}\n\n")
		}
	}
	raw := vs[len(vs)-1].name
	fmt.Fprintf(b, "// decode%s decodes p as the format of %s that sel selects.\nfunc decode%s(sel Opt[string], p []byte) (%s, error) {\nvar v %s\nswitch {\ncase !sel.Present:\nreturn &%s{Data: p}, nil\n", iface, s.Name, iface, iface, iface, raw)
	for _, v := range vs[:len(vs)-1] {
		fmt.Fprintf(b, "case sel.Value == %q:\nv = new(%s)\n", v.format.Value, v.name)
	}
	fmt.Fprintf(b, "default:\nreturn &%s{Value: sel.Value, Data: p}, nil\n}\nok, err := v.decodeSub(p)\nif err != nil {\nreturn nil, err\n}\nif !ok {\nreturn &%s{Value: sel.Value, Data: p}, nil\n}\nreturn v, nil\n}\n\n", raw, raw)
}

func (g *typedGen) emitRawVariant(b *bytes.Buffer, name, iface string) {
	docComment(b, fmt.Sprintf("%s holds a %s the spec has no format for, or one that does not fit its format, as it came.", name, iface), "")
	fmt.Fprintf(b, "type %s struct {\nValue string\nData []byte\n}\n\n", name)
	fmt.Fprintf(b, "// Selector returns Value.\nfunc (v *%s) Selector() string { return v.Value }\n\n", name)
	fmt.Fprintf(b, "func (v *%s) encodeSub(ae *netlink.AttributeEncoder, t uint16) { ae.Bytes(t, v.Data) }\n\n", name)
	fmt.Fprintf(b, "func (v *%s) decodeSub(p []byte) (bool, error) {\nv.Data = p\nreturn true, nil\n}\n\n", name)
}
