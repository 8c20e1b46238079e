package netlink

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink/internal/nltrace"
)

func TestDebugSinkNames(t *testing.T) {
	// The trace names types and flags as their String methods do, and
	// shows every message it is given, in order.
	var stderr bytes.Buffer
	d := newDebugger(nltrace.Setup("format=line", &stderr, debugNames))
	d.log(familyGeneric, debugSend, []Message{
		{Header: Header{Length: 20, Type: 0x10, Flags: Request | Dump, Sequence: 7}, Data: []byte{3, 1, 0, 0}},
	})
	d.log(-1, debugRecv, []Message{
		{Header: Header{Length: 16, Type: Noop}},
		{Header: Header{Length: 20, Type: Done, Flags: Multi, Sequence: 7, PID: 9}, Data: []byte{0, 0, 0, 0}},
	})
	d.flush()
	want := "nl: send: family=16 len=20 type=16 flags=" + (Request | Dump).String() + " seq=7 pid=0 payload=4\n" +
		"nl: recv: family=unknown len=16 type=" + Noop.String() + " flags=0 seq=0 pid=0 payload=0\n" +
		"nl: recv: family=unknown len=20 type=" + Done.String() + " flags=" + Multi.String() + " seq=7 pid=9 payload=4\n"
	if diff := cmp.Diff(want, stderr.String()); diff != "" {
		t.Fatalf("trace (-want +got):\n%s", diff)
	}
}
