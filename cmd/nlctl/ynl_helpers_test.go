package main

import (
	"testing"

	"github.com/mdlayher/netlink/ynl"
	"github.com/mdlayher/netlink/ynl/spec"
)

func lookupSpec(t *testing.T, name string) (*spec.Family, *ynl.Client) {
	t.Helper()
	f, ok := ynl.Lookup(name)
	if !ok {
		t.Fatalf("no spec %s", name)
	}
	c, err := ynl.NewClient(nil, f)
	if err != nil {
		t.Fatal(err)
	}
	return f, c
}

// requestJSON builds the request and decodes it back into JSON.
func requestJSON(t *testing.T, f *spec.Family, op string, dump bool, req *ynl.Request) string {
	t.Helper()
	c, err := ynl.NewClient(nil, f)
	if err != nil {
		t.Fatal(err)
	}
	nm, _, err := c.Request(op, dump, req)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ynl.Decode(f, nm)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
