package ynl_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink/ynl"
)

// TestRequestChecks builds requests that break the spec and checks the
// path and reason of each refusal, before anything is sent.
func TestRequestChecks(t *testing.T) {
	rtLink, _ := ynl.Lookup("rt-link")
	c, err := ynl.NewClient(nil, rtLink)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		op     string
		json   string
		path   []string
		reason string
	}{
		{"unknown attribute", "getlink", `{"no-such":1}`, []string{"no-such"}, `link-attrs has no attribute "no-such"`},
		{"above the spec's maximum", "newlink", `{"txqlen":40000}`, []string{"txqlen"}, "40000 outside the range [, 32767]"},
		{"integer too large", "newlink", `{"mtu":4294967296}`, []string{"mtu"}, "4294967296 does not fit u32"},
		{"negative unsigned", "newlink", `{"mtu":-1}`, []string{"mtu"}, "-1 does not fit u32"},
		{"not an integer", "newlink", `{"mtu":"big"}`, []string{"mtu"}, "want an integer, not big (string)"},
		{"unknown flag", "newlink", `{"ifi-flags":["up","sideways"]}`, []string{"ifi-flags"}, `ifinfo-flags has no flag "sideways"`},
		{"nested unknown", "newlink", `{"linkinfo":{"kind":"bridge","data":{"colour":1}}}`, []string{"linkinfo", "data", "colour"}, `linkinfo-bridge-attrs has no attribute "colour"`},
		{"sub-message kind unknown", "newlink", `{"linkinfo":{"kind":"nosuch","data":{}}}`, []string{"linkinfo", "data"}, `linkinfo-data-msg has no format for kind "nosuch"`},
		{"bad address", "newlink", `{"address":"02:00:zz"}`, []string{"address"}, "address 02:00:zz: invalid MAC address"},
		{"nest not an object", "newlink", `{"linkinfo":3}`, []string{"linkinfo"}, "nest wants an object, not json.Number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := ynl.RequestFromJSON([]byte(tt.json))
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = c.Request(tt.op, false, req)
			var ce *ynl.CheckError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *CheckError", err)
			}
			if diff := cmp.Diff(tt.path, ce.Path); diff != "" {
				t.Errorf("path (-want +got):\n%s", diff)
			}
			if ce.Reason != tt.reason {
				t.Errorf("reason = %q, want %q", ce.Reason, tt.reason)
			}
		})
	}
}

// TestRequestFromJSONRoundTrip builds a request from JSON, decodes the
// bytes and writes them as JSON again.
func TestRequestFromJSONRoundTrip(t *testing.T) {
	rtLink, _ := ynl.Lookup("rt-link")
	c, _ := ynl.NewClient(nil, rtLink)
	req, err := ynl.RequestFromJSON([]byte(`{"ifi-index":3,"ifname":"br0","mtu":9000,"linkinfo":{"kind":"bridge","data":{"stp-state":1,"vlan-filtering":1}},"prop-list":{"alt-ifname":["a","b"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	nm, _, err := c.Request("setlink", false, req)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ynl.Decode(rtLink, nm)
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"ifi-family":0,"pad":"00","ifi-type":0,"ifi-index":3,"ifi-flags":0,"ifi-change":0,"ifname":"br0","mtu":9000,"linkinfo":{"kind":"bridge","data":{"stp-state":1,"vlan-filtering":1}},"prop-list":{"alt-ifname":["a","b"]}}`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
}

// TestRequestEnumByNumber gives a flags value as a number in text, as a
// command line does, beside the same value by name: both must encode the
// same bytes, and text that is neither is refused.
func TestRequestEnumByNumber(t *testing.T) {
	rtLink, _ := ynl.Lookup("rt-link")
	c, _ := ynl.NewClient(nil, rtLink)
	encode := func(flags any) ([]byte, error) {
		nm, _, err := c.Request("setlink", false, &ynl.Request{Attrs: map[string]any{"ifi-index": 1, "ifi-flags": flags}})
		return nm.Data, err
	}
	byName, err := encode([]any{"up", "broadcast"})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"3", "0x3"} {
		byNumber, err := encode(text)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		if diff := cmp.Diff(byName, byNumber); diff != "" {
			t.Errorf("%s (-by name +by number):\n%s", text, diff)
		}
	}
	_, err = encode("sideways")
	var ce *ynl.CheckError
	if !errors.As(err, &ce) || ce.Reason != `ifinfo-flags has no entry "sideways"` {
		t.Errorf("err = %v, want a CheckError for the unknown name", err)
	}
}

// TestNewClientWithoutConn asks for a generic family's Client without a
// Conn to resolve its ID: an error, not a panic.
func TestNewClientWithoutConn(t *testing.T) {
	ethtool, _ := ynl.Lookup("ethtool")
	if _, err := ynl.NewClient(nil, ethtool); err == nil {
		t.Fatal("NewClient(nil, ethtool) gave no error")
	}
}
