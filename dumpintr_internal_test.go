package netlink

import "testing"

func TestDumpInterrupted(t *testing.T) {
	msg := func(typ HeaderType, flags HeaderFlags) Message {
		return Message{Header: Header{Type: typ, Flags: flags}}
	}
	tests := []struct {
		name string
		msgs []Message
		want bool
	}{
		{name: "empty"},
		{name: "clean dump", msgs: []Message{msg(0x10, Multi), msg(0x10, Multi), msg(Done, Multi)}},
		{name: "first message", msgs: []Message{msg(0x10, Multi|DumpInterrupted), msg(Done, Multi)}, want: true},
		{name: "only the done message", msgs: []Message{msg(0x10, Multi), msg(Done, Multi|DumpInterrupted)}, want: true},
		{name: "single message", msgs: []Message{msg(0x10, DumpInterrupted)}, want: true},
		// 0x10 on an Error message is no flag of its own.
		{name: "error message", msgs: []Message{msg(Error, 0x10)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := false
			for i := range tt.msgs {
				got = got || messageInterrupted(&tt.msgs[i])
			}
			if got != tt.want {
				t.Errorf("messageInterrupted of some message = %v, want %v", got, tt.want)
			}
		})
	}
	err := dumpInterruptedError(9)
	oe, ok := err.(*OpError)
	if !ok || oe.Op != "receive" || oe.Sequence != 9 || oe.Err != ErrDumpInterrupted {
		t.Errorf("dumpInterruptedError(9) = %#v", err)
	}
	if want := "netlink receive: dump interrupted: its contents changed while it was read"; err.Error() != want {
		t.Errorf("text %q, want %q", err.Error(), want)
	}
}
