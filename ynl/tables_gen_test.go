package ynl_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"testing"
)

// debianSpecs is where Debian's linux-doc-6.12 package installs the specs.
const debianSpecs = "/usr/share/doc/linux-doc-6.12/Documentation/netlink/specs"

// TestTablesUpToDate regenerates the tables from the kernel's specs into a
// temporary directory and compares them with the committed ones. It needs
// the specs (YNL_SPECS names their directory; .ci/run sets it) and the go
// command, and skips without them.
func TestTablesUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping in short mode: runs the generator")
	}
	dir := os.Getenv("YNL_SPECS")
	if dir == "" {
		dir = debianSpecs
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no YNL specs to regenerate the tables from (set YNL_SPECS to Documentation/netlink/specs, e.g. from Debian's linux-doc-6.12): %v", err)
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	out := t.TempDir()
	gen, err := filepath.Abs("../internal/ynlgen")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goTool, "run", "-C", gen, ".", "-specs", dir, "-out", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generator failed: %v\n%s", err, msg)
	}
	committed, _ := filepath.Glob("internal/tables/z*.go")
	fresh, _ := filepath.Glob(filepath.Join(out, "z*.go"))
	names := func(paths []string) []string {
		var n []string
		for _, p := range paths {
			n = append(n, filepath.Base(p))
		}
		sort.Strings(n)
		return n
	}
	if a, b := names(committed), names(fresh); !slices.Equal(a, b) {
		t.Fatalf("generated files differ: committed %v, regenerated %v; run go generate ./ynl", a, b)
	}
	for _, p := range committed {
		want, err := os.ReadFile(filepath.Join(out, filepath.Base(p)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not what the generator writes from %s; run go generate ./ynl", p, dir)
		}
	}
}
