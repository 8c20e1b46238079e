package family_test

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"

	"github.com/mdlayher/netlink/ynl"
)

// The typed packages and package ynl decode the same bytes from the same
// spec by different code; compareTyped walks a typed value by the ynl
// tags of its fields (the spec's names) beside ynl's decoding and reports
// every value on which they disagree, so that neither can drift from the
// spec unnoticed.

// compareMessage compares a typed message (a pointer to a message type)
// with ynl's decoding of the same bytes.
func compareMessage(typed any, m *ynl.Message) (diffs []string, compared int) {
	var c comparer
	v := reflect.ValueOf(typed).Elem()
	if h := v.FieldByName("Header"); h.IsValid() && v.Type().Kind() == reflect.Struct {
		if f, ok := v.Type().FieldByName("Header"); ok && f.Tag.Get("ynl") == "" {
			c.fields("header", h, m.Fields)
		}
	}
	c.set("", v, m.Attrs)
	return c.diffs, c.n
}

type comparer struct {
	diffs []string
	n     int // values compared
}

func (c *comparer) errorf(format string, args ...any) {
	c.diffs = append(c.diffs, fmt.Sprintf(format, args...))
}

// set compares the struct of an attribute set (or a type embedding one)
// with ynl's attributes.
func (c *comparer) set(path string, v reflect.Value, attrs []ynl.Attr) {
	t := v.Type()
	unnamed := 0
	for _, a := range attrs {
		if a.Name == "" || a.Problem != "" {
			unnamed++
		}
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			c.set(path, v.Field(i), attrs)
			continue
		}
		if f.Name == "Unknown" {
			// Typed keeps raw what ynl keeps raw, and a second copy of
			// a single attribute, which ynl names.
			if v.Field(i).Len() < unnamed {
				c.errorf("%s: %d attributes kept raw, ynl has %d unnamed or with a problem", path, v.Field(i).Len(), unnamed)
			}
			continue
		}
		name := f.Tag.Get("ynl")
		if name == "" || !f.IsExported() {
			continue
		}
		var same []ynl.Attr
		for _, a := range attrs {
			if a.Name == name && a.Problem == "" && !a.Entry {
				same = append(same, a)
			}
		}
		c.field(path+"/"+name, v.Field(i), same)
	}
}

// field compares one field of a set's type with ynl's attributes of its
// name that ynl decoded.
func (c *comparer) field(path string, fv reflect.Value, same []ynl.Attr) {
	switch {
	case fv.Kind() == reflect.Bool:
		if fv.Bool() != (len(same) > 0) {
			c.errorf("%s: flag %v, ynl has %d", path, fv.Bool(), len(same))
		}
	case fv.Kind() == reflect.Struct && fv.Type().Name() != "" && strings.HasPrefix(fv.Type().Name(), "Opt["):
		if !fv.FieldByName("Present").Bool() {
			if len(same) > 0 {
				c.errorf("%s: absent, ynl has %v", path, same[0].Value)
			}
			return
		}
		if len(same) == 0 {
			c.errorf("%s: present, ynl has none", path)
			return
		}
		c.value(path, fv.FieldByName("Value"), &same[0])
	case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.Uint8:
		if fv.IsNil() {
			if len(same) > 0 {
				c.errorf("%s: absent, ynl has it", path)
			}
			return
		}
		if len(same) == 0 {
			c.errorf("%s: present, ynl has none", path)
			return
		}
		c.value(path, fv, &same[0])
	case fv.Kind() == reflect.Pointer:
		if fv.IsNil() != (len(same) == 0) {
			c.errorf("%s: nest present %v, ynl has %d", path, !fv.IsNil(), len(same))
			return
		}
		if !fv.IsNil() {
			c.set(path, fv.Elem(), same[0].Attrs)
		}
	case fv.Kind() == reflect.Interface:
		if fv.IsNil() != (len(same) == 0) {
			c.errorf("%s: sub-message present %v, ynl has %d", path, !fv.IsNil(), len(same))
			return
		}
		if fv.IsNil() {
			return
		}
		sub := fv.Elem().Elem()
		if strings.HasSuffix(sub.Type().Name(), "Raw") {
			c.errorf("%s: kept raw (%s), ynl decoded it", path, sub.FieldByName("Value"))
			return
		}
		if h := sub.FieldByName("Header"); h.IsValid() {
			c.fields(path, h, same[0].Fields)
		}
		c.set(path, sub, same[0].Attrs)
	case fv.Kind() == reflect.Slice:
		if fv.IsNil() {
			if len(same) > 0 {
				c.errorf("%s: absent, ynl has %d", path, len(same))
			}
			return
		}
		// A multi-attr field has one ynl attribute per element; an
		// indexed array or nest-type-value one holding the entries.
		if len(same) == fv.Len() && (len(same) != 1 || len(same[0].Attrs) == 0 || !same[0].Attrs[0].Entry) {
			for i := range same {
				c.value(fmt.Sprintf("%s[%d]", path, i), fv.Index(i), &same[i])
			}
			return
		}
		if len(same) != 1 {
			c.errorf("%s: %d elements, ynl has %d attributes", path, fv.Len(), len(same))
			return
		}
		entries := flatten(same[0].Attrs)
		if len(entries) != fv.Len() {
			c.errorf("%s: %d entries, ynl has %d", path, fv.Len(), len(entries))
			return
		}
		for i := range entries {
			ev := fv.Index(i)
			if ev.Kind() == reflect.Struct && ev.FieldByName("Attrs").IsValid() && !ev.FieldByName("Unknown").IsValid() {
				c.set(fmt.Sprintf("%s[%d]", path, i), ev.FieldByName("Attrs"), entries[i].Attrs)
				continue
			}
			c.value(fmt.Sprintf("%s[%d]", path, i), ev, &entries[i])
		}
	default:
		c.errorf("%s: field of kind %s not compared", path, fv.Kind())
	}
}

