package netlink

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// NLDEBUG is documented, once, in the package documentation (doc.go): the
// options, what an invalid setting does, and what a trace holds.

// debugDir says whether a message was sent or received.
type debugDir uint8

const (
	debugSend debugDir = iota
	debugRecv
)

// String names the direction as the one-line format prints it.
func (d debugDir) String() string {
	if d == debugSend {
		return "send"
	}
	return "recv"
}

// debugger is nil unless NLDEBUG is set, so the hot path pays one nil check.
var debugger *debugSink

func init() {
	if v := os.Getenv("NLDEBUG"); v != "" {
		debugger = setupDebug(v, os.Stderr)
	}
}

// setupDebug parses an NLDEBUG value and builds its sink, reporting every
// problem to stderr. It returns nil when the trace is off.
func setupDebug(value string, stderr io.Writer) *debugSink {
	opts, errs := parseDebugOptions(value)
	d, err := newDebugSink(opts, stderr)
	if err != nil {
		errs = append(errs, err)
	}
	for _, err := range errs {
		fmt.Fprintf(stderr, "netlink: NLDEBUG: %v\n", err)
	}
	return d
}

// debugFormat is the layout of the trace.
type debugFormat uint8

const (
	formatMNL debugFormat = iota
	formatLine
	formatPcap
)

// debugOptions are the parsed settings of NLDEBUG.
type debugOptions struct {
	level  int
	format debugFormat
	file   string
}

// parseDebugOptions parses an NLDEBUG value. It always returns usable
// options: each invalid item is reported in the errors and replaced by its
// default.
func parseDebugOptions(s string) (debugOptions, []error) {
	opts := debugOptions{level: 1, format: formatMNL}
	var errs []error
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		key, value, ok := strings.Cut(item, "=")
		if !ok {
			// A bare word such as "1" only turns the trace on.
			continue
		}
		switch strings.TrimSpace(key) {
		case "level":
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n < 0 {
				errs = append(errs, fmt.Errorf("invalid level %q (want a whole number, 0 or more); using level 1", value))
				opts.level = 1
				continue
			}
			opts.level = n
		case "format":
			switch strings.TrimSpace(value) {
			case "mnl":
				opts.format = formatMNL
			case "pcap":
				opts.format = formatPcap
			case "":
				errs = append(errs, errors.New(`empty format; using "mnl"`))
				opts.format = formatMNL
			default:
				opts.format = formatLine
			}
		case "file":
			if strings.TrimSpace(value) == "" {
				errs = append(errs, errors.New("empty file name; ignored"))
				continue
			}
			opts.file = value
		default:
			errs = append(errs, fmt.Errorf("unknown option %q; ignored", item))
		}
	}
	return opts, errs
}

// A debugSink renders or records messages as NLDEBUG asks. One sink serves
// every Conn of the process; a mutex keeps the output of concurrent calls
// whole.
type debugSink struct {
	level  int
	format debugFormat

	// report receives the one message about a failed write.
	report io.Writer

	mu     sync.Mutex
	out    io.Writer   // text output: standard error or the file
	pcap   *pcapWriter // capture output, for formatPcap
	buf    []byte      // reused rendering buffer
	failed bool        // a write failed; the trace is off
	now    func() time.Time
}

// newDebugSink builds the sink for opts, writing text to stderr unless a file
// is named. It returns nil and no error when the level turns the trace off,
// and nil and an error when the output cannot be set up. A file that cannot
// be used gives a sink writing to stderr together with the error reporting
// it: the user asked for a trace, and stderr is where one goes by default.
func newDebugSink(opts debugOptions, stderr io.Writer) (*debugSink, error) {
	if opts.level == 0 {
		return nil, nil
	}
	d := &debugSink{
		level:  opts.level,
		format: opts.format,
		report: stderr,
		out:    stderr,
		now:    time.Now,
	}
	if opts.format == formatPcap && opts.file == "" {
		return nil, errors.New("format=pcap needs file=PATH; debugging off")
	}
	var fallback error
	if opts.file != "" {
		f, err := openDebugFile(opts.file)
		switch {
		case err == nil:
			// The file stays open for the life of the process, like
			// stderr.
			d.out = f
		case opts.format == formatPcap:
			// A capture is binary; standard error gets the default
			// text layout instead.
			d.format = formatMNL
			fallback = fmt.Errorf("cannot use the output file: %v; tracing to standard error in the mnl layout", err)
		default:
			fallback = fmt.Errorf("cannot use the output file: %v; tracing to standard error", err)
		}
	}
	if d.format == formatPcap {
		p, err := newPcapWriter(d.out)
		if err != nil {
			return nil, fmt.Errorf("cannot write the capture file: %v; debugging off", err)
		}
		d.pcap = p
	}
	return d, fallback
}

// maxKeptBuffer bounds the rendering buffer kept between calls, so that one
// huge dump does not pin its memory for the life of the process.
const maxKeptBuffer = 64 << 10

// log records msgs, sent or received on a socket of the given netlink
// family (-1 when unknown).
func (d *debugSink) log(family int, dir debugDir, msgs []Message) {
	if d == nil || len(msgs) == 0 {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.failed {
		return
	}

	var err error
	if d.format == formatPcap {
		// The records are flushed at once, so that the file is a valid
		// capture up to the last call even if the process never closes
		// its Conns.
		err = d.pcap.write(family, dir, msgs, d.now())
	} else {
		b := d.buf[:0]
		for i := range msgs {
			m := &msgs[i]
			if d.format == formatMNL {
				if d.level >= 2 {
					b = appendDebugLine(b, family, dir, m, 1)
				}
				b = appendMNL(b, family, m)
			} else {
				b = appendDebugLine(b, family, dir, m, d.level)
			}
		}
		_, err = d.out.Write(b)
		if cap(b) <= maxKeptBuffer {
			d.buf = b[:0]
		} else {
			d.buf = nil
		}
	}
	if err != nil {
		d.fail(err)
	}
}

// flush writes out anything buffered; Conn.Close calls it.
func (d *debugSink) flush() {
	if d == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.failed || d.pcap == nil {
		return
	}
	if err := d.pcap.flush(); err != nil {
		d.fail(err)
	}
}

// fail turns the trace off after a write error and says so once. d.mu must
// be held.
func (d *debugSink) fail(err error) {
	d.failed = true
	fmt.Fprintf(d.report, "netlink: NLDEBUG: cannot write the trace: %v; debugging off\n", err)
}

// debugPayloadLen is the number of payload bytes of m that go on the wire:
// Data cut to the header's Length, or zero-padded up to it, but never padded
// by more than the alignment, so that a bogus Length cannot make the trace
// invent data.
func debugPayloadLen(m *Message) int {
	n := len(m.Data)
	if m.Header.Length < headerLen {
		return n
	}
	l := int64(m.Header.Length) - headerLen
	return int(min(l, int64(nlmsgAlign(n))))
}

// debugPayloadByte returns byte i of m's wire payload, which is zero past the
// end of Data.
func debugPayloadByte(m *Message, i int) byte {
	if i < len(m.Data) {
		return m.Data[i]
	}
	return 0
}
