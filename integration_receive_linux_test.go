//go:build linux

package netlink_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// Tests of the receive path at its extremes, against the kernel: datagrams
// above 32 KiB, a Conn reused after failed exchanges, and many goroutines
// on one Conn.

// readModes runs f with a Conn made by dial, reading into receive areas
// and by peeking.
func readModes(t *testing.T, dial func(t *testing.T) *netlink.Conn, f func(t *testing.T, c *netlink.Conn)) {
	for _, mode := range []string{"area", "peek"} {
		t.Run(mode, func(t *testing.T) {
			c := dial(t)
			if mode == "peek" {
				netlink.SetPeekOnly(c)
			}
			f(t, c)
		})
	}
}

// makeLinks creates n links named prefix000... in the namespace name.
func makeLinks(t *testing.T, name, prefix string, n int) {
	t.Helper()
	kind := linkKind(t)
	var lines strings.Builder
	for i := range n {
		fmt.Fprintf(&lines, "link add %s%03d type %s\n", prefix, i, kind)
	}
	runBatch(t, name, lines.String())
}

// runBatch runs ip -batch with the given commands in the namespace name.
func runBatch(t *testing.T, name, commands string) {
	t.Helper()
	batch := filepath.Join(t.TempDir(), "batch")
	if err := os.WriteFile(batch, []byte(commands), 0o600); err != nil {
		t.Fatal(err)
	}
	runIP(t, "-n", name, "-batch", batch)
}

// bigGetLink is an RTM_GETLINK request for ifindex, padded to about size
// bytes with an attribute of a type above IFLA_MAX, which the kernel's
// lenient parsing passes over.
func bigGetLink(t *testing.T, ifindex int32, size int) netlink.Message {
	t.Helper()
	data := make([]byte, unix.SizeofIfInfomsg)
	binary.NativeEndian.PutUint32(data[4:8], uint32(ifindex))
	ae := netlink.NewAttributeEncoder()
	ae.Bytes(0x3ff0, make([]byte, size))
	attrs, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return netlink.Message{
		Header: netlink.Header{Type: unix.RTM_GETLINK, Flags: netlink.Request},
		Data:   append(data, attrs...),
	}
}

func TestIntegrationLargeErrorAcknowledgement(t *testing.T) {
	fd, _ := newNetNS(t)

	// A 40 KiB request that fails is echoed whole in the error: the
	// datagram is above 40 KiB.
	t.Run("plain", func(t *testing.T) {
		readModes(t, func(t *testing.T) *netlink.Conn {
			return dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
		}, func(t *testing.T, c *netlink.Conn) {
			req := bigGetLink(t, 999999, 40<<10)
			for i := range 3 {
				_, err := c.Execute(req)
				var oe *netlink.OpError
				if !errors.As(err, &oe) || !errors.Is(err, unix.ENODEV) || err.Error() != "netlink receive: no such device" {
					t.Fatalf("try %d: got %v, want netlink receive: no such device", i, err)
				}
			}
		})
	})

	// The same with extended acknowledgements: the message and offset
	// after the echoed request are read too.
	t.Run("strict", func(t *testing.T) {
		readModes(t, func(t *testing.T) *netlink.Conn {
			return dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd, Strict: true})
		}, func(t *testing.T, c *netlink.Conn) {
			req := bigGetLink(t, 1, 40<<10)
			binary.NativeEndian.PutUint32(req.Data[8:12], unix.IFF_UP) // ifi_flags: refused when strict
			_, err := c.Execute(req)
			oe := wantOpError(t, err, unix.EINVAL)
			if !strings.Contains(oe.Message, "get link") {
				t.Errorf("Message %q, want the kernel's complaint about the get link request", oe.Message)
			}
			// And the Conn goes on.
			if links := dumpLinks(t, c); len(links) != 1 || links[0].Name != "lo" {
				t.Errorf("dump after the error: %v, want lo", links)
			}
		})
	})
}

// altnameLink creates a link with 300 alternative names of 124 bytes each,
// which make its RTM_NEWLINK message about 41 KiB, and returns their names.
func altnameLink(t *testing.T, ns, name string) []string {
	t.Helper()
	runIP(t, "-n", ns, "link", "add", name, "type", linkKind(t))
	var lines strings.Builder
	var names []string
	for i := range 300 {
		alt := fmt.Sprintf("%s-alt%03d-%s", name, i, strings.Repeat("x", 110))
		names = append(names, alt)
		fmt.Fprintf(&lines, "link property add dev %s altname %s\n", name, alt)
	}
	runBatch(t, ns, lines.String())
	return names
}

