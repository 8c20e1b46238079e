package family_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// debianSpecs is where Debian's linux-doc-6.12 package installs the specs.
const debianSpecs = "/usr/share/doc/linux-doc-6.12/Documentation/netlink/specs"

// committed lists the committed packages by the family they speak, as the
// go generate commands of doc.go write them.
var committed = map[string]string{
	"nlctrl":   "nlctrl",
	"netdev":   "netdev",
	"rt-addr":  "rtaddr",
	"rt-route": "rtroute",
	"rt-link":  "rtlink",
}

// TestFamiliesUpToDate regenerates the committed packages from the
// kernel's specs into a temporary directory and compares them with the
// committed ones. It needs the specs (YNL_SPECS names their directory;
// .ci/run sets it) and the go command, and skips without them.
func TestFamiliesUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping in short mode: runs the generator")
	}
	dir := os.Getenv("YNL_SPECS")
	if dir == "" {
		dir = debianSpecs
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no YNL specs to regenerate the packages from (set YNL_SPECS to Documentation/netlink/specs, e.g. from Debian's linux-doc-6.12): %v", err)
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	gen, err := filepath.Abs("../../internal/ynlgen")
	if err != nil {
		t.Fatal(err)
	}
	for family, pkg := range committed {
		out := filepath.Join(t.TempDir(), pkg)
		cmd := exec.Command(goTool, "run", "-C", gen, ".", "-typed", "-specs", dir, "-family", family, "-out", out)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("generator failed for %s: %v\n%s", family, err, msg)
		}
		fresh, _ := filepath.Glob(filepath.Join(out, "*.go"))
		old, _ := filepath.Glob(filepath.Join(pkg, "*.go"))
		names := func(paths []string) []string {
			var n []string
			for _, p := range paths {
				n = append(n, filepath.Base(p))
			}
			slices.Sort(n)
			return n
		}
		if a, b := names(old), names(fresh); !slices.Equal(a, b) {
			t.Errorf("%s: committed files %v, regenerated %v; run go generate ./ynl/family", pkg, a, b)
			continue
		}
		for _, p := range old {
			want, err := os.ReadFile(filepath.Join(out, filepath.Base(p)))
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s is not what the generator writes from %s; run go generate ./ynl/family", p, dir)
			}
		}
	}
}
