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

// jsonMessage and jsonAttr read nlctl's JSON output back.
type jsonMessage struct {
	Time     string        `json:"time"`
	Family   string        `json:"family"`
	TypeName string        `json:"type_name"`
	Flags    []string      `json:"flags"`
	Header   []headerField `json:"header"`
	Attrs    []jsonAttr    `json:"attrs"`
}

type jsonAttr struct {
	Type  uint16     `json:"type"`
	Name  string     `json:"name"`
	Kind  string     `json:"kind"`
	Value any        `json:"value"`
	Attrs []jsonAttr `json:"attrs"`
}

// findAttr finds the attribute called name, at any depth.
func findAttr(attrs []jsonAttr, name string) *jsonAttr {
	for i := range attrs {
		if attrs[i].Name == name {
			return &attrs[i]
		}
		if a := findAttr(attrs[i].Attrs, name); a != nil {
			return a
		}
	}
	return nil
}

func TestIntegrationDumpLinks(t *testing.T) {
	code, out, errOut := runNlctl(t, "dump", "route", "RTM_GETLINK")
	if code != exitOK {
		t.Fatalf("exit code %d; stderr:\n%s", code, errOut)
	}
	for _, s := range []string{
		"route RTM_NEWLINK flags [multi]",
		"    ifinfomsg: family 0 (AF_UNSPEC) type 772 (ARPHRD_LOOPBACK) index 1 flags 0x",
		"    IFLA_IFNAME \"lo\"\n",
		"    IFLA_ADDRESS 00:00:00:00:00:00\n",
	} {
		if !strings.Contains(out, s) {
			t.Fatalf("the link dump does not show %q:\n%s", s, out)
		}
	}

	code, out, errOut = runNlctl(t, "--json", "dump", "route", "getlink", "--flags", "dump")
	if code != exitOK {
		t.Fatalf("--json: exit code %d; stderr:\n%s", code, errOut)
	}
	var msgs []jsonMessage
	if err := json.Unmarshal([]byte(out), &msgs); err != nil {
		t.Fatalf("--json output is not a JSON list of messages: %v\n%s", err, out)
	}
	found := false
	for _, m := range msgs {
		if m.TypeName != "RTM_NEWLINK" || len(m.Header) != 5 || m.Header[3].Name != "flags" {
			t.Fatalf("unexpected message in a link dump: %+v", m)
		}
		if a := findAttr(m.Attrs, "IFLA_IFNAME"); a != nil && a.Value == "lo" && a.Kind == kindString {
			found = true
			if mtu := findAttr(m.Attrs, "IFLA_MTU"); mtu == nil || mtu.Kind != kindU32 || mtu.Value != float64(65536) {
				t.Fatalf("lo: unexpected IFLA_MTU %+v", mtu)
			}
		}
	}
	if !found {
		t.Fatalf("no link named lo in:\n%s", out)
	}
}

func TestIntegrationGetFamily(t *testing.T) {
	// By names: the command, the attribute and its type (a string, by
	// nlctrl's policy) are all resolved by nlctl.
	code, out, errOut := runNlctl(t, "get", "nlctrl", "getfamily", "CTRL_ATTR_FAMILY_NAME=nlctrl")
	if code != exitOK {
		t.Fatalf("exit code %d; stderr:\n%s", code, errOut)
	}
	for _, s := range []string{
		"generic nlctrl CTRL_CMD_NEWFAMILY version ",
		"    CTRL_ATTR_FAMILY_NAME \"nlctrl\"\n",
		"    CTRL_ATTR_FAMILY_ID 16\n",
		"    CTRL_ATTR_OPS {\n        [1] {\n            CTRL_ATTR_OP_ID 3\n",
		"CTRL_ATTR_MCAST_GRP_NAME \"notify\"",
	} {
		if !strings.Contains(out, s) {
			t.Fatalf("the reply does not show %q:\n%s", s, out)
		}
	}
	if strings.Count(out, "generic nlctrl") != 1 {
		t.Fatalf("want exactly one reply:\n%s", out)
	}
	// The hexadecimal form still works, and the short attribute name too.
	for _, args := range [][]string{
		{"dump", "nlctrl", "getfamily", "--flags", "request", "--attrs", "0b0002006e6c6374726c0000"},
		{"get", "nlctrl", "CTRL_CMD_GETFAMILY", "family_name=nlctrl"},
	} {
		code, out, errOut = runNlctl(t, args...)
		if code != exitOK || !strings.Contains(out, "    CTRL_ATTR_FAMILY_NAME \"nlctrl\"\n") {
			t.Fatalf("%q: exit code %d; stdout:\n%s\nstderr:\n%s", args, code, out, errOut)
		}
	}
}

