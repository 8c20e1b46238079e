package netlink_test

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// staticcheck is the staticcheck the CI uses, run through the module proxy.
const staticcheck = "honnef.co/go/tools/cmd/staticcheck@v0.8.2"

// TestStaticcheckDeprecations checks that every declaration v1.11.2 marks
// deprecated is marked here too, by running staticcheck on a program that
// uses each of them on a line of its own ending in "// use: NAME": every
// such line must get an SA1019 report naming NAME, and nothing else.
func TestStaticcheckDeprecations(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: builds staticcheck")
	}
	goTool, env := hostGo(t)

	version := exec.Command(goTool, "run", staticcheck, "-version")
	version.Env = env
	if out, err := version.CombinedOutput(); err != nil {
		t.Skipf("cannot fetch or build %s (%v):\n%s", staticcheck, err, out)
	}

	const dir = "testdata/deprecated"
	src, err := os.ReadFile(dir + "/main.go")
	if err != nil {
		t.Fatal(err)
	}
	// want maps "main.go:LINE" to the name used on that line.
	want := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(src))
	for line := 1; sc.Scan(); line++ {
		if _, name, ok := strings.Cut(sc.Text(), "// use: "); ok {
			want["main.go:"+strconv.Itoa(line)] = name
		}
	}
	if len(want) != 15 {
		t.Fatalf("%s uses %d deprecated declarations, want the 15 of v1.11.2", dir, len(want))
	}

	cmd := exec.Command(goTool, "run", staticcheck, "-checks", "SA1019", "-f", "text", "./"+dir)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	// The reports go to stdout; go run adds "exit status 1" on stderr.
	out, err := cmd.Output()
	// staticcheck exits 1 when it reports something; anything else is a
	// failure to run.
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		t.Fatalf("staticcheck: %v\n%s%s", err, out, stderr.Bytes())
	}

	// A report: path/main.go:LINE:COL: message (SA1019)
	report := regexp.MustCompile(`(main\.go:\d+):\d+: (.*) \(SA1019\)$`)
	got := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		m := report.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("unexpected staticcheck output: %q", l)
			continue
		}
		name := want[m[1]]
		if name == "" || !strings.Contains(m[2], "."+name+" is deprecated") {
			// Keep the whole message, so that the diff shows it.
			name = m[2]
		}
		got[m[1]] = name
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SA1019 reports by line (-want +got):\n%s\nstaticcheck output:\n%s", diff, out)
	}
}
