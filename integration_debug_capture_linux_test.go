//go:build linux

package netlink

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"
)

// captureHelperEnv names the file where TestIntegrationCaptureHelperProcess
// writes what it sent and received; it is set only in that subprocess.
const captureHelperEnv = "NETLINK_TEST_CAPTURE_TALLY"

// A capturedMessage is what a capture record must show of one message.
type capturedMessage struct {
	Send   bool
	Family int
	Type   HeaderType
	Seq    uint32
}

// TestIntegrationCaptureHelperProcess is the half of TestIntegrationCapture
// that runs in a subprocess, where NLDEBUG is set before the package is
// initialised. Run directly, it does nothing.
func TestIntegrationCaptureHelperProcess(t *testing.T) {
	tally := os.Getenv(captureHelperEnv)
	if tally == "" {
		return
	}
	if debugger == nil || !debugger.s.WritesPcap() {
		t.Fatalf("NLDEBUG=%q did not turn on the pcap capture", os.Getenv("NLDEBUG"))
	}
	var want []capturedMessage

	// A generic netlink lookup of the nlctrl family itself.
	g, err := Dial(unix.NETLINK_GENERIC, nil)
	if err != nil {
		t.Fatalf("failed to dial generic netlink: %v", err)
	}
	name := []byte("nlctrl\x00")
	data := append([]byte{unix.CTRL_CMD_GETFAMILY, 1, 0, 0}, native.AppendUint16(nil, uint16(4+len(name)))...)
	data = native.AppendUint16(data, unix.CTRL_ATTR_FAMILY_NAME)
	data = append(data, name...)
	data = append(data, 0) // padding to 4 bytes
	req, err := g.Send(Message{Header: Header{Type: unix.GENL_ID_CTRL, Flags: Request}, Data: data})
	if err != nil {
		t.Fatalf("failed to send the lookup: %v", err)
	}
	want = append(want, capturedMessage{true, unix.NETLINK_GENERIC, req.Header.Type, req.Header.Sequence})
	replies, err := g.Receive()
	if err != nil {
		t.Fatalf("failed to receive the lookup: %v", err)
	}
	for _, m := range replies {
		want = append(want, capturedMessage{false, unix.NETLINK_GENERIC, m.Header.Type, m.Header.Sequence})
	}
	if err := g.Close(); err != nil {
		t.Fatalf("failed to close: %v", err)
	}

	// An rtnetlink dump of every link; its closing Done message is not
	// returned by Receive but is captured.
	r, err := Dial(unix.NETLINK_ROUTE, nil)
	if err != nil {
		t.Fatalf("failed to dial rtnetlink: %v", err)
	}
	req, err = r.Send(Message{Header: Header{Type: unix.RTM_GETLINK, Flags: Request | Dump}, Data: make([]byte, unix.SizeofIfInfomsg)})
	if err != nil {
		t.Fatalf("failed to send the dump: %v", err)
	}
	want = append(want, capturedMessage{true, unix.NETLINK_ROUTE, req.Header.Type, req.Header.Sequence})
	links, err := r.Receive()
	if err != nil {
		t.Fatalf("failed to receive the dump: %v", err)
	}
	for _, m := range links {
		want = append(want, capturedMessage{false, unix.NETLINK_ROUTE, m.Header.Type, m.Header.Sequence})
	}
	want = append(want, capturedMessage{false, unix.NETLINK_ROUTE, Done, req.Header.Sequence})
	if err := r.Close(); err != nil {
		t.Fatalf("failed to close: %v", err)
	}

	b, err := json.Marshal(want)
	if err != nil {
		t.Fatalf("failed to encode the tally: %v", err)
	}
	if err := os.WriteFile(tally, b, 0o644); err != nil {
		t.Fatalf("failed to write the tally: %v", err)
	}
}

func TestIntegrationCapture(t *testing.T) {
	dir := t.TempDir()
	capture := filepath.Join(dir, "nl.pcap")
	tally := filepath.Join(dir, "tally.json")

	// NLDEBUG is read when the package is initialised, so the capture is
	// made by a fresh copy of this test binary.
	cmd := exec.Command(os.Args[0], "-test.run=^TestIntegrationCaptureHelperProcess$", "-test.count=1")
	cmd.Env = append(withoutEnv(os.Environ(), "NLDEBUG", captureHelperEnv),
		"NLDEBUG=format=pcap,file="+capture, captureHelperEnv+"="+tally)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("capture subprocess failed: %v\n%s", err, out)
	}

	b, err := os.ReadFile(tally)
	if err != nil {
		t.Fatalf("the subprocess left no tally: %v", err)
	}
	var want []capturedMessage
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatalf("failed to decode the tally: %v", err)
	}
	if len(want) < 5 {
		t.Fatalf("expected at least a lookup, its reply, a dump, one link and Done; got %+v", want)
	}

	// Our own reading of the file: one record per message, each with its
	// family and direction in the cooked header.
	b, err = os.ReadFile(capture)
	if err != nil {
		t.Fatalf("failed to read the capture: %v", err)
	}
	recs := readCaptureRecords(t, b)
	var got []capturedMessage
	for i, r := range recs {
		var m Message
		if err := m.UnmarshalBinary(r.Message); err != nil {
			t.Fatalf("record %d does not hold a netlink message: %v", i, err)
		}
		if r.HAType != unix.ARPHRD_NETLINK || (r.PktType != unix.PACKET_OUTGOING && r.PktType != unix.PACKET_HOST) {
			t.Fatalf("record %d: bad cooked header %+v", i, r)
		}
		got = append(got, capturedMessage{r.PktType == unix.PACKET_OUTGOING, int(r.Proto), m.Header.Type, m.Header.Sequence})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("capture does not hold the messages sent and received (-want +got):\n%s", diff)
	}

	checkWithTshark(t, capture, want)
}

