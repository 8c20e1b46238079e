package main

import (
	"runtime/debug"
	"strings"
)

// versionLine describes this build of nlctl: the module version (or
// "(devel)" for a build from a checkout), the source revision when the
// build recorded it, the Go version and the kernel specs of its tables.
func versionLine() string {
	parts := []string{"nlctl"}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "nlctl (no build information)"
	}
	parts = append(parts, info.Main.Version)
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			parts = append(parts, "revision "+s.Value)
		case "vcs.modified":
			if s.Value == "true" {
				parts = append(parts, "(modified)")
			}
		}
	}
	parts = append(parts, info.GoVersion, "YNL specs of Linux 6.12")
	return strings.Join(parts, " ")
}
