package ynl

import (
	"fmt"
	"strings"
)

// A CheckError reports a value of a request that breaks its spec: a type
// that does not fit, a name the spec does not know, or a limit of the
// spec's checks, which the kernel would refuse too. Path names the
// attribute from the top of the request down.
type CheckError struct {
	Path   []string
	Reason string
}

func (e *CheckError) Error() string {
	if len(e.Path) == 0 {
		return "ynl: " + e.Reason
	}
	return "ynl: " + strings.Join(e.Path, " > ") + ": " + e.Reason
}

func checkErr(path []string, format string, args ...any) error {
	return &CheckError{Path: append([]string(nil), path...), Reason: fmt.Sprintf(format, args...)}
}
