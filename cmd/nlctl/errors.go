package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl"
)

// A usageError is an error in the arguments: it is reported with a pointer
// to the usage and exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// A kernelError is a request the kernel refused.
type kernelError struct{ op *netlink.OpError }

func (e *kernelError) Error() string {
	return "request failed: " + e.op.Err.Error()
}

func (e *kernelError) Unwrap() error { return e.op }

// describeKernelError turns the error of a request into one a user
// understands: a timeout, or the kernel's refusal with its extended
// acknowledgement (see reportError).
func describeKernelError(err error, timeout time.Duration) error {
	var oe *netlink.OpError
	if !errors.As(err, &oe) {
		return err
	}
	if oe.Timeout() {
		return fmt.Errorf("no complete reply within %v", timeout)
	}
	if oe.Err == nil {
		return err
	}
	return &kernelError{op: oe}
}

// An errorReport is what nlctl says of a failure: the error, and what the
// kernel's extended acknowledgement adds.
type errorReport struct {
	Error  string        `json:"error"`
	Extack *extackReport `json:"extack"`
}

// An extackReport is the decoded extended acknowledgement of a refused
// request.
type extackReport struct {
	Message string `json:"message,omitempty"`
	Offset  uint32 `json:"offset,omitempty"` // in bytes, from the request's start
	// Path is the chain of attribute types from the top of the request
	// down to the one at Offset.
	Path []uint16 `json:"path,omitempty"`
	// Policy is the rule the attribute broke, as the kernel states it.
	Policy string `json:"policy,omitempty"`
	// MissingType is a required attribute the request lacked;
	// MissingPath the nests it was missing from, then its type.
	MissingType uint32   `json:"missing_type,omitempty"`
	MissingPath []uint16 `json:"missing_path,omitempty"`
	// PathNames and MissingNames are Path and MissingPath named by the
	// family's spec, or else by nlctl's tables or the kernel's policies.
	PathNames    []string `json:"path_names,omitempty"`
	MissingNames []string `json:"missing_names,omitempty"`
	Cookie       string   `json:"cookie,omitempty"` // hex
}

// reportError builds the report of err. It is the one place that reads the
// kernel's extended acknowledgement, for text and JSON alike.
func reportError(err error) errorReport {
	r := errorReport{Error: err.Error()}
	a, ok := netlink.ExtendedAckOf(err)
	if !ok {
		return r
	}
	e := &extackReport{
		Message:     a.Message,
		Offset:      a.Offset,
		Path:        a.Path,
		MissingType: a.MissingType,
		MissingPath: a.MissingPath,
	}
	if a.Policy != nil {
		e.Policy = a.Policy.String()
	}
	if len(a.Cookie) > 0 {
		e.Cookie = fmt.Sprintf("%x", a.Cookie)
	}
	var ye *ynl.Error
	if errors.As(err, &ye) {
		e.PathNames, e.MissingNames = ye.Path, ye.MissingPath
	} else if path, missing, ok := pathNames(err); ok {
		e.PathNames, e.MissingNames = path, missing
	}
	r.Extack = e
	return r
}

// text renders the report on one line.
func (r errorReport) text() string {
	var b strings.Builder
	b.WriteString(r.Error)
	if e := r.Extack; e != nil && !strings.Contains(r.Error, "offset: ") {
		if e.Message != "" {
			fmt.Fprintf(&b, "; the kernel says: %q", e.Message)
		}
		if e.Offset != 0 {
			fmt.Fprintf(&b, " (at byte %d of the request)", e.Offset)
		}
	}
	if e := r.Extack; e != nil {
		switch {
		case len(e.PathNames) > 0:
			fmt.Fprintf(&b, "; offending attribute: %s", strings.Join(e.PathNames, " > "))
		case len(e.Path) > 0:
			fmt.Fprintf(&b, "; offending attribute: %s", attrPath(e.Path))
		}
		if e.Policy != "" {
			fmt.Fprintf(&b, "; its policy: %s", e.Policy)
		}
		switch {
		case len(e.MissingNames) > 0:
			fmt.Fprintf(&b, "; missing attribute: %s", strings.Join(e.MissingNames, " > "))
		case len(e.MissingPath) > 0:
			fmt.Fprintf(&b, "; missing attribute: %s", attrPath(e.MissingPath))
		case e.MissingType != 0:
			fmt.Fprintf(&b, "; missing attribute: %d", e.MissingType)
		}
		if e.Cookie != "" {
			fmt.Fprintf(&b, "; cookie: %s", e.Cookie)
		}
	}
	return b.String()
}

// attrPath renders a chain of attribute types as "18 > 2 > 1".
func attrPath(path []uint16) string {
	parts := make([]string, len(path))
	for i, t := range path {
		parts[i] = fmt.Sprint(t)
	}
	return strings.Join(parts, " > ")
}

// printError reports err on w, as one JSON object when asJSON is set.
func printError(w io.Writer, err error, asJSON bool) {
	r := reportError(err)
	if asJSON {
		b, jerr := json.Marshal(r)
		if jerr == nil {
			fmt.Fprintf(w, "%s\n", b)
			return
		}
	}
	fmt.Fprintf(w, "nlctl: %s\n", r.text())
}

// writeJSON writes v as one indented JSON document.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
