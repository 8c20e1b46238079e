package netlink_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mdlayher/netlink"
)

func TestAttributeEncoderLen(t *testing.T) {
	tests := []struct {
		name  string
		build func(ae *netlink.AttributeEncoder, check func(string))
	}{
		{"empty", func(ae *netlink.AttributeEncoder, check func(string)) {}},
		{"integers and strings", func(ae *netlink.AttributeEncoder, check func(string)) {
			ae.Uint8(1, 1)
			check("u8")
			ae.Uint16(2, 2)
			ae.Uint64(3, 3)
			check("u16, u64")
			ae.String(4, "abc")
			ae.Bytes(5, []byte{1, 2, 3, 4, 5})
			ae.Flag(6, true)
			ae.Flag(7, false)
			check("all")
		}},
		{"nested", func(ae *netlink.AttributeEncoder, check func(string)) {
			ae.Uint32(1, 1)
			ae.Nested(2, func(nae *netlink.AttributeEncoder) error {
				check("inside Nested, before anything")
				nae.Uint32(1, 1)
				ae.Uint16(3, 3) // added to the parent meanwhile
				check("inside Nested, after the parent's attribute")
				nae.Nested(2, func(nnae *netlink.AttributeEncoder) error {
					nnae.String(1, "x")
					return nil
				})
				return nil
			})
			check("after Nested")
		}},
		{"error", func(ae *netlink.AttributeEncoder, check func(string)) {
			ae.Uint32(1, 1)
			ae.Nested(2, func(*netlink.AttributeEncoder) error { return errors.New("no") })
			check("after an error")
			ae.String(3, strings.Repeat("x", 1<<16))
			check("after a second error")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ae := netlink.NewAttributeEncoder()
			check := func(when string) {
				t.Helper()
				got := ae.Len()
				b, err := ae.Encode()
				if err != nil && got != 0 {
					t.Errorf("%s: Len %d with Encode failing: %v", when, got, err)
				}
				if got != len(b) {
					t.Errorf("%s: Len %d, Encode returns %d bytes", when, got, len(b))
				}
			}
			tt.build(ae, check)
			check("at the end")
		})
	}

	// The zero value too.
	var ae netlink.AttributeEncoder
	if n := ae.Len(); n != 0 {
		t.Fatalf("zero encoder: Len %d", n)
	}
	ae.Uint32(1, 1)
	if n := ae.Len(); n != 8 {
		t.Fatalf("zero encoder with one u32: Len %d, want 8", n)
	}
}
