//go:build linux

package netlink_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// Tests of the address space the package reserves to receive. Each runs in
// a child process of its own (this test binary, run again for that one
// test), whose VmSize no other test moves and whose limits touch no other
// test.

// childEnv names the test a child process runs.
const childEnv = "NETLINK_TEST_CHILD"

// inChild reports whether this process is the child made to run t. When it
// is not, inChild runs that child, fails or skips t as the child did, and
// returns false.
func inChild(t *testing.T) bool {
	t.Helper()
	if os.Getenv(childEnv) == t.Name() {
		return true
	}
	skipUnlessRoot(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v")
	// glibc gives each thread that calls malloc (with cgo, every thread
	// the runtime makes) an arena of 64 MiB of address space: one will
	// do, so that VmSize tells what the tests look at.
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name(), "MALLOC_ARENA_MAX=1")
	out, err := cmd.CombinedOutput()
	switch {
	case err != nil:
		// A fatal error's goroutine dump says little past its start.
		if len(out) > 8<<10 {
			out = append(out[:8<<10], "\n[...]"...)
		}
		t.Fatalf("child process: %v\n%s", err, out)
	case strings.Contains(string(out), "--- SKIP"):
		t.Skipf("child process skipped:\n%s", out)
	}
	t.Logf("child process:\n%s", out)
	return false
}

