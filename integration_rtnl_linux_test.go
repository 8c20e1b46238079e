//go:build linux

package netlink_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// rtnetlink tests. Each runs in a network namespace of its own, so that it
// sees only the links it made.

// linkRequest builds an RTM_NEWLINK request creating a link of the given
// kind, or an RTM_GETLINK dump when name is empty.
func linkRequest(t testing.TB, name, kind string) netlink.Message {
	t.Helper()
	data := make([]byte, unix.SizeofIfInfomsg)
	if name == "" {
		return netlink.Message{
			Header: netlink.Header{Type: unix.RTM_GETLINK, Flags: netlink.Request | netlink.Dump},
			Data:   data,
		}
	}
	ae := netlink.NewAttributeEncoder()
	ae.String(unix.IFLA_IFNAME, name)
	ae.Nested(unix.IFLA_LINKINFO, func(nae *netlink.AttributeEncoder) error {
		nae.String(unix.IFLA_INFO_KIND, kind)
		return nil
	})
	attrs, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return netlink.Message{
		Header: netlink.Header{
			Type:  unix.RTM_NEWLINK,
			Flags: netlink.Request | netlink.Acknowledge | netlink.Create | netlink.Excl,
		},
		Data: append(data, attrs...),
	}
}

// addLink creates a link and checks that the kernel acknowledged it.
func addLink(c *netlink.Conn, name, kind string, t testing.TB) error {
	msgs, err := c.Execute(linkRequest(t, name, kind))
	if err != nil {
		return err
	}
	if len(msgs) != 1 || msgs[0].Header.Type != netlink.Error || binary.NativeEndian.Uint32(msgs[0].Data) != 0 {
		return fmt.Errorf("creating %s: reply is not an acknowledgement: %+v", name, msgs)
	}
	return nil
}

var linkKindOnce struct {
	sync.Once
	kind string
	err  error
}

// linkKind returns a link kind the kernel can create: dummy, or ifb where
// dummy is not built. It probes with a link that it deletes again.
func linkKind(t *testing.T) string {
	t.Helper()
	skipUnlessRoot(t) // before the Once, which a skip would end for good
	linkKindOnce.Do(func() {
		fd, _ := newNetNS(t)
		c := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
		for _, k := range []string{"dummy", "ifb"} {
			if linkKindOnce.err = addLink(c, "nlprobe0", k, t); linkKindOnce.err == nil {
				linkKindOnce.kind = k
				return
			}
		}
	})
	if linkKindOnce.kind == "" {
		t.Fatalf("cannot create a dummy or ifb link: %v", linkKindOnce.err)
	}
	return linkKindOnce.kind
}

type link struct {
	Index int32
	Name  string
}

// parseLink decodes an RTM_NEWLINK message.
func parseLink(m netlink.Message) (link, error) {
	if m.Header.Type != unix.RTM_NEWLINK || len(m.Data) < unix.SizeofIfInfomsg {
		return link{}, fmt.Errorf("not an RTM_NEWLINK message: %+v", m.Header)
	}
	l := link{Index: int32(binary.NativeEndian.Uint32(m.Data[4:8]))}
	ad, err := netlink.NewAttributeDecoder(m.Data[unix.SizeofIfInfomsg:])
	if err != nil {
		return link{}, err
	}
	for ad.Next() {
		if ad.Type() == unix.IFLA_IFNAME {
			l.Name = ad.String()
		}
	}
	return l, ad.Err()
}

func parseLinks(t *testing.T, msgs []netlink.Message) []link {
	t.Helper()
	links := make([]link, 0, len(msgs))
	for _, m := range msgs {
		l, err := parseLink(m)
		if err != nil {
			t.Fatal(err)
		}
		links = append(links, l)
	}
	return links
}

func dumpLinks(t *testing.T, c *netlink.Conn) []link {
	t.Helper()
	msgs, err := c.Execute(linkRequest(t, "", ""))
	if err != nil {
		t.Fatalf("link dump: %v", err)
	}
	return parseLinks(t, msgs)
}

