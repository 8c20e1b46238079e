//go:build linux

package ynl_test

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl"
	"github.com/mdlayher/netlink/ynl/spec"
)

var netnsSeq atomic.Int32

// newNetNS creates a network namespace for the test and returns an open
// descriptor of it and its name.
func newNetNS(t *testing.T) (int, string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces and links")
	}
	name := fmt.Sprintf("ynltest-%d-%d", os.Getpid(), netnsSeq.Add(1))
	run(t, "ip", "netns", "add", name)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", name).Run() })
	f, err := os.Open("/var/run/netns/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return int(f.Fd()), name
}

func run(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// tryRun runs a command that needs a kernel module that may be missing,
// and says so in the log when it fails.
func tryRun(t *testing.T, args ...string) bool {
	t.Helper()
	if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
		t.Logf("not available: %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
		return false
	}
	return true
}

// populate fills the namespace ns with links of several kinds, addresses,
// routes and a qdisc.
func populate(t *testing.T, ns string) {
	ip := func(args ...string) { run(t, append([]string{"ip", "-n", ns}, args...)...) }
	ip("link", "set", "lo", "up")
	ip("link", "add", "ifb0", "type", "ifb")
	ip("link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
	ip("link", "add", "br0", "type", "bridge")
	ip("link", "set", "veth1", "master", "br0")
	// Kinds that need modules this kernel may lack.
	tryRun(t, "ip", "-n", ns, "link", "add", "link", "veth0", "name", "veth0.10", "type", "vlan", "id", "10")
	tryRun(t, "ip", "-n", ns, "link", "add", "link", "veth0", "name", "mv0", "type", "macvlan", "mode", "bridge")
	tryRun(t, "ip", "-n", ns, "link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "local", "192.0.2.1")
	for _, l := range []string{"ifb0", "veth0", "veth1", "br0"} {
		ip("link", "set", l, "up")
	}
	ip("addr", "add", "192.0.2.1/24", "dev", "veth0")
	ip("addr", "add", "2001:db8::1/64", "dev", "veth0", "nodad")
	ip("addr", "add", "198.51.100.1/24", "dev", "br0")
	ip("route", "add", "203.0.113.0/24", "via", "192.0.2.2", "dev", "veth0")
	ip("route", "add", "2001:db8:1::/48", "via", "2001:db8::2", "dev", "veth0")
	tryRun(t, "ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", "ifb0", "root", "handle", "1:", "fq_codel")
	if tryRun(t, "ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", "veth0", "root", "handle", "1:", "htb") {
		tryRun(t, "ip", "netns", "exec", ns, "tc", "class", "add", "dev", "veth0", "parent", "1:", "classid", "1:1", "htb", "rate", "1mbit")
	}
	tryRun(t, "ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", "br0", "root", "handle", "1:", "prio")
}

// decodeExceptions lists attributes that a dump may carry undecoded, by
// family, operation and path, with the reason.
var decodeExceptions = map[string]string{
	// The 6.12 spec describes the kind-specific data of some link kinds
	// only; macvlan's and vxlan's stay bytes (and encode back the same).
	`rt-link getlink /linkinfo/data: sub-message linkinfo-data-msg has no format for kind "macvlan"`: "no macvlan format in the 6.12 spec",
	`rt-link getlink /linkinfo/data: sub-message linkinfo-data-msg has no format for kind "vxlan"`:   "no vxlan format in the 6.12 spec",
}

// TestIntegrationDumpEveryFamily runs every dump operation of every
// family that the kernel has, with an empty request, in a namespace with
// links, addresses, routes and qdiscs. Every message must decode with no
// unknown attribute (but those in decodeExceptions) and encode back into
// the same bytes.
func TestIntegrationDumpEveryFamily(t *testing.T) {
	fd, ns := newNetNS(t)
	populate(t, ns)
	seeds := os.Getenv("YNL_WRITE_SEEDS") != ""
	var report []string
	for _, f := range ynl.Families() {
		c, err := ynl.Dial(f, &netlink.Config{NetNS: fd, Strict: true})
		if ynl.IsNotAvailable(err) {
			report = append(report, fmt.Sprintf("%-13s not in this kernel", f.Name))
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", f.Name, err)
			continue
		}
		for _, op := range f.Ops {
			kernelDump := f.Name == "tc" && op.Do != nil && op.Do.Reply != nil && strings.HasPrefix(op.Name, "get")
			if (op.Dump == nil && !kernelDump) || op.Request == 0 {
				continue
			}
			n, refused, err := dumpOne(t, c, f, op, seeds)
			switch {
			case err != nil:
				t.Errorf("%s %s: %v", f.Name, op.Name, err)
			case refused != nil:
				report = append(report, fmt.Sprintf("%-13s %-22s needs arguments: %v", f.Name, op.Name, refused))
			default:
				report = append(report, fmt.Sprintf("%-13s %-22s %4d messages", f.Name, op.Name, n))
			}
		}
		c.Close()
	}
	t.Logf("dumps:\n%s", strings.Join(report, "\n"))
}

// dumpOne runs one dump and checks each message. refused is the kernel's
// error when it refuses the empty request.
func dumpOne(t *testing.T, c *ynl.Client, f *spec.Family, op spec.Op, seeds bool) (n int, refused error, err error) {
	var written int
	msgs := c.Dump(op.Name, nil)
	if op.Dump == nil {
		// The 6.12 tc spec gives getqdisc, gettclass and getchain a do
		// form only, but the kernel dumps them all the same.
		req, _, err := c.Request(op.Name, false, nil)
		if err != nil {
			return 0, nil, err
		}
		req.Header.Flags = netlink.Request | netlink.Dump
		msgs = func(yield func(*ynl.Message, error) bool) {
			for r, err := range c.Conn().ExecuteIter(req) {
				if err != nil {
					yield(nil, &ynl.Error{Err: err})
					return
				}
				if !yield(ynl.Decode(f, r)) {
					return
				}
			}
		}
	}
	for m, err := range msgs {
		var ke *ynl.Error
		if errors.As(err, &ke) && n == 0 {
			return 0, ke.Err, nil
		}
		if err != nil {
			return n, nil, fmt.Errorf("message %d: %w", n, err)
		}
		n++
		var probs []string
		problems(m.Attrs, "", &probs)
		for _, p := range probs {
			key := f.Name + " " + op.Name + " " + p
			if _, ok := decodeExceptions[key]; !ok {
				t.Errorf("%s %s: message %d (%s): not decoded: %s", f.Name, op.Name, n, m.Op.Name, p)
			}
		}
		raw := netlink.Message{Header: m.Header, Data: m.Data}
		back, err := ynl.Encode(f, m)
		if err != nil {
			return n, nil, fmt.Errorf("encoding message %d: %w", n, err)
		}
		if hex.EncodeToString(back.Data) != hex.EncodeToString(raw.Data) {
			t.Errorf("%s %s: message %d encodes differently:\n got %x\nwant %x", f.Name, op.Name, n, back.Data, raw.Data)
		}
		if seeds && written < 2 && len(raw.Data) < 4096 {
			writeSeed(t, f.Name, op.Name, written, raw)
			written++
		}
	}
	return n, nil, nil
}

// writeSeed stores a message as a seed of the fuzz tests.
func writeSeed(t *testing.T, family, op string, i int, m netlink.Message) {
	dir := filepath.Join("testdata", "messages")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("%s_%s_%d.hex", family, op, i)
	body := fmt.Sprintf("%s %d\n%x\n", family, m.Header.Type, m.Data)
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
