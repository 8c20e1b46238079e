package netlink

import "errors"

// ErrDumpInterrupted is the error, matched with errors.Is, that Receive,
// ReceiveIter and Execute (and their streaming and context-aware forms)
// report, when Config.CheckDumpInterrupted is set (or, on any Conn, the
// CheckDumpInterrupted option), for a dump whose contents changed while the
// kernel was sending it: one of its messages, or the Done message closing
// it, has the DumpInterrupted flag (NLM_F_DUMP_INTR). The dump is complete
// but may be inconsistent, holding an object twice or missing one; the
// usual remedy is to dump again.
//
// The error is an *OpError (Op "receive") wrapping ErrDumpInterrupted and
// comes together with every message of the dump: Receive and Execute
// return both, ReceiveIter yields it after the last message. Without
// CheckDumpInterrupted, as in v1.11.2, the flag is ignored (it stays
// visible in each message's Header.Flags).
var ErrDumpInterrupted = errors.New("dump interrupted: its contents changed while it was read")

// messageInterrupted reports whether m, a message of a reply or the Done
// message closing it, has the DumpInterrupted flag. Only the kernel's
// replies to dumps set it; it is not meaningful on an Error message, whose
// flags are the acknowledgement modifiers.
func messageInterrupted(m *Message) bool {
	return m.Header.Type != Error && m.Header.Flags&DumpInterrupted != 0
}

// dumpInterruptedError returns the error reporting an interrupted dump
// whose messages have the sequence number seq.
func dumpInterruptedError(seq uint32) error {
	return &OpError{Op: "receive", Err: ErrDumpInterrupted, Sequence: seq}
}
