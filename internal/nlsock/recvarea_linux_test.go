//go:build linux

package nlsock

import (
	"os"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"
)

// takeAreas takes receive areas from the pool until it gives none, and
// returns them to it when the test ends.
func takeAreas(t *testing.T) []*recvArea {
	t.Helper()
	var areas []*recvArea
	for range 4 * maxAreas {
		a := getArea()
		if a == nil {
			break
		}
		areas = append(areas, a)
	}
	t.Cleanup(func() {
		for _, a := range areas {
			putArea(a, 0)
		}
	})
	if len(areas) == 0 {
		t.Skip("no receive areas here: reads peek")
	}
	return areas
}

func TestRecvAreasBounded(t *testing.T) {
	areas := takeAreas(t)
	var sizes []int
	for _, a := range areas {
		sizes = append(sizes, len(a.b))
	}
	want := make([]int, maxAreas)
	for i := range want {
		want[i] = int(recvAreaLen)
	}
	if diff := cmp.Diff(want, sizes); diff != "" {
		t.Fatalf("sizes of the areas the pool gives at most (-want +got):\n%s", diff)
	}
	if got := maxAreas * recvAreaLen; got > 256<<20 {
		t.Fatalf("areas reserve %d MiB in all, want at most 256 MiB", got>>20)
	}
}

// resident returns how many of the pages of b are in memory.
func resident(t *testing.T, b []byte) int {
	t.Helper()
	page := os.Getpagesize()
	vec := make([]byte, (len(b)+page-1)/page)
	// x/sys/unix has no wrapper for mincore(2).
	_, _, e := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), uintptr(unsafe.Pointer(&vec[0])))
	if e != 0 {
		t.Fatalf("mincore: %v", e)
	}
	n := 0
	for _, v := range vec {
		n += int(v & 1)
	}
	return n
}

func TestRecvAreaTrim(t *testing.T) {
	a := getArea()
	if a == nil {
		t.Skip("no receive areas here: reads peek")
	}
	page := os.Getpagesize()
	const used = 1 << 20
	keepPages, usedPages := recvKeep/page, used/page

	// A large read: its pages stay resident, as long as large reads
	// keep coming.
	for i := range a.b[:used] {
		a.b[i] = 0xaa
	}
	putArea(a, used)
	if got := resident(t, a.b[:used]); got != usedPages {
		t.Fatalf("after a 1 MiB read: %d pages resident, want %d", got, usedPages)
	}
	trimAreas() // a large read came since it was armed: no trim yet
	if got := resident(t, a.b[:used]); got != usedPages {
		t.Fatalf("right after a large read: %d pages resident, want %d", got, usedPages)
	}

	// Once they stop, all but the first recvKeep bytes are given back.
	deadline := time.Now().Add(10 * trimDelay)
	for resident(t, a.b[:used]) > keepPages && time.Now().Before(deadline) {
		time.Sleep(trimDelay / 5)
	}
	if got := resident(t, a.b[:used]); got != keepPages {
		t.Fatalf("%v after the last large read: %d pages resident, want %d", 10*trimDelay, got, keepPages)
	}
	if got := resident(t, a.b[:recvKeep]); got != keepPages {
		t.Fatalf("%d pages of the first recvKeep bytes resident, want all %d", got, keepPages)
	}

	// Taken again, the area reads as zeros past recvKeep.
	b := getArea()
	defer putArea(b, 0)
	if b != a {
		t.Fatal("the pool did not give back the area just returned")
	}
	if b.b[0] != 0xaa {
		t.Fatalf("byte 0 of a trimmed area is %#x, want 0xaa: it was given back too", b.b[0])
	}
	for i, v := range b.b[recvKeep:used] {
		if v != 0 {
			t.Fatalf("byte %d of a trimmed area is %#x, want 0", recvKeep+i, v)
		}
	}
}
