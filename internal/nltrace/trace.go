package nltrace

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The NLDEBUG settings are documented, once, in package netlink's
// documentation (doc.go): the options, what an invalid setting does, and
// what a trace holds.

// A Message is a netlink message as the trace sees it: its header as the
// caller set it, and its payload.
type Message struct {
	Header Header
	Data   []byte
}

// A Header is a netlink message header (struct nlmsghdr).
type Header struct {
	Length   uint32
	Type     HeaderType
	Flags    HeaderFlags
	Sequence uint32
	PID      uint32
}

// HeaderType and HeaderFlags are a header's type and flags.
type (
	HeaderType  uint16
	HeaderFlags uint16
)

// Names tells how the one-line layout names message types and header
// flags; package netlink gives its own String methods. A nil function
// prints the number.
type Names struct {
	Type  func(t uint16) string
	Flags func(f uint16) string
}

// typeName and flagsName apply n.
func (n Names) typeName(t HeaderType) string {
	if n.Type == nil {
		return strconv.Itoa(int(t))
	}
	return n.Type(uint16(t))
}

func (n Names) flagsName(f HeaderFlags) string {
	if n.Flags == nil {
		return strconv.Itoa(int(f))
	}
	return n.Flags(uint16(f))
}

// native is the byte order of netlink's integers: the host's.
var native = binary.NativeEndian

// Dir says whether a message was sent or received.
type Dir uint8

const (
	Send Dir = iota
	Recv
)

// String names the direction as the one-line format prints it.
func (d Dir) String() string {
	if d == Send {
		return "send"
	}
	return "recv"
}

// Setup parses an NLDEBUG value and builds its sink, reporting every
// problem to stderr. It returns nil when the trace is off. The one-line
// layout names types and flags with names.
func Setup(value string, stderr io.Writer, names Names) *Sink {
	opts, errs := parseDebugOptions(value)
	d, err := newDebugSink(opts, stderr)
	if d != nil {
		d.names = names
	}
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

// A Sink renders or records messages as NLDEBUG asks. One sink serves
// every Conn of the process; a mutex keeps the output of concurrent calls
// whole.
type Sink struct {
	level  int
	format debugFormat
	names  Names

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
func newDebugSink(opts debugOptions, stderr io.Writer) (*Sink, error) {
	if opts.level == 0 {
		return nil, nil
	}
	d := &Sink{
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

// Log records msgs, sent or received on a socket of the given netlink
// family (-1 when unknown). A nil *Sink records nothing.
func (d *Sink) Log(family int, dir Dir, msgs []Message) {
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
					b = appendDebugLine(b, family, dir, m, 1, d.names)
				}
				b = appendMNL(b, family, m)
			} else {
				b = appendDebugLine(b, family, dir, m, d.level, d.names)
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

// Flush writes out anything buffered; Conn.Close calls it.
func (d *Sink) Flush() {
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
func (d *Sink) fail(err error) {
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

// WritesPcap reports whether d writes a capture file, for tests.
func (d *Sink) WritesPcap() bool {
	return d != nil && d.format == formatPcap
}
