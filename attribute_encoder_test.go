package netlink

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAttributeEncoderParentInsideNested(t *testing.T) {
	// What a Nested function adds to the encoder that called it was added
	// before the nested attribute was: it is encoded before it.
	tests := []struct {
		name string
		fn   func(ae *AttributeEncoder)
		want []byte
	}{
		{
			name: "one attribute",
			fn: func(ae *AttributeEncoder) {
				ae.Uint8(1, 1)
				ae.Nested(2, func(nae *AttributeEncoder) error {
					nae.Uint8(1, 0xa)
					ae.Uint8(3, 3)
					nae.Uint8(2, 0xb)
					return nil
				})
				ae.Uint8(4, 4)
			},
			want: codecCat(
				codecAttr(1, 1),
				codecAttr(3, 3),
				codecAttr(2|Nested, codecCat(codecAttr(1, 0xa), codecAttr(2, 0xb))...),
				codecAttr(4, 4),
			),
		},
		{
			name: "every setter",
			fn: func(ae *AttributeEncoder) {
				ae.Nested(1, func(nae *AttributeEncoder) error {
					ae.Uint16(2, 0x1234)
					ae.Uint32(3, 0x12345678)
					ae.Uint64(4, 1)
					ae.String(5, "ab")
					ae.Flag(6, true)
					ae.Flag(7, false)
					ae.Bytes(8, []byte{9})
					ae.Do(9, func() ([]byte, error) { return []byte{1, 2, 3, 4, 5}, nil })
					nae.Uint8(1, 1)
					return nil
				})
			},
			want: codecCat(
				codecAttr(2, codecU16(0x1234)...),
				codecAttr(3, codecU32(0x12345678)...),
				codecAttr(4, codecU64(1)...),
				codecAttr(5, 'a', 'b', 0),
				codecAttr(6),
				codecAttr(8, 9),
				codecAttr(9, 1, 2, 3, 4, 5),
				codecAttr(1|Nested, codecAttr(1, 1)...),
			),
		},
		{
			name: "the parent nests again",
			fn: func(ae *AttributeEncoder) {
				ae.Nested(1, func(nae *AttributeEncoder) error {
					nae.Uint8(1, 1)
					ae.Nested(2, func(inner *AttributeEncoder) error {
						inner.Uint8(5, 5)
						ae.Uint8(3, 3) // inside the parent's second Nested: first of all
						return nil
					})
					return nil
				})
			},
			want: codecCat(
				codecAttr(3, 3),
				codecAttr(2|Nested, codecAttr(5, 5)...),
				codecAttr(1|Nested, codecAttr(1, 1)...),
			),
		},
		{
			name: "a nested encoder's own Nested",
			fn: func(ae *AttributeEncoder) {
				ae.Nested(1, func(nae *AttributeEncoder) error {
					nae.Nested(2, func(nnae *AttributeEncoder) error {
						nnae.Uint8(1, 1)
						nae.Uint8(3, 3)
						return nil
					})
					return nil
				})
			},
			want: codecAttr(1|Nested, codecCat(codecAttr(3, 3), codecAttr(2|Nested, codecAttr(1, 1)...))...),
		},
		{
			name: "large enough to move the buffers",
			fn: func(ae *AttributeEncoder) {
				ae.Nested(1, func(nae *AttributeEncoder) error {
					for i := range 4 {
						nae.Bytes(uint16(i), bytes.Repeat([]byte{0xaa}, 700))
						ae.Bytes(uint16(i), bytes.Repeat([]byte{0xbb}, 700))
					}
					return nil
				})
			},
			want: func() []byte {
				var outer, inner [][]byte
				for i := range 4 {
					inner = append(inner, codecAttr(uint16(i), bytes.Repeat([]byte{0xaa}, 700)...))
					outer = append(outer, codecAttr(uint16(i), bytes.Repeat([]byte{0xbb}, 700)...))
				}
				return codecCat(append(outer, codecAttr(1|Nested, codecCat(inner...)...))...)
			}(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Twice on one encoder: the reused parts must start clean.
			for _, ae := range []*AttributeEncoder{NewAttributeEncoder(), {}} {
				for range 2 {
					tt.fn(ae)
					got, err := ae.Encode()
					if err != nil {
						t.Fatalf("Encode: %v", err)
					}
					if diff := cmp.Diff(tt.want, got[len(got)-len(tt.want):]); diff != "" {
						t.Fatalf("Encode (-want +got):\n%s", diff)
					}
				}
			}
		})
	}
}

