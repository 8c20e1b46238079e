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
// Every datagram arrives whole, whatever its size: an error acknowledgement
// that echoes a large request, or a dump whose messages exceed the usual
// 32 KiB, is never truncated. After an exchange that failed midway (a
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
// # Debugging
//
// Set the environment variable NLDEBUG to see the traffic of every Conn in
// the process on standard error. NLDEBUG=1 prints each message sent and
// received in the layout of libmnl's mnl_nlmsg_fprintf (what nft
// --debug=all shows). Options are comma-separated key=value pairs:
// level=N chooses the detail, format=mnl the layout; any other format
// prints one line per message prefixed "nl: ". NLDEBUG=format=pcap,file=PATH
// writes a capture file that Wireshark and tshark decode as Linux netlink,
// with each packet's family and direction, as the kernel's nlmon device
// records them. When NLDEBUG is unset, debugging costs one nil check per
// message.
package netlink
