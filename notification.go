package netlink

import (
	"os"
	"syscall"
)

// notification reports whether a message with header h, read by Execute
// (or ExecuteIter) while it waits for its reply, is no part of that reply
// but a message for the Conn's next receiver, typically a notification of
// a multicast group the Conn joined. Such a message is set aside rather
// than taken for the reply or failing it.
//
// The rule, which a datagram from the kernel always meets, is:
//
//   - A datagram sent to a multicast group is no reply, whatever sequence
//     number and PID its messages carry: a notification that the Conn's own
//     request caused carries that request's sequence number and the Conn's
//     port ID (rtnetlink does this), and arrives before the reply. The
//     socket of Dial tells a multicast datagram by the group in its
//     sender's address, for groups 1 to 32, and by PacketInfo's group, for
//     any group with that option on.
//   - Otherwise, the messages of a datagram that holds a message of the
//     reply are the reply: the kernel never mixes the messages of two
//     exchanges, or a reply and a notification, in one datagram.
//   - Otherwise, a message is set aside only when Validate would reject it
//     as part of the reply and it cannot be a reply of this Conn: it is no
//     control message (Error, Done: types below 0x10, which answer requests
//     and which no group sends), and its sequence number is not the
//     request's and either is zero (the kernel's own notifications) or
//     comes with the PID of another port (a notification caused by another
//     socket's request, or a message another socket sent). Any other
//     message is taken for the reply, and checked as Validate checks it: a
//     reply of another sequence number from this Conn's port still fails
//     Execute with a mismatched sequence, and an Error message of sequence
//     zero from a fake socket is still Execute's error, as before.
//
// The one case the rule cannot see is a notification that this Conn's own
// request caused, sent to a multicast group above 32 with PacketInfo off,
// or read through a Socket that does not tell groups: it carries the
// request's sequence number and port, and is taken for the reply. Turning
// PacketInfo on makes the split exact for every group.
func (r *replyReader) notification(h *Header) bool {
	if r.mcast {
		return true
	}
	if r.dgReply || h.Sequence == r.want || h.Type < nlmsgMinType {
		// Control messages (Error, Done, ...) answer requests; no
		// group sends them.
		return false
	}
	if h.Sequence == 0 {
		return true
	}
	pid := r.sent.Header.PID
	return pid != 0 && h.PID != 0 && h.PID != pid && h.PID != r.c.pid
}

// setAside keeps *m, with its datagram's MessageInfo, for the Conn's next
// receiver, and returns check's verdict: msgSkip, or msgStop when the
// reply failed.
func (r *replyReader) setAside(m *Message) int {
	rx := r.c.rx
	info := MessageInfo{NSID: -1}
	if rx.mcast != nil {
		info = rx.mcast.datagramInfo()
	}
	rx.aside.add(m, info, !r.asided)
	r.asided = true
	if rx.aside.full && rx.mcast == nil {
		// A Socket that cannot tell a multicast datagram, such as a
		// fake one, that sent 4 MiB of messages and no reply will
		// not send it: end here rather than read for ever.
		r.fail(&OpError{Op: "receive", Err: os.NewSyscallError("recvmsg", syscall.ENOBUFS)}, true)
		return msgStop
	}
	return msgSkip
}

// A multicastSocket is a Socket that tells, of the datagram whose messages
// it is handing over, its MessageInfo and whether it went to a multicast
// group; the socket of Dial is one.
type multicastSocket interface {
	infoSocket
	datagramMulticast() bool
}
