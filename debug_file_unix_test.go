//go:build unix

package netlink

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestDebugFilePermissions(t *testing.T) {
	// Even with a permissive umask, the trace is the owner's only.
	old := syscall.Umask(0)
	defer syscall.Umask(old)

	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.pcap")
	if err := os.WriteFile(existing, []byte("old contents"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(existing, 0o666); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, path, value string }{
		{"new text file", filepath.Join(dir, "trace.txt"), "format=line,file="},
		{"new capture", filepath.Join(dir, "trace.pcap"), "format=pcap,file="},
		{"existing file", existing, "format=pcap,file="},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			d := setupDebug(tt.value+tt.path, &stderr)
			if d == nil {
				t.Fatalf("no trace: %s", stderr.String())
			}
			d.log(familyRoute, debugSend, []Message{{Header: Header{Length: 16, Type: Noop}}})
			d.flush()
			fi, err := os.Stat(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != 0o600 {
				t.Errorf("mode %v, want -rw-------", fi.Mode())
			}
			b, err := os.ReadFile(tt.path)
			if err != nil || len(b) == 0 || bytes.Contains(b, []byte("old contents")) {
				t.Errorf("file holds %q (%v), want only the trace", b, err)
			}
		})
	}
}

func TestDebugFileRefusesSymlink(t *testing.T) {
	// A link planted where the trace goes must not let the trace
	// overwrite the file it names.
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "trace.pcap")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"pcap", "line", "mnl"} {
		var stderr bytes.Buffer
		if d := setupDebug("format="+format+",file="+link, &stderr); d != nil {
			t.Errorf("format=%s: trace on through a symbolic link", format)
		}
		if msg := stderr.String(); !strings.Contains(msg, "netlink: NLDEBUG: cannot create the output file") || !strings.Contains(msg, "debugging off") {
			t.Errorf("format=%s: report %q, want one saying the file cannot be created", format, msg)
		}
		b, err := os.ReadFile(victim)
		if err != nil || string(b) != "precious" {
			t.Fatalf("format=%s: the link's target now holds %q (%v)", format, b, err)
		}
		fi, err := os.Stat(victim)
		if err != nil || fi.Mode().Perm() != 0o644 {
			t.Fatalf("format=%s: the link's target changed mode: %v (%v)", format, fi.Mode(), err)
		}
	}
}

func TestDebugFileDevice(t *testing.T) {
	// A device such as /dev/null keeps working and keeps its mode.
	before, err := os.Stat("/dev/null")
	if err != nil {
		t.Skip(err)
	}
	var stderr bytes.Buffer
	d := setupDebug("format=line,file=/dev/null", &stderr)
	if d == nil {
		t.Fatalf("no trace to /dev/null: %s", stderr.String())
	}
	d.log(familyRoute, debugSend, []Message{{Header: Header{Length: 16, Type: Noop}}})
	d.flush()
	after, err := os.Stat("/dev/null")
	if err != nil || after.Mode() != before.Mode() {
		t.Errorf("/dev/null mode %v, was %v (%v)", after.Mode(), before.Mode(), err)
	}
}
