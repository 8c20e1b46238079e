//go:build unix

package nltrace

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"
)

// debugTraceLine is what format=line writes for the message the tests log.
const debugTraceLine = "nl: send: family=0 len=16 type=noop flags=0 seq=0 pid=0 payload=0\n"

// debugFileState is what a test watches of a path NLDEBUG must leave alone.
type debugFileState struct {
	Mode   fs.FileMode
	UID    uint32
	Data   string
	Target string
}

// snapshotDebugFile records the state of path, without following a link.
func snapshotDebugFile(t *testing.T, path string) debugFileState {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	s := debugFileState{Mode: fi.Mode(), UID: fi.Sys().(*syscall.Stat_t).Uid}
	switch {
	case fi.Mode().IsRegular():
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s.Data = string(b)
	case fi.Mode()&fs.ModeSymlink != 0:
		if s.Target, err = os.Readlink(path); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// writeDebugTestFile creates a file holding old contents, mode 0666 whatever
// the umask, and returns its path.
func writeDebugTestFile(t *testing.T, path string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte("old contents"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o666); err != nil {
		t.Fatal(err)
	}
	return path
}

// setupDebugWithin runs Setup, failing the test if it does not return
// within a few seconds: opening the output must never block. A call blocked
// on a named pipe is released by opening the pipe for reading.
func setupDebugWithin(t *testing.T, value, path string, stderr *bytes.Buffer) *Sink {
	t.Helper()
	done := make(chan *Sink, 1)
	go func() { done <- Setup(value, stderr, testNames) }()
	select {
	case d := <-done:
		closeDebugOutput(t, d)
		return d
	case <-time.After(5 * time.Second):
		if f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
			defer f.Close()
			<-done
		}
		t.Fatalf("NLDEBUG=%s: opening the output blocked for 5 s", value)
		return nil
	}
}

func TestDebugFileShared(t *testing.T) {
	// Even with a permissive umask, a new trace is the owner's only.
	old := syscall.Umask(0)
	defer syscall.Umask(old)

	tests := []struct {
		name string
		// setup makes what is at path before the trace opens it, and
		// returns the paths whose state must not change when the file
		// is refused.
		setup func(t *testing.T, dir, path string) []string
		// root marks a case that needs root to set up.
		root bool
		// format is the NLDEBUG format; line unless set.
		format string
		// refused is the reason the report gives, empty when the file
		// is used.
		refused string
	}{
		{
			name:  "new file",
			setup: func(*testing.T, string, string) []string { return nil },
		},
		{
			name: "existing file of ours",
			setup: func(t *testing.T, _, path string) []string {
				writeDebugTestFile(t, path)
				return nil
			},
		},
		{
			name: "existing capture of ours",
			setup: func(t *testing.T, _, path string) []string {
				writeDebugTestFile(t, path)
				return nil
			},
			format: "pcap",
		},
		{
			name: "another user's file",
			setup: func(t *testing.T, _, path string) []string {
				writeDebugTestFile(t, path)
				if err := os.Chown(path, 65534, 65534); err != nil {
					t.Fatal(err)
				}
				return []string{path}
			},
			root:    true,
			refused: "belongs to user 65534, not to this process's effective user 0",
		},
		{
			name: "another user's file asked for a capture",
			setup: func(t *testing.T, _, path string) []string {
				writeDebugTestFile(t, path)
				if err := os.Chown(path, 65534, 65534); err != nil {
					t.Fatal(err)
				}
				return []string{path}
			},
			root:    true,
			format:  "pcap",
			refused: "belongs to user 65534",
		},
		{
			name: "symbolic link",
			setup: func(t *testing.T, dir, path string) []string {
				victim := writeDebugTestFile(t, filepath.Join(dir, "victim"))
				if err := os.Symlink(victim, path); err != nil {
					t.Fatal(err)
				}
				return []string{path, victim}
			},
			refused: "is a symbolic link",
		},
		{
			name: "dangling symbolic link",
			setup: func(t *testing.T, dir, path string) []string {
				if err := os.Symlink(filepath.Join(dir, "nowhere"), path); err != nil {
					t.Fatal(err)
				}
				return []string{path}
			},
			refused: "is a symbolic link",
		},
		{
			name: "named pipe",
			setup: func(t *testing.T, _, path string) []string {
				if err := unix.Mkfifo(path, 0o666); err != nil {
					t.Fatal(err)
				}
				return []string{path}
			},
			refused: "is a named pipe",
		},
		{
			name: "directory",
			setup: func(t *testing.T, _, path string) []string {
				if err := os.Mkdir(path, 0o777); err != nil {
					t.Fatal(err)
				}
				return []string{path}
			},
			refused: "is a directory",
		},
		{
			name: "second name of a file",
			setup: func(t *testing.T, dir, path string) []string {
				other := writeDebugTestFile(t, filepath.Join(dir, "other"))
				if err := os.Link(other, path); err != nil {
					t.Fatal(err)
				}
				return []string{path, other}
			},
			refused: "has 2 names",
		},
		{
			name: "missing directory",
			setup: func(_ *testing.T, dir, _ string) []string {
				return nil
			},
			refused: "no such file or directory",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.root && os.Geteuid() != 0 {
				t.Skip("needs root to give a file to another user")
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "trace")
			if tt.name == "missing directory" {
				path = filepath.Join(dir, "missing", "trace")
			}
			watched := tt.setup(t, dir, path)
			before := make([]debugFileState, len(watched))
			for i, p := range watched {
				before[i] = snapshotDebugFile(t, p)
			}

			format := tt.format
			if format == "" {
				format = "line"
			}
			var stderr bytes.Buffer
			d := setupDebugWithin(t, "format="+format+",file="+path, path, &stderr)
			if d == nil {
				t.Fatalf("trace off, want it on; report %q", stderr.String())
			}
			d.Log(familyRoute, Send, []Message{{Header: Header{Length: 16, Type: Noop}}})
			d.Flush()

			if tt.refused == "" {
				if stderr.Len() != 0 {
					t.Errorf("report %q, want none", stderr.String())
				}
				if nonblock := debugOutputNonblocking(t, d); nonblock {
					t.Error("the file was left in non-blocking mode, in which a write may be cut short")
				}
				fi, err := os.Lstat(path)
				if err != nil {
					t.Fatal(err)
				}
				if fi.Mode() != 0o600 {
					t.Errorf("mode %v, want -rw-------", fi.Mode())
				}
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if format == "line" && string(b) != debugTraceLine {
					t.Errorf("file holds %q, want only the trace %q", b, debugTraceLine)
				}
				if format == "pcap" && (len(b) == 0 || bytes.Contains(b, []byte("old contents"))) {
					t.Errorf("file holds %q, want only the capture", b)
				}
				return
			}

			// Refused: one report, then the trace on standard error,
			// in the mnl layout when a capture was asked for.
			report, trace, _ := strings.Cut(stderr.String(), "\n")
			const prefix = "netlink: NLDEBUG: cannot use the output file: "
			const suffix = "; tracing to standard error"
			if !strings.HasPrefix(report, prefix) || !strings.Contains(report, tt.refused) || !strings.Contains(report, suffix) {
				t.Errorf("report %q, want %q...%q...%q", report, prefix, tt.refused, suffix)
			}
			if format == "line" && trace != debugTraceLine {
				t.Errorf("trace on standard error %q, want %q", trace, debugTraceLine)
			}
			if format == "pcap" && !strings.Contains(trace, "----------------") {
				t.Errorf("trace on standard error %q, want the mnl layout", trace)
			}
			for i, p := range watched {
				if diff := cmp.Diff(before[i], snapshotDebugFile(t, p)); diff != "" {
					t.Errorf("%s changed (-before +after):\n%s", p, diff)
				}
			}
		})
	}
}

