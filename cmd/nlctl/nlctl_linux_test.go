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
		"\t\t#1:  ID-0x3  (can doit; can dumpit",
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
	if ctrl == nil || ctrl.ID != 0x10 || len(ctrl.Ops) == 0 || ctrl.Ops[0].ID != ctrlCmdGetFamily ||
		len(ctrl.Groups) != 1 || ctrl.Groups[0].Name != "notify" {
		t.Fatalf("unexpected nlctrl family: %+v", ctrl)
	}
	if len(fams) < 2 {
		t.Fatalf("only %d families listed", len(fams))
	}
}

func TestIntegrationDumpLinks(t *testing.T) {
	code, out, errOut := runNlctl(t, "dump", "route", "RTM_GETLINK")
	if code != exitOK {
		t.Fatalf("exit code %d; stderr:\n%s", code, errOut)
	}
	if !strings.HasPrefix(out, "route RTM_NEWLINK (16) flags=multi") || !strings.Contains(out, "\n    [3] \"lo\"\n") {
		t.Fatalf("the link dump does not show lo:\n%s", out)
	}

	code, out, errOut = runNlctl(t, "--json", "dump", "route", "getlink", "--flags", "dump")
	if code != exitOK {
		t.Fatalf("--json: exit code %d; stderr:\n%s", code, errOut)
	}
	var msgs []messageView
	if err := json.Unmarshal([]byte(out), &msgs); err != nil {
		t.Fatalf("--json output is not a JSON list of messages: %v\n%s", err, out)
	}
	found := false
	for _, m := range msgs {
		if m.TypeName != "RTM_NEWLINK" || len(m.Header) != 32 {
			t.Fatalf("unexpected message in a link dump: %+v", m)
		}
		for _, a := range m.Attrs {
			if a.Type == 3 && a.String != nil && *a.String == "lo" {
				found = true
			}
		}
	}
	if !found {
		t.Fatalf("no link named lo in:\n%s", out)
	}
}

func TestIntegrationDumpGeneric(t *testing.T) {
	// nlctrl by name: the command is resolved, the genetlink header built,
	// and the reply decoded with its nested operations.
	code, out, errOut := runNlctl(t, "dump", "nlctrl", "getfamily", "--flags", "request", "--attrs", "0b0002006e6c6374726c0000")
	if code != exitOK {
		t.Fatalf("exit code %d; stderr:\n%s", code, errOut)
	}
	for _, s := range []string{"generic nlctrl (16) cmd 1 version", "    [2] \"nlctrl\"\n", "    [6] nested:\n        [1] nested:\n"} {
		if !strings.Contains(out, s) {
			t.Fatalf("the reply does not show %q:\n%s", s, out)
		}
	}
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
			args: []string{"dump", "route", "getlink", "--flags", "request", "--header", "0000000000ffff7f0000000000000000"},
			want: "nlctl: request failed: netlink receive: no such device\n",
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
	text := start("--netns", ns, "monitor", "route:link", "nlctrl:notify")
	asJSON := start("monitor", "--json", "--netns", ns, "route:link")
	waitFor(t, &text.stderr, "nlctl: monitoring route:link, nlctrl:notify; interrupt to stop\n", text.ended)
	waitFor(t, &asJSON.stderr, "nlctl: monitoring route:link;", asJSON.ended)

	if out, err := exec.Command("ip", "-n", ns, "link", "add", "nlctltest0", "type", "ifb").CombinedOutput(); err != nil {
		t.Fatalf("ip link add: %v\n%s", err, out)
	}

	waitFor(t, &text.stdout, "    [3] \"nlctltest0\"\n", text.ended)
	if !strings.Contains(text.stdout.String(), " route RTM_NEWLINK (16) flags=0 seq=0 pid=0\n") {
		t.Fatalf("no RTM_NEWLINK event line:\n%s", text.stdout.String())
	}
	waitFor(t, &asJSON.stdout, `"string":"nlctltest0"`, asJSON.ended)

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

	// Each JSON line is one event.
	sc := bufio.NewScanner(strings.NewReader(asJSON.stdout.String()))
	sc.Buffer(nil, 1<<20)
	lines := 0
	for sc.Scan() {
		var ev monitorEvent
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("line %d is not a JSON event: %v\n%s", lines+1, err, sc.Text())
		}
		if ev.Family != "route" || ev.Time == "" {
			t.Fatalf("unexpected event: %+v", ev)
		}
		lines++
	}
	if lines == 0 {
		t.Fatal("no JSON events")
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
