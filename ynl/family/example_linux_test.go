//go:build linux

package family_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestIntegrationExampleTypedLinks runs examples/typedlinks in a namespace
// with a bridge, an ifb and a veth pair, and checks that it lists them with
// their kinds and the bridge's data.
func TestIntegrationExampleTypedLinks(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping in short mode: builds the example")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	_, ns := newNetNS(t)
	run(t, "ip", "-n", ns, "link", "add", "br0", "type", "bridge")
	run(t, "ip", "-n", ns, "link", "add", "ifb0", "type", "ifb")
	run(t, "ip", "-n", ns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
	out, err := exec.Command("ip", "netns", "exec", ns, goTool, "run", "../../examples/typedlinks").CombinedOutput()
	if err != nil {
		t.Fatalf("typedlinks: %v\n%s", err, out)
	}
	for _, want := range []string{
		"lo <loopback> mtu 65536",
		"br0 <broadcast|multicast> mtu 1500 bridge stp-state 0 ageing-time 30000",
		"ifb0 <broadcast|no-arp> mtu 1500 ifb",
		"veth0 <broadcast|multicast> mtu 1500 veth",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("typedlinks output lacks %q:\n%s", want, out)
		}
	}
}