// linkAltnames decodes the name and the alternative names of an
// RTM_NEWLINK message.
func linkAltnames(t *testing.T, m netlink.Message) (string, []string) {
	t.Helper()
	if m.Header.Type != unix.RTM_NEWLINK || len(m.Data) < unix.SizeofIfInfomsg {
		t.Fatalf("not an RTM_NEWLINK message: %+v", m.Header)
	}
	ad, err := netlink.NewAttributeDecoder(m.Data[unix.SizeofIfInfomsg:])
	if err != nil {
		t.Fatal(err)
	}
	var name string
	var alts []string
	for ad.Next() {
		switch ad.Type() {
		case unix.IFLA_IFNAME:
			name = ad.String()
		case unix.IFLA_PROP_LIST:
			ad.Nested(func(nad *netlink.AttributeDecoder) error {
				for nad.Next() {
					if nad.Type() == unix.IFLA_ALT_IFNAME {
						alts = append(alts, nad.String())
					}
				}
				return nil
			})
		}
	}
	if err := ad.Err(); err != nil {
		t.Fatal(err)
	}
	return name, alts
}

// rtextFilterVF is RTEXT_FILTER_VF (include/uapi/linux/rtnetlink.h), which
// x/sys/unix does not define.
const rtextFilterVF = 1

// vfRequest asks for one link by name, or dumps them all, with the VF
// information that makes the kernel size its datagrams by the largest link.
func vfRequest(t *testing.T, name string) netlink.Message {
	t.Helper()
	ae := netlink.NewAttributeEncoder()
	if name != "" {
		ae.String(unix.IFLA_IFNAME, name)
	}
	ae.Uint32(unix.IFLA_EXT_MASK, rtextFilterVF)
	attrs, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}
	flags := netlink.Request
	if name == "" {
		flags |= netlink.Dump
	}
	return netlink.Message{
		Header: netlink.Header{Type: unix.RTM_GETLINK, Flags: flags},
		Data:   append(make([]byte, unix.SizeofIfInfomsg), attrs...),
	}
}

func TestIntegrationLargeLinkMessage(t *testing.T) {
	fd, ns := newNetNS(t)
	want := altnameLink(t, ns, "nlalt0")
	makeLinks(t, ns, "nlsmall", 20)

	check := func(t *testing.T, what string, m netlink.Message) {
		t.Helper()
		if m.Header.Length <= 32<<10 {
			t.Fatalf("%s: message of %d bytes, want one above 32 KiB", what, m.Header.Length)
		}
		name, alts := linkAltnames(t, m)
		if name != "nlalt0" {
			t.Fatalf("%s: link %q, want nlalt0", what, name)
		}
		if diff := cmp.Diff(want, alts); diff != "" {
			t.Fatalf("%s: alternative names (-want +got):\n%s", what, diff)
		}
	}

	t.Run("get and dump", func(t *testing.T) {
		readModes(t, func(t *testing.T) *netlink.Conn {
			return dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
		}, func(t *testing.T, c *netlink.Conn) {
			for i := range 2 {
				msgs, err := c.Execute(vfRequest(t, "nlalt0"))
				if err != nil || len(msgs) != 1 {
					t.Fatalf("get %d: %d messages, %v", i, len(msgs), err)
				}
				check(t, "get", msgs[0])

				msgs, err = c.Execute(vfRequest(t, ""))
				if err != nil {
					t.Fatalf("dump %d: %v", i, err)
				}
				links := parseLinks(t, msgs)
				if len(links) != 22 {
					t.Fatalf("dump %d: %d links, want 22: %v", i, len(links), linkNames(links))
				}
				for _, m := range msgs {
					if l, _ := parseLink(m); l.Name == "nlalt0" {
						check(t, "dump", m)
					}
				}
			}
		})
	})

	// The multicast notification of a change to the link.
	mtu := 1500
	t.Run("notification", func(t *testing.T) {
		readModes(t, func(t *testing.T) *netlink.Conn {
			return dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd, Groups: unix.RTMGRP_LINK})
		}, func(t *testing.T, c *netlink.Conn) {
			mtu--
			runIP(t, "-n", ns, "link", "set", "nlalt0", "mtu", fmt.Sprint(mtu))
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			for {
				msgs, err := c.Receive()
				if err != nil {
					t.Fatalf("waiting for the notification: %v", err)
				}
				if len(msgs) > 0 {
					if l, err := parseLink(msgs[0]); err == nil && l.Name == "nlalt0" {
						check(t, "notification", msgs[0])
						return
					}
				}
			}
		})
	})
}

// countLinks runs a link dump with Execute and checks that it returns
// want links, all of them whole.
func countLinks(t *testing.T, c *netlink.Conn, want int) {
	t.Helper()
	msgs, err := c.Execute(linkRequest(t, "", ""))
	if err != nil {
		t.Fatalf("dump: %v", err)
	}
	if links := parseLinks(t, msgs); len(links) != want {
		t.Fatalf("dump: %d links, want %d", len(links), want)
	}
}

