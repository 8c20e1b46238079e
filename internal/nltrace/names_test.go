package nltrace

import (
	"fmt"
	"strconv"
	"strings"
)

// testNames stands in for package netlink's names of types and flags, for
// the cases the tests print; package netlink's own tests check the trace
// with its real names.
var testNames = Names{
	Type: func(t uint16) string {
		switch HeaderType(t) {
		case Noop:
			return "noop"
		case Error:
			return "error"
		case Done:
			return "done"
		}
		return strconv.Itoa(int(t))
	},
	Flags: func(f uint16) string {
		if f == 0 {
			return "0"
		}
		var parts []string
		for _, n := range []struct {
			flag HeaderFlags
			name string
		}{{Request, "request"}, {Multi, "multi"}, {Acknowledge, "acknowledge"}, {Echo, "echo"}} {
			if HeaderFlags(f)&n.flag != 0 {
				parts = append(parts, n.name)
				f &^= uint16(n.flag)
			}
		}
		if f != 0 {
			parts = append(parts, fmt.Sprintf("%#x", f))
		}
		return strings.Join(parts, "|")
	},
}

// Dump is NLM_F_DUMP (NLM_F_ROOT|NLM_F_MATCH), which the trace has no name
// of its own for.
const Dump HeaderFlags = 0x300

// wireBytes lays m out as it goes on the wire, its payload padded.
func wireBytes(m Message) []byte {
	b := native.AppendUint32(nil, m.Header.Length)
	b = native.AppendUint16(b, uint16(m.Header.Type))
	b = native.AppendUint16(b, uint16(m.Header.Flags))
	b = native.AppendUint32(b, m.Header.Sequence)
	b = native.AppendUint32(b, m.Header.PID)
	b = append(b, m.Data...)
	return append(b, make([]byte, nlmsgAlign(len(b))-len(b))...)
}

// parseWire reads back one message that wireBytes laid out.
func parseWire(b []byte) (Message, error) {
	if len(b) < headerLen {
		return Message{}, fmt.Errorf("%d bytes, too short for a header", len(b))
	}
	h := Header{
		Length:   native.Uint32(b[0:4]),
		Type:     HeaderType(native.Uint16(b[4:6])),
		Flags:    HeaderFlags(native.Uint16(b[6:8])),
		Sequence: native.Uint32(b[8:12]),
		PID:      native.Uint32(b[12:16]),
	}
	if h.Length < headerLen || int64(h.Length) > int64(len(b)) {
		return Message{}, fmt.Errorf("length %d does not fit %d bytes", h.Length, len(b))
	}
	return Message{Header: h, Data: b[headerLen:h.Length]}, nil
}
