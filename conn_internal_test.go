package netlink

import (
	"errors"
	"iter"
	"math"
	"os"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// plainSocket is a Socket with none of the optional methods.
type plainSocket struct{}

func (plainSocket) Close() error                 { return nil }
func (plainSocket) Send(Message) error           { return nil }
func (plainSocket) SendMessages([]Message) error { return nil }
func (plainSocket) Receive() ([]Message, error)  { return nil, nil }
func (plainSocket) ReceiveIter() iter.Seq2[Message, error] {
	return func(func(Message, error) bool) {}
}

// optionSocket is a Socket with SetOption, recording the options set and
// failing on one of them.
type optionSocket struct {
	plainSocket
	set  []ConnOption
	fail ConnOption
	err  error
}

func (s *optionSocket) SetOption(o ConnOption, enable bool) error {
	if !enable {
		return errors.New("optionSocket: strict mode must enable options")
	}
	if s.err != nil && o == s.fail {
		return s.err
	}
	s.set = append(s.set, o)
	return nil
}

func TestEnableStrict(t *testing.T) {
	s := &optionSocket{}
	if err := enableStrict(s); err != nil {
		t.Fatalf("enableStrict: %v", err)
	}
	if diff := cmp.Diff([]ConnOption{ExtendedAcknowledge, GetStrictCheck}, s.set); diff != "" {
		t.Errorf("options set (-want +got):\n%s", diff)
	}

	// The socket's error comes back as Conn.SetOption would return it.
	refused := os.NewSyscallError("setsockopt", syscall.ENOPROTOOPT)
	s = &optionSocket{fail: GetStrictCheck, err: refused}
	want := &OpError{Op: "set-option", Err: refused}
	if diff := cmp.Diff(want, enableStrict(s)); diff != "" {
		t.Errorf("enableStrict with a refused option (-want +got):\n%s", diff)
	}

	// A Socket without SetOption cannot be strict.
	if err := enableStrict(plainSocket{}); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("enableStrict without SetOption: %v, want errors.ErrUnsupported", err)
	}
}

func TestSequenceSkipsZero(t *testing.T) {
	c := newConn(&optionSocket{}, 1, -1)
	c.seq.Store(math.MaxUint32 - 1)
	var got []uint32
	for range 3 {
		m, err := c.Send(Message{})
		if err != nil {
			t.Fatalf("Send: %v", err)
		}
		got = append(got, m.Header.Sequence)
	}
	if diff := cmp.Diff([]uint32{math.MaxUint32, 1, 2}, got); diff != "" {
		t.Errorf("sequences around the wrap (-want +got):\n%s", diff)
	}
}
