package netlink

import (
	"testing"

	"golang.org/x/sys/unix"
)

// The copies of kernel constants in files that build on every OS match
// golang.org/x/sys/unix, where it has them. x/sys v0.43.0 lacks
// NL_ATTR_TYPE_SINT and _UINT: they are checked by the order of the enum.
// Package internal/nlfacts checks the constants it holds itself.
func TestExtAckKernelConstants(t *testing.T) {
	tests := []struct {
		name      string
		got, want int
	}{
		{"NL_ATTR_TYPE_FLAG", int(PolicyTypeFlag), unix.NL_ATTR_TYPE_FLAG},
		{"NL_ATTR_TYPE_U8", int(PolicyTypeU8), unix.NL_ATTR_TYPE_U8},
		{"NL_ATTR_TYPE_U16", int(PolicyTypeU16), unix.NL_ATTR_TYPE_U16},
		{"NL_ATTR_TYPE_U32", int(PolicyTypeU32), unix.NL_ATTR_TYPE_U32},
		{"NL_ATTR_TYPE_U64", int(PolicyTypeU64), unix.NL_ATTR_TYPE_U64},
		{"NL_ATTR_TYPE_S8", int(PolicyTypeS8), unix.NL_ATTR_TYPE_S8},
		{"NL_ATTR_TYPE_S16", int(PolicyTypeS16), unix.NL_ATTR_TYPE_S16},
		{"NL_ATTR_TYPE_S32", int(PolicyTypeS32), unix.NL_ATTR_TYPE_S32},
		{"NL_ATTR_TYPE_S64", int(PolicyTypeS64), unix.NL_ATTR_TYPE_S64},
		{"NL_ATTR_TYPE_BINARY", int(PolicyTypeBinary), unix.NL_ATTR_TYPE_BINARY},
		{"NL_ATTR_TYPE_STRING", int(PolicyTypeString), unix.NL_ATTR_TYPE_STRING},
		{"NL_ATTR_TYPE_NUL_STRING", int(PolicyTypeNulString), unix.NL_ATTR_TYPE_NUL_STRING},
		{"NL_ATTR_TYPE_NESTED", int(PolicyTypeNested), unix.NL_ATTR_TYPE_NESTED},
		{"NL_ATTR_TYPE_NESTED_ARRAY", int(PolicyTypeNestedArray), unix.NL_ATTR_TYPE_NESTED_ARRAY},
		{"NL_ATTR_TYPE_BITFIELD32", int(PolicyTypeBitfield32), unix.NL_ATTR_TYPE_BITFIELD32},
		{"NLA_TYPE_MASK", attrTypeMask, ^(unix.NLA_F_NESTED | unix.NLA_F_NET_BYTEORDER) & 0xffff},
		{"NLM_F_DUMP_INTR", int(DumpInterrupted), unix.NLM_F_DUMP_INTR},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %d, want %d", tt.name, tt.got, tt.want)
		}
	}
}
