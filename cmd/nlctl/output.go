package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxSafeInteger is the largest integer a JSON reader using float64 (as
// JavaScript and jq do) holds exactly: 2^53. Larger ones are written as
// strings of decimal digits.
const maxSafeInteger = 1 << 53

// jsonValue turns a decoded value into what JSON shows.
func jsonValue(v any) any {
	switch v := v.(type) {
	case uint64:
		if v > maxSafeInteger {
			return strconv.FormatUint(v, 10)
		}
	case int64:
		if v > maxSafeInteger || v < -maxSafeInteger {
			return strconv.FormatInt(v, 10)
		}
	}
	return v
}

// MarshalJSON writes an attribute with its fields in a fixed order; attrs
// is present, possibly [], exactly for nested attributes.
func (n attrNode) MarshalJSON() ([]byte, error) {
	type out struct {
		Type         uint16      `json:"type"`
		Name         string      `json:"name,omitempty"`
		Kind         string      `json:"kind,omitempty"`
		NestedFlag   bool        `json:"nested_flag,omitempty"`
		NetByteOrder bool        `json:"net_byte_order,omitempty"`
		Length       int         `json:"length"`
		Value        any         `json:"value,omitempty"`
		Symbol       string      `json:"symbol,omitempty"`
		Flags        *[]string   `json:"flags,omitempty"`
		Attrs        *[]attrNode `json:"attrs,omitempty"`
		Hex          string      `json:"hex,omitempty"`
		Note         string      `json:"note,omitempty"`
	}
	o := out{
		Type: n.Type, Name: n.Name, Kind: n.Kind, NestedFlag: n.NestedFlag,
		NetByteOrder: n.NetByteOrder, Length: n.Length, Value: jsonValue(n.Value),
		Symbol: n.Symbol, Hex: n.Hex, Note: n.Note,
	}
	if n.Flags != nil {
		o.Flags = &n.Flags
	}
	if n.Nested {
		attrs := n.Attrs
		if attrs == nil {
			attrs = []attrNode{}
		}
		o.Attrs = &attrs
	}
	return json.Marshal(o)
}

// MarshalJSON writes a header field's value safely for float64 readers.
func (f headerField) MarshalJSON() ([]byte, error) {
	type out struct {
		Name   string    `json:"name"`
		Value  any       `json:"value"`
		Symbol string    `json:"symbol,omitempty"`
		Flags  *[]string `json:"flags,omitempty"` // [] when no bit is set
	}
	o := out{Name: f.Name, Value: jsonValue(f.Value), Symbol: f.Symbol}
	if f.Flags != nil {
		o.Flags = &f.Flags
	}
	return json.Marshal(o)
}

// writeMessageText prints a decoded message: a summary line, then its fixed
// header and attribute tree indented below it. prefix starts the summary
// line.
func writeMessageText(w io.Writer, prefix string, v messageView) {
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteString(v.Family)
	b.WriteByte(' ')
	if v.TypeName != "" {
		b.WriteString(v.TypeName)
	} else {
		fmt.Fprintf(&b, "type %d", v.Type)
	}
	if g := v.Genl; g != nil {
		if g.CommandName != "" {
			fmt.Fprintf(&b, " %s", g.CommandName)
		} else {
			fmt.Fprintf(&b, " cmd %d", g.Command)
		}
		fmt.Fprintf(&b, " version %d", g.Version)
	}
	fmt.Fprintf(&b, " flags [%s] seq %d pid %d\n", strings.Join(v.Flags, " "), v.Sequence, v.PID)
	if v.Error != nil {
		fmt.Fprintf(&b, "    error %d: %s\n", v.Error.Code, v.Error.Message)
	}
	if len(v.Header) > 0 {
		fmt.Fprintf(&b, "    %s:", v.HeaderName)
		for _, f := range v.Header {
			fmt.Fprintf(&b, " %s %s", f.Name, fieldText(f.Value, f.Symbol, f.Flags))
		}
		b.WriteByte('\n')
	} else if v.HeaderHex != "" {
		name := v.HeaderName
		if name == "" {
			name = "header"
		}
		fmt.Fprintf(&b, "    %s: %s\n", name, spacedHex(v.HeaderHex))
	}
	writeAttrsText(&b, v.Attrs, 1)
	if v.Payload != "" {
		fmt.Fprintf(&b, "    payload: %s\n", spacedHex(v.Payload))
	}
	io.WriteString(w, b.String())
}

// fieldText prints a number with its name or the names of its bits.
func fieldText(v any, symbol string, flags []string) string {
	switch {
	case flags != nil:
		return fmt.Sprintf("%#x [%s]", v, strings.Join(flags, " "))
	case symbol != "":
		return fmt.Sprintf("%v (%s)", v, symbol)
	}
	return fmt.Sprint(v)
}

// writeAttrsText prints an attribute tree, one attribute a line, indented
// four spaces a level; nested attributes open a brace.
func writeAttrsText(b *strings.Builder, attrs []attrNode, depth int) {
	indent := strings.Repeat("    ", depth)
	for _, a := range attrs {
		b.WriteString(indent)
		if a.Name != "" {
			b.WriteString(a.Name)
		} else {
			fmt.Fprintf(b, "[%d]", a.Type)
		}
		if a.Nested && len(a.Attrs) == 0 {
			b.WriteString(" {}\n")
			continue
		}
		if a.Nested {
			b.WriteString(" {\n")
			writeAttrsText(b, a.Attrs, depth+1)
			b.WriteString(indent + "}\n")
			continue
		}
		b.WriteByte(' ')
		b.WriteString(attrValueText(a))
		if a.Note != "" {
			fmt.Fprintf(b, " (%s)", a.Note)
		}
		b.WriteByte('\n')
	}
}

// attrValueText prints the value of a leaf attribute.
func attrValueText(a attrNode) string {
	switch v := a.Value.(type) {
	case bool:
		return "(flag)"
	case bitfield:
		return fmt.Sprintf("value %#x selector %#x", v.Value, v.Selector)
	case []headerField:
		parts := make([]string, 0, len(v))
		for _, f := range v {
			parts = append(parts, f.Name+" "+fieldText(f.Value, f.Symbol, f.Flags))
		}
		return strings.Join(parts, " ")
	case string:
		if a.Kind == kindMAC || a.Kind == kindIP {
			return v
		}
		return strconv.Quote(v)
	case uint64, int64:
		if a.Kind == "" {
			// A guess: say what size and order the number was read in.
			order := "u"
			if a.NetByteOrder {
				order = "be"
			}
			return fmt.Sprintf("%s%d %d (%#x)", order, a.Length*8, v, v)
		}
		return fieldText(v, a.Symbol, a.Flags)
	}
	if a.Length == 0 {
		return "(empty)"
	}
	s := fmt.Sprintf("%d bytes: %s", a.Length, spacedHex(a.Hex[:min(len(a.Hex), 2*maxTextBytes)]))
	if a.Length > maxTextBytes {
		s += fmt.Sprintf(" ... (%d more)", a.Length-maxTextBytes)
	}
	return s
}

// maxTextBytes is how many bytes of an opaque attribute the text output
// shows; JSON has them all.
const maxTextBytes = 32

// spacedHex puts a space between the bytes of a hexadecimal string.
func spacedHex(h string) string {
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(h[i:min(i+2, len(h))])
	}
	return b.String()
}

