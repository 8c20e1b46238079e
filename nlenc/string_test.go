package nlenc

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBytes(t *testing.T) {
	tests := []struct {
		name string
		s    string
		want []byte
	}{
		{"empty", "", []byte{0}},
		{"word", "eth0", []byte{'e', 't', 'h', '0', 0}},
		{"embedded NUL kept", "a\x00b", []byte{'a', 0, 'b', 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Bytes(tt.s)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("unexpected bytes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
		want string
	}{
		{"nil", nil, ""},
		{"only NUL", []byte{0}, ""},
		{"terminated", []byte("eth0\x00"), "eth0"},
		{"not terminated", []byte("eth0"), "eth0"},
		{"padding NULs", []byte("lo\x00\x00\x00\x00"), "lo"},
		// Only trailing NULs go; those before other bytes stay.
		{"inner NUL kept", []byte("ab\x00cd\x00"), "ab\x00cd"},
		{"leading NUL kept", []byte("\x00abc"), "\x00abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, String(tt.b)); diff != "" {
				t.Fatalf("unexpected string (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBytesStringRoundTrip(t *testing.T) {
	for _, s := range []string{"", "x", "wlp3s0", "br-0123456789ab"} {
		if got := String(Bytes(s)); got != s {
			t.Errorf("String(Bytes(%q)) = %q", s, got)
		}
	}
}

func TestBytesIsFresh(t *testing.T) {
	// Two calls must not share memory: callers append to or modify the
	// result.
	a, b := Bytes("abc"), Bytes("abc")
	a[0] = 'x'
	if b[0] != 'a' {
		t.Fatal("Bytes results share memory")
	}
}
