package netlink_test

import (
	"os/exec"
	"regexp"
	"slices"
	"testing"
)

// TestInlining checks that the functions whose comments rely on being
// inlined still are, in the manner of net/netip's test of the same name:
// it builds each package with -gcflags=-m and reads the compiler's "can
// inline" lines. A change that makes one of them too costly fails here,
// not in a benchmark run by chance later.
func TestInlining(t *testing.T) {
	goTool, env := hostGo(t)
	want := map[string][]string{
		// The one attribute walker, in every decoder's loop.
		".": {"splitAttr", "(*replyReader).plainPass"},
		// badLength is kept out of line so that these stay inlinable.
		"./nlenc": {
			"PutUint8", "PutUint16", "PutUint32", "PutUint64", "PutInt32",
			"Uint8", "Uint16", "Uint32", "Uint64", "Int32",
		},
	}
	canInline := regexp.MustCompile(`(?m)^\S+:\d+:\d+: can inline (\S+)`)
	for pkg, fns := range want {
		cmd := exec.Command(goTool, "build", "-gcflags=-m", pkg)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go build -gcflags=-m %s: %v\n%s", pkg, err, out)
		}
		var got []string
		for _, m := range canInline.FindAllSubmatch(out, -1) {
			got = append(got, string(m[1]))
		}
		for _, fn := range fns {
			if !slices.Contains(got, fn) {
				t.Errorf("%s: %s can no longer be inlined", pkg, fn)
			}
		}
	}
}
