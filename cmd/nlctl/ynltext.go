package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mdlayher/netlink/ynl"
	"github.com/mdlayher/netlink/ynl/spec"
)

// The spec mode prints a message as a block: a first line naming its
// family and operation, then one line per header field and attribute,
// nests indented under their name. Every name and value comes from the
// spec: enum entries and flags by name, addresses as text, bytes the spec
// does not type in hexadecimal.

// writeMessageBlock prints m, a message of family f, as a block of text.
func writeMessageBlock(w io.Writer, f *spec.Family, m *ynl.Message) {
	var b strings.Builder
	b.WriteString(f.Name + " " + opName(m) + ":\n")
	writeFieldLines(&b, m.Fields, 1)
	writeAttrLines(&b, m.Attrs, 1)
	io.WriteString(w, b.String())
}

// opName names the operation of m, or its type when the spec has none.
func opName(m *ynl.Message) string {
	if m.Op != nil {
		return m.Op.Name
	}
	return "type-" + strconv.Itoa(int(m.Header.Type))
}

func indent(b *strings.Builder, depth int) {
	b.WriteString(strings.Repeat("  ", depth))
}

func writeFieldLines(b *strings.Builder, fields []ynl.Field, depth int) {
	for i := range fields {
		fd := &fields[i]
		if isPadding(fd) {
			continue
		}
		indent(b, depth)
		b.WriteString(fd.Name + ":")
		if fd.Kind == ynl.KindStruct {
			b.WriteByte('\n')
			writeFieldLines(b, fd.Fields, depth+1)
			continue
		}
		b.WriteString(" " + specFieldText(fd) + "\n")
	}
}

// isPadding reports whether fd is a struct's padding, which the text
// output leaves out (the JSON output keeps it).
func isPadding(fd *ynl.Field) bool {
	return fd.Member != nil && fd.Member.Type == spec.TypePad
}

// specFieldText formats a header field or struct member, naming an address
// family the spec leaves as a number.
func specFieldText(fd *ynl.Field) string {
	if fd.Member != nil && isFamilyField(fd.Member) && fd.Kind == ynl.KindUint {
		if name := addressFamilyName(fd.Uint); name != "" {
			return name
		}
	}
	if fd.Name == "ifi-type" && fd.Kind == ynl.KindUint {
		// The 6.12 spec gives the device type no enum; unix names it.
		if name := constName("ARPHRD_", fd.Uint); name != "" {
			return strings.ToLower(strings.TrimPrefix(name, "ARPHRD_"))
		}
	}
	return valueText(&fd.Value)
}

// valueText formats a value that is not a nest or struct.
func valueText(v *ynl.Value) string {
	switch {
	case (v.Kind == ynl.KindUint || v.Kind == ynl.KindInt) && v.Flags != nil:
		return strings.Join(v.Flags, ",")
	case v.Kind == ynl.KindString:
		s := strconv.Quote(v.Str)
		if v.Unterminated {
			s += " (no NUL)"
		}
		return s
	case v.Kind == ynl.KindBinary && len(v.Bytes) == 0:
		return "(empty)"
	}
	return v.String()
}

func writeAttrLines(b *strings.Builder, attrs []ynl.Attr, depth int) {
	for i := range attrs {
		a := &attrs[i]
		indent(b, depth)
		b.WriteString(attrLabel(a) + ":")
		switch {
		case a.Problem != "":
			fmt.Fprintf(b, " %s (kept as bytes: %s)\n", valueText(&a.Value), a.Problem)
		case a.Kind == ynl.KindNest:
			b.WriteByte('\n')
			writeFieldLines(b, a.Fields, depth+1)
			writeAttrLines(b, a.Attrs, depth+1)
		case a.Kind == ynl.KindStruct:
			b.WriteByte('\n')
			writeFieldLines(b, a.Fields, depth+1)
		default:
			b.WriteString(" " + valueText(&a.Value))
			if a.Name == "" && !a.Entry {
				b.WriteString(" (not in the spec)")
			}
			b.WriteByte('\n')
		}
	}
}

// attrLabel names an attribute: its spec name, the index of an array
// entry, the value of a nest-type-value level, or #TYPE when the spec does
// not know it.
func attrLabel(a *ynl.Attr) string {
	typ := strconv.Itoa(int(a.Type & 0x3fff))
	switch {
	case a.Entry && a.Name != "":
		return a.Name + " " + typ
	case a.Entry:
		return "[" + typ + "]"
	case a.Name == "":
		return "#" + typ
	}
	return a.Name
}

// writeEventLine prints m on one line after a timestamp: its operation,
// then NAME=VALUE for each field and attribute, nests in braces.
func writeEventLine(w io.Writer, stamp string, f *spec.Family, m *ynl.Message) {
	var b strings.Builder
	b.WriteString(stamp + " " + f.Name + " " + opName(m))
	for i := range m.Fields {
		if isPadding(&m.Fields[i]) {
			continue
		}
		b.WriteString(" " + m.Fields[i].Name + "=" + inlineField(&m.Fields[i]))
	}
	for i := range m.Attrs {
		b.WriteString(" " + inlineAttr(&m.Attrs[i]))
	}
	b.WriteByte('\n')
	io.WriteString(w, b.String())
}

// inlineMax is the longest byte string an event line shows in full; longer
// ones (statistics, configuration blocks) are given by their size, as
// --output-json has them whole.
const inlineMax = 16

func inlineField(fd *ynl.Field) string {
	if fd.Kind == ynl.KindStruct {
		parts := make([]string, len(fd.Fields))
		for i := range fd.Fields {
			parts[i] = fd.Fields[i].Name + "=" + inlineField(&fd.Fields[i])
		}
		return "{" + strings.Join(parts, " ") + "}"
	}
	if fd.Kind == ynl.KindBinary && len(fd.Bytes) > inlineMax {
		return "<" + strconv.Itoa(len(fd.Bytes)) + " bytes>"
	}
	return specFieldText(fd)
}

func inlineAttr(a *ynl.Attr) string {
	label := attrLabel(a)
	switch a.Kind {
	case ynl.KindNest, ynl.KindStruct:
		parts := make([]string, 0, len(a.Fields)+len(a.Attrs))
		for i := range a.Fields {
			parts = append(parts, a.Fields[i].Name+"="+inlineField(&a.Fields[i]))
		}
		for i := range a.Attrs {
			parts = append(parts, inlineAttr(&a.Attrs[i]))
		}
		return label + "={" + strings.Join(parts, " ") + "}"
	case ynl.KindBinary:
		if len(a.Bytes) > inlineMax && a.Display == spec.NoHint {
			return label + "=<" + strconv.Itoa(len(a.Bytes)) + " bytes>"
		}
	}
	return label + "=" + valueText(&a.Value)
}

// writeMessagesJSON writes msgs as one indented JSON array of objects
// keyed by attribute name.
func writeMessagesJSON(w io.Writer, msgs []*ynl.Message) error {
	if msgs == nil {
		msgs = []*ynl.Message{}
	}
	b, err := json.Marshal(msgs)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}

// writeEventJSON writes one event as a JSON object on one line: the time,
// family, operation and the message itself.
func writeEventJSON(w io.Writer, stamp string, f *spec.Family, m *ynl.Message) error {
	msg, err := json.Marshal(m)
	if err != nil {
		return err
	}
	line := fmt.Sprintf("{\"time\":%q,\"family\":%q,\"op\":%q,\"msg\":%s}\n", stamp, f.Name, opName(m), msg)
	_, err = io.WriteString(w, line)
	return err
}
