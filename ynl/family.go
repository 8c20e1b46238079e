package ynl

import (
	"sort"

	"github.com/mdlayher/netlink/ynl/internal/tables"
	"github.com/mdlayher/netlink/ynl/spec"
)

// Lookup returns the spec of the family called name, as its spec names it
// ("rt-link", "ethtool", "ovs_flow").
func Lookup(name string) (*spec.Family, bool) {
	i := sort.Search(len(tables.All), func(i int) bool { return tables.All[i].Name >= name })
	if i < len(tables.All) && tables.All[i].Name == name {
		return tables.All[i], true
	}
	return nil, false
}

// Families returns the specs of every family the package knows, sorted by
// name. The slice is the caller's; the specs are shared and must not be
// modified.
func Families() []*spec.Family {
	return append([]*spec.Family(nil), tables.All...)
}
