package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGeneratedFilesUpToDate regenerates the tables and fails when the
// committed files differ: run go generate ./cmd/nlctl to update them.
func TestGeneratedFilesUpToDate(t *testing.T) {
	u, err := loadUnix()
	if err != nil {
		t.Fatalf("failed to load unix: %v", err)
	}
	files, err := generate(u)
	if err != nil {
		t.Fatalf("failed to generate: %v", err)
	}
	if len(files) != 4 {
		t.Fatalf("generated %d files, want 4", len(files))
	}
	dirs := map[string]string{"nlctl": "../../cmd/nlctl", "nlfacts": "../nlfacts"}
	for _, f := range files {
		path := filepath.Join(dirs[f.pkg], f.name)
		have, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("failed to read the committed file: %v", err)
		}
		if !bytes.Equal(have, f.data) {
			t.Errorf("%s is stale: run go generate ./cmd/nlctl", path)
		}
	}
}

func TestSelectSets(t *testing.T) {
	u, err := loadUnix()
	if err != nil {
		t.Fatalf("failed to load unix: %v", err)
	}
	sets := make(map[string]map[string]uint64)
	for _, s := range selectSets(u) {
		m := make(map[string]uint64)
		for _, c := range s.consts {
			m[c.name] = c.value
		}
		sets[s.prefix] = m
	}
	tests := []struct {
		prefix, name string
		in           bool
	}{
		{"RTNLGRP_", "RTNLGRP_IPV6_PREFIX", true},
		{"RTNLGRP_", "RTNLGRP_NOP4", false},
		{"RTNLGRP_", "RTNLGRP_NONE", false},
		{"RTNLGRP_", "RTNLGRP_NOTIFY", true},
		{"RTNLGRP_", "RTNLGRP_NEXTHOP", true},
		{"RTM_", "RTM_NEWLINK", true},
		{"RTM_", "RTM_F_NOTIFY", false},
		{"RTM_", "RTM_MAX", false},
		{"RTM_F_", "RTM_F_NOTIFY", true},
		{"IFLA_", "IFLA_IFNAME", true},
		{"IFLA_", "IFLA_INFO_KIND", false},
		{"IFLA_INFO_", "IFLA_INFO_KIND", true},
		{"IFA_", "IFA_F_SECONDARY", false},
		{"NETLINK_", "NETLINK_GENERIC", true},
		{"NETLINK_", "NETLINK_ADD_MEMBERSHIP", false},
		{"IFF_", "IFF_UP", true},
		{"IFF_", "IFF_TAP", false},
		{"CTRL_ATTR_", "CTRL_ATTR_FAMILY_NAME", true},
		{"CTRL_ATTR_OP_", "CTRL_ATTR_OP_ID", true},
		{"CTRL_ATTR_", "CTRL_ATTR_OP_POLICY", true},
		{"CTRL_ATTR_OP_", "CTRL_ATTR_OP_POLICY", false},
		{"IFLA_", "IFLA_EVENT_REBOOT", false},
		{"IFLA_EVENT_", "IFLA_EVENT_REBOOT", true},
		{"ETHTOOL_A_HEADER_", "ETHTOOL_A_HEADER_DEV_NAME", true},
	}
	for _, tt := range tests {
		_, in := sets[tt.prefix][tt.name]
		if in != tt.in {
			t.Errorf("%s in set %s: %t, want %t", tt.name, tt.prefix, in, tt.in)
		}
	}
}