func TestIntegrationInStepAfterFailure(t *testing.T) {
	fd, ns := newNetNS(t)
	const n = 200
	makeLinks(t, ns, "nlstep", n)
	const want = n + 1 // and lo

	tests := []struct {
		name string
		fail func(t *testing.T, c *netlink.Conn)
	}{
		{"Execute past its deadline", func(t *testing.T, c *netlink.Conn) {
			c.SetReadDeadline(time.Now().Add(-time.Second))
			_, err := c.Execute(linkRequest(t, "", ""))
			if !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("Execute: got %v, want a timeout", err)
			}
		}},
		{"deadline in the middle of a dump", func(t *testing.T, c *netlink.Conn) {
			if _, err := c.Send(linkRequest(t, "", "")); err != nil {
				t.Fatal(err)
			}
			k := 0
			for _, err := range c.ReceiveIter() {
				if err != nil {
					if !errors.Is(err, os.ErrDeadlineExceeded) || k == 0 {
						t.Fatalf("after %d messages: got %v, want a timeout", k, err)
					}
					break
				}
				if k++; k == 10 {
					c.SetReadDeadline(time.Now().Add(-time.Second))
				}
			}
		}},
		{"Receive in the middle of a dump past its deadline", func(t *testing.T, c *netlink.Conn) {
			if _, err := c.Send(linkRequest(t, "", "")); err != nil {
				t.Fatal(err)
			}
			c.SetReadDeadline(time.Now().Add(-time.Second))
			if _, err := c.Receive(); !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("Receive: got %v, want a timeout", err)
			}
		}},
		{"ReceiveIter stopped early", func(t *testing.T, c *netlink.Conn) {
			if _, err := c.Send(linkRequest(t, "", "")); err != nil {
				t.Fatal(err)
			}
			k := 0
			for _, err := range c.ReceiveIter() {
				if err != nil {
					t.Fatal(err)
				}
				if k++; k == 10 {
					break
				}
			}
		}},
		{"a dump that fails", func(t *testing.T, c *netlink.Conn) {
			// Strict checking refuses a dump header with flags set.
			if err := c.SetOption(netlink.GetStrictCheck, true); err != nil {
				t.Fatal(err)
			}
			bogus := linkRequest(t, "", "")
			binary.NativeEndian.PutUint32(bogus.Data[8:12], unix.IFF_UP)
			if _, err := c.Execute(bogus); !errors.Is(err, unix.EINVAL) {
				t.Fatalf("Execute: got %v, want EINVAL", err)
			}
		}},
		{"several failures in a row", func(t *testing.T, c *netlink.Conn) {
			for range 3 {
				if _, err := c.Send(linkRequest(t, "", "")); err != nil {
					t.Fatal(err)
				}
				c.SetReadDeadline(time.Now().Add(-time.Second))
				c.Receive()
				c.SetReadDeadline(time.Time{})
				c.Execute(linkRequest(t, "", "")) // may fail: EBUSY
			}
			c.SetReadDeadline(time.Now().Add(-time.Second))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			readModes(t, func(t *testing.T) *netlink.Conn {
				return dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
			}, func(t *testing.T, c *netlink.Conn) {
				tt.fail(t, c)
				c.SetReadDeadline(time.Now().Add(10 * time.Second))
				for range 5 {
					countLinks(t, c, want)
				}
				// A single answer too, and its acknowledgement.
				msgs, err := c.Execute(netlink.Message{
					Header: netlink.Header{Type: unix.RTM_GETLINK, Flags: netlink.Request | netlink.Acknowledge},
					Data:   bigGetLink(t, 1, 0).Data[:unix.SizeofIfInfomsg],
				})
				if err != nil || len(msgs) != 1 {
					t.Fatalf("get lo: %d messages, %v", len(msgs), err)
				}
			})
		})
	}
}

func TestIntegrationListenerAndExecute(t *testing.T) {
	fd, ns := newNetNS(t)
	const n = 200
	makeLinks(t, ns, "nllis", n)
	const want = n + 1

	c := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
	if err := c.JoinGroup(unix.RTNLGRP_LINK); err != nil {
		t.Fatal(err)
	}

	// A listener loops on Receive; it must get no message of the dumps.
	var (
		wg      sync.WaitGroup
		stop    = make(chan struct{})
		heard   int
		lisErrs []error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
			msgs, err := c.Receive()
			if err != nil {
				if !errors.Is(err, os.ErrDeadlineExceeded) {
					lisErrs = append(lisErrs, err)
				}
				continue
			}
			heard += len(msgs)
		}
	}()

	for i := 0; i < 5; {
		msgs, err := c.Execute(linkRequest(t, "", ""))
		if errors.Is(err, os.ErrDeadlineExceeded) {
			// The listener's short deadline applies to the whole
			// Conn; try again.
			continue
		}
		i++
		if err != nil {
			t.Errorf("Execute %d: %v", i, err)
			continue
		}
		if len(msgs) != want {
			t.Errorf("Execute %d: %d links, want %d", i, len(msgs), want)
		}
	}
	close(stop)
	wg.Wait()
	if heard != 0 || len(lisErrs) > 0 {
		t.Errorf("listener got %d messages and errors %v, want none", heard, lisErrs)
	}
}