func linkNames(links []link) []string {
	var names []string
	for _, l := range links {
		names = append(names, l.Name)
	}
	slices.Sort(names)
	return names
}

// threadNetNS names the network namespace of the calling thread.
func threadNetNS(t *testing.T) string {
	t.Helper()
	ns, err := os.Readlink(fmt.Sprintf("/proc/self/task/%d/ns/net", unix.Gettid()))
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

func TestIntegrationLinksInNamespace(t *testing.T) {
	kind := linkKind(t)
	fd, _ := newNetNS(t)

	// The calling thread stays where it was.
	runtime.LockOSThread()
	before := threadNetNS(t)
	c := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
	after := threadNetNS(t)
	runtime.UnlockOSThread()
	if before != after {
		t.Fatalf("Dial moved the calling thread from %s to %s", before, after)
	}

	for _, name := range []string{"nlt0", "nlt1", "nlt2"} {
		if err := addLink(c, name, kind, t); err != nil {
			t.Fatalf("creating %s: %v", name, err)
		}
	}
	err := addLink(c, "nlt0", kind, t)
	if !errors.Is(err, unix.EEXIST) {
		t.Fatalf("creating nlt0 again: got %v, want EEXIST", err)
	}

	// The dump shows the namespace's links only: its loopback and ours.
	links := dumpLinks(t, c)
	if diff := cmp.Diff([]string{"lo", "nlt0", "nlt1", "nlt2"}, linkNames(links)); diff != "" {
		t.Fatalf("links (-want +got):\n%s", diff)
	}
	for _, l := range links {
		if l.Name == "lo" && l.Index != 1 {
			t.Errorf("lo has index %d, want 1", l.Index)
		}
	}

	// None of them is in the namespace of the test.
	host := dialT(t, unix.NETLINK_ROUTE, nil)
	for _, l := range dumpLinks(t, host) {
		if strings.HasPrefix(l.Name, "nlt") {
			t.Errorf("link %q of the private namespace seen from the test's namespace", l.Name)
		}
	}
}

func TestIntegrationNamespaceThreads(t *testing.T) {
	fd, _ := newNetNS(t)
	runtime.LockOSThread()
	home := threadNetNS(t)
	runtime.UnlockOSThread()

	// Many Dials into the namespace at once, from many goroutines.
	var wg sync.WaitGroup
	errc := make(chan error, 32)
	for range 32 {
		wg.Go(func() {
			c, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
			if err != nil {
				errc <- err
				return
			}
			errc <- c.Close()
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatal(err)
		}
	}

	// No thread of the process is left in the namespace.
	tasks, err := filepath.Glob("/proc/self/task/*/ns/net")
	if err != nil || len(tasks) == 0 {
		t.Fatalf("listing threads: %v", err)
	}
	for _, p := range tasks {
		ns, err := os.Readlink(p)
		if err != nil {
			continue // the thread exited
		}
		if ns != home {
			t.Errorf("%s is in %s, want %s", p, ns, home)
		}
	}
}

// waitLinkEvent receives until an RTM_NEWLINK for name arrives, or the
// deadline passes.
func waitLinkEvent(c *netlink.Conn, name string, timeout time.Duration) error {
	if err := c.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	defer c.SetReadDeadline(time.Time{})
	for {
		msgs, err := c.Receive()
		if err != nil {
			return err
		}
		for _, m := range msgs {
			if l, err := parseLink(m); err == nil && l.Name == name {
				return nil
			}
		}
	}
}

func TestIntegrationMulticastLinkEvents(t *testing.T) {
	kind := linkKind(t)
	fd, _ := newNetNS(t)

	joined := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
	if err := joined.JoinGroup(unix.RTNLGRP_LINK); err != nil {
		t.Fatalf("JoinGroup: %v", err)
	}
	bound := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd, Groups: unix.RTMGRP_LINK})
	idle := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
	maker := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})

	if err := addLink(maker, "nlev0", kind, t); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*netlink.Conn{"JoinGroup": joined, "Config.Groups": bound} {
		if err := waitLinkEvent(c, "nlev0", 5*time.Second); err != nil {
			t.Errorf("%s: no event for nlev0: %v", name, err)
		}
	}
	if err := waitLinkEvent(idle, "nlev0", 100*time.Millisecond); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("a socket in no group: got %v, want no event before the deadline", err)
	}

	// After LeaveGroup, only the other listener hears of the next link.
	if err := joined.LeaveGroup(unix.RTNLGRP_LINK); err != nil {
		t.Fatalf("LeaveGroup: %v", err)
	}
	drain(joined)
	if err := addLink(maker, "nlev1", kind, t); err != nil {
		t.Fatal(err)
	}
	if err := waitLinkEvent(bound, "nlev1", 5*time.Second); err != nil {
		t.Fatalf("Config.Groups: no event for nlev1: %v", err)
	}
	if err := waitLinkEvent(joined, "nlev1", 200*time.Millisecond); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("after LeaveGroup: got %v, want no event before the deadline", err)
	}
}

