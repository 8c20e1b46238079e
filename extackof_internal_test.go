package netlink

import (
	"encoding/binary"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/mdlayher/netlink/internal/nlfacts"
)

// extAckTLV encodes one extended acknowledgement attribute.
func extAckTLV(typ uint16, data []byte) []byte {
	b := binary.NativeEndian.AppendUint16(nil, uint16(attrHeaderLen+len(data)))
	b = binary.NativeEndian.AppendUint16(b, typ)
	b = append(b, data...)
	return append(b, make([]byte, nlaAlign(len(b))-len(b))...)
}

// TestExtAckTableReleases checks that the table does not keep what errors
// nobody holds any more: 100,000 errors with extended acknowledgements
// each get an entry, and once they are dropped and collected the table is
// back where it started.
func TestExtAckTableReleases(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 100,000 errors")
	}
	const n = 100_000
	tlvs := append(extAckTLV(nlfacts.ExtAckMsg, []byte("Attribute failed policy validation\x00")),
		extAckTLV(nlfacts.ExtAckOffs, binary.NativeEndian.AppendUint32(nil, 32))...)
	tlvs = append(tlvs, extAckTLV(nlfacts.ExtAckCookie, make([]byte, 64))...)

	before := ExtAckTableLen()
	errs := make([]*OpError, n)
	for i := range errs {
		e := &OpError{Op: "receive", Err: syscall.ERANGE, Sequence: uint32(i)}
		e.fillExtAck(tlvs)
		errs[i] = e
	}
	if got := ExtAckTableLen(); got < before+n {
		t.Fatalf("table holds %d entries with %d errors alive, want at least %d", got, n, before+n)
	}
	// Still reachable, the entries survive a collection.
	runtime.GC()
	if a := storedExtAck(errs[n-1]); a == nil || a.Offset != 32 || len(a.Cookie) != 64 {
		t.Fatalf("entry of a live error: %+v", a)
	}
	runtime.KeepAlive(errs)

	errs = nil
	// Cleanups run on their own goroutine after the collection that finds
	// the errors unreachable: wait for them, within a bound.
	limit := before + n/100
	deadline := time.Now().Add(20 * time.Second)
	var got int
	for {
		runtime.GC()
		if got = ExtAckTableLen(); got <= limit || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got > limit {
		t.Fatalf("table still holds %d entries after the errors were dropped, want at most %d", got, limit)
	}
	t.Logf("table: %d entries before, %d with the errors alive, %d after", before, before+n, got)
}

// TestFillExtAckWithoutAttributes checks that an error whose reply has no
// extended acknowledgement attributes gets no entry.
func TestFillExtAckWithoutAttributes(t *testing.T) {
	e := &OpError{Op: "receive", Err: syscall.EINVAL}
	e.fillExtAck(nil)
	if a := storedExtAck(e); a != nil {
		t.Fatalf("entry %v for an error without attributes", a)
	}
}
