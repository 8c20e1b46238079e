package main

import (
	"strings"
	"testing"
)

// linkSpec returns a spec of rt-link whose link-attrs end at value last.
func linkSpec(last int, extra ...yAttr) *yFamily {
	attrs := []yAttr{{Name: "address", Type: "binary"}, {Name: "dpll-pin", Type: "nest", Value: intp(last)}}
	return &yFamily{Name: "rt-link", AttributeSets: []yAttrSet{{Name: "link-attrs", Attributes: append(attrs, extra...)}}}
}

func TestApplySupplement(t *testing.T) {
	tests := []struct {
		name    string
		y       *yFamily
		want    []string // names of link-attrs after the supplement
		wantErr string
	}{
		{name: "6.12 spec", y: linkSpec(65),
			want: []string{"address", "dpll-pin", "max-pacing-offload-horizon", "netns-immutable", "headroom", "tailroom"}},
		{name: "newer spec with them", y: linkSpec(65, yAttr{Name: "max-pacing-offload-horizon", Type: "uint"},
			yAttr{Name: "netns-immutable", Type: "u8"}, yAttr{Name: "headroom", Type: "u16"}, yAttr{Name: "tailroom", Type: "u16"}),
			want: []string{"address", "dpll-pin", "max-pacing-offload-horizon", "netns-immutable", "headroom", "tailroom"}},
		{name: "spec numbering on", y: linkSpec(66), wantErr: "max-pacing-offload-horizon would be attribute 66, but the spec's next is 67"},
		{name: "other family", y: &yFamily{Name: "rt-addr"}},
		{name: "set missing", y: &yFamily{Name: "rt-link"}, wantErr: "rt-link has no attribute set link-attrs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := applySupplement(tt.y)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == nil {
				return
			}
			var got []string
			for _, a := range tt.y.AttributeSets[0].Attributes {
				got = append(got, a.Name)
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Fatalf("link-attrs = %v, want %v", got, tt.want)
			}
		})
	}
}