// checkWithTshark checks that tshark reads the capture as netlink: one packet
// per message, dissected by the family's dissector, with the message types
// named.
func checkWithTshark(t *testing.T, capture string, want []capturedMessage) {
	t.Helper()
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("tshark is not installed; the capture was checked without it")
		}
		t.Fatalf("tshark is needed in CI (.ci/run installs it): %v", err)
	}

	out, err := exec.Command(tshark, "-r", capture, "-T", "fields", "-E", "separator=;",
		"-e", "frame.protocols", "-e", "netlink.family", "-e", "netlink.hdr_type",
		"-e", "genl.ctrl.cmd", "-e", "netlink-route.nltype").Output()
	if err != nil {
		t.Fatalf("tshark failed to read the capture: %v", err)
	}
	rows := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(rows) != len(want) {
		t.Fatalf("tshark sees %d packets, want %d:\n%s", len(rows), len(want), out)
	}
	for i, row := range rows {
		f := strings.Split(row, ";")
		if len(f) != 5 {
			t.Fatalf("packet %d: unexpected tshark row %q", i+1, row)
		}
		w := want[i]
		var ok bool
		switch {
		case w.Type < nlmsgMinType:
			ok = (f[0] == "netlink" || strings.HasPrefix(f[0], "netlink:data")) &&
				f[2] == fmt.Sprintf("0x%04x", uint16(w.Type))
		case w.Family == unix.NETLINK_GENERIC:
			// The lookup, then the kernel's CTRL_CMD_NEWFAMILY answer.
			cmd := map[bool]string{true: "3", false: "1"}[w.Send]
			ok = strings.HasPrefix(f[0], "netlink:genl") && f[3] == cmd
		case w.Family == unix.NETLINK_ROUTE:
			ok = f[0] == "netlink:netlink-route" && f[4] == fmt.Sprint(uint16(w.Type))
		}
		if !ok || f[1] != fmt.Sprintf("0x%04x", w.Family) {
			t.Errorf("packet %d: tshark reads %q, want %+v", i+1, row, w)
		}
	}

	// The names tshark gives the messages.
	out, err = exec.Command(tshark, "-r", capture, "-V").Output()
	if err != nil {
		t.Fatalf("tshark failed to dissect the capture: %v", err)
	}
	for _, s := range []string{
		"Linux netlink (cooked header)",
		"Family: Generic (0x0010)",
		"Family: Route (0x0000)",
		"Command: CTRL_CMD_GETFAMILY (3)",
		"Command: CTRL_CMD_NEWFAMILY (1)",
		"Family Name: nlctrl",
		"Message type: Get network interface info (18)",
		"Message type: Create network interface (16)",
		"Device name: lo",
		"Message type: End of a dump (0x0003)",
	} {
		if !strings.Contains(string(out), s) {
			t.Errorf("tshark -V does not show %q", s)
		}
	}
}

// withoutEnv returns env without the variables named.
func withoutEnv(env []string, names ...string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		keep := true
		for _, n := range names {
			if name == n {
				keep = false
			}
		}
		if keep {
			out = append(out, kv)
		}
	}
	return out
}

// A captureRecord is one record of a capture file: the fields of its cooked
// header that the test looks at, and the message.
type captureRecord struct {
	PktType, HAType, Proto uint16
	Message                []byte
}

// readCaptureRecords reads the records of a capture file of netlink
// messages written in the host's byte order (see package nltrace).
func readCaptureRecords(t *testing.T, b []byte) []captureRecord {
	t.Helper()
	if len(b) < 24 || native.Uint32(b[0:4]) != 0xa1b2c3d4 || native.Uint32(b[20:24]) != 253 {
		t.Fatalf("not a netlink capture in the host's byte order: % x", b[:min(len(b), 24)])
	}
	var recs []captureRecord
	for b = b[24:]; len(b) > 0; {
		if len(b) < 16+16 {
			t.Fatalf("truncated record header: %d bytes left", len(b))
		}
		incl := native.Uint32(b[8:12])
		if int64(incl) > int64(len(b)-16) || incl < 16 {
			t.Fatalf("record of %d bytes does not fit the file (%d left)", incl, len(b)-16)
		}
		p := b[16 : 16+incl]
		recs = append(recs, captureRecord{
			PktType: binary.BigEndian.Uint16(p[0:2]),
			HAType:  binary.BigEndian.Uint16(p[2:4]),
			Proto:   binary.BigEndian.Uint16(p[14:16]),
			Message: p[16:],
		})
		b = b[16+incl:]
	}
	return recs
}
