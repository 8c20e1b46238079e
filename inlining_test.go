package netlink_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestInlining checks that the functions whose comments rely on being
// inlined still are, in the manner of net/netip's test of the same name:
// it builds each package with -gcflags=-m and reads the compiler's "can
// inline" and "inlining call to" lines. A change that makes one of them
// too costly fails here, not in a benchmark run by chance later.
func TestInlining(t *testing.T) {
	goTool, env := hostGo(t)
	tests := []struct {
		pkg, fn string
		in      string // a file that must inline every call of fn it makes; "" for none
		claim   string // where the claim is made
	}{
		{pkg: ".", fn: "splitAttr", in: "attribute.go", claim: "attrwalk.go, splitAttr: inlined into AttributeDecoder.Next and UnmarshalAttributes"},
		{pkg: ".", fn: "(*replyReader).plainPass", in: "receive.go", claim: "classify.go, plainPass: inlined into the receive loop, sparing a call per message"},
	}
	// nlenc.badLength is kept out of line so that these stay inlinable.
	for _, fn := range []string{
		"PutUint8", "PutUint16", "PutUint32", "PutUint64", "PutInt32",
		"Uint8", "Uint16", "Uint32", "Uint64", "Int32",
	} {
		tests = append(tests, struct{ pkg, fn, in, claim string }{
			pkg: "./nlenc", fn: fn, claim: "nlenc/int.go, badLength: its callers stay small enough to inline",
		})
	}

	builds := make(map[string][]byte) // -m output by package
	for _, tt := range tests {
		out, ok := builds[tt.pkg]
		if !ok {
			cmd := exec.Command(goTool, "build", "-gcflags=-m", tt.pkg)
			cmd.Env = env
			var err error
			if out, err = cmd.CombinedOutput(); err != nil {
				t.Fatalf("go build -gcflags=-m %s: %v\n%s", tt.pkg, err, out)
			}
			builds[tt.pkg] = out
		}
		fn := regexp.QuoteMeta(tt.fn)
		if !regexp.MustCompile(`(?m)^\S+:\d+:\d+: can inline ` + fn + `$`).Match(out) {
			t.Errorf("%s: %s can no longer be inlined (%s)", tt.pkg, tt.fn, tt.claim)
			continue
		}
		if tt.in == "" {
			continue
		}
		// As many "inlining call to" lines as the file has calls.
		inlined := regexp.MustCompile(`(?m)^\S*\b`+regexp.QuoteMeta(tt.in)+`:\d+:\d+: inlining call to `+fn+`$`).FindAll(out, -1)
		src, err := os.ReadFile(filepath.Join(tt.pkg, tt.in))
		if err != nil {
			t.Fatal(err)
		}
		name := tt.fn[strings.LastIndexAny(tt.fn, ".)")+1:]
		calls := 0
		for _, line := range strings.Split(string(src), "\n") {
			if line = strings.TrimSpace(line); !strings.HasPrefix(line, "//") && !strings.HasPrefix(line, "func ") {
				calls += len(regexp.MustCompile(`\b`+name+`\(`).FindAllString(line, -1))
			}
		}
		if calls == 0 || len(inlined) != calls {
			t.Errorf("%s: %d of the %d calls of %s in %s are inlined, want all (%s)", tt.pkg, len(inlined), calls, tt.fn, tt.in, tt.claim)
		}
	}
}
