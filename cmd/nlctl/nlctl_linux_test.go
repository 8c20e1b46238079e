//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// These tests run nlctl against the kernel of this machine.

// runNlctl runs nlctl with args and returns its exit code and output.
func runNlctl(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestIntegrationFamilies(t *testing.T) {
	code, out, errOut := runNlctl(t, "families")
	if code != exitOK {
		t.Fatalf("exit code %d; stderr:\n%s", code, errOut)
	}
	for _, s := range []string{
		"Name: nlctrl\n\tID: 0x10  Version: 0x",
		"\t\t#1:  ID-0x3  getfamily  (can doit; can dumpit",
		"\tmulticast groups:\n\t\t#1:  ID-0x10  name: notify\n",
	} {
		if !strings.Contains(out, s) {
			t.Fatalf("families does not show %q:\n%s", s, out)
		}
	}

	code, out, errOut = runNlctl(t, "families", "--json")
	if code != exitOK {
		t.Fatalf("--json: exit code %d; stderr:\n%s", code, errOut)
	}
	var fams []genlFamily
	if err := json.Unmarshal([]byte(out), &fams); err != nil {
		t.Fatalf("--json output is not a JSON list of families: %v\n%s", err, out)
	}
	var ctrl *genlFamily
	for i := range fams {
		if fams[i].Name == "nlctrl" {
			ctrl = &fams[i]
		}
	}
	if ctrl == nil || ctrl.ID != 0x10 || len(ctrl.Ops) == 0 || ctrl.Ops[0].ID != CTRL_CMD_GETFAMILY ||
		len(ctrl.Groups) != 1 || ctrl.Groups[0].Name != "notify" {
		t.Fatalf("unexpected nlctrl family: %+v", ctrl)
	}
	if len(fams) < 2 {
		t.Fatalf("only %d families listed", len(fams))
	}
}

// TestIntegrationDumpLinks dumps links with the old command: rt-link has
// a spec, so the text and JSON are the spec mode's.
func TestIntegrationDumpLinks(t *testing.T) {
	code, out, errOut := runNlctl(t, "dump", "route", "RTM_GETLINK")
	if code != exitOK {
		t.Fatalf("exit code %d; stderr:\n%s", code, errOut)
	}
	for _, s := range []string{
		"rt-link getlink:\n  ifi-family: unspec\n  ifi-type: loopback\n  ifi-index: 1\n  ifi-flags: up,loopback,running",
		"  ifname: \"lo\"\n",
		"  address: 00:00:00:00:00:00\n",
	} {
		if !strings.Contains(out, s) {
			t.Fatalf("the link dump does not show %q:\n%s", s, out)
		}
	}

	code, out, errOut = runNlctl(t, "--json", "dump", "route", "getlink", "--flags", "dump")
	if code != exitOK {
		t.Fatalf("--json: exit code %d; stderr:\n%s", code, errOut)
	}
	var msgs []map[string]any
	if err := json.Unmarshal([]byte(out), &msgs); err != nil {
		t.Fatalf("--json output is not a JSON list of objects: %v\n%s", err, out)
	}
	found := false
	for _, m := range msgs {
		if _, ok := m["ifi-index"].(float64); !ok {
			t.Fatalf("a link without ifi-index: %v", m)
		}
		if m["ifname"] == "lo" {
			found = true
			if diff := cmp.Diff(map[string]any{"mtu": float64(65536), "flags": []any{"up", "loopback", "running", "lower-up"}},
				map[string]any{"mtu": m["mtu"], "flags": m["ifi-flags"]}); diff != "" {
				t.Fatalf("lo (-want +got):\n%s", diff)
			}
		}
	}
	if !found {
		t.Fatalf("no link named lo in:\n%s", out)
	}
}

func TestIntegrationGetFamily(t *testing.T) {
	// By names: the command and the attribute, by the spec's names or
	// the C names, are all resolved by nlctl.
	for _, args := range [][]string{
		{"get", "nlctrl", "getfamily", "CTRL_ATTR_FAMILY_NAME=nlctrl"},
		{"get", "nlctrl", "getfamily", "family-name=nlctrl"},
		{"dump", "nlctrl", "getfamily", "--flags", "request", "--attrs", "0b0002006e6c6374726c0000"},
		{"get", "nlctrl", "CTRL_CMD_GETFAMILY", "family_name=nlctrl"},
	} {
		code, out, errOut := runNlctl(t, args...)
		if code != exitOK {
			t.Fatalf("%q: exit code %d; stderr:\n%s", args, code, errOut)
		}
		for _, s := range []string{
			"nlctrl getfamily:\n  family-name: \"nlctrl\"\n  family-id: 16\n",
			"  ops:\n    [1]:\n      id: 3\n",
			"      name: \"notify\"",
		} {
			if !strings.Contains(out, s) {
				t.Fatalf("%q: the reply does not show %q:\n%s", args, s, out)
			}
		}
		if strings.Count(out, "nlctrl getfamily:") != 1 {
			t.Fatalf("%q: want exactly one reply:\n%s", args, out)
		}
	}
}

func TestIntegrationDumpGenericByPolicy(t *testing.T) {
	ns := privateNetNS(t)
	if out, err := exec.Command("ip", "-n", ns, "link", "add", "nlctltest0", "type", "ifb").CombinedOutput(); err != nil {
		t.Fatalf("ip link add: %v\n%s", err, out)
	}
	// ethtool has a spec: its operations go by their spec names, or by
	// the C names' words.
	for _, op := range []string{"linkstate-get", "linkstate_get"} {
		code, out, errOut := runNlctl(t, "--netns", ns, "--json", "dump", "ethtool", op)
		if code != exitOK {
			t.Fatalf("exit code %d; stderr:\n%s", code, errOut)
		}
		var msgs []struct {
			Header struct {
				Index float64 `json:"dev-index"`
				Name  string  `json:"dev-name"`
			} `json:"header"`
		}
		if err := json.Unmarshal([]byte(out), &msgs); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out)
		}
		found := false
		for _, m := range msgs {
			if m.Header.Name == "" || m.Header.Index == 0 {
				t.Fatalf("reply without its header: %+v", m)
			}
			if m.Header.Name == "nlctltest0" {
				found = true
			}
		}
		if !found {
			t.Fatalf("no reply for nlctltest0:\n%s", out)
		}
	}
}