// flatten returns the innermost entries of an indexed array (themselves)
// or of nest-type-value levels.
func flatten(attrs []ynl.Attr) []ynl.Attr {
	var out []ynl.Attr
	for _, a := range attrs {
		if a.Entry && a.Kind == ynl.KindNest && len(a.Attrs) > 0 && a.Attrs[0].Entry {
			out = append(out, flatten(a.Attrs)...)
			continue
		}
		out = append(out, a)
	}
	return out
}

// value compares one typed value with ynl's.
func (c *comparer) value(path string, v reflect.Value, a *ynl.Attr) {
	c.n++
	switch v.Kind() {
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		got := v.Uint()
		want := a.Uint
		if a.Kind == ynl.KindInt {
			want = uint64(a.Int)
		}
		if a.Kind != ynl.KindUint && a.Kind != ynl.KindInt || got != want {
			c.errorf("%s: %d, ynl has %s %d/%d", path, got, a.Kind, a.Uint, a.Int)
		}
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if a.Kind != ynl.KindInt || v.Int() != a.Int {
			c.errorf("%s: %d, ynl has %s %d", path, v.Int(), a.Kind, a.Int)
		}
	case reflect.String:
		if a.Kind != ynl.KindString || v.String() != a.Str {
			c.errorf("%s: %q, ynl has %s %q", path, v.String(), a.Kind, a.Str)
		}
	case reflect.Slice:
		if !bytes.Equal(v.Bytes(), a.Raw) {
			c.errorf("%s: % x, ynl has % x", path, v.Bytes(), a.Raw)
		}
	case reflect.Bool:
		if a.Kind != ynl.KindFlag {
			c.errorf("%s: flag, ynl has %s", path, a.Kind)
		}
	case reflect.Struct:
		switch {
		case v.FieldByName("Unknown").IsValid():
			c.set(path, v, a.Attrs)
		case a.Kind == ynl.KindStruct:
			c.fields(path, v, a.Fields)
		default:
			c.errorf("%s: struct, ynl has %s", path, a.Kind)
		}
	default:
		c.errorf("%s: value of kind %s not compared", path, v.Kind())
	}
}

// fields compares a C struct (or a bitfield32) with ynl's fields.
func (c *comparer) fields(path string, v reflect.Value, fields []ynl.Field) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := f.Tag.Get("ynl")
		if name == "" {
			name = strings.ToLower(f.Name) // Bitfield32
		}
		yf := ynl.FindField(fields, name)
		fv := v.Field(i)
		if yf == nil {
			// A struct shorter than the spec's (an older kernel's):
			// the members past its end are zero.
			if !fv.IsZero() {
				c.errorf("%s.%s: ynl has no such field", path, name)
			}
			continue
		}
		switch fv.Kind() {
		case reflect.Array:
			b := make([]byte, fv.Len())
			reflect.Copy(reflect.ValueOf(b), fv)
			want := yf.Bytes
			if yf.Kind == ynl.KindString {
				want = append([]byte(yf.Str), yf.Tail...)
			}
			if !bytes.Equal(b, want) {
				c.errorf("%s.%s: % x, ynl has % x", path, name, b, want)
			}
		case reflect.Struct:
			c.fields(path+"."+name, fv, yf.Fields)
		default:
			a := ynl.Attr{Value: yf.Value}
			c.value(path+"."+name, fv, &a)
		}
	}
}
