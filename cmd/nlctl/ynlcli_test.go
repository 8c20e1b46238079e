package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestSpecModeArgumentErrors checks the spec mode's refusals, which come
// before any socket is opened, and their exit code 2.
func TestSpecModeArgumentErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no family", []string{"--do", "getlink"}, "the spec mode needs --family NAME"},
		{"unknown family", []string{"--family", "nosuch", "--do", "x"}, `no spec for family "nosuch"`},
		{"nothing to do", []string{"--family", "rt-link"}, "nothing to do"},
		{"unknown op", []string{"--family", "rt-link", "--do", "frob"}, `rt-link has no operation "frob"`},
		{"no dump form", []string{"--family", "rt-link", "--dump", "newlink"}, "rt-link operation newlink has no dump form"},
		{"bad json", []string{"--family", "rt-link", "--do", "getlink", "--json", "{"}, "--json for getlink: ynl: request JSON"},
		{"stray word", []string{"--family", "rt-link", "--do", "getlink", "ifb0"}, `unexpected argument "ifb0"`},
		{"empty path", []string{"--family", "rt-link", "--do", "getlink", "linkinfo..kind=x"}, "empty name in the path"},
		{"flag not bool", []string{"--family", "rt-link", "--do", "newlink", "proto-down-reason.x=1", "carrier=1", "--json", "{}", "xdp.fd=1", "xdp.flags=1", "af-spec.inet6.token=::1", "ifname=a", "linkinfo.kind=x", "prop-list.alt-ifname=a", "linkinfo.data.x=1", "--flags", "bogus"}, `--flags: unknown flag "bogus"`},
		{"unknown group", []string{"--family", "rt-link", "--subscribe", "nosuch"}, `rt-link has no multicast group "nosuch" (want one of rtnlgrp-link, rtnlgrp-stats)`},
		{"request without op", []string{"--family", "rt-link", "--subscribe", "rtnlgrp-link", "mtu=1"}, "a request (--json or NAME=VALUE) needs an operation"},
		{"list-attrs unknown", []string{"--family", "rt-link", "--list-attrs", "frob"}, `rt-link has no operation "frob"`},
		{"bad timeout", []string{"--family", "rt-link", "--do", "getlink", "--timeout", "0s"}, "--timeout must be positive"},
		{"alias clash", []string{"--family", "rt-route", "--dump", "getroute", "oif=1", "rta-oif=2"}, "oif and rta-oif name the same attribute"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			if code != exitUsage {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, exitUsage, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Fatalf("stderr does not say %q:\n%s", tt.want, stderr.String())
			}
			if stdout.Len() != 0 {
				t.Fatalf("output on stdout:\n%s", stdout.String())
			}
		})
	}
}

// TestSpecModeIntrospection lists operations, attributes and groups from
// the specs alone, and prints the version and the usage with the exit
// codes.
func TestSpecModeIntrospection(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--list-families"}, []string{"rt-link       netlink-raw\n", "ethtool       genetlink-legacy\n"}},
		{[]string{"--family", "rt-link", "--list-ops"}, []string{"getlink                      do, dump\n", "newlink                      do\n"}},
		{[]string{"--family", "rt-route", "--list-attrs", "getroute"}, []string{"fixed header rtmsg:\n    rtm-family                 u8\n", "  dump request:\n", "    rta-oif                    u32\n"}},
		{[]string{"--family", "rt-link", "--list-groups"}, []string{"rtnlgrp-link\nrtnlgrp-stats\n"}},
		{[]string{"--version"}, []string{"nlctl ", "YNL specs of Linux 6.12\n"}},
		{[]string{"--family", "rt-link", "--help"}, []string{"Exit codes: 0 success; 1 the kernel or the system refused", "--output-json"}},
		{[]string{"-h"}, []string{"Exit codes: 0 success; 1 the kernel", "nlctl --family NAME (--do OP | --dump OP)..."}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), tt.args, &stdout, &stderr); code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, stdout.String())
				}
			}
		})
	}
}

// TestSpecRequestNames builds requests from NAME=VALUE words with the
// short names of header fields and attributes, an address family by name
// and a nest by a dotted path.
func TestSpecRequestNames(t *testing.T) {
	tests := []struct {
		family, op string
		args       []string
		want       string // the request as JSON, after decoding it back
	}{
		{"rt-route", "getroute", []string{"family=inet6", "oif=3", "table=254"},
			`{"rtm-family":10,"rtm-dst-len":0,"rtm-src-len":0,"rtm-tos":0,"rtm-table":254,"rtm-protocol":0,"rtm-scope":0,"rtm-type":"unspec","rtm-flags":0,"rta-oif":3}`},
		{"rt-link", "getlink", []string{"ifindex=3"},
			`{"ifi-family":0,"pad":"00","ifi-type":0,"ifi-index":3,"ifi-flags":0,"ifi-change":0}`},
		{"rt-link", "newlink", []string{"ifname=x", "linkinfo.kind=ifb", "prop-list.alt-ifname=a"},
			`{"ifi-family":0,"pad":"00","ifi-type":0,"ifi-index":0,"ifi-flags":0,"ifi-change":0,"ifname":"x","linkinfo":{"kind":"ifb"},"prop-list":{"alt-ifname":["a"]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.family+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			f, _ := lookupSpec(t, tt.family)
			req, err := buildRequest(f, &ynlOp{name: tt.op, dump: tt.op == "getroute", args: tt.args}, &ynlOp{}, 0)
			if err != nil {
				t.Fatal(err)
			}
			got := requestJSON(t, f, tt.op, tt.op == "getroute", req)
			if got != tt.want {
				t.Errorf("request\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}