func TestAttributeEncoderEncodeInsideNested(t *testing.T) {
	ae := NewAttributeEncoder()
	ae.Uint8(1, 1)
	var parent, nested []byte
	ae.Nested(2, func(nae *AttributeEncoder) error {
		nae.Uint8(7, 7)
		ae.Uint8(3, 3)
		var err error
		if parent, err = ae.Encode(); err != nil {
			return err
		}
		nested, err = nae.Encode()
		return err
	})
	if diff := cmp.Diff(codecCat(codecAttr(1, 1), codecAttr(3, 3)), parent); diff != "" {
		t.Errorf("parent's Encode inside Nested (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(codecAttr(7, 7), nested); diff != "" {
		t.Errorf("nested Encode (-want +got):\n%s", diff)
	}
	parent[0], nested[0] = 0xff, 0xff // the caller's own bytes
	got, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}
	want := codecCat(codecAttr(1, 1), codecAttr(3, 3), codecAttr(2|Nested, codecAttr(7, 7)...))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Encode (-want +got):\n%s", diff)
	}
}

func TestAttributeEncoderResultIsTheCallers(t *testing.T) {
	for _, newEncoder := range []func() *AttributeEncoder{NewAttributeEncoder, func() *AttributeEncoder { return &AttributeEncoder{} }} {
		ae := newEncoder()
		ae.Uint32(1, 1)
		first, err := ae.Encode()
		if err != nil {
			t.Fatal(err)
		}
		want := codecAttr(1, codecU32(1)...)

		// Writing into a result changes neither a later result...
		clear(first)
		second, err := ae.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, second); diff != "" {
			t.Fatalf("Encode after writing into the first result (-want +got):\n%s", diff)
		}
		second[4] = 0xee
		ae.Uint8(2, 2)
		third, err := ae.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(codecCat(want, codecAttr(2, 2)), third); diff != "" {
			t.Fatalf("Encode after writing into the second result and adding (-want +got):\n%s", diff)
		}

		// ... nor does using the encoder change an earlier result.
		before := bytes.Clone(third)
		ae.Nested(3, func(nae *AttributeEncoder) error {
			nae.Uint8(1, 1)
			return nil
		})
		ae.Bytes(4, bytes.Repeat([]byte{1}, 2000)) // moves the buffer
		if diff := cmp.Diff(before, third); diff != "" {
			t.Fatalf("an earlier result changed (-want +got):\n%s", diff)
		}
	}
}

// A second result, which cannot share the room of the first in the
// encoder's own allocation (see Encode and TestNoAllocs), is apart from it.
func TestAttributeEncoderSecondResultApart(t *testing.T) {
	fill := func(ae *AttributeEncoder) {
		ae.Uint32(1, 1)
		ae.String(2, "eth0")
		ae.Nested(3, func(nae *AttributeEncoder) error {
			nae.Uint16(1, 2)
			nae.Nested(2, func(nae *AttributeEncoder) error {
				nae.Uint64(1, 3)
				return nil
			})
			return nil
		})
	}
	ae := NewAttributeEncoder()
	fill(ae)
	a, _ := ae.Encode()
	b, _ := ae.Encode()
	if len(a) == 0 || &a[0] == &b[0] || !bytes.Equal(a, b) {
		t.Fatalf("two Encodes: %x at %p and %x at %p; want the same bytes, apart", a, a, b, b)
	}
}
