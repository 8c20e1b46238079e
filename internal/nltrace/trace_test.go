package nltrace

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// mnlLines joins text lines, each ended by a newline.
func mnlLines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// mnlHexRow formats four payload bytes as the mnl layout's hexadecimal column.
func mnlHexRow(b []byte) string {
	return fmt.Sprintf("| %02x %02x %02x %02x  |", b[0], b[1], b[2], b[3])
}

// debugU16 and debugU32 encode integers in the host's order, as netlink does, so that
// the fixtures hold on big- and little-endian hosts alike.
func debugU16(v uint16) []byte { return native.AppendUint16(nil, v) }
func debugU32(v uint32) []byte { return native.AppendUint32(nil, v) }

// debugAttr encodes one attribute with its padding.
func debugAttr(typ uint16, data []byte) []byte {
	b := append(debugU16(uint16(4+len(data))), debugU16(typ)...)
	b = append(b, data...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// debugCat concatenates byte slices.
func debugCat(bs ...[]byte) []byte { return bytes.Join(bs, nil) }

// mnlTestHeader is the boxed header of the mnl layout.
func mnlTestHeader(length uint32, typ uint16, flags string, seq, pid uint32) []string {
	return []string{
		"----------------\t------------------",
		fmt.Sprintf("|  %010d  |\t| message length |", length),
		fmt.Sprintf("| %05d | %s |\t|  type | flags  |", typ, flags),
		fmt.Sprintf("|  %010d  |\t| sequence number|", seq),
		fmt.Sprintf("|  %010d  |\t|     port ID    |", pid),
		"----------------\t------------------",
	}
}

// mnlTestRule opens and closes the boxes of the mnl layout.
const mnlTestRule = "----------------\t------------------"

func TestDebugMNL(t *testing.T) {
	// A u32 attribute value whose bytes differ between byte orders.
	val := debugU32(0x01020304)

	tests := []struct {
		name   string
		family int
		m      Message
		want   []string
	}{
		{
			name:   "generic netlink request with string",
			family: familyGeneric,
			m: Message{
				Header: Header{Length: 32, Type: 0x10, Flags: Request | Acknowledge, Sequence: 1},
				Data:   debugCat([]byte{3, 1, 0, 0}, debugAttr(2, []byte("nlctrl\x00"))),
			},
			want: append(mnlTestHeader(32, 16, "R-A-", 1, 0),
				"| 03 01 00 00  |\t|  extra header  |",
				"|00011|--|00002|\t|len |flags| type|",
				"| 6e 6c 63 74  |\t|      data      |\t n l c t",
				"| 72 6c 00 00  |\t|      data      |\t r l    ",
				mnlTestRule,
			),
		},
		{
			name:   "nested attributes, no extra header",
			family: -1,
			m: Message{
				Header: Header{Length: 44, Type: 0x20, Flags: Multi | Echo, Sequence: 4294967295, PID: 77},
				Data: debugAttr(1|Nested, debugCat(
					debugAttr(2, val),
					debugAttr(3|NetByteOrder, nil),
					debugAttr(4|Nested, debugAttr(5, []byte{0xff, 'A'})),
				)),
			},
			want: append(mnlTestHeader(44, 32, "-M-E", 4294967295, 77),
				"|00028|N-|00001|\t|len |flags| type|",
				"|00008|--|00002|\t|len |flags| type|",
				mnlHexRow(val)+"\t|      data      |\t        ",
				"|00004|-B|00003|\t|len |flags| type|",
				"|00012|N-|00004|\t|len |flags| type|",
				"|00006|--|00005|\t|len |flags| type|",
				"| ff 41 00 00  |\t|      data      |\t   A    ",
				mnlTestRule,
			),
		},
		{
			name:   "odd length received message",
			family: -1,
			m: Message{
				// An attribute of 7 bytes in a message whose Length is
				// not aligned, as some families send them.
				Header: Header{Length: 23, Type: 0x10},
				Data:   debugCat(debugU16(7), debugU16(9), []byte("abc")),
			},
			want: append(mnlTestHeader(23, 16, "----", 0, 0),
				"|00007|--|00009|\t|len |flags| type|",
				"| 61 62 63     |\t|      data      |\t a b c  ",
				mnlTestRule,
			),
		},
		{
			name:   "sent message padded to its length",
			family: familyNetfilter,
			m: Message{
				Header: Header{Length: 28, Type: 0x0a01, Flags: Request},
				Data:   debugCat([]byte{2, 0, 0, 0}, debugU16(5), debugU16(1), []byte{'x'}),
			},
			want: append(mnlTestHeader(28, 2561, "R---", 0, 0),
				"| 02 00 00 00  |\t|  extra header  |",
				"|00005|--|00001|\t|len |flags| type|",
				"| 78 00 00 00  |\t|      data      |\t x      ",
				mnlTestRule,
			),
		},
		{
			name:   "data beyond the header length is not shown",
			family: familyGeneric,
			m: Message{
				Header: Header{Length: 20, Type: 0x10},
				Data:   []byte{1, 2, 0, 0, 0xde, 0xad, 0xbe, 0xef},
			},
			want: append(mnlTestHeader(20, 16, "----", 0, 0),
				"| 01 02 00 00  |\t|  extra header  |",
				mnlTestRule,
			),
		},
		{
			name:   "error message shows raw rows",
			family: familyRoute,
			m: Message{
				Header: Header{Length: 36, Type: Error, Sequence: 9, PID: 1234},
				Data:   debugCat(debugU32(uint32(0xfffffffe)), debugU32(16), debugU16(18), debugU16(0x301), debugU32(9), debugU32(0)),
			},
			want: append(mnlTestHeader(36, 2, "----", 9, 1234),
				mnlHexRow(debugU32(0xfffffffe))+"\t|                |",
				mnlHexRow(debugU32(16))+"\t|                |",
				mnlHexRow(debugCat(debugU16(18), debugU16(0x301)))+"\t|                |",
				mnlHexRow(debugU32(9))+"\t|                |",
				mnlHexRow(debugU32(0))+"\t|                |",
				mnlTestRule,
			),
		},
		{
			name:   "empty payload",
			family: familyRoute,
			m:      Message{Header: Header{Length: 16, Type: Done, Flags: Multi, Sequence: 3, PID: 5}},
			want:   append(mnlTestHeader(16, 3, "-M--", 3, 5), mnlTestRule),
		},
		{
			name:   "rtnetlink link message has a 16-byte ifinfomsg",
			family: familyRoute,
			m: Message{
				Header: Header{Length: 40, Type: 16, Flags: Multi, Sequence: 2, PID: 99},
				Data:   debugCat(make([]byte, 4), debugU32(1), debugU32(0x49), debugU32(0), debugAttr(3, []byte("lo\x00"))),
			},
			want: append(mnlTestHeader(40, 16, "-M--", 2, 99),
				"| 00 00 00 00  |\t|  extra header  |",
				mnlHexRow(debugU32(1))+"\t|  extra header  |",
				mnlHexRow(debugU32(0x49))+"\t|  extra header  |",
				"| 00 00 00 00  |\t|  extra header  |",
				"|00007|--|00003|\t|len |flags| type|",
				"| 6c 6f 00 00  |\t|      data      |\t l o    ",
				mnlTestRule,
			),
		},
		{
			name:   "malformed attributes are shown, not skipped",
			family: -1,
			m: Message{
				Header: Header{Length: 32, Type: 0x10},
				// A zero type, an attribute too short to hold its
				// header, and one that claims more than the message.
				Data: debugCat(debugU16(8), debugU16(0), debugU16(2), debugU16(5), debugU16(200), debugU16(6), []byte{1, 2, 3, 4}),
			},
			want: append(mnlTestHeader(32, 16, "----", 0, 0),
				mnlHexRow(debugCat(debugU16(8), debugU16(0)))+"\t|                |",
				"|00002|--|00005|\t|len |flags| type|",
				"|00200|--|00006|\t|len |flags| type|",
				"| 01 02 03 04  |\t|      data      |\t        ",
				mnlTestRule,
			),
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(appendMNL(nil, tt.family, &tt.m))
			if diff := cmp.Diff(mnlLines(tt.want...), got); diff != "" {
				t.Fatalf("unexpected mnl output (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDebugLine(t *testing.T) {
	req := Message{
		Header: Header{Length: 20, Type: 0x10, Flags: Request | Dump, Sequence: 7, PID: 0},
		Data:   []byte{3, 1, 0, 0},
	}
	errMsg := Message{
		Header: Header{Length: 36, Type: Error, Sequence: 7, PID: 42},
		Data:   debugCat(debugU32(0xffffffff), make([]byte, 16)),
	}
	tests := []struct {
		name   string
		family int
		dir    Dir
		m      Message
		level  int
		want   string
	}{
		{
			name:   "send, level 1",
			family: familyGeneric,
			dir:    Send,
			m:      req,
			level:  1,
			want:   "nl: send: family=16 len=20 type=16 flags=request|0x300 seq=7 pid=0 payload=4\n",
		},
		{
			name:   "send, level 2 adds the data",
			family: familyGeneric,
			dir:    Send,
			m:      req,
			level:  2,
			want:   "nl: send: family=16 len=20 type=16 flags=request|0x300 seq=7 pid=0 payload=4 03010000\n",
		},
		{
			name:   "received error",
			family: -1,
			dir:    Recv,
			m:      errMsg,
			level:  1,
			want:   "nl: recv: family=unknown len=36 type=error flags=0 seq=7 pid=42 error=-1 payload=20\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(appendDebugLine(nil, tt.family, tt.dir, &tt.m, tt.level, testNames))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("unexpected line (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseDebugOptions(t *testing.T) {
	tests := []struct {
		in   string
		want debugOptions
		errs []string
	}{
		{in: "1", want: debugOptions{level: 1, format: formatMNL}},
		{in: "yes", want: debugOptions{level: 1, format: formatMNL}},
		{in: "level=2", want: debugOptions{level: 2, format: formatMNL}},
		{in: "level=0", want: debugOptions{level: 0, format: formatMNL}},
		{in: "format=mnl", want: debugOptions{level: 1, format: formatMNL}},
		{in: "format=text", want: debugOptions{level: 1, format: formatLine}},
		{in: " level = 3 , format = pcap , file=/tmp/x.pcap", want: debugOptions{level: 3, format: formatPcap, file: "/tmp/x.pcap"}},
		{in: "format=pcap,file=a.pcap,level=1", want: debugOptions{level: 1, format: formatPcap, file: "a.pcap"}},
		{in: "level=2,,", want: debugOptions{level: 2, format: formatMNL}},
		{
			in:   "level=x",
			want: debugOptions{level: 1, format: formatMNL},
			errs: []string{`invalid level "x" (want a whole number, 0 or more); using level 1`},
		},
		{
			in:   "level=-1,format=line",
			want: debugOptions{level: 1, format: formatLine},
			errs: []string{`invalid level "-1" (want a whole number, 0 or more); using level 1`},
		},
		{
			in:   "format=",
			want: debugOptions{level: 1, format: formatMNL},
			errs: []string{`empty format; using "mnl"`},
		},
		{
			in:   "file=,colour=red",
			want: debugOptions{level: 1, format: formatMNL},
			errs: []string{"empty file name; ignored", `unknown option "colour=red"; ignored`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, errs := parseDebugOptions(tt.in)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(debugOptions{})); diff != "" {
				t.Fatalf("unexpected options (-want +got):\n%s", diff)
			}
			var texts []string
			for _, err := range errs {
				texts = append(texts, err.Error())
			}
			if diff := cmp.Diff(tt.errs, texts); diff != "" {
				t.Fatalf("unexpected errors (-want +got):\n%s", diff)
			}
		})
	}
}

// closeDebugOutput closes the file d writes to when the test ends: the
// sink keeps it open for the life of the process, as it does stderr.
func closeDebugOutput(t *testing.T, d *Sink) {
	t.Helper()
	if d == nil {
		return
	}
	if f, ok := d.out.(*os.File); ok && f != os.Stderr {
		t.Cleanup(func() { f.Close() })
	}
}

func TestSetupDebug(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		value   string
		on      bool
		level   int
		format  debugFormat
		message string
	}{
		{name: "default", value: "1", on: true, level: 1, format: formatMNL},
		{name: "off", value: "level=0"},
		{
			name: "bad level falls back", value: "level=high", on: true, level: 1, format: formatMNL,
			message: `netlink: NLDEBUG: invalid level "high" (want a whole number, 0 or more); using level 1` + "\n",
		},
		{
			name: "pcap needs a file", value: "format=pcap",
			message: "netlink: NLDEBUG: format=pcap needs file=PATH; debugging off\n",
		},
		{
			name: "pcap file cannot be created", value: "format=pcap,file=" + filepath.Join(dir, "missing", "x.pcap"),
			on: true, level: 1, format: formatMNL,
			message: "netlink: NLDEBUG: cannot use the output file: open " + filepath.Join(dir, "missing", "x.pcap") +
				": no such file or directory; tracing to standard error in the mnl layout\n",
		},
		{name: "pcap", value: "format=pcap,file=" + filepath.Join(dir, "ok.pcap"), on: true, level: 1, format: formatPcap},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			d := Setup(tt.value, &stderr, testNames)
			closeDebugOutput(t, d)
			if diff := cmp.Diff(tt.message, stderr.String()); diff != "" {
				t.Fatalf("unexpected report (-want +got):\n%s", diff)
			}
			if (d != nil) != tt.on {
				t.Fatalf("sink on: %v, want %v", d != nil, tt.on)
			}
			if d == nil {
				return
			}
			if d.level != tt.level || d.format != tt.format {
				t.Fatalf("sink level %d format %d, want level %d format %d", d.level, d.format, tt.level, tt.format)
			}
		})
	}
}

func TestDebugSinkText(t *testing.T) {
	msgs := []Message{
		{Header: Header{Length: 20, Type: 0x10, Flags: Request, Sequence: 1}, Data: []byte{3, 1, 0, 0}},
		{Header: Header{Length: 16, Type: Done, Sequence: 1, PID: 9}},
	}
	tests := []struct {
		name  string
		value string
		want  func() string
	}{
		{
			name:  "mnl level 1",
			value: "1",
			want: func() string {
				return string(appendMNL(appendMNL(nil, familyGeneric, &msgs[0]), familyGeneric, &msgs[1]))
			},
		},
		{
			name:  "mnl level 2 adds a summary line",
			value: "level=2",
			want: func() string {
				b := appendDebugLine(nil, familyGeneric, Recv, &msgs[0], 1, testNames)
				b = appendMNL(b, familyGeneric, &msgs[0])
				b = appendDebugLine(b, familyGeneric, Recv, &msgs[1], 1, testNames)
				return string(appendMNL(b, familyGeneric, &msgs[1]))
			},
		},
		{
			name:  "one line per message",
			value: "format=short",
			want: func() string {
				return "nl: recv: family=16 len=20 type=16 flags=request seq=1 pid=0 payload=4\n" +
					"nl: recv: family=16 len=16 type=done flags=0 seq=1 pid=9 payload=0\n"
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			d := Setup(tt.value, &stderr, testNames)
			d.Log(familyGeneric, Recv, msgs)
			d.Flush()
			if diff := cmp.Diff(tt.want(), stderr.String()); diff != "" {
				t.Fatalf("unexpected output (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDebugSinkFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trace.txt")
	var stderr bytes.Buffer
	d := Setup("format=line,file="+path, &stderr, testNames)
	closeDebugOutput(t, d)
	m := Message{Header: Header{Length: 16, Type: Noop}}
	d.Log(familyRoute, Send, []Message{m})
	d.Flush()

	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("failed to read the trace: %v", err)
	}
	want := "nl: send: family=0 len=16 type=noop flags=0 seq=0 pid=0 payload=0\n"
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Fatalf("unexpected trace file (-want +got):\n%s", diff)
	}
	if stderr.Len() != 0 {
		t.Fatalf("unexpected output on stderr: %q", stderr.String())
	}
}

// debugFailWriter fails every write.
type debugFailWriter struct{ n int }

func (w *debugFailWriter) Write(b []byte) (int, error) {
	w.n++
	return 0, errors.New("disk full")
}

func TestDebugSinkWriteFailureReportedOnce(t *testing.T) {
	var stderr bytes.Buffer
	w := &debugFailWriter{}
	d := &Sink{level: 1, format: formatMNL, report: &stderr, out: w, now: time.Now}
	m := []Message{{Header: Header{Length: 16, Type: 0x10}}}
	for range 3 {
		d.Log(familyGeneric, Send, m)
	}
	want := "netlink: NLDEBUG: cannot write the trace: disk full; debugging off\n"
	if diff := cmp.Diff(want, stderr.String()); diff != "" {
		t.Fatalf("unexpected report (-want +got):\n%s", diff)
	}
	if w.n != 1 {
		t.Fatalf("writes after the failure: got %d writes, want 1", w.n)
	}
}

// A pcapRecord is one record read back from a capture file.
type pcapRecord struct {
	InclLen, OrigLen uint32
	PktType, HAType  uint16
	AddrLen, Proto   uint16
	Addr             [8]byte
	Message          []byte
	Time             time.Time
}

// readPcap parses a capture file written in the host's byte order.
func readPcap(t *testing.T, b []byte) (linkType, snapLen uint32, recs []pcapRecord) {
	t.Helper()
	if len(b) < 24 {
		t.Fatalf("capture too short for its header: %d bytes", len(b))
	}
	if got := native.Uint32(b[0:4]); got != 0xa1b2c3d4 {
		t.Fatalf("magic: got %#x, want 0xa1b2c3d4 in the host's order", got)
	}
	if maj, min := native.Uint16(b[4:6]), native.Uint16(b[6:8]); maj != 2 || min != 4 {
		t.Fatalf("version: got %d.%d, want 2.4", maj, min)
	}
	snapLen, linkType = native.Uint32(b[16:20]), native.Uint32(b[20:24])
	b = b[24:]
	for len(b) > 0 {
		if len(b) < 16+16 {
			t.Fatalf("truncated record header: %d bytes left", len(b))
		}
		r := pcapRecord{
			Time:    time.Unix(int64(native.Uint32(b[0:4])), int64(native.Uint32(b[4:8]))*1000),
			InclLen: native.Uint32(b[8:12]),
			OrigLen: native.Uint32(b[12:16]),
		}
		if int(r.InclLen) > len(b)-16 {
			t.Fatalf("record of %d bytes overruns the file (%d left)", r.InclLen, len(b)-16)
		}
		p := b[16 : 16+r.InclLen]
		r.PktType = binary.BigEndian.Uint16(p[0:2])
		r.HAType = binary.BigEndian.Uint16(p[2:4])
		r.AddrLen = binary.BigEndian.Uint16(p[4:6])
		copy(r.Addr[:], p[6:14])
		r.Proto = binary.BigEndian.Uint16(p[14:16])
		r.Message = p[16:]
		recs = append(recs, r)
		b = b[16+r.InclLen:]
	}
	return linkType, snapLen, recs
}

func TestDebugPcap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nl.pcap")
	var stderr bytes.Buffer
	d := Setup("format=pcap,file="+path, &stderr, testNames)
	closeDebugOutput(t, d)
	if d == nil {
		t.Fatalf("no sink: %s", stderr.String())
	}
	when := time.Unix(1700000000, 123456000)
	d.now = func() time.Time { return when }

	req := Message{
		Header: Header{Length: 28, Type: 0x10, Flags: Request | Acknowledge, Sequence: 5, PID: 100},
		Data:   debugCat([]byte{3, 1, 0, 0}, debugAttr(1, debugU16(0x10))),
	}
	replies := []Message{
		{Header: Header{Length: 24, Type: 16, Flags: Multi, Sequence: 5, PID: 100}, Data: debugCat(debugU32(1), debugU32(2))},
		{Header: Header{Length: 20, Type: Done, Flags: Multi, Sequence: 5, PID: 100}, Data: debugU32(0)},
	}
	// Sent with a Length aligned past its data: the wire holds padding.
	padded := Message{Header: Header{Length: 20, Type: 0x11, Flags: Request}, Data: []byte{7}}

	d.Log(familyGeneric, Send, []Message{req})
	d.Log(familyRoute, Recv, replies)
	d.Log(-1, Send, []Message{padded})

	// The records are on disk before any flush, so that a process that
	// never closes its Conns still leaves a valid capture.
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("failed to read the capture: %v", err)
	}
	d.Flush()
	if b2, _ := os.ReadFile(path); !bytes.Equal(b, b2) {
		t.Fatalf("flush changed the capture: it was not written through")
	}

	linkType, snapLen, recs := readPcap(t, b)
	if linkType != 253 || snapLen != 262144 {
		t.Fatalf("link type %d snaplen %d, want 253 and 262144", linkType, snapLen)
	}

	wire := wireBytes
	type rec struct {
		PktType, HAType, AddrLen, Proto uint16
		Addr                            [8]byte
		Message                         []byte
		OrigLen                         uint32
		Time                            time.Time
	}
	want := []rec{
		{PktType: 4, HAType: 824, Proto: 16, Message: wire(req)},
		{PktType: 0, HAType: 824, Proto: 0, Message: wire(replies[0])},
		{PktType: 0, HAType: 824, Proto: 0, Message: wire(replies[1])},
		{PktType: 4, HAType: 824, Proto: 0xffff, Message: debugCat(wire(padded)[:16], []byte{7, 0, 0, 0})},
	}
	var got []rec
	for i := range want {
		want[i].OrigLen = uint32(16 + len(want[i].Message))
		want[i].Time = when
	}
	for _, r := range recs {
		if r.InclLen != r.OrigLen {
			t.Fatalf("record cut: %d of %d bytes", r.InclLen, r.OrigLen)
		}
		got = append(got, rec{r.PktType, r.HAType, r.AddrLen, r.Proto, r.Addr, r.Message, r.OrigLen, r.Time})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("unexpected records (-want +got):\n%s", diff)
	}
}

func TestDebugPcapSnapLen(t *testing.T) {
	var buf bytes.Buffer
	p, err := newPcapWriter(&buf)
	if err != nil {
		t.Fatalf("failed to start the capture: %v", err)
	}
	big := Message{Header: Header{Length: 16 + 300000, Type: 0x10}, Data: bytes.Repeat([]byte{0xab}, 300000)}
	if err := p.write(familyRoute, Recv, []Message{big}, time.Now()); err != nil {
		t.Fatalf("failed to write: %v", err)
	}
	_, _, recs := readPcap(t, buf.Bytes())
	if len(recs) != 1 {
		t.Fatalf("got %d records, want 1", len(recs))
	}
	if recs[0].InclLen != 262144 || recs[0].OrigLen != 16+16+300000 {
		t.Fatalf("lengths: included %d original %d, want 262144 and %d", recs[0].InclLen, recs[0].OrigLen, 16+16+300000)
	}
}

func TestDebugPcapConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "many.pcap")
	var stderr bytes.Buffer
	d := Setup("format=pcap,file="+path, &stderr, testNames)
	closeDebugOutput(t, d)
	if d == nil {
		t.Fatalf("no sink: %s", stderr.String())
	}

	const goroutines, calls = 8, 50
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range calls {
				// Each message says who sent it, so that a torn record
				// would show.
				msgs := []Message{
					{Header: Header{Length: 24, Type: 0x10, Sequence: uint32(i), PID: uint32(g)}, Data: debugCat(debugU32(uint32(g)), debugU32(uint32(i)))},
					{Header: Header{Length: 16, Type: Done, Sequence: uint32(i), PID: uint32(g)}},
				}
				d.Log(g, Dir(i%2), msgs)
				if i%10 == 0 {
					d.Flush()
				}
			}
		})
	}
	wg.Wait()
	d.Flush()

	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("failed to read the capture: %v", err)
	}
	_, _, recs := readPcap(t, b)
	if len(recs) != goroutines*calls*2 {
		t.Fatalf("got %d records, want %d", len(recs), goroutines*calls*2)
	}
	seen := make(map[[2]uint32]int)
	for i, r := range recs {
		m, err := parseWire(r.Message)
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		g, seq := m.Header.PID, m.Header.Sequence
		if int(r.Proto) != int(g) || r.PktType != [2]uint16{4, 0}[seq%2] {
			t.Fatalf("record %d: cooked header (proto %d, type %d) does not match goroutine %d call %d", i, r.Proto, r.PktType, g, seq)
		}
		if m.Header.Type == 0x10 && (native.Uint32(m.Data[0:4]) != g || native.Uint32(m.Data[4:8]) != seq) {
			t.Fatalf("record %d: torn message %x", i, r.Message)
		}
		seen[[2]uint32{g, seq}]++
	}
	for g := range goroutines {
		for i := range calls {
			if n := seen[[2]uint32{uint32(g), uint32(i)}]; n != 2 {
				t.Fatalf("goroutine %d call %d: %d records, want 2", g, i, n)
			}
		}
	}
}

