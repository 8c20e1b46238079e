package nltrace

import "testing"

// TestNoAllocs checks the package's claims about allocations, as the root
// package's table of the same name does for its own.
func TestNoAllocs(t *testing.T) {
	msgs := []Message{{Header: Header{Length: 20, Type: 0x10}, Data: []byte{1, 2, 3, 4}}}
	tests := []struct {
		name  string
		claim string // where the claim is made
		f     func()
	}{
		{
			name:  "nil Sink",
			claim: "trace.go, Log: a nil *Sink records nothing; the root package's doc.go: without NLDEBUG, tracing costs one nil check per message",
			f: func() {
				var d *Sink
				d.Log(familyGeneric, Send, msgs)
				d.Flush()
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := testing.AllocsPerRun(100, tt.f); got != 0 {
				t.Errorf("%v allocations, want 0 (%s)", got, tt.claim)
			}
		})
	}
}
