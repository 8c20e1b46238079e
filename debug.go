package netlink

// debugDir says whether a message was sent or received.
type debugDir uint8

const (
	debugSend debugDir = iota
	debugRecv
)

// debugger is nil unless NLDEBUG is set, so the hot path pays one nil check.
var debugger *debugSink

// A debugSink renders or records messages as NLDEBUG asks.
type debugSink struct{}

// log records msgs, sent or received on a socket of the given netlink
// family (-1 when unknown).
func (d *debugSink) log(family int, dir debugDir, msgs []Message) {}

// flush writes out anything buffered; Conn.Close calls it.
func (d *debugSink) flush() {}
