package netlink

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// encoderOps is what FuzzAttributeEncoderNesting drives: the real encoder,
// or refEncoder, the plain model of v1.11.2's semantics.
type encoderOps interface {
	Uint8(t uint16, v uint8)
	Bytes(t uint16, b []byte)
	Nested(t uint16, fn func(encoderOps) error)
	Encode() ([]byte, error)
}

type realEncoder struct {
	ae      *AttributeEncoder
	results *[]encoded
}

func (e realEncoder) Uint8(t uint16, v uint8)  { e.ae.Uint8(t, v) }
func (e realEncoder) Bytes(t uint16, b []byte) { e.ae.Bytes(t, b) }
func (e realEncoder) Encode() ([]byte, error) {
	n := e.ae.Len()
	b, err := e.ae.Encode()
	if n != len(b) {
		panic(fmt.Sprintf("Len() = %d, Encode returned %d bytes", n, len(b)))
	}
	return b, err
}

// keep notes b, a result of Encode that the caller wrote into.
func (e realEncoder) keep(b []byte) {
	*e.results = append(*e.results, encoded{b, bytes.Clone(b)})
}

// An encoded is a result of Encode, and what it held once the caller had
// written into it: nothing the encoder does later may change it.
type encoded struct{ got, want []byte }

func (e realEncoder) Nested(t uint16, fn func(encoderOps) error) {
	e.ae.Nested(t, func(nae *AttributeEncoder) error { return fn(realEncoder{nae, e.results}) })
}

// refEncoder keeps a list of attributes: a nested one joins its parent's
// list when its function returns, after whatever the function added there.
type refEncoder struct{ attrs []Attribute }

func (e *refEncoder) Uint8(t uint16, v uint8) {
	e.attrs = append(e.attrs, Attribute{Type: t, Data: []byte{v}})
}
func (e *refEncoder) Bytes(t uint16, b []byte) {
	e.attrs = append(e.attrs, Attribute{Type: t, Data: bytes.Clone(b)})
}
func (e *refEncoder) Encode() ([]byte, error) { return MarshalAttributes(e.attrs) }
func (e *refEncoder) Nested(t uint16, fn func(encoderOps) error) {
	child := &refEncoder{}
	if err := fn(child); err != nil {
		panic(err)
	}
	b, err := MarshalAttributes(child.attrs)
	if err != nil {
		panic(err)
	}
	e.attrs = append(e.attrs, Attribute{Type: t | Nested, Data: b})
}

// runEncoderProgram interprets prog on the stack of encoders open so far
// (the outermost first), logging every Encode result. Each op is two
// bytes: what to do, and to which open encoder (so that a Nested function
// also writes to its parents), or a value.
func runEncoderProgram(prog []byte, stack []encoderOps, log *[]string) []byte {
	for len(prog) >= 2 {
		op, arg := prog[0], prog[1]
		prog = prog[2:]
		e := stack[int(arg)%len(stack)]
		t := uint16(arg&0x0f) + 1
		switch op % 5 {
		case 0:
			e.Uint8(t, arg)
		case 1:
			e.Bytes(t, bytes.Repeat([]byte{arg}, int(arg%23)))
		case 2:
			if len(stack) > 6 {
				continue
			}
			e.Nested(t, func(nae encoderOps) error {
				prog = runEncoderProgram(prog, append(stack[:len(stack):len(stack)], nae), log)
				return nil
			})
		case 3:
			return prog // the innermost Nested function returns
		case 4:
			b, err := e.Encode()
			*log = append(*log, fmt.Sprintf("%x %v", b, err))
			if len(b) > 0 {
				b[0] ^= 0xff // the caller's bytes: must change nothing
				if k, ok := e.(interface{ keep([]byte) }); ok {
					k.keep(b)
				}
			}
		}
	}
	return prog
}

func FuzzAttributeEncoderNesting(f *testing.F) {
	f.Add([]byte{0, 1, 2, 0, 0, 2, 0, 0, 3, 0, 0, 3})
	f.Add([]byte{2, 0, 1, 5, 0, 16, 2, 17, 0, 33, 4, 0, 4, 1, 3, 0, 0, 9, 4, 0})
	f.Add([]byte{2, 1, 2, 2, 2, 3, 0, 0, 0, 1, 0, 2, 0, 3, 4, 2, 3, 0, 0, 0, 3, 0, 0, 0})
	f.Fuzz(func(t *testing.T, prog []byte) {
		if len(prog) > 1024 {
			return // keeps every attribute well below 64 KiB
		}
		var realLog, refLog []string
		var results []encoded
		ae := NewAttributeEncoder()
		runEncoderProgram(prog, []encoderOps{realEncoder{ae, &results}}, &realLog)
		got, gotErr := ae.Encode()
		ref := &refEncoder{}
		runEncoderProgram(prog, []encoderOps{ref}, &refLog)
		want, wantErr := ref.Encode()
		if gotErr != nil || wantErr != nil {
			t.Fatalf("Encode: %v; model: %v", gotErr, wantErr)
		}
		if diff := cmp.Diff(refLog, realLog); diff != "" {
			t.Fatalf("Encode results along the way (-model +encoder):\n%s", diff)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("final Encode (-model +encoder):\n%s", diff)
		}
		for i, r := range results {
			if !bytes.Equal(r.got, r.want) {
				t.Fatalf("result %d of Encode changed after it was returned: %x, want %x", i, r.got, r.want)
			}
		}
	})
}