func FuzzDebugMNL(f *testing.F) {
	f.Add(uint16(0x10), 16, []byte{3, 1, 0, 0, 8, 0, 1, 0, 1, 0, 0, 0})
	f.Add(uint16(2), 0, []byte{0xfe, 0xff, 0xff, 0xff})
	f.Add(uint16(16), 0, []byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, typ uint16, family int, data []byte) {
		for _, length := range []uint32{0, 16, uint32(16 + len(data)), uint32(nlmsgAlign(16 + len(data))), 0xffffffff} {
			m := Message{Header: Header{Length: length, Type: HeaderType(typ)}, Data: data}
			out := appendMNL(nil, family, &m)
			if !bytes.HasSuffix(out, []byte(mnlRule)) {
				t.Fatalf("output does not end with the mnlTestRule:\n%s", out)
			}
			// Every payload row is one line of the same width up to
			// its label.
			rows := bytes.Count(out, []byte("\n")) - 7
			if want := (debugPayloadLen(&m) + 3) / 4; rows != want {
				t.Fatalf("got %d payload rows, want %d:\n%s", rows, want, out)
			}
			line := appendDebugLine(nil, family, Recv, &m, 2, testNames)
			if bytes.Count(line, []byte("\n")) != 1 {
				t.Fatalf("line format spans more than one line: %q", line)
			}
			var capture bytes.Buffer
			p, err := newPcapWriter(&capture)
			if err != nil {
				t.Fatalf("failed to start the capture: %v", err)
			}
			if err := p.write(family, Send, []Message{m}, time.Now()); err != nil {
				t.Fatalf("failed to write: %v", err)
			}
			_, _, recs := readPcap(t, capture.Bytes())
			if len(recs) != 1 || len(recs[0].Message) != headerLen+debugPayloadLen(&m) {
				t.Fatalf("unexpected records: %+v", recs)
			}
		}
	})
}