func TestIntegrationPolicy(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"policy", "nlctrl"}, []string{
			"nlctrl (id 0x10, version ",
			"CTRL_CMD_GETFAMILY (3)\n    do and dump:\n        CTRL_ATTR_FAMILY_ID (1) u16\n        CTRL_ATTR_FAMILY_NAME (2) nul-string, length at most 15\n",
			"CTRL_ATTR_OP (10) u32\n",
		}},
		{[]string{"policy", "ethtool"}, []string{
			"ETHTOOL_MSG_LINKINFO_GET (2)\n",
			"        ETHTOOL_A_LINKINFO_HEADER (1) nested of policy ",
			"            ETHTOOL_A_HEADER_DEV_INDEX (1) u32\n",
			"            ETHTOOL_A_HEADER_DEV_NAME (2) nul-string, length at most ",
			"            ETHTOOL_A_HEADER_FLAGS (3) u32, mask 0x",
		}},
		{[]string{"policy", "ethtool", "strset_get"}, []string{
			"ETHTOOL_MSG_STRSET_GET (1)\n",
			"        ETHTOOL_A_STRSET_HEADER (1) nested of policy ",
			"        ETHTOOL_A_STRSET_STRINGSETS (2) nested\n",
			"        ETHTOOL_A_STRSET_COUNTS_ONLY (3) flag\n",
		}},
	}
	for _, tt := range tests {
		code, out, errOut := runNlctl(t, tt.args...)
		if code != exitOK {
			t.Fatalf("%q: exit code %d; stderr:\n%s", tt.args, code, errOut)
		}
		for _, s := range tt.want {
			if !strings.Contains(out, s) {
				t.Fatalf("%q does not show %q:\n%s", tt.args, s, out)
			}
		}
	}
	if _, out, _ := runNlctl(t, "policy", "ethtool", "strset_get"); strings.Contains(out, "LINKINFO") {
		t.Fatalf("policy for one command shows others:\n%s", out)
	}

	code, out, errOut := runNlctl(t, "--json", "policy", "nlctrl")
	if code != exitOK {
		t.Fatalf("--json: exit code %d; stderr:\n%s", code, errOut)
	}
	var v struct {
		Family   string `json:"family"`
		Commands []struct {
			Cmd  uint32  `json:"cmd"`
			Name string  `json:"name"`
			Do   *uint32 `json:"do"`
		} `json:"commands"`
		Policies []struct {
			Index uint32 `json:"index"`
			Attrs []struct {
				Type      uint16  `json:"type"`
				Name      string  `json:"name"`
				Kind      string  `json:"kind"`
				MaxLength *uint32 `json:"max_length"`
			} `json:"attrs"`
		} `json:"policies"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	var getfamily *uint32
	for _, c := range v.Commands {
		if c.Cmd == CTRL_CMD_GETFAMILY && c.Name == "CTRL_CMD_GETFAMILY" {
			getfamily = c.Do
		}
	}
	if v.Family != "nlctrl" || getfamily == nil {
		t.Fatalf("no CTRL_CMD_GETFAMILY do policy:\n%s", out)
	}
	for _, p := range v.Policies {
		if p.Index != *getfamily {
			continue
		}
		for _, a := range p.Attrs {
			if a.Name == "CTRL_ATTR_FAMILY_NAME" && a.Kind == kindNulString && a.MaxLength != nil && *a.MaxLength == 15 {
				return
			}
		}
	}
	t.Fatalf("no CTRL_ATTR_FAMILY_NAME of at most 15 bytes in policy %d:\n%s", *getfamily, out)
}

func TestIntegrationDumpErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{
			// CTRL_ATTR_FAMILY_ID must be a u16: the kernel's policy
			// rejects one byte, and says so in an extended ACK.
			name: "extended acknowledgement",
			args: []string{"dump", "nlctrl", "getfamily", "--flags", "request", "--attrs", "05000100ff000000"},
			want: `the kernel says: "Attribute failed policy validation" (at byte 20 of the request); offending attribute: family-id;`,
		},
		{
			name: "unknown generic netlink family",
			args: []string{"dump", "nosuchfamily", "1"},
			want: `nlctl: no generic netlink family named "nosuchfamily" (see nlctl families)`,
		},
		{
			name: "unknown link",
			args: []string{"get", "route", "getlink", "--header", "0000000000ffff7f0000000000000000"},
			want: "nlctl: request failed: no such device\n",
		},
		{
			name: "no such link name",
			args: []string{"get", "route", "getlink", "IFLA_IFNAME=nlctl-nosuch"},
			want: "nlctl: request failed: no such device\n",
		},
		{
			name: "file that is not a namespace",
			args: []string{"--netns", "/etc/passwd", "families"},
			want: "nlctl: network namespace: /etc/passwd is not a namespace file",
		},
		{
			name: "namespace of another type",
			args: []string{"--netns", "/proc/self/ns/uts", "families"},
			want: "nlctl: network namespace: /proc/self/ns/uts is a uts namespace, not a network namespace",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runNlctl(t, tt.args...)
			if code != exitError {
				t.Fatalf("exit code %d, want %d; stdout:\n%s\nstderr:\n%s", code, exitError, out, errOut)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Fatalf("stderr does not say %q:\n%s", tt.want, errOut)
			}
		})
	}
}

func TestIntegrationErrorsAsJSON(t *testing.T) {
	code, out, errOut := runNlctl(t, "--json", "dump", "nlctrl", "getfamily", "--flags", "request", "--attrs", "05000100ff000000")
	if code != exitError || out != "" {
		t.Fatalf("exit code %d, want %d; stdout:\n%s", code, exitError, out)
	}
	var r errorReport
	if err := json.Unmarshal([]byte(errOut), &r); err != nil {
		t.Fatalf("stderr is not one JSON object: %v\n%s", err, errOut)
	}
	// The errno differs between kernels (EINVAL, ERANGE); the extended
	// acknowledgement does not.
	// The attribute path comes from the request (the genetlink header is
	// 4 bytes), the policy from the kernel.
	want := &extackReport{Message: "Attribute failed policy validation", Offset: 20, Path: []uint16{1}, Policy: "u16 range 0..65535",
		PathNames: []string{"family-id"}}
	if !strings.HasPrefix(r.Error, "request failed: ") {
		t.Fatalf("unexpected error: %q", r.Error)
	}
	if diff := cmp.Diff(want, r.Extack); diff != "" {
		t.Fatalf("unexpected error report (-want +got):\n%s", diff)
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor waits until buf holds s, failing the test after a while or when
// the command ends first.
func waitFor(t *testing.T, buf *syncBuffer, s string, ended <-chan int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !strings.Contains(buf.String(), s) {
		select {
		case code := <-ended:
			t.Fatalf("nlctl ended with code %d before printing %q; output:\n%s", code, s, buf.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %q; output:\n%s", s, buf.String())
		}
	}
}

// privateNetNS creates a network namespace for the test and removes it
// afterwards.
func privateNetNS(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("creating a network namespace needs root")
	}
	name := fmt.Sprintf("nlctl-test-%d-%d", os.Getpid(), time.Now().UnixNano()%100000)
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add %s: %v\n%s", name, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", name).CombinedOutput(); err != nil {
			t.Errorf("ip netns del %s: %v\n%s", name, err, out)
		}
	})
	return name
}

func TestIntegrationMonitor(t *testing.T) {
	ns := privateNetNS(t)

	type monitor struct {
		stdout, stderr syncBuffer
		ended          chan int
		cancel         context.CancelFunc
	}
	start := func(args ...string) *monitor {
		ctx, cancel := context.WithCancel(context.Background())
		m := &monitor{ended: make(chan int, 1), cancel: cancel}
		go func() { m.ended <- run(ctx, args, &m.stdout, &m.stderr) }()
		t.Cleanup(cancel)
		return m
	}
	targets := []string{"route:link", "route:ipv4-ifaddr", "route:ipv6-ifaddr", "route:ipv4-route", "route:ipv6-route"}
	text := start(append([]string{"--netns", ns, "monitor", "nlctrl:notify"}, targets...)...)
	asJSON := start(append([]string{"monitor", "--json", "--netns", ns}, targets...)...)
	waitFor(t, &text.stderr, "nlctl: monitoring nlctrl:notify, route:link, route:ipv4-ifaddr,", text.ended)
	waitFor(t, &asJSON.stderr, "nlctl: monitoring route:link,", asJSON.ended)

	for _, args := range [][]string{
		{"link", "add", "nlctltest0", "type", "ifb"},
		{"link", "set", "nlctltest0", "up"},
		{"address", "add", "10.9.9.3/24", "dev", "nlctltest0"},
		{"address", "add", "2001:db8::3/64", "dev", "nlctltest0", "nodad"},
		{"route", "add", "10.10.0.0/16", "via", "10.9.9.1", "dev", "nlctltest0"},
		{"route", "add", "2001:db8:1::/48", "via", "2001:db8::1", "dev", "nlctltest0"},
	} {
		if out, err := exec.Command("ip", append([]string{"-n", ns}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("ip %q: %v\n%s", args, err, out)
		}
	}

	// One line per event, named by the specs of rt-link, rt-addr and
	// rt-route.
	for _, s := range []string{
		` rt-link getlink ifi-family=unspec ifi-type=ether ifi-index=`,
		` ifname="nlctltest0" `,
		` linkinfo={kind="ifb"} `,
		` rt-addr getaddr ifa-family=inet ifa-prefixlen=24 ifa-flags=permanent ifa-scope=0 ifa-index=`,
		` ifa-address=10.9.9.3 `,
		` ifa-label="nlctltest0" `,
		` rt-addr getaddr ifa-family=inet6 ifa-prefixlen=64 `,
		` ifa-address=2001:db8::3 `,
		` rt-route getroute rtm-family=inet rtm-dst-len=16 rtm-src-len=0 rtm-tos=0 rtm-table=254 rtm-protocol=3 rtm-scope=0 rtm-type=unicast `,
		` rta-dst=10.10.0.0 `,
		` rta-gateway=10.9.9.1 `,
		` rta-table=254 `,
		` rta-dst=2001:db8:1:: `,
		` rta-gateway=2001:db8::1 `,
	} {
		waitFor(t, &text.stdout, s, text.ended)
	}
	for _, line := range strings.Split(strings.TrimSpace(text.stdout.String()), "\n") {
		stamp, _, _ := strings.Cut(line, " ")
		if _, err := time.Parse(time.RFC3339Nano, stamp); err != nil {
			t.Fatalf("event line without a timestamp: %v\n%s", err, line)
		}
	}
	waitFor(t, &asJSON.stdout, `"rta-dst":"2001:db8:1::"`, asJSON.ended)

	for name, m := range map[string]*monitor{"text": text, "json": asJSON} {
		m.cancel()
		select {
		case code := <-m.ended:
			if code != exitOK {
				t.Fatalf("%s monitor: exit code %d after cancel; stderr:\n%s", name, code, m.stderr.String())
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s monitor did not stop when cancelled", name)
		}
	}

	// Each JSON line is one event, stamped in RFC 3339, with typed values.
	sc := bufio.NewScanner(strings.NewReader(asJSON.stdout.String()))
	sc.Buffer(nil, 1<<20)
	lines := 0
	seen := make(map[string]bool)
	for sc.Scan() {
		var ev struct {
			Time, Family, Op string
			Msg              map[string]any
		}
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("line %d is not a JSON event: %v\n%s", lines+1, err, sc.Text())
		}
		if _, err := time.Parse(time.RFC3339Nano, ev.Time); err != nil || !strings.HasPrefix(ev.Family, "rt-") || ev.Msg == nil {
			t.Fatalf("unexpected event (time: %v): %+v", err, ev)
		}
		for _, name := range []string{"ifname", "ifa-address", "rta-gateway"} {
			if v, ok := ev.Msg[name]; ok {
				seen[fmt.Sprintf("%s %s %v", ev.Family, name, v)] = true
			}
		}
		lines++
	}
	for _, want := range []string{"rt-link ifname nlctltest0", "rt-addr ifa-address 10.9.9.3", "rt-addr ifa-address 2001:db8::3", "rt-route rta-gateway 10.9.9.1", "rt-route rta-gateway 2001:db8::1"} {
		if !seen[want] {
			t.Errorf("no JSON event with %s; saw %v", want, seen)
		}
	}
}

func TestIntegrationMonitorBadGroup(t *testing.T) {
	code, _, errOut := runNlctl(t, "monitor", "nlctrl:nosuch")
	if code != exitError || !strings.Contains(errOut, `nlctl: target "nlctrl:nosuch": generic netlink family "nlctrl" has no multicast group "nosuch" (it has notify)`) {
		t.Fatalf("exit code %d; stderr:\n%s", code, errOut)
	}
	code, _, errOut = runNlctl(t, "monitor", "nosuchfamily:events")
	if code != exitError || !strings.Contains(errOut, `no generic netlink family named "nosuchfamily"`) {
		t.Fatalf("exit code %d; stderr:\n%s", code, errOut)
	}
	code, _, errOut = runNlctl(t, "--netns", "nlctl-no-such-namespace", "families")
	if code != exitError || !strings.Contains(errOut, "nlctl: network namespace: open /var/run/netns/nlctl-no-such-namespace: no such file or directory") {
		t.Fatalf("exit code %d; stderr:\n%s", code, errOut)
	}
}

// nldebugHelperEnv carries the arguments of TestIntegrationNLDEBUGHelper,
// which runs nlctl in a subprocess where NLDEBUG was set before the netlink
// package was initialised.
const nldebugHelperEnv = "NLCTL_TEST_NLDEBUG_ARGS"

func TestIntegrationNLDEBUGHelper(t *testing.T) {
	args := os.Getenv(nldebugHelperEnv)
	if args == "" {
		return
	}
	os.Exit(run(context.Background(), strings.Fields(args), os.Stdout, os.Stderr))
}

func TestIntegrationNLDEBUG(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestIntegrationNLDEBUGHelper$")
	cmd.Env = append(os.Environ(), "NLDEBUG=1", nldebugHelperEnv+"=families")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("nlctl families with NLDEBUG=1: %v\nstderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "Name: nlctrl\n") {
		t.Fatalf("families output missing:\n%s", stdout.String())
	}
	// The dump request, in libmnl's layout: type 16, flags R (request),
	// the genetlink header CTRL_CMD_GETFAMILY version 1.
	for _, s := range []string{
		"|  0000000020  |\t| message length |\n| 00016 | R--- |\t|  type | flags  |\n",
		"| 03 01 00 00  |\t|  extra header  |\n",
		"|00011|--|00002|\t|len |flags| type|\n| 6e 6c 63 74  |\t|      data      |\t n l c t\n",
	} {
		if !strings.Contains(stderr.String(), s) {
			t.Fatalf("NLDEBUG trace does not show %q:\n%.3000s", s, stderr.String())
		}
	}
}

// TestIntegrationDumpFilter checks that the old dump command turns strict
// checking on, so that the kernel applies filters given as attributes and
// as header fields by name.
func TestIntegrationDumpFilter(t *testing.T) {
	ns := privateNetNS(t)
	for _, args := range [][]string{
		{"link", "set", "lo", "up"},
		{"link", "add", "nlctltest0", "type", "ifb"},
		{"link", "set", "nlctltest0", "up"},
		{"address", "add", "10.9.9.3/24", "dev", "nlctltest0"},
		{"neigh", "add", "10.9.9.5", "lladdr", "02:00:00:00:00:05", "dev", "nlctltest0"},
	} {
		if out, err := exec.Command("ip", append([]string{"-n", ns}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("ip %q: %v\n%s", args, err, out)
		}
	}
	dump := func(args ...string) []map[string]any {
		t.Helper()
		code, out, errOut := runNlctl(t, append([]string{"--netns", ns, "--json", "dump", "route"}, args...)...)
		if code != exitOK {
			t.Fatalf("%q: exit code %d; stderr:\n%s", args, code, errOut)
		}
		if strings.Contains(errOut, "ignored the filter") {
			t.Errorf("%q: %s", args, errOut)
		}
		var msgs []map[string]any
		if err := json.Unmarshal([]byte(out), &msgs); err != nil {
			t.Fatalf("%q: not JSON: %v\n%s", args, err, out)
		}
		return msgs
	}
	code, out, errOut := runNlctl(t, "--netns", ns, "--json", "get", "route", "getlink", "ifname=nlctltest0")
	var links []map[string]any
	if err := json.Unmarshal([]byte(out), &links); code != exitOK || err != nil || len(links) != 1 {
		t.Fatalf("getlink by ifname: exit code %d, %v; stdout:\n%s\nstderr:\n%s", code, err, out, errOut)
	}
	idx := links[0]["ifi-index"].(float64)

	all := dump("getroute")
	filtered := dump("getroute", fmt.Sprintf("RTA_OIF=%d", int(idx)), "family=inet")
	if len(filtered) == 0 || len(filtered) >= len(all) {
		t.Fatalf("%d routes through nlctltest0 of %d", len(filtered), len(all))
	}
	for _, r := range filtered {
		if r["rta-oif"] != idx || r["rtm-family"] != float64(2) {
			t.Errorf("route not through nlctltest0 or not IPv4: %v", r)
		}
	}

	// Neighbours have no spec: the header fields go by name all the same.
	code, out, errOut = runNlctl(t, "--netns", ns, "dump", "route", "getneigh", "family=inet")
	if code != exitOK || !strings.Contains(out, "NDA_DST 10.9.9.5\n") {
		t.Fatalf("getneigh family=inet: exit code %d; stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	code, out, errOut = runNlctl(t, "--netns", ns, "dump", "route", "getneigh", "family=inet6")
	if code != exitOK || strings.Contains(out, "10.9.9.5") {
		t.Fatalf("getneigh family=inet6: exit code %d; stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}
