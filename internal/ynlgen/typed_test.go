package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGoName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"link-attrs", "LinkAttrs"},
		{"ifla_vf_mac", "IflaVfMac"},
		{"1000baseT-full", "N1000baseTFull"},
		{"rta-dst", "RtaDst"},
		{"ipv4.devconf", "Ipv4Devconf"},
		{"", "X"},
		{"--", "X"},
	}
	for _, tt := range tests {
		if got := goName(tt.in); got != tt.want {
			t.Errorf("goName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTypedPackageName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"rt-link", "rtlink"},
		{"ovs_flow", "ovsflow"},
		{"nlctrl", "nlctrl"},
		{"mptcp_pm", "mptcppm"},
	}
	for _, tt := range tests {
		if got := typedPackageName(tt.in); got != tt.want {
			t.Errorf("typedPackageName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  []string
	}{
		{"short line", 76, []string{"short line"}},
		{"aaa bbb ccc", 7, []string{"aaa bbb", "ccc"}},
		{"averyveryverylongword fits", 5, []string{"averyveryverylongword", "fits"}},
		{"", 10, []string{""}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, wrap(tt.in, tt.width)); diff != "" {
			t.Errorf("wrap(%q, %d) (-want +got):\n%s", tt.in, tt.width, diff)
		}
	}
}

// TestTypedNames checks that names stay unique when a spec's parts would
// give the same Go identifier.
func TestTypedNames(t *testing.T) {
	g := newTypedGen(nil, "p")
	got := []string{g.name("Foo", "Enum"), g.name("Foo", "Enum"), g.name("Foo", "Enum"), g.name("Client", ""), g.name("Decode", "Attrs")}
	want := []string{"Foo", "FooEnum", "FooEnum2", "Client2", "DecodeAttrs"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
}