// drain discards whatever c has queued.
func drain(c *netlink.Conn) {
	c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	for {
		if _, err := c.Receive(); err != nil {
			break
		}
	}
	c.SetReadDeadline(time.Time{})
}

func TestIntegrationExtendedAcknowledge(t *testing.T) {
	// A link dump whose header asks for a filter the kernel does not
	// have is refused under strict checking, and ignored otherwise.
	bogus := linkRequest(t, "", "")
	binary.NativeEndian.PutUint32(bogus.Data[8:12], unix.IFF_UP) // ifi_flags

	lax := dialT(t, unix.NETLINK_ROUTE, nil)
	if _, err := lax.Execute(bogus); err != nil {
		t.Fatalf("without Strict: %v", err)
	}

	strict := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{Strict: true})
	_, err := strict.Execute(bogus)
	oe := wantOpError(t, err, unix.EINVAL)
	if !strings.Contains(oe.Message, "link dump") {
		t.Errorf("Message %q, want the kernel's complaint about the link dump request", oe.Message)
	}
	t.Logf("strict dump: %v", err)

	t.Run("attributes", func(t *testing.T) {
		fd, _ := newNetNS(t)
		c := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd, Strict: true})

		_, err := c.Execute(linkRequest(t, "nlbad0", "nltest-no-such-kind"))
		oe := wantOpError(t, err, unix.EOPNOTSUPP)
		if !strings.Contains(oe.Message, "Unknown device type") {
			t.Errorf("unknown kind: Message %q, want the kernel's %q", oe.Message, "Unknown device type")
		}
		t.Logf("unknown kind: %v", err)

		// A name longer than IFNAMSIZ fails validation of the first
		// attribute, right after the header and the ifinfomsg.
		_, err = c.Execute(linkRequest(t, strings.Repeat("n", 40), linkKind(t)))
		// Kernels before 6.x said EINVAL, later ones ERANGE.
		errno := unix.EINVAL
		if errors.Is(err, unix.ERANGE) {
			errno = unix.ERANGE
		}
		oe = wantOpError(t, err, errno)
		if want := 16 + unix.SizeofIfInfomsg; oe.Offset != want || oe.Message == "" {
			t.Errorf("long name: Offset %d, Message %q; want offset %d and a message", oe.Offset, oe.Message, want)
		}
		t.Logf("long name: %v", err)
	})
}