// debugOutputNonblocking reports whether the descriptor of d's file has
// O_NONBLOCK set, reading its flags without changing them.
func debugOutputNonblocking(t *testing.T, d *Sink) bool {
	t.Helper()
	f, ok := d.out.(*os.File)
	if !ok {
		t.Fatalf("the trace goes to a %T, want a file", d.out)
	}
	rc, err := f.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var flags int
	var ferr error
	if err := rc.Control(func(fd uintptr) {
		flags, ferr = unix.FcntlInt(fd, unix.F_GETFL, 0)
	}); err != nil {
		t.Fatal(err)
	}
	if ferr != nil {
		t.Fatal(ferr)
	}
	return flags&unix.O_NONBLOCK != 0
}

func TestDebugFileDevice(t *testing.T) {
	// A device is not a regular file: it is refused, and neither opening
	// it nor the trace changes it.
	before, err := os.Stat("/dev/null")
	if err != nil {
		t.Skip(err)
	}
	var stderr bytes.Buffer
	d := Setup("format=line,file=/dev/null", &stderr, testNames)
	closeDebugOutput(t, d)
	if d == nil {
		t.Fatalf("trace off, want it on standard error: %s", stderr.String())
	}
	if msg := stderr.String(); !strings.Contains(msg, "/dev/null is a device, not a regular file") {
		t.Errorf("report %q, want one saying /dev/null is a device", msg)
	}
	after, err := os.Stat("/dev/null")
	if err != nil || after.Mode() != before.Mode() {
		t.Errorf("/dev/null mode %v, was %v (%v)", after.Mode(), before.Mode(), err)
	}
}
