//go:build linux

package nlsock

import (
	"os"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Receiving a datagram in one system call.
//
// A netlink datagram can be far larger than the 32 KiB a dump usually
// sends: an error acknowledgement echoes the whole failed request (unless
// CapAcknowledge is on), a single message may need more than 32 KiB (a link
// with hundreds of alternative names or VFs: the kernel then sizes the dump's
// datagrams by that message, and its multicast notification too), and a
// user-space peer may send anything up to its send buffer. Whatever does not
// fit the buffer given to recvmsg is dropped by the kernel, so the buffer has
// to be large enough before the read, not after it.
//
// On 64-bit systems each read goes into a receive area: an anonymous mapping
// of recvAreaLen (16 MiB) bytes reserved without backing memory
// (MAP_NORESERVE). Only the pages a datagram is written to become memory.
// Areas are shared by all sockets of the process and held only for the
// duration of one recvmsg and the copy of its datagram, so an idle Conn
// holds none; at most maxAreas of them are ever mapped, so that the address
// space reserved for receiving stays at maxAreas*recvAreaLen (128 MiB)
// however many Conns and readers there are. That matters where an
// address-space limit (RLIMIT_AS) or strict overcommit accounting counts
// reservations as if they were memory. A read that finds every area taken
// peeks instead (below).
//
// The kernel builds no datagram near 16 MiB: its dumps are sized by their
// largest message, and its largest replies are error acknowledgements that
// echo a request, which the Conn's send buffer bounds (212 KiB by default).
// Only a peer allowed a send buffer above 16 MiB (net.core.wmem_max, or
// SO_SNDBUFFORCE as root) can send a larger one, or a Conn whose send buffer
// was raised that far can have such a request echoed. Such a datagram does
// not fit an area: the kernel drops it, says so with MSG_TRUNC and its real
// length, and the read fails with an error that gives both lengths and
// matches EMSGSIZE, so that nothing is lost without a word. Finding the
// length first would cost a second system call for every datagram. A read
// that peeks takes any datagram whole.
//
// The pages a large datagram touched beyond the first recvKeep bytes of an
// area stay resident while large datagrams keep coming (giving them back
// after every read made a flood of 1 MiB datagrams fault in every page
// again, twice as slow as copying them twice), and are given back once none
// has been read for trimDelay.
//
// Where no area can be had (32-bit address spaces, strict overcommit
// accounting, a failed mapping), a read first peeks at the datagram
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

// recvAreaLen is the size of a receive area, and so the largest datagram
// a read into one takes whole: 16 MiB on 64-bit systems, and zero (no
// areas) on 32-bit ones, whose address space is too small to spare.
const recvAreaLen = (16 << 20) * (unsafe.Sizeof(uintptr(0)) / 8)

// maxAreas bounds the receive areas mapped at once. As many are in use as
// recvmsg calls run at the same time, which the number of threads running
// Go code bounds in practice; a read beyond it peeks.
const maxAreas = 8

// trimDelay is how long the pages large datagrams touched stay resident
// after the last of them was read.
const trimDelay = 250 * time.Millisecond

// A recvArea is one receive area.
type recvArea struct {
	b []byte
	// dirty is how far reads wrote into b since its pages past recvKeep
	// were last given back.
	dirty int
}

// recvAreas is the process's pool of receive areas.
var recvAreas struct {
	mu     sync.Mutex
	free   []*recvArea
	mapped int // areas mapped, free or in use
	// off is set once areas turn out not to be available here.
	off bool
	// trimming is set while a call of trimAreas is pending; recent when
	// a large datagram was read since it was armed.
	trimming, recent bool
}

// overcommitStrict reports whether the kernel accounts every writable
// private mapping against a commit limit (vm.overcommit_memory = 2), in
// which case MAP_NORESERVE is ignored and every area would count as
// recvAreaLen bytes of memory: areas are then not used.
var overcommitStrict = sync.OnceValue(func() bool {
	b, err := os.ReadFile("/proc/sys/vm/overcommit_memory")
	return err == nil && len(b) > 0 && b[0] == '2'
})

// getArea returns a receive area, or nil when none can be had.
func getArea() *recvArea {
	recvAreas.mu.Lock()
	if n := len(recvAreas.free); n > 0 {
		a := recvAreas.free[n-1]
		recvAreas.free[n-1] = nil
		recvAreas.free = recvAreas.free[:n-1]
		recvAreas.mu.Unlock()
		return a
	}
	if recvAreas.off || recvAreas.mapped >= maxAreas {
		recvAreas.mu.Unlock()
		return nil
	}
	// Count it now, so that concurrent reads map no more than the bound.
	recvAreas.mapped++
	recvAreas.mu.Unlock()

	var b []byte
	var err error = unix.ENOMEM
	if recvAreaLen > 0 && !overcommitStrict() {
		b, err = unix.Mmap(-1, 0, int(recvAreaLen), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_NORESERVE)
	}
	if err != nil {
		recvAreas.mu.Lock()
		recvAreas.mapped--
		recvAreas.off = true
		recvAreas.mu.Unlock()
		return nil
	}
	return &recvArea{b: b}
}

// putArea returns a to the pool after a read that wrote used bytes to it.
// Pages past recvKeep that reads touched are given back by trimAreas once
// no large datagram has come for trimDelay.
func putArea(a *recvArea, used int) {
	recvAreas.mu.Lock()
	defer recvAreas.mu.Unlock()
	a.dirty = max(a.dirty, used)
	if used > recvKeep {
		recvAreas.recent = true
	}
	if a.dirty > recvKeep && !recvAreas.trimming {
		recvAreas.trimming = true
		time.AfterFunc(trimDelay, trimAreas)
	}
	recvAreas.free = append(recvAreas.free, a)
}

// trimAreas gives back the pages past recvKeep of the free areas, unless a
// large datagram came since it was armed: it then waits another trimDelay.
// An area in use is trimmed by a later call, which putArea arms.
func trimAreas() {
	recvAreas.mu.Lock()
	defer recvAreas.mu.Unlock()
	if recvAreas.recent {
		recvAreas.recent = false
		time.AfterFunc(trimDelay, trimAreas)
		return
	}
	recvAreas.trimming = false
	page := os.Getpagesize()
	for _, a := range recvAreas.free {
		if a.dirty <= recvKeep {
			continue
		}
		end := min((a.dirty+page-1)/page*page, len(a.b))
		// Dropped pages read back as zeros when touched again, so a
		// failure here costs only memory.
		_ = unix.Madvise(a.b[recvKeep:end], unix.MADV_DONTNEED)
		a.dirty = recvKeep
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
	return out[:align(len(b))]
}

// align rounds n up to the 4-byte alignment of netlink messages
// (NLMSG_ALIGNTO).
func align(n int) int {
	return (n + unix.NLMSG_ALIGNTO - 1) &^ (unix.NLMSG_ALIGNTO - 1)
}