func TestIntegrationDumpGenericByPolicy(t *testing.T) {
	ns := privateNetNS(t)
	if out, err := exec.Command("ip", "-n", ns, "link", "add", "nlctltest0", "type", "ifb").CombinedOutput(); err != nil {
		t.Fatalf("ip link add: %v\n%s", err, out)
	}
	code, out, errOut := runNlctl(t, "--netns", ns, "--json", "dump", "ethtool", "linkstate_get")
	if code != exitOK {
		t.Fatalf("exit code %d; stderr:\n%s", code, errOut)
	}
	var msgs []jsonMessage
	if err := json.Unmarshal([]byte(out), &msgs); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	found := false
	for _, m := range msgs {
		name := findAttr(m.Attrs, "ETHTOOL_A_HEADER_DEV_NAME")
		index := findAttr(m.Attrs, "ETHTOOL_A_HEADER_DEV_INDEX")
		if name == nil || index == nil || findAttr(m.Attrs, "ETHTOOL_A_LINKSTATE_HEADER") == nil {
			t.Fatalf("reply without its header: %+v", m)
		}
		// The types come from the kernel's policy of the request.
		if name.Kind != kindNulString || index.Kind != kindU32 {
			t.Fatalf("header not typed by the policy: name %+v, index %+v", name, index)
		}
		if name.Value == "nlctltest0" {
			found = true
		}
	}
	if !found {
		t.Fatalf("no reply for nlctltest0:\n%s", out)
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
			want: `the kernel says: "Attribute failed policy validation" (at byte 20 of the request)`,
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
	want := &extackReport{Message: "Attribute failed policy validation", Offset: 20, Path: []uint16{1}, Policy: "u16 range 0..65535"}
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

	for _, s := range []string{
		"    IFLA_IFNAME \"nlctltest0\"\n",
		"    IFLA_LINKINFO {\n        IFLA_INFO_KIND \"ifb\"\n",
		" route RTM_NEWADDR flags [] seq ",
		"    ifaddrmsg: family 2 (AF_INET) prefixlen 24 flags 0x80 [IFA_F_PERMANENT] scope 0 (RT_SCOPE_UNIVERSE) index ",
		"    IFA_ADDRESS 10.9.9.3\n",
		"    IFA_LABEL \"nlctltest0\"\n",
		"    ifaddrmsg: family 10 (AF_INET6) prefixlen 64 ",
		"    IFA_ADDRESS 2001:db8::3\n",
		" route RTM_NEWROUTE flags [",
		"    rtmsg: family 2 (AF_INET) dst_len 16 src_len 0 tos 0 table 254 (RT_TABLE_MAIN) protocol 3 (RTPROT_BOOT) scope 0 (RT_SCOPE_UNIVERSE) type 1 (RTN_UNICAST)",
		"    RTA_DST 10.10.0.0\n",
		"    RTA_GATEWAY 10.9.9.1\n",
		"    RTA_TABLE 254 (RT_TABLE_MAIN)\n",
		"    RTA_DST 2001:db8:1::\n",
		"    RTA_GATEWAY 2001:db8::1\n",
	} {
		waitFor(t, &text.stdout, s, text.ended)
	}
	waitFor(t, &asJSON.stdout, `"value":"2001:db8:1::"`, asJSON.ended)

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
		var ev jsonMessage
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("line %d is not a JSON event: %v\n%s", lines+1, err, sc.Text())
		}
		if _, err := time.Parse(time.RFC3339Nano, ev.Time); err != nil || ev.Family != "route" || ev.Flags == nil {
			t.Fatalf("unexpected event (time: %v): %+v", err, ev)
		}
		for _, name := range []string{"IFLA_IFNAME", "IFA_ADDRESS", "RTA_GATEWAY"} {
			if a := findAttr(ev.Attrs, name); a != nil {
				seen[fmt.Sprintf("%s %s %v", name, a.Kind, a.Value)] = true
			}
		}
		lines++
	}
	for _, want := range []string{"IFLA_IFNAME string nlctltest0", "IFA_ADDRESS ip 10.9.9.3", "IFA_ADDRESS ip 2001:db8::3", "RTA_GATEWAY ip 10.9.9.1", "RTA_GATEWAY ip 2001:db8::1"} {
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