func TestIntegrationConcurrentReceivers(t *testing.T) {
	fd, ns := newNetNS(t)
	const n = 200
	makeLinks(t, ns, "nlrcv", n)
	const want = n + 1

	c := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
	for round := range 3 {
		if _, err := c.Send(linkRequest(t, "", "")); err != nil {
			t.Fatal(err)
		}
		c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
		type result struct {
			n   int
			err error
		}
		results := make(chan result, 2)
		for range 2 {
			go func() {
				msgs, err := c.Receive()
				results <- result{len(msgs), err}
			}()
		}
		a, b := <-results, <-results
		if a.err != nil {
			a, b = b, a
		}
		if a.err != nil || a.n != want || !errors.Is(b.err, os.ErrDeadlineExceeded) || b.n != 0 {
			t.Fatalf("round %d: receivers got (%d, %v) and (%d, %v); want all %d links and a timeout", round, a.n, a.err, b.n, b.err, want)
		}
		c.SetReadDeadline(time.Time{})
	}
}

func TestIntegrationUnpaddedDatagram(t *testing.T) {
	// A sender that leaves the padding off its last message: 133 bytes
	// on the wire, 136 in the header. Sent to the Conn's own port from
	// its own socket.
	readModes(t, func(t *testing.T) *netlink.Conn {
		return dialT(t, unix.NETLINK_USERSOCK, nil)
	}, func(t *testing.T, c *netlink.Conn) {
		sendRaw := func(b []byte) {
			t.Helper()
			rc, err := c.SyscallConn()
			if err != nil {
				t.Fatal(err)
			}
			var serr error
			err = rc.Write(func(fd uintptr) bool {
				serr = unix.Sendto(int(fd), b, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Pid: c.PID()})
				return true
			})
			if err != nil || serr != nil {
				t.Fatalf("sendto: %v, %v", err, serr)
			}
		}
		c.SetReadDeadline(time.Now().Add(5 * time.Second))

		first := userMessage(1, 20, 1) // 36 bytes, padded to 36
		last := userMessage(2, 120, 2) // 136 bytes
		wire := append(mustMarshal(t, first), mustMarshal(t, last)[:133]...)
		sendRaw(wire[:36+133])
		got, err := c.Receive()
		if err != nil {
			t.Fatal(err)
		}
		wantLast := last
		wantLast.Data = append(append([]byte(nil), last.Data[:117]...), 0, 0, 0)
		if diff := cmp.Diff([]netlink.Message{first, wantLast}, got); diff != "" {
			t.Fatalf("messages (-want +got):\n%s", diff)
		}

		// Four bytes short is not missing padding: an error.
		sendRaw(mustMarshal(t, last)[:132])
		if _, err := c.Receive(); err == nil {
			t.Fatal("a message 4 bytes short of its length: no error")
		}
		// And the next datagram is read as usual.
		sendRaw(mustMarshal(t, first))
		if got, err := c.Receive(); err != nil || len(got) != 1 {
			t.Fatalf("after the error: %v, %v", got, err)
		}
	})
}

func mustMarshal(t *testing.T, m netlink.Message) []byte {
	t.Helper()
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestIntegrationDrainKeepsNotifications(t *testing.T) {
	fd, ns := newNetNS(t)
	makeLinks(t, ns, "nlkeep", 100)
	const want = 101
	c := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd, Groups: unix.RTMGRP_LINK})

	// A dump abandoned at once, then a notification queued behind it.
	c.SetReadDeadline(time.Now().Add(-time.Second))
	if _, err := c.Execute(linkRequest(t, "", "")); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Execute: %v, want a timeout", err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	runIP(t, "-n", ns, "link", "add", "nlkeepnew", "type", linkKind(t))

	// The next Execute drains the abandoned dump and gets its own reply
	// (with the new link); the notification is kept for Receive.
	countLinks(t, c, want+1)
	msgs, err := c.Receive()
	if err != nil {
		t.Fatalf("Receive: %v", err)
	}
	var names []string
	for _, m := range msgs {
		if l, err := parseLink(m); err == nil {
			names = append(names, l.Name)
		}
	}
	if !slices.Contains(names, "nlkeepnew") {
		t.Fatalf("Receive after the drain: links %v, want the notification for nlkeepnew", names)
	}
}
