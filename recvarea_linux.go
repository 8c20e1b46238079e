//go:build linux

package netlink

import (
	"os"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Receiving a datagram whole in one system call.
//
// A netlink datagram can be far larger than the 32 KiB a dump usually
// sends: an error acknowledgement echoes the whole failed request (unless
// CapAcknowledge is on), a single message may need more than 32 KiB (a link
// with hundreds of alternative names or VFs: the kernel then sizes the dump's
// datagrams by that message, and its multicast notification too), and a
// user-space peer may send anything up to its send buffer. Whatever does not
// fit the buffer given to recvmsg is dropped by the kernel, so the buffer has
// to be large enough for any datagram before the read, not after it.
//
// On 64-bit systems each read goes into a receive area: an anonymous mapping
// of recvAreaLen bytes reserved without backing memory (MAP_NORESERVE), which
// is larger than any datagram the kernel can build (its length is bounded by
// a socket's send buffer, at most INT_MAX bytes). Only the pages a datagram
// is written to become memory; the first recvKeep bytes stay resident for the
// next read, and what a rare large datagram touched beyond them is given back
// at once. Areas are shared by all sockets of the process and held only for
// the duration of one recvmsg, so an idle Conn holds no receive memory.
//
// Where no area can be had (32-bit address spaces, strict overcommit
// accounting, an address-space limit), a read first peeks at the datagram
// with MSG_PEEK|MSG_TRUNC into a pooled recvKeep-byte buffer, which tells
// its real length, then takes it off the queue: with a zero-length read when
// the peek already holds it all, or into a buffer of its exact size.
//
// In both ways the length passed to recvmsg is at least 32 KiB, which the
// kernel remembers as the reader's buffer size: dump datagrams are then
// filled up to 32 KiB (netlink_recvmsg caps what it remembers there), so a
// dump takes few reads.

// recvKeep is how much of a receive area stays resident between reads, and
// the size of a peek buffer: the kernel's usual largest datagram.
var recvKeep = max(32<<10, os.Getpagesize())

// recvAreaLen is the size of a receive area: 2 GiB on 64-bit systems, and
// zero (no areas) where that does not fit the address space.
const recvAreaLen = (1 << 31) * (unsafe.Sizeof(uintptr(0)) / 8)

// maxFreeAreas bounds the areas kept for reuse. As many exist as recvmsg
// calls ever ran at the same time, which the number of threads bounds.
const maxFreeAreas = 16

// recvAreas is the process's pool of receive areas.
var recvAreas struct {
	mu   sync.Mutex
	free [][]byte
	// off is set once areas turn out not to be available here.
	off bool
}

// overcommitStrict reports whether the kernel accounts every writable
// private mapping against a commit limit (vm.overcommit_memory = 2), in
// which case MAP_NORESERVE is ignored and a 2 GiB area would count as 2 GiB
// of memory: areas are then not used.
var overcommitStrict = sync.OnceValue(func() bool {
	b, err := os.ReadFile("/proc/sys/vm/overcommit_memory")
	return err == nil && len(b) > 0 && b[0] == '2'
})

// getArea returns a receive area, or nil when areas cannot be had.
func getArea() []byte {
	recvAreas.mu.Lock()
	if n := len(recvAreas.free); n > 0 {
		a := recvAreas.free[n-1]
		recvAreas.free[n-1] = nil
		recvAreas.free = recvAreas.free[:n-1]
		recvAreas.mu.Unlock()
		return a
	}
	off := recvAreas.off
	recvAreas.mu.Unlock()
	if off {
		return nil
	}

	var a []byte
	var err error = unix.ENOMEM
	if recvAreaLen > 0 && !overcommitStrict() {
		a, err = unix.Mmap(-1, 0, int(recvAreaLen), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_NORESERVE)
	}
	if err != nil {
		recvAreas.mu.Lock()
		recvAreas.off = true
		recvAreas.mu.Unlock()
		return nil
	}
	return a
}

// putArea returns area to the pool after a read that wrote used bytes to
// it, giving back the memory of the pages past recvKeep that it touched.
func putArea(a []byte, used int) {
	if used > recvKeep {
		page := os.Getpagesize()
		end := min((used+page-1)/page*page, len(a))
		// Dropped pages read back as zeros when touched again, so
		// a failure here costs only memory.
		_ = unix.Madvise(a[recvKeep:end], unix.MADV_DONTNEED)
	}
	recvAreas.mu.Lock()
	if len(recvAreas.free) < maxFreeAreas {
		recvAreas.free = append(recvAreas.free, a)
		a = nil
	}
	recvAreas.mu.Unlock()
	if a != nil {
		_ = unix.Munmap(a)
	}
}

// peekBuffers pools the buffers of reads that peek (see above).
var peekBuffers = sync.Pool{New: func() any {
	b := make([]byte, recvKeep)
	return &b
}}

// copyDatagram returns a copy of the datagram b in a new slice whose length
// is rounded up to the message alignment with zeros, so that a last message
// whose sender left off its padding is read as if it had it.
func copyDatagram(b []byte) []byte {
	// append, unlike make and copy, does not clear what it then fills;
	// the spare capacity it clears is at least the padding.
	out := append([]byte(nil), b...)
	return out[:nlmsgAlign(len(b))]
}
