//go:build linux

package netlink_test

import (
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/internal/netns"
	"golang.org/x/sys/unix"
)

// Benchmarks of whole dumps from the kernel, in a namespace holding 1000
// extra links and 10000 routes, against the floor of the same dump made
// with raw system calls. Root only.

var benchNS struct {
	sync.Once
	name string
	fd   int
	err  error
}

// benchNetNS returns the descriptor of the benchmark namespace, made on
// first use and removed when the test binary exits (see TestMain).
func benchNetNS(b *testing.B) int {
	b.Helper()
	if os.Geteuid() != 0 {
		b.Skip("needs root to create a network namespace")
	}
	benchNS.Do(func() {
		name := fmt.Sprintf("nlbench-%d", os.Getpid())
		run := func(args ...string) error {
			if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
				return fmt.Errorf("ip %s: %v: %s", strings.Join(args, " "), err, out)
			}
			return nil
		}
		if benchNS.err = run("netns", "add", name); benchNS.err != nil {
			return
		}
		benchNS.name = name
		var links, routes strings.Builder
		for i := range 1000 {
			fmt.Fprintf(&links, "link add nlb%04d type ifb\n", i)
		}
		links.WriteString("link set nlb0000 up\n")
		for i := range 10000 {
			fmt.Fprintf(&routes, "route add 198.18.%d.%d/32 dev nlb0000\n", i/256, i%256)
		}
		dir := b.TempDir()
		for _, batch := range []string{links.String(), routes.String()} {
			f := dir + "/batch"
			if benchNS.err = os.WriteFile(f, []byte(batch), 0o600); benchNS.err != nil {
				return
			}
			if benchNS.err = run("-n", name, "-batch", f); benchNS.err != nil {
				return
			}
		}
		f, err := os.Open("/var/run/netns/" + name)
		if err != nil {
			benchNS.err = err
			return
		}
		benchNS.fd = int(f.Fd())
		cleanups = append(cleanups, func() {
			f.Close()
			exec.Command("ip", "netns", "del", name).Run()
		})
	})
	if benchNS.err != nil {
		b.Fatal(benchNS.err)
	}
	return benchNS.fd
}

// A kernelDump is one dump request of the benchmarks.
type kernelDump struct {
	name   string
	family int  // netlink protocol
	netns  bool // in the benchmark namespace (root only), else here
	typ    netlink.HeaderType
	data   []byte
}

