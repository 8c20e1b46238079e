package netlink

import (
	"encoding/hex"
	"strconv"
	"strings"
)

// String describes the extended acknowledgement on one line, listing what
// the kernel sent and the paths Execute found, for example
//
//	message: "Attribute failed policy validation", offset: 32, path: [3], policy: string max length 15
//
// and "none" when every field is zero. Its receiver is a value, so that
// %v and %+v print an ExtendedAck this way whether it is held as a value
// or a pointer; %#v still shows the fields.
//
// ExtendedAck deliberately has no Error method: it describes an error (it
// is also the warning of a successful acknowledgement) rather than being
// one, and as an error type it would be found by errors.As in chains where
// it was never returned.
func (a ExtendedAck) String() string {
	var parts []string
	add := func(s string) { parts = append(parts, s) }
	if a.Message != "" {
		add("message: " + strconv.Quote(a.Message))
	}
	if a.Offset != 0 {
		add("offset: " + strconv.FormatUint(uint64(a.Offset), 10))
	}
	if a.Path != nil {
		add("path: " + formatPath(a.Path))
	}
	if a.Policy != nil {
		add("policy: " + a.Policy.String())
	}
	switch {
	case a.MissingType != 0 && a.MissingNest != 0:
		add("missing attribute: " + strconv.FormatUint(uint64(a.MissingType), 10) +
			" in the nest at offset " + strconv.FormatUint(uint64(a.MissingNest), 10))
	case a.MissingType != 0:
		add("missing attribute: " + strconv.FormatUint(uint64(a.MissingType), 10))
	case a.MissingNest != 0:
		add("missing attribute in the nest at offset " + strconv.FormatUint(uint64(a.MissingNest), 10))
	}
	if a.MissingPath != nil {
		add("missing path: " + formatPath(a.MissingPath))
	}
	if a.Cookie != nil {
		add("cookie: " + hex.EncodeToString(a.Cookie))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// formatPath writes attribute types as fmt prints a slice: "[18 2 1]".
func formatPath(path []uint16) string {
	b := []byte{'['}
	for i, t := range path {
		if i > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendUint(b, uint64(t), 10)
	}
	return string(append(b, ']'))
}