// vmSize returns the process's VmSize in bytes.
func vmSize(t *testing.T) int64 {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmSize:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("VmSize line %q: %v", sc.Text(), err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmSize in /proc/self/status")
	return 0
}

// addrSpaceNetNS makes a namespace holding 100 ifb links besides lo, for
// dumps of some 30 KiB.
func addrSpaceNetNS(t *testing.T) int {
	t.Helper()
	fd, ns := newNetNS(t)
	var lines strings.Builder
	for i := range 100 {
		fmt.Fprintf(&lines, "link add nlas%03d type ifb\n", i)
	}
	runBatch(t, ns, lines.String())
	return fd
}

// dumpsAtOnce dials conns Conns in the namespace fd and has each dump the
// links rounds times, all at once; with peek set, the Conns read by peeking
// rather than into receive areas. It returns the first failure.
func dumpsAtOnce(fd, conns, rounds int, peek bool) error {
	req := netlink.Message{
		Header: netlink.Header{Type: unix.RTM_GETLINK, Flags: netlink.Request | netlink.Dump},
		Data:   make([]byte, unix.SizeofIfInfomsg),
	}
	errs := make(chan error, conns)
	for range conns {
		go func() {
			c, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			if peek {
				netlink.SetPeekOnly(c)
			}
			for range rounds {
				msgs, err := c.Execute(req)
				if err == nil && len(msgs) != 101 {
					err = fmt.Errorf("dump of %d links, want 101", len(msgs))
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	var first error
	for range conns {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// readersAtOnce has n goroutines, each on a NETLINK_USERSOCK Conn of its
// own, wait in Receive for datagrams of size bytes, rounds times, while one
// peer sends to each in turn; peek is as for dumpsAtOnce. It returns the
// first failure.
func readersAtOnce(n, rounds, size int, peek bool) error {
	peer, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_USERSOCK)
	if err != nil {
		return err
	}
	defer unix.Close(peer)
	if err := unix.Bind(peer, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return err
	}
	if err := unix.SetsockoptInt(peer, unix.SOL_SOCKET, unix.SO_SNDBUFFORCE, 4*size); err != nil {
		return err
	}

	conns := make([]*netlink.Conn, n)
	for i := range conns {
		c, err := netlink.Dial(unix.NETLINK_USERSOCK, nil)
		if err != nil {
			return err
		}
		defer c.Close()
		if peek {
			netlink.SetPeekOnly(c)
		}
		c.SetReadDeadline(time.Now().Add(time.Minute))
		conns[i] = c
	}
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				msgs, err := c.Receive()
				if err == nil && (len(msgs) != 1 || len(msgs[0].Data) != size-16) {
					err = fmt.Errorf("got %d messages, want one of %d bytes", len(msgs), size)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	m := userMessage(1, size-16, 1)
	wire, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	for range rounds {
		for _, c := range conns {
			if err := unix.Sendto(peer, wire, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Pid: c.PID()}); err != nil {
				return err
			}
		}
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// maxRecvReservation is the most address space the package may reserve
// for receiving.
const maxRecvReservation = 256 << 20

func TestIntegrationReceiveAddressSpace(t *testing.T) {
	if !inChild(t) {
		return
	}
	fd := addrSpaceNetNS(t)

	// The workload: dumps on 16 Conns at once, then 200 readers waiting
	// at once for 40 KiB datagrams, then the dumps again.
	work := func(peek bool) {
		t.Helper()
		if err := dumpsAtOnce(fd, 16, 5, peek); err != nil {
			t.Fatalf("dumps: %v", err)
		}
		if err := readersAtOnce(200, 3, 40<<10, peek); err != nil {
			t.Fatalf("readers: %v", err)
		}
		if err := dumpsAtOnce(fd, 16, 5, peek); err != nil {
			t.Fatalf("dumps: %v", err)
		}
	}
	// Run first with every Conn peeking, which takes no receive area:
	// the Go runtime then grows its heap and makes its threads for this
	// workload, and keeps them, so that what VmSize gains in the second
	// run is the receive areas' (and noise).
	work(true)
	runtime.GC()
	before := vmSize(t)
	work(false)
	after := vmSize(t)

	t.Logf("VmSize: %d MiB before, %d MiB after", before>>20, after>>20)
	if grew := after - before; grew > maxRecvReservation {
		t.Errorf("VmSize grew by %d MiB, want at most %d MiB", grew>>20, maxRecvReservation>>20)
	}
}

// addressLimit is the RLIMIT_AS of TestIntegrationReceiveUnderAddressLimit: what
// `ulimit -v 4000000` sets.
const addressLimit = 4000000 << 10

func TestIntegrationReceiveUnderAddressLimit(t *testing.T) {
	if raceEnabled {
		// It maps 2 GiB of shadow memory for the 1 GiB allocation.
		t.Skip("the race detector's shadow memory does not fit the limit")
	}
	if !inChild(t) {
		return
	}
	if vm := vmSize(t); vm > addressLimit/2 {
		t.Skipf("VmSize is already %d MiB, too close to the limit", vm>>20)
	}
	fd := addrSpaceNetNS(t)
	lim := unix.Rlimit{Cur: addressLimit, Max: addressLimit}
	if err := unix.Setrlimit(unix.RLIMIT_AS, &lim); err != nil {
		t.Fatal(err)
	}

	if err := dumpsAtOnce(fd, 8, 5, false); err != nil {
		t.Fatalf("dumps: %v", err)
	}
	// A 16 MiB datagram still arrives whole.
	c := dialT(t, unix.NETLINK_USERSOCK, nil)
	send := forcedSender(t, c, 16<<20)
	m := userMessage(1, 16<<20-16, 1)
	send(m)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	got, err := c.Receive()
	if err != nil {
		t.Fatalf("16 MiB datagram: %v", err)
	}
	if len(got) != 1 || !cmp.Equal(got[0], m, bytesEqual) {
		t.Fatal("16 MiB datagram: not received whole")
	}
	t.Logf("VmSize after the dumps: %d MiB", vmSize(t)>>20)

	// Room is left for the program: a failed allocation ends the
	// process with "out of memory".
	b := make([]byte, 1<<30)
	for i := 0; i < len(b); i += 1 << 20 {
		b[i] = 1
	}
	runtime.KeepAlive(b)
	t.Logf("VmSize after a 1 GiB allocation: %d MiB", vmSize(t)>>20)
}

// forcedSender returns a function that sends messages in one datagram to c
// from a NETLINK_USERSOCK socket whose send buffer takes size bytes.
func forcedSender(t *testing.T, c *netlink.Conn, size int) func(msgs ...netlink.Message) {
	t.Helper()
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_USERSOCK)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		t.Fatal(err)
	}
	// Above net.core.wmem_max: root only.
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUFFORCE, size+64<<10); err != nil {
		t.Fatal(err)
	}
	to := &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Pid: c.PID()}
	return func(msgs ...netlink.Message) {
		t.Helper()
		var b []byte
		for _, m := range msgs {
			w, err := m.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			b = append(b, w...)
		}
		if err := unix.Sendto(fd, b, 0, to); err != nil {
			t.Fatalf("sending %d bytes: %v", len(b), err)
		}
	}
}

func TestIntegrationHugeDatagram(t *testing.T) {
	skipUnlessRoot(t)
	const size = 16 << 20
	exact := userMessage(1, size-16, 1)
	above := userMessage(2, size-16+4, 2)
	small := userMessage(3, 100, 3)

	for _, mode := range []string{"area", "peek"} {
		t.Run(mode, func(t *testing.T) {
			c := dialT(t, unix.NETLINK_USERSOCK, nil)
			switch {
			case mode == "peek":
				netlink.SetPeekOnly(c)
			case netlink.ReceiveAreasUsable():
			case strconv.IntSize == 64:
				t.Fatal("no receive area on a 64-bit system")
			default:
				t.Skip("no receive areas on 32-bit systems")
			}
			send := forcedSender(t, c, size+4)
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			receive := func(what string, want netlink.Message) {
				t.Helper()
				got, err := c.Receive()
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				if len(got) != 1 || !cmp.Equal(got[0], want, bytesEqual) {
					t.Fatalf("%s: not received whole", what)
				}
			}

			// 16 MiB arrives whole.
			send(exact)
			receive("16 MiB", exact)

			// Four bytes more: whole where reads peek; where they
			// use an area, an error that says what was lost.
			send(above)
			if mode == "peek" {
				receive("16 MiB and 4 bytes", above)
			} else {
				_, err := c.Receive()
				want := fmt.Sprintf("%d-byte datagram", size+4)
				if !errors.Is(err, unix.EMSGSIZE) || !strings.Contains(err.Error(), want) {
					t.Fatalf("16 MiB and 4 bytes: got %v, want EMSGSIZE for a %s", err, want)
				}
			}

			// And the next one is read as usual.
			send(small)
			receive("small one after", small)
		})
	}
}
