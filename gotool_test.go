package netlink_test

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// hostGo returns the go tool and an environment that makes it build for the
// host, for tests that build and run programs. It skips the test when there
// is no go tool, or when the test binary is not the host's (cross-compiled
// and emulated, or GOARCH=386): such runs leave this to the native one.
func hostGo(t *testing.T) (goTool string, env []string) {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go tool: %v", err)
	}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOARCH=") && !strings.HasPrefix(kv, "GOOS=") && !strings.HasPrefix(kv, "CGO_ENABLED=") {
			env = append(env, kv)
		}
	}
	cmd := exec.Command(goTool, "env", "GOHOSTARCH", "GOHOSTOS")
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("go env: %v", err)
	}
	host := strings.Fields(string(out))
	if len(host) != 2 || host[0] != runtime.GOARCH || host[1] != runtime.GOOS {
		t.Skipf("test binary is %s/%s, the go tool's host %v: left to the native run", runtime.GOOS, runtime.GOARCH, host)
	}
	return goTool, env
}
