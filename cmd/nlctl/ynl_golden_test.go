package main

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl"
)

// TestSpecModeGolden decodes messages captured from the kernel (by package
// ynl's integration test; "FAMILY TYPE HEX" in testdata/ynl) and compares
// the spec mode's text blocks, JSON array and event lines with
// testdata/golden/spec-*. Run with -update to rewrite them.
func TestSpecModeGolden(t *testing.T) {
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
		t.Skip("the captured messages are little-endian")
	}
	paths, err := filepath.Glob(filepath.Join("testdata", "ynl", "*.hex"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no captured messages: %v", err)
	}
	for _, p := range paths {
		name := strings.TrimSuffix(filepath.Base(p), ".hex")
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			fields := strings.Fields(string(b))
			if len(fields) != 3 {
				t.Fatalf("%s: want FAMILY TYPE HEX", p)
			}
			f, ok := ynl.Lookup(fields[0])
			if !ok {
				t.Fatalf("no spec for %s", fields[0])
			}
			typ, err := strconv.ParseUint(fields[1], 10, 16)
			if err != nil {
				t.Fatal(err)
			}
			data, err := hex.DecodeString(fields[2])
			if err != nil {
				t.Fatal(err)
			}
			m, err := ynl.Decode(f, netlink.Message{Header: netlink.Header{Type: netlink.HeaderType(typ), Flags: netlink.Multi}, Data: data})
			if err != nil {
				t.Fatal(err)
			}
			var text, js, events bytes.Buffer
			writeMessageBlock(&text, f, m)
			if err := writeMessagesJSON(&js, []*ynl.Message{m}); err != nil {
				t.Fatal(err)
			}
			writeEventLine(&events, "2025-01-02T03:04:05.000006Z", f, m)
			if err := writeEventJSON(&events, "2025-01-02T03:04:05.000006Z", f, m); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, "spec-"+name+".txt", text.Bytes())
			checkGolden(t, "spec-"+name+".json", js.Bytes())
			checkGolden(t, "spec-"+name+".events", events.Bytes())

			// The JSON is what jq reads: an array of objects keyed by
			// name, every event line one object.
			var arr []map[string]any
			if err := json.Unmarshal(js.Bytes(), &arr); err != nil || len(arr) != 1 {
				t.Fatalf("JSON is not an array of one object: %v", err)
			}
			lines := strings.Split(strings.TrimSpace(events.String()), "\n")
			var ev map[string]any
			if err := json.Unmarshal([]byte(lines[len(lines)-1]), &ev); err != nil || ev["msg"] == nil {
				t.Fatalf("event JSON line does not parse: %v", err)
			}
		})
	}
}
