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
// explanation and the offset of the offending attribute.
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
//	           it. The file is created, or truncated, with mode 0600, and
//	           an existing one is made 0600; a symbolic link at PATH is
//	           refused.
//
// For example: NLDEBUG=level=2,format=pcap,file=/tmp/nl.pcap.
//
// An invalid option is reported once on standard error, as
// "netlink: NLDEBUG: ...", and its default stands in for it: a bad level
// gives level 1, an empty format gives mnl, an unknown option or an empty
// file name is ignored. When the output cannot be set up at all (format=pcap
// without a file, or a file that cannot be created) the trace stays off, and
// that is reported too. A failure to write later turns the trace off with
// one report.
//
// A trace holds secrets. It records every byte sent and received: the
// private keys given to WireGuard, the keys of xfrm (IPsec) states,
// passwords and anything else a request carries. Treat trace and capture
// files as you would the keys themselves, and do not attach them to a
// public bug report without removing those bytes.
package netlink
