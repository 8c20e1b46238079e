package netlink

import (
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"testing"
)

// The receive path's comments claim that some calls are inlined and that a
// reply costs a fixed number of allocations; these tests hold them to it.

// TestInliningReceive checks that the functions the receive loop relies on
// being inlined are, where it calls them.
func TestInliningReceive(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the package")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go tool: %v", err)
	}
	cmd := exec.Command(goTool, "build", "-gcflags=-m", ".")
	cmd.Env = append(os.Environ(), "GOOS="+runtime.GOOS, "GOARCH="+runtime.GOARCH)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m: %v\n%s", err, out)
	}
	for _, tt := range []struct {
		fn, in string // in is the file of the call site
	}{
		// classify.go: plainPass spares a call per message.
		{fn: "(*replyReader).plainPass", in: "receive.go"},
	} {
		re := regexp.MustCompile(`(?m)^\S*` + regexp.QuoteMeta(tt.in) + `:\d+:\d+: inlining call to ` + regexp.QuoteMeta(tt.fn) + `$`)
		if !re.Match(out) {
			t.Errorf("%s is not inlined in %s", tt.fn, tt.in)
		}
	}
}

// loopSocket hands over the same datagrams, in turn, for ever, without
// allocating: the socket of Dial does the same for a datagram that fits its
// receive area.
type loopSocket struct {
	fakeSocket
	dgrams [][]byte
	next   int
}

func (s *loopSocket) receiveRaw() ([]byte, error) {
	b := s.dgrams[s.next]
	s.next = (s.next + 1) % len(s.dgrams)
	return b, nil
}

// TestNoAllocsReceive checks the allocations a reply costs: Execute and
// Receive one, their result (see collectFor), whatever its length; the
// loops two, for the closures of a range-over-func loop, which escape, and
// none per message or datagram.
func TestNoAllocsReceive(t *testing.T) {
	const seq, pid = 5, 9
	msg := func(typ HeaderType, flags HeaderFlags) []byte {
		data := []byte{1, 2, 3, 4}
		if typ == Done {
			data = make([]byte, 4) // no error
		}
		return (&Message{Header: Header{Length: 20, Type: typ, Flags: flags, Sequence: seq, PID: pid}, Data: data}).wire()
	}
	single := [][]byte{msg(0x10, 0)}
	var part []byte
	for range 50 {
		part = append(part, msg(0x10, Multi)...)
	}
	dump := [][]byte{part, part, append(append([]byte(nil), part...), msg(Done, Multi)...)}
	req := Message{Header: Header{Type: 0x10, Flags: Request | Dump, Sequence: seq}}
	for _, tt := range []struct {
		name   string
		dgrams [][]byte
		do     func(c *Conn)
		want   float64
	}{
		{"Execute single", single, func(c *Conn) { c.Execute(req) }, 1},
		{"Execute dump", dump, func(c *Conn) { c.Execute(req) }, 1},
		{"Receive dump", dump, func(c *Conn) { c.Receive() }, 1},
		{"ReceiveIter dump", dump, func(c *Conn) {
			for range c.ReceiveIter() {
			}
		}, 2},
		{"ExecuteIter dump", dump, func(c *Conn) {
			for range c.ExecuteIter(req) {
			}
		}, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := NewConn(&loopSocket{dgrams: tt.dgrams}, pid)
			tt.do(c) // fills the pools
			if got := testing.AllocsPerRun(100, func() { tt.do(c) }); got > tt.want {
				t.Errorf("%v allocations, want at most %v", got, tt.want)
			}
		})
	}
}

// wire returns the wire form of m, whose Length must be set.
func (m *Message) wire() []byte {
	return appendMessage(nil, m)
}