// wantOpError checks that err is an *OpError for errno carrying an
// extended acknowledgement message, and returns it.
func wantOpError(t *testing.T, err error, errno unix.Errno) *netlink.OpError {
	t.Helper()
	var oe *netlink.OpError
	if !errors.As(err, &oe) || !errors.Is(err, errno) {
		t.Fatalf("got %v (%T), want an *OpError for %v", err, err, errno)
	}
	if oe.Message == "" || !strings.Contains(err.Error(), oe.Message) {
		t.Errorf("error %q: want a non-empty extended acknowledgement message in the text", err)
	}
	return oe
}

func TestIntegrationLargeDump(t *testing.T) {
	kind := linkKind(t)
	fd, name := newNetNS(t)

	const n = 300
	batch := filepath.Join(t.TempDir(), "links")
	var lines strings.Builder
	want := []string{"lo"}
	for i := range n {
		fmt.Fprintf(&lines, "link add nlbig%03d type %s\n", i, kind)
		want = append(want, fmt.Sprintf("nlbig%03d", i))
	}
	if err := os.WriteFile(batch, []byte(lines.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	runIP(t, "-n", name, "-batch", batch)

	for _, tt := range []struct {
		name    string
		bufSize int
		iter    bool
		perDgrm int // recvmsg calls per datagram
	}{
		{"Execute", 0, false, 1},
		{"ExecuteBuf32K", 32 << 10, false, 1},
		{"ReceiveIter", 0, true, 1},
		{"ReceiveIterBuf32K", 32 << 10, true, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd, MessageBufferSize: tt.bufSize})
			dump := func() []netlink.Message {
				if !tt.iter {
					msgs, err := c.Execute(linkRequest(t, "", ""))
					if err != nil {
						t.Fatal(err)
					}
					return msgs
				}
				if _, err := c.Send(linkRequest(t, "", "")); err != nil {
					t.Fatal(err)
				}
				var msgs []netlink.Message
				for m, err := range c.ReceiveIter() {
					if err != nil {
						t.Fatal(err)
					}
					msgs = append(msgs, m)
				}
				return msgs
			}

			// Twice: the first dump runs before the kernel has seen
			// how large a buffer this socket reads with.
			for round := range 2 {
				calls := netlink.RecvmsgCalls(c)
				msgs := dump()
				calls = netlink.RecvmsgCalls(c) - calls

				if diff := cmp.Diff(want, linkNames(parseLinks(t, msgs))); diff != "" {
					t.Fatalf("links (-want +got):\n%s", diff)
				}
				bytes := 0
				for _, m := range msgs {
					bytes += int(m.Header.Length)
				}
				dgrams := calls / tt.perDgrm
				if !netlink.ReceiveAreasUsable() {
					// Reads peek first: two calls a datagram.
					dgrams /= 2
				}
				t.Logf("round %d: %d messages, %d bytes, %d recvmsg calls, %d datagrams (%.1f KiB each)",
					round, len(msgs), bytes, calls, dgrams, float64(bytes)/float64(dgrams)/1024)
				// 32 KiB datagrams, but for a small first one and
				// the one holding Done; 4 KiB ones would need 8
				// times as many.
				if max := bytes/(28<<10) + 3; dgrams > max {
					t.Errorf("%d datagrams for %d bytes, want at most %d", dgrams, bytes, max)
				}
			}

			// Messages stay valid after later dumps.
			first := dump()
			names := linkNames(parseLinks(t, first))
			_ = dump()
			if diff := cmp.Diff(names, linkNames(parseLinks(t, first))); diff != "" {
				t.Fatalf("messages changed by a later receive (-before +after):\n%s", diff)
			}

			var msgs int
			allocs := testing.AllocsPerRun(5, func() { msgs = len(dump()) })
			t.Logf("%.0f allocations per dump of %d messages: %.3f per message", allocs, msgs, allocs/float64(msgs))
			// About one per datagram and a few per dump; not one or
			// more per message.
			if allocs/float64(msgs) > 0.25 {
				t.Errorf("%.0f allocations per dump of %d messages, want at most a quarter per message", allocs, msgs)
			}
		})
	}
}
