//go:build linux

package family_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl"
	"github.com/mdlayher/netlink/ynl/family/netdev"
	"github.com/mdlayher/netlink/ynl/family/nlctrl"
	"github.com/mdlayher/netlink/ynl/family/rtaddr"
	"github.com/mdlayher/netlink/ynl/family/rtlink"
	"github.com/mdlayher/netlink/ynl/family/rtroute"
)

var netnsSeq atomic.Int32

// newNetNS creates a network namespace for the test and returns an open
// descriptor of it and its name.
func newNetNS(t testing.TB) (int, string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces and links")
	}
	name := fmt.Sprintf("typedtest-%d-%d", os.Getpid(), netnsSeq.Add(1))
	run(t, "ip", "netns", "add", name)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", name).Run() })
	f, err := os.Open("/var/run/netns/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return int(f.Fd()), name
}

func run(t testing.TB, args ...string) {
	t.Helper()
	if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v: %s", strings.Join(args, " "), err, out)
	}
}

func tryRun(t testing.TB, args ...string) bool {
	t.Helper()
	if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
		t.Logf("not available: %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
		return false
	}
	return true
}

// populate fills a namespace with links of several kinds, addresses and
// routes.
func populate(t *testing.T, ns string) {
	ip := func(args ...string) { run(t, append([]string{"ip", "-n", ns}, args...)...) }
	ip("link", "set", "lo", "up")
	ip("link", "add", "ifb0", "type", "ifb")
	ip("link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
	ip("link", "add", "br0", "type", "bridge")
	ip("link", "set", "veth1", "master", "br0")
	tryRun(t, "ip", "-n", ns, "link", "add", "link", "veth0", "name", "veth0.10", "type", "vlan", "id", "10")
	for _, l := range []string{"ifb0", "veth0", "veth1", "br0"} {
		ip("link", "set", l, "up")
	}
	ip("addr", "add", "192.0.2.1/24", "dev", "veth0")
	ip("addr", "add", "2001:db8::1/64", "dev", "veth0", "nodad")
	ip("addr", "add", "198.51.100.1/24", "dev", "br0")
	ip("route", "add", "203.0.113.0/24", "via", "192.0.2.2", "dev", "veth0")
	ip("route", "add", "2001:db8:1::/48", "via", "2001:db8::2", "dev", "veth0")
}

// dumpRequests are the requests of the dumps that need arguments.
var dumpRequests = map[string]*ynl.Request{
	"nlctrl getpolicy": {Attrs: map[string]any{"family-name": "nlctrl"}},
	"rt-link getstats": {Header: map[string]any{"filter-mask": 1}},
}

// TestIntegrationTypedDumps runs every dump of the committed families with
// an empty request, through ynl, in a namespace with links of several
// kinds, addresses and routes, and checks every message with checkMessage;
// then it runs the same dumps through the typed Clients and checks that
// they yield as many typed values.
func TestIntegrationTypedDumps(t *testing.T) {
	fd, ns := newNetNS(t)
	populate(t, ns)
	counts := map[string]int{}
	var report []string
	for _, tf := range typedFamilies {
		f, ok := ynl.Lookup(tf.name)
		if !ok {
			t.Fatalf("ynl has no %s", tf.name)
		}
		c, err := ynl.Dial(f, &netlink.Config{NetNS: fd, Strict: true})
		if err != nil {
			t.Fatalf("%s: %v", tf.name, err)
		}
		for _, op := range f.Ops {
			if op.Dump == nil || op.Request == 0 {
				continue
			}
			n := 0
			for m, err := range c.Dump(op.Name, dumpRequests[tf.name+" "+op.Name]) {
				var ke *ynl.Error
				if errors.As(err, &ke) && n == 0 {
					report = append(report, fmt.Sprintf("%-9s %-18s needs arguments: %v", tf.name, op.Name, ke.Err))
					break
				}
				if err != nil {
					t.Fatalf("%s %s: %v", tf.name, op.Name, err)
				}
				n++
				checkMessage(t, tf, netlink.Message{Header: m.Header, Data: m.Data})
			}
			counts[tf.name+" "+op.Name] = n
			report = append(report, fmt.Sprintf("%-9s %-18s %4d messages", tf.name, op.Name, n))
		}
		c.Close()
	}
	t.Logf("dumps:\n%s", strings.Join(report, "\n"))

	cfg := &netlink.Config{NetNS: fd, Strict: true}
	typedCounts := map[string]int{}
	count := func(key string, err error) {
		if err != nil {
			var oe *netlink.OpError
			if errors.As(err, &oe) && typedCounts[key] == 0 {
				typedCounts[key] = 0
				return
			}
			t.Errorf("typed %s: %v", key, err)
			return
		}
		typedCounts[key]++
	}
	lc, err := rtlink.Dial(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer lc.Close()
	for l, err := range lc.GetlinkDump(nil) {
		count("rt-link getlink", err)
		if err == nil && !l.Ifname.Present {
			t.Errorf("typed link %d without a name", l.Header.IfiIndex)
		}
	}
	for _, err := range lc.GetstatsDump(&rtlink.StatsMsg{Header: rtlink.IfStatsMsg{FilterMask: 1}}) {
		count("rt-link getstats", err)
	}
	ac, err := rtaddr.Dial(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ac.Close()
	for _, err := range ac.GetaddrDump(nil) {
		count("rt-addr getaddr", err)
	}
	rc, err := rtroute.Dial(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	for _, err := range rc.GetrouteDump(nil) {
		count("rt-route getroute", err)
	}
	cc, err := nlctrl.Dial(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close()
	for _, err := range cc.GetfamilyDump(nil) {
		count("nlctrl getfamily", err)
	}
	for _, err := range cc.GetpolicyDump(&nlctrl.CtrlAttrs{FamilyName: nlctrl.Some("nlctrl")}) {
		count("nlctrl getpolicy", err)
	}
	nc, err := netdev.Dial(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	for _, err := range nc.DevGetDump(nil) {
		count("netdev dev-get", err)
	}
	for _, key := range []string{"rt-link getlink", "rt-link getstats", "rt-addr getaddr", "rt-route getroute", "nlctrl getfamily", "nlctrl getpolicy", "netdev dev-get"} {
		if typedCounts[key] != counts[key] || counts[key] == 0 {
			t.Errorf("%s: typed Client yielded %d, ynl %d", key, typedCounts[key], counts[key])
		}
	}
}
