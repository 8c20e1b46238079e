package netlink_test

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// readmeExample is the program the README shows, as a file that builds.
const readmeExample = "examples/genlfamilies/main.go"

func TestREADMEExampleInStep(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(readmeExample)
	if err != nil {
		t.Fatal(err)
	}
	// The README's first Go block is the whole file.
	_, block, ok := strings.Cut(string(readme), "\n```go\n")
	if !ok {
		t.Fatal("README.md has no ```go block")
	}
	block, _, ok = strings.Cut(block, "\n```\n")
	if !ok {
		t.Fatal("README.md's ```go block does not end")
	}
	if diff := cmp.Diff(string(src), block+"\n"); diff != "" {
		t.Errorf("README.md's example differs from %s (-file +README):\n%s", readmeExample, diff)
	}
}

func TestREADMEExampleRuns(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("netlink is Linux only")
	}
	if testing.Short() {
		t.Skip("skipped in -short mode: builds a program")
	}
	goTool, env := hostGo(t)
	cmd := exec.Command(goTool, "run", "./examples/genlfamilies")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run %s: %v\n%s", readmeExample, err, out)
	}
	// The controller itself is always there, as family 16 (GENL_ID_CTRL).
	if !strings.Contains(string(out), "   16 nlctrl\n") {
		t.Errorf("output lacks the controller family:\n%s", out)
	}
}