var kernelDumps = []kernelDump{
	// CTRL_CMD_GETFAMILY, version 1: a few datagrams, unprivileged.
	{"GenlFamilies", unix.NETLINK_GENERIC, false, unix.GENL_ID_CTRL, []byte{unix.CTRL_CMD_GETFAMILY, 1, 0, 0}},
	{"Links1000", unix.NETLINK_ROUTE, true, unix.RTM_GETLINK, make([]byte, unix.SizeofIfInfomsg)},
	{"Routes10000", unix.NETLINK_ROUTE, true, unix.RTM_GETROUTE, []byte{unix.AF_INET, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
}

// reportCPU reports what the process (all threads) spent per operation
// since startCPU: CPU time in user space and in the kernel, which on a busy
// machine move far less than the time per operation and tell the package's
// own work from the kernel's, and minor page faults, which memory the Go
// runtime gave back and then touched again costs.
func reportCPU(b *testing.B) {
	b.StopTimer()
	now := processUsage()
	per := func(v int64) float64 { return float64(v) / float64(b.N) }
	b.ReportMetric(per(now.user-usageAtStart.user), "user-ns/op")
	b.ReportMetric(per(now.sys-usageAtStart.sys), "sys-ns/op")
	b.ReportMetric(per(now.faults-usageAtStart.faults), "faults/op")
}

// A usage is what getrusage tells of the process: CPU time in nanoseconds
// and minor page faults.
type usage struct{ user, sys, faults int64 }

// usageAtStart is the process's usage when the benchmark's loop started;
// see startCPU.
var usageAtStart usage

// startCPU notes the process's usage; call it where the loop starts.
func startCPU() { usageAtStart = processUsage() }

func processUsage() usage {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return usage{}
	}
	return usage{ru.Utime.Nano(), ru.Stime.Nano(), int64(ru.Minflt)}
}

func BenchmarkKernelDump(b *testing.B) {
	for _, d := range kernelDumps {
		req := netlink.Message{Header: netlink.Header{Type: d.typ, Flags: netlink.Request | netlink.Dump}, Data: d.data}
		b.Run(d.name+"/Execute", func(b *testing.B) {
			c := dialBench(b, d)
			n := 0
			startCPU()
			for b.Loop() {
				msgs, err := c.Execute(req)
				if err != nil {
					b.Fatal(err)
				}
				n = len(msgs)
			}
			reportCPU(b)
			b.ReportMetric(float64(n), "msgs/op")
		})
		b.Run(d.name+"/ExecuteIter", func(b *testing.B) {
			c := dialBench(b, d)
			n := 0
			startCPU()
			for b.Loop() {
				n = 0
				for _, err := range c.ExecuteIter(req) {
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
			}
			reportCPU(b)
			b.ReportMetric(float64(n), "msgs/op")
		})
		b.Run(d.name+"/ReceiveIter", func(b *testing.B) {
			c := dialBench(b, d)
			n := 0
			startCPU()
			for b.Loop() {
				if _, err := c.Send(req); err != nil {
					b.Fatal(err)
				}
				n = 0
				for _, err := range c.ReceiveIter() {
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
			}
			reportCPU(b)
			b.ReportMetric(float64(n), "msgs/op")
		})
		b.Run(d.name+"/RawFloor", func(b *testing.B) {
			fd := rawBenchSocket(b, d)
			raw := req
			raw.Header.Length = uint32(16 + len(req.Data))
			raw.Header.Sequence = 1
			wire, err := raw.MarshalBinary()
			if err != nil {
				b.Fatal(err)
			}
			buf := make([]byte, 32<<10)
			n := 0
			startCPU()
			for b.Loop() {
				binary.NativeEndian.PutUint32(wire[8:], binary.NativeEndian.Uint32(wire[8:])+1)
				if err := unix.Sendto(fd, wire, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
					b.Fatal(err)
				}
				n = rawDrain(b, fd, buf)
			}
			reportCPU(b)
			b.ReportMetric(float64(n), "msgs/op")
		})
	}
}

func dialBench(b *testing.B, d kernelDump) *netlink.Conn {
	cfg := new(netlink.Config)
	if d.netns {
		cfg.NetNS = benchNetNS(b)
	}
	c, err := netlink.Dial(d.family, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return c
}

// rawBenchSocket opens a plain blocking netlink socket for d.
func rawBenchSocket(b *testing.B, d kernelDump) int {
	var sfd int
	open := func() error {
		var err error
		sfd, err = unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, d.family)
		return err
	}
	var err error
	if d.netns {
		err = netns.Do(benchNetNS(b), open)
	} else {
		err = open()
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { unix.Close(sfd) })
	if err := unix.Bind(sfd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		b.Fatal(err)
	}
	return sfd
}

// rawDrain reads a dump's datagrams up to its Done message, walking
// headers only, and returns the number of messages before Done.
func rawDrain(b *testing.B, fd int, buf []byte) int {
	n := 0
	for {
		k, _, err := unix.Recvfrom(fd, buf, 0)
		if err != nil {
			b.Fatal(err)
		}
		for p := buf[:k]; len(p) >= 16; {
			l := int(binary.NativeEndian.Uint32(p))
			if binary.NativeEndian.Uint16(p[4:]) == unix.NLMSG_DONE {
				return n
			}
			n++
			if l < 16 || l > len(p) {
				b.Fatalf("bad message length %d", l)
			}
			p = p[(l+3)&^3:]
		}
	}
}
