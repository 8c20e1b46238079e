package netlink

import "testing"

// plainPass decides for most messages of Execute's reply whether they
// match its request, without validateReply: both must agree on every
// combination of zero, equal and other sequence numbers and PIDs.
func TestPlainPassValidates(t *testing.T) {
	values := []uint32{0, 1, 2}
	for _, reqSeq := range values {
		for _, reqPID := range values {
			req := Message{Header: Header{Type: 16, Sequence: reqSeq, PID: reqPID}}
			var r replyReader
			r.init(&Conn{rx: &receiver{}}, &req)
			// A reader in the middle of a multi-part reply.
			r.plain, r.started, r.multi, r.newFlags = true, true, true, 0
			for _, seq := range values {
				for _, pid := range values {
					h := Header{Type: 16, Flags: Multi, Sequence: seq, PID: pid}
					fast := r.plainPass(&h)
					valid := validateReply(&req, &h) == nil
					if fast != valid {
						t.Errorf("request seq %d pid %d, reply seq %d pid %d: plainPass %v, validateReply passes %v",
							reqSeq, reqPID, seq, pid, fast, valid)
					}
				}
			}
		}
	}
}