// writeMessageLine prints a decoded message on one line after a
// timestamp, as monitor prints events: the summary, the fixed header's
// fields, then NAME=VALUE for each attribute, nests in braces.
func writeMessageLine(w io.Writer, stamp string, v messageView) {
	var b strings.Builder
	b.WriteString(stamp + " " + v.Family + " ")
	if v.TypeName != "" {
		b.WriteString(v.TypeName)
	} else {
		fmt.Fprintf(&b, "type-%d", v.Type)
	}
	if g := v.Genl; g != nil {
		if g.CommandName != "" {
			b.WriteString(" " + g.CommandName)
		} else {
			fmt.Fprintf(&b, " cmd-%d", g.Command)
		}
	}
	if v.Error != nil {
		fmt.Fprintf(&b, " error=%d", v.Error.Code)
	}
	for _, f := range v.Header {
		b.WriteString(" " + f.Name + "=" + strings.ReplaceAll(fieldText(f.Value, f.Symbol, f.Flags), " ", ","))
	}
	if v.HeaderHex != "" {
		b.WriteString(" header=" + v.HeaderHex)
	}
	writeAttrsInline(&b, v.Attrs)
	if v.Payload != "" {
		b.WriteString(" payload=" + v.Payload)
	}
	b.WriteByte('\n')
	io.WriteString(w, b.String())
}

func writeAttrsInline(b *strings.Builder, attrs []attrNode) {
	for _, a := range attrs {
		b.WriteByte(' ')
		if a.Name != "" {
			b.WriteString(a.Name)
		} else {
			fmt.Fprintf(b, "#%d", a.Type)
		}
		b.WriteByte('=')
		if a.Nested {
			b.WriteByte('{')
			var inner strings.Builder
			writeAttrsInline(&inner, a.Attrs)
			b.WriteString(strings.TrimPrefix(inner.String(), " "))
			b.WriteByte('}')
			continue
		}
		if fields, ok := a.Value.([]headerField); ok {
			parts := make([]string, len(fields))
			for i, f := range fields {
				parts[i] = f.Name + "=" + strings.ReplaceAll(fieldText(f.Value, f.Symbol, f.Flags), " ", ",")
			}
			b.WriteString("{" + strings.Join(parts, " ") + "}")
			continue
		}
		if a.Length > maxTextBytes && a.Value == nil {
			fmt.Fprintf(b, "<%d bytes>", a.Length)
			continue
		}
		b.WriteString(strings.ReplaceAll(attrValueText(a), " ", ""))
	}
}
