// Package netlink speaks Linux netlink (AF_NETLINK): the message-based
// interface between user space and the kernel's networking, firewall,
// generic-netlink and many other subsystems.
//
// This module is a drop-in replacement for github.com/mdlayher/netlink
// v1.11.2. It has the same module path, packages and exported API, so a
// program or family package built on the original uses it unchanged through
// a replace directive in go.mod.
//
// # How the packages fit
//
// A [Conn] sends and receives [Message] values over a [Socket]. [Dial] opens
// an AF_NETLINK socket of a netlink family (unix.NETLINK_ROUTE,
// unix.NETLINK_GENERIC, ...); [NewConn] wraps any other Socket. Message
// payloads usually hold a family-specific header followed by attributes,
// which [AttributeEncoder] builds and [AttributeDecoder] reads, both in the
// host's byte order unless told otherwise.
//
// Package nlenc holds fixed-size integer and string helpers in the host's
// byte order. Package nltest supplies a fake Socket driven by a function, so
// code built on this package can be tested without a kernel or privileges.
//
// Family packages (generic netlink, rtnetlink, netfilter, ...) sit on top:
// they build the family header and attributes and hand messages to Conn.
//
// # Requests and replies
//
// [Conn.Execute] sends one request, reads every message of the reply
// (following multi-part replies to their end), and checks that each reply
// answers the request. An error reported by the kernel comes back as an
// [*OpError] wrapping a unix.Errno; with extended acknowledgements turned on
// ([Config.Strict] or [ExtendedAcknowledge]) it also carries the kernel's
// explanation and the offset of the offending attribute. The OpError is
// exactly v1.11.2's, in value and text; [ExtendedAckOf] returns the rest
// of what the kernel said (the broken policy, the missing attribute, the
// cookie, and the path of attribute types to the offending one), through
// any wrapping by a family package.
//
// [Conn.Send] and [Conn.Receive] are the pieces Execute is built from; use
// them for multicast listeners and for protocols that pair requests and
// replies themselves. A goroutine blocked in Receive never blocks another
// goroutine's Send on the same Conn; Execute, which keeps every other
// receiver away from its reply, waits for it.
//
// Every datagram up to 16 MiB arrives whole: an error acknowledgement that
// echoes a large request, or a dump whose messages exceed the usual 32 KiB,
// is never truncated. The kernel sends nothing larger unless a request of
// more than 16 MiB fails and is echoed; a user-space peer can, given a send
// buffer that large. Such a datagram may be dropped by the kernel as it is
// read (on 64-bit systems, unless the read found the package's receive
// areas all in use): the receiving call then returns an error that gives
// its size and matches unix.EMSGSIZE, and the Conn reads on. Nothing is
// lost without a word. The package reserves at most 128 MiB of address
// space for receiving, however many Conns and goroutines read, and an idle
// Conn holds no receive memory. After an exchange that failed midway (a
// deadline, ENOBUFS, a loop over ReceiveIter left early), a later Execute
// gets its own reply, never the rest of the earlier one.
//
// A loop over [Conn.ReceiveIter], [Conn.ExecuteIter],
// [Conn.ExecuteIterContext] or [Conn.ReceiveWithInfo] whose body panics or
// calls runtime.Goexit (as t.Fatal does) leaves the Conn as a break would:
// before the panic goes on, unchanged, to the caller, the rest of the reply
// is read and dropped, the Conn's receiving side is released, and a
// context's watch ends, so that the context's end later changes nothing.
// The next Execute gets its own complete reply. (The original package left
// the kernel's dump unread, and the next requests failed with EBUSY.)
//
// Read deadlines and contexts work together: [Conn.SetReadDeadline] and
// [Conn.SetDeadline] may be called at any time, also while a context-aware
// call is blocked in another goroutine. That call still ends within
// milliseconds of its context's end, with an error for which
// errors.Is(err, ctx.Err()) holds, and once it has returned, the deadline
// set last is the one in force.
//
// # Requests and notifications on one Conn
//
// A program may listen to multicast groups and send requests on the same
// Conn. While [Conn.Execute] (or ExecuteIter) waits for its reply, the
// notifications that arrive before the reply or between its datagrams are
// set aside, each with the [MessageInfo] of its datagram, and the next
// Receive, ReceiveIter or ReceiveWithInfo returns them in the order they
// arrived; Execute returns its own reply. (The original package fails such
// an Execute with a mismatched sequence, and the Conn stays a reply
// behind.) A datagram sent to a multicast group is never taken for a
// reply: the group is known from the sender's address for groups 1 to 32,
// and from PacketInfo for any group. Otherwise, a message of the family
// (not an Error or Done) is set aside when its sequence number is not the
// request's and is zero, or comes with another port's PID; any other
// message is taken for the reply and checked as Validate checks it. So
// turn PacketInfo on when listening to a group above 32 on a Conn that
// also makes requests that notify it.
//
// At most 4 MiB of messages is set aside. Past that, later notifications
// are dropped until the next receive, which fails with an *OpError
// wrapping ENOBUFS, as when the kernel's queue of the socket overflows; the
// receives after it return what was kept.
//
// Beyond the original API: [Conn.ExecuteIter] streams a reply message by
// message, so a dump of any size is read in a datagram's memory;
// [Conn.ExecuteContext], [Conn.ReceiveContext] and
// [Conn.ExecuteIterContext] end early when a context is done; and
// [Conn.ReceiveWithInfo] tells which multicast group and which network
// namespace each datagram came from.
//
// # Network namespaces
//
// [Config.NetNS] names a network namespace, as an open file descriptor of
// /var/run/netns/NAME or /proc/PID/ns/net, for the socket to live in. The
// socket is created on a locked operating-system thread that enters the
// namespace and comes back; a thread that cannot come back is never handed
// back to the Go scheduler, so no other goroutine ever runs in the wrong
// namespace. Once created, the socket stays in its namespace whichever
// thread uses it.
//
// # Debugging with NLDEBUG
//
// The environment variable NLDEBUG, read once when the program starts,
// turns on a trace of every message sent and received by every Conn in the
// process. When it is unset, tracing costs one nil check per message.
//
// NLDEBUG=1 (any value without "=") prints each message on standard error
// in the layout of libmnl's mnl_nlmsg_fprintf, which nft --debug=all also
// shows: a boxed header, then the payload four bytes a row with attribute
// headers marked. Otherwise the value is a comma-separated list of options:
//
//	level=N    0 turns the trace off; 1, the default, shows each message;
//	           2 and above add a one-line summary before each mnl dump,
//	           and the payload in hexadecimal to the one-line format.
//	format=F   mnl (the default) as above; pcap writes a capture file that
//	           Wireshark and tshark decode as Linux netlink, with each
//	           packet's family and direction, as the kernel's nlmon device
//	           records them; any other name prints one line per message,
//	           "nl: send: ..." or "nl: recv: ...".
//	file=PATH  writes to PATH instead of standard error. format=pcap needs
//	           it. See below for the files it uses.
//
// For example: NLDEBUG=level=2,format=pcap,file=/tmp/nl.pcap.
//
// PATH is often in a directory other users can write to, such as /tmp,
// where someone else may have put something first. When nothing is at PATH,
// a new file is created there with mode 0600, never through a symbolic link
// (O_CREAT|O_EXCL|O_NOFOLLOW). What is already there is used only if it is
// a regular file, with one name, that belongs to the process's effective
// user (on Windows and other systems without Unix owners: a regular file);
// it is then truncated and made 0600. Anything else is refused: a
// file of another user, a symbolic link, a directory, a named pipe, a
// device, a second name (hard link) of a file. Opening never waits, not
// even on a named pipe that nobody reads. When the file is refused or
// cannot be created, that is reported and the trace goes to standard error
// instead (in the mnl layout when format=pcap was asked for).
//
// An invalid option is reported once on standard error, as
// "netlink: NLDEBUG: ...", and its default stands in for it: a bad level
// gives level 1, an empty format gives mnl, an unknown option or an empty
// file name is ignored. format=pcap without a file leaves the trace off,
// and that is reported too. A failure to write later turns the trace off
// with one report.
//
// A trace holds secrets. It records every byte sent and received: the
// private keys given to WireGuard, the keys of xfrm (IPsec) states,
// passwords and anything else a request carries. Treat trace and capture
// files as you would the keys themselves, and do not attach them to a
// public bug report without removing those bytes.
package netlink
