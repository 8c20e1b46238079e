package netlink

import (
	"os"
	"sync"

	"github.com/mdlayher/netlink/internal/nltrace"
)

// NLDEBUG is documented, once, in the package documentation (doc.go): the
// options, what an invalid setting does, and what a trace holds. Package
// nltrace parses it and writes the trace; this file hands it the messages.

// debugDir says whether a message was sent or received.
type debugDir = nltrace.Dir

const (
	debugSend = nltrace.Send
	debugRecv = nltrace.Recv
)

// debugger is nil unless NLDEBUG is set, so the hot path pays one nil check.
var debugger *debugSink

func init() {
	if v := os.Getenv("NLDEBUG"); v != "" {
		debugger = newDebugger(nltrace.Setup(v, os.Stderr, debugNames))
	}
}

// debugNames names types and flags in the one-line layout as their String
// methods do.
var debugNames = nltrace.Names{
	Type:  func(t uint16) string { return HeaderType(t).String() },
	Flags: func(f uint16) string { return HeaderFlags(f).String() },
}

// A debugSink passes messages to the trace, which takes them in a type of
// its own.
type debugSink struct {
	s *nltrace.Sink

	mu   sync.Mutex
	msgs []nltrace.Message // reused for each call of log
}

// newDebugger wraps s, or returns nil when s is nil (the trace is off).
func newDebugger(s *nltrace.Sink) *debugSink {
	if s == nil {
		return nil
	}
	return &debugSink{s: s}
}

// maxKeptTraceMessages bounds the slice of messages kept between calls of
// log, so that one huge dump does not pin it.
const maxKeptTraceMessages = 1024

// log records msgs, sent or received on a socket of the given netlink
// family (-1 when unknown).
func (d *debugSink) log(family int, dir debugDir, msgs []Message) {
	if d == nil || len(msgs) == 0 {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	tm := d.msgs[:0]
	for i := range msgs {
		h := &msgs[i].Header
		tm = append(tm, nltrace.Message{
			Header: nltrace.Header{
				Length:   h.Length,
				Type:     nltrace.HeaderType(h.Type),
				Flags:    nltrace.HeaderFlags(h.Flags),
				Sequence: h.Sequence,
				PID:      h.PID,
			},
			Data: msgs[i].Data,
		})
	}
	d.s.Log(family, dir, tm)
	// Keep no message data alive.
	clear(tm)
	if cap(tm) <= maxKeptTraceMessages {
		d.msgs = tm[:0]
	} else {
		d.msgs = nil
	}
}

// flush writes out anything buffered; Conn.Close calls it.
func (d *debugSink) flush() {
	if d == nil {
		return
	}
	d.s.Flush()
}
