package netlink

import (
	"errors"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSetAsideOverflowMulticast(t *testing.T) {
	// More than 4 MiB of notifications of group 3 before the reply, each
	// with the request's sequence number and the Conn's port, as those
	// the Conn's own request causes: Execute still gets its reply; the
	// next receiver gets ENOBUFS, then what was kept, each with its
	// group, then what the socket has next.
	const (
		seq     = 5
		pid     = 77
		bigSize = 64 << 10
	)
	enc := func(m Message) []byte {
		b, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	s := &fakeRawSocket{}
	nkept := maxAside / (headerLen + bigSize)
	for i := range nkept + 3 {
		data := make([]byte, bigSize)
		data[0] = byte(i)
		s.dgrams = append(s.dgrams, fakeDatagram{enc(Message{Header: Header{Length: headerLen + bigSize, Type: 0x10, Sequence: seq, PID: pid}, Data: data}), 3})
	}
	reply := Message{Header: Header{Length: 20, Type: 0x10, Sequence: seq, PID: pid}, Data: []byte{0xee, 0, 0, 0}}
	s.dgrams = append(s.dgrams, fakeDatagram{enc(reply), 0})
	after := Message{Header: Header{Length: 20, Type: 0x11}, Data: []byte{0xf9, 0, 0, 0}}
	s.dgrams = append(s.dgrams, fakeDatagram{enc(after), 3})

	c := NewConn(s, pid)
	got, err := c.Execute(Message{Header: Header{Type: 0x10, Flags: Request, Sequence: seq}})
	if err != nil {
		t.Fatalf("Execute: %v", err)
	}
	if diff := cmp.Diff([]Message{reply}, got); diff != "" {
		t.Fatalf("Execute (-want +got):\n%s", diff)
	}

	if _, err := c.Receive(); !errors.Is(err, syscall.ENOBUFS) {
		t.Fatalf("first Receive: %v, want ENOBUFS", err)
	}
	var marks []byte
	for rm, err := range c.ReceiveWithInfo() {
		if err != nil {
			t.Fatalf("ReceiveWithInfo: %v", err)
		}
		if rm.Info != (MessageInfo{Group: 3, NSID: -1}) {
			t.Fatalf("message %d: info %+v, want group 3", len(marks), rm.Info)
		}
		marks = append(marks, rm.Data[0])
	}
	var want []byte
	for i := range nkept {
		want = append(want, byte(i))
	}
	if diff := cmp.Diff(want, marks); diff != "" {
		t.Fatalf("kept (-want +got):\n%s", diff)
	}
	msgs, err := c.Receive()
	if err != nil || len(msgs) != 1 || msgs[0].Data[0] != 0xf9 {
		t.Fatalf("last Receive: %v, %v, want the next notification", msgs, err)
	}
}
