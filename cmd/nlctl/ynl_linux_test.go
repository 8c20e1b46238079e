//go:build linux

package main

import (
	"context"
	"encoding/json"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// ipIn runs ip in the namespace ns.
func ipIn(t *testing.T, ns string, args ...string) {
	t.Helper()
	if out, err := exec.Command("ip", append([]string{"-n", ns}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestIntegrationSpecDumpFilter dumps routes of one link with a filter by
// name (oif, family=inet): with strict checking the kernel filters, so
// every route has that oif, the other link's routes are absent, and nlctl
// does not warn. A filter the kernel ignores (nlctrl's family dump) is
// reported on stderr.
func TestIntegrationSpecDumpFilter(t *testing.T) {
	ns := privateNetNS(t)
	ipIn(t, ns, "link", "add", "ifb0", "type", "ifb")
	ipIn(t, ns, "link", "add", "ifb1", "type", "ifb")
	for _, l := range []string{"lo", "ifb0", "ifb1"} {
		ipIn(t, ns, "link", "set", l, "up")
	}
	ipIn(t, ns, "addr", "add", "192.0.2.1/24", "dev", "ifb0")
	ipIn(t, ns, "addr", "add", "198.51.100.1/24", "dev", "ifb1")
	ipIn(t, ns, "route", "add", "203.0.113.0/24", "via", "192.0.2.254")

	// The index of ifb0, by the spec mode itself.
	code, out, errOut := runNlctl(t, "--netns", ns, "--family", "rt-link", "--do", "getlink", "ifname=ifb0", "--output-json")
	if code != exitOK {
		t.Fatalf("getlink: exit %d: %s", code, errOut)
	}
	var links []struct {
		Index int    `json:"ifi-index"`
		Name  string `json:"ifname"`
	}
	if err := json.Unmarshal([]byte(out), &links); err != nil || len(links) != 1 || links[0].Name != "ifb0" {
		t.Fatalf("getlink JSON %v: %s", err, out)
	}
	oif := links[0].Index

	code, out, errOut = runNlctl(t, "--netns", ns, "--family", "rt-route", "--dump", "getroute", "family=inet", "oif="+itoa(oif), "--output-json")
	if code != exitOK {
		t.Fatalf("getroute: exit %d: %s", code, errOut)
	}
	if strings.Contains(errOut, "ignored the filter") {
		t.Errorf("nlctl warns of an ignored filter although the kernel filtered:\n%s", errOut)
	}
	var routes []struct {
		OIF int    `json:"rta-oif"`
		Dst string `json:"rta-dst"`
	}
	if err := json.Unmarshal([]byte(out), &routes); err != nil {
		t.Fatalf("getroute JSON: %v\n%s", err, out)
	}
	var dsts []string
	for _, r := range routes {
		if r.OIF != oif {
			t.Errorf("route to %s has oif %d, want only %d", r.Dst, r.OIF, oif)
		}
		dsts = append(dsts, r.Dst)
	}
	for _, want := range []string{"192.0.2.0", "203.0.113.0"} {
		if !strings.Contains(strings.Join(dsts, " "), want) {
			t.Errorf("filtered dump lacks the route to %s: %v", want, dsts)
		}
	}
	if strings.Contains(strings.Join(dsts, " "), "198.51.100") {
		t.Errorf("filtered dump has ifb1's routes: %v", dsts)
	}

	code, _, errOut = runNlctl(t, "--netns", ns, "--family", "nlctrl", "--dump", "getfamily", "family-name=nlctrl")
	if code != exitOK {
		t.Fatalf("nlctrl dump: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "the kernel ignored the filter of nlctrl getfamily") {
		t.Errorf("no warning of the ignored filter:\n%s", errOut)
	}
}

// TestIntegrationSpecDoGeneric runs a do of a generic family (nlctrl,
// which every kernel has) and an error with a named attribute.
func TestIntegrationSpecDoGeneric(t *testing.T) {
	ns := privateNetNS(t)
	code, out, errOut := runNlctl(t, "--netns", ns, "--family", "nlctrl", "--do", "getfamily", "--json", `{"family-name":"nlctrl"}`)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"nlctrl getfamily:\n", `  family-name: "nlctrl"`, "  family-id: 16\n", "      name: \"notify\"\n", "flags: cmd-cap-do,cmd-cap-dump,cmd-cap-haspol"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Two operations in one call, JSON out: one array each.
	code, out, errOut = runNlctl(t, "--netns", ns, "--family", "nlctrl", "--output-json",
		"--do", "getfamily", "family-name=nlctrl", "--do", "getfamily", "family-id=16")
	if code != exitOK {
		t.Fatalf("two operations: exit %d: %s", code, errOut)
	}
	dec := json.NewDecoder(strings.NewReader(out))
	var names []string
	for dec.More() {
		var msgs []map[string]any
		if err := dec.Decode(&msgs); err != nil {
			t.Fatalf("output is not a stream of arrays: %v\n%s", err, out)
		}
		for _, m := range msgs {
			names = append(names, m["family-name"].(string))
		}
	}
	if diff := cmp.Diff([]string{"nlctrl", "nlctrl"}, names); diff != "" {
		t.Errorf("families (-want +got):\n%s", diff)
	}
	// A family that does not exist: the kernel's error, exit code 1.
	code, _, errOut = runNlctl(t, "--netns", ns, "--family", "nlctrl", "--do", "getfamily", "family-name=nosuchfamily")
	if code != exitError || !strings.Contains(errOut, "nlctl: ynl: nlctrl getfamily:") {
		t.Errorf("unknown family: exit %d, stderr:\n%s", code, errOut)
	}
	// A request that breaks the spec: refused before sending, exit 2.
	code, _, errOut = runNlctl(t, "--netns", ns, "--family", "nlctrl", "--do", "getfamily", "family-id=70000")
	if code != exitUsage || !strings.Contains(errOut, "family-id: 70000 does not fit u16") {
		t.Errorf("bad family-id: exit %d, stderr:\n%s", code, errOut)
	}
}

// TestIntegrationSpecSubscribe subscribes to rt-link's link group and
// sees an ifb link come, one line per event, with a timestamp.
func TestIntegrationSpecSubscribe(t *testing.T) {
	ns := privateNetNS(t)
	for _, asJSON := range []bool{false, true} {
		args := []string{"--netns", ns, "--family", "rt-link", "--subscribe", "rtnlgrp-link", "--count", "1", "--duration", "20s"}
		if asJSON {
			args = append(args, "--output-json")
		}
		var stdout, stderr syncBuffer
		ended := make(chan int, 1)
		go func() { ended <- run(context.Background(), args, &stdout, &stderr) }()
		waitFor(t, &stderr, "nlctl: subscribed to rt-link rtnlgrp-link", ended)
		name := "ev0"
		if asJSON {
			name = "ev1"
		}
		ipIn(t, ns, "link", "add", name, "type", "ifb")
		if code := <-ended; code != exitOK {
			t.Fatalf("exit %d; stderr:\n%s", code, stderr.String())
		}
		line := stdout.String()
		if strings.Count(line, "\n") != 1 {
			t.Fatalf("want one line, got:\n%s", line)
		}
		if asJSON {
			var ev struct {
				Time, Family, Op string
				Msg              map[string]any
			}
			if err := json.Unmarshal([]byte(line), &ev); err != nil {
				t.Fatalf("%v: %s", err, line)
			}
			if ev.Family != "rt-link" || ev.Msg["ifname"] != name || ev.Time == "" {
				t.Errorf("event %+v", ev)
			}
			continue
		}
		// 2025-01-02T03:04:05.000006Z rt-link getlink ... ifname="ev0" ...
		fields := strings.Fields(line)
		if len(fields) < 3 || !isStamp(fields[0]) || fields[1] != "rt-link" || !strings.Contains(line, ` ifname="`+name+`"`) || !strings.Contains(line, "linkinfo={kind=\"ifb\"}") {
			t.Errorf("event line:\n%s", line)
		}
	}
}

// isStamp reports whether s is an RFC 3339 time.
func isStamp(s string) bool {
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}

// itoa formats n for arguments.
func itoa(n int) string { return strconv.Itoa(n) }
