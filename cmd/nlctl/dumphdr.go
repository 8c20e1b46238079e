package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/internal/nlfacts"
)

// For rtnetlink messages that no spec describes (neighbours, rules), the
// fixed header's fields may be set by name as for the spec'd ones:
// family=inet6, ifindex=3, state=reachable.

// A headerArg is a NAME=VALUE argument that sets a field of the fixed
// header.
type headerArg struct {
	def   fieldDef
	value string
	arg   string
}

// splitHeaderArgs takes the arguments that name a field of the request's
// fixed header out of req.named.
func splitHeaderArgs(req dumpRequest) ([]attrArg, []headerArg, error) {
	var defs []fieldDef
	if h, ok := nlfacts.RouteHeader(req.typ); ok && req.family == NETLINK_ROUTE {
		defs = rtnlHeaderFields[h.Struct]
	}
	var named []attrArg
	var hdr []headerArg
	for _, a := range req.named {
		if len(a.path) == 1 {
			if d, ok := findHeaderField(defs, a.path[0]); ok {
				hdr = append(hdr, headerArg{def: d, value: a.value, arg: a.arg})
				continue
			}
		}
		named = append(named, a)
	}
	if len(hdr) > 0 && req.header != nil {
		return nil, nil, usagef("--header gives the whole fixed header: set %s there, or leave --header out", hdr[0].def.name)
	}
	return named, hdr, nil
}

// findHeaderField finds the field called name: its own name, its C name
// (ndm_family) or, for an interface index, ifindex.
func findHeaderField(defs []fieldDef, name string) (fieldDef, bool) {
	name = strings.ToLower(name)
	_, short, _ := strings.Cut(name, "_")
	for _, d := range defs {
		if d.name == name || d.name == short || d.name == "index" && (name == "ifindex" || short == "ifindex") {
			return d, true
		}
	}
	return fieldDef{}, false
}

// setHeaderArgs writes the header fields of args into a copy of hdr.
func setHeaderArgs(req dumpRequest, hdr []byte, args []headerArg) ([]byte, error) {
	if len(args) == 0 {
		return hdr, nil
	}
	out := append([]byte{}, hdr...)
	for _, a := range args {
		d := a.def
		if d.off+d.size > len(out) {
			return nil, usagef("%q: the header has no room for %s", a.arg, d.name)
		}
		v, err := headerValue(d, a.value)
		if err != nil {
			return nil, usagef("%q: %v", a.arg, err)
		}
		switch d.size {
		case 1:
			out[d.off] = byte(v)
		case 2:
			binary.NativeEndian.PutUint16(out[d.off:], uint16(v))
		case 4:
			binary.NativeEndian.PutUint32(out[d.off:], uint32(v))
		case 8:
			binary.NativeEndian.PutUint64(out[d.off:], v)
		}
	}
	return out, nil
}

// headerValue parses the value of a header field: a number, a name of its
// enum, or names of its flags joined by commas.
func headerValue(d fieldDef, s string) (uint64, error) {
	bits := 8 * d.size
	if d.sign {
		if n, err := parseSigned(s, bits); err == nil {
			return uint64(n) & (1<<bits - 1), nil
		}
	}
	if n, err := parseNumber(s, bits); err == nil {
		return n, nil
	}
	if d.enum != "" {
		if v, ok := constValue(d.enum, s); ok && v < 1<<bits {
			return v, nil
		}
		return 0, fmt.Errorf("want a number or a %s* name for %s", d.enum, d.name)
	}
	if d.flags != "" {
		var v uint64
		for _, name := range strings.Split(s, ",") {
			bit, ok := constValue(d.flags, strings.TrimSpace(name))
			if !ok {
				return 0, fmt.Errorf("unknown flag %q of %s (want %s* names)", name, d.name, d.flags)
			}
			v |= bit
		}
		if v >= 1<<bits {
			return 0, fmt.Errorf("flags %s do not fit %s", s, d.name)
		}
		return v, nil
	}
	return 0, fmt.Errorf("want a number from 0 to %d for %s", uint64(1)<<bits-1, d.name)
}

// parseSigned parses a decimal integer of the given width.
func parseSigned(s string, bits int) (int64, error) {
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil || fmt.Sprint(n) != s {
		return 0, fmt.Errorf("not a decimal integer")
	}
	if lim := int64(1) << (bits - 1); n < -lim || n >= lim {
		return 0, fmt.Errorf("out of range")
	}
	return n, nil
}

// A pathError is a kernel error whose extended acknowledgement's
// attribute paths nlctl could name.
type pathError struct {
	err           error
	path, missing []string
}

func (e *pathError) Error() string { return e.err.Error() }
func (e *pathError) Unwrap() error { return e.err }

// nameGenericError names the attribute paths of err's extended
// acknowledgement by the space s of the request (nlctl's tables or the
// kernel's policies), where they know the names; numbers stay numbers.
func nameGenericError(err error, s *schema) error {
	a, ok := netlink.ExtendedAckOf(err)
	if !ok || s == nil || (len(a.Path) == 0 && len(a.MissingPath) == 0) {
		return err
	}
	e := &pathError{err: err, path: schemaPath(s, a.Path), missing: schemaPath(s, a.MissingPath)}
	if e.path == nil && e.missing == nil {
		return err
	}
	return e
}

// schemaPath names a chain of attribute types, or returns nil when it
// names none of them.
func schemaPath(s *schema, path []uint16) []string {
	out := make([]string, len(path))
	named := false
	for i, t := range path {
		name, spec := s.lookup(t)
		if name == "" {
			name = fmt.Sprint(t)
		} else {
			named = true
		}
		out[i] = name
		s = spec.child
	}
	if !named {
		return nil
	}
	return out
}

// pathNames returns what reportError shows of a named path error.
func pathNames(err error) (path, missing []string, ok bool) {
	var pe *pathError
	if !errors.As(err, &pe) {
		return nil, nil, false
	}
	return pe.path, pe.missing, true
}
