// Package nlsock is the AF_NETLINK socket under a netlink.Conn made by Dial:
// the descriptor, its registration with the runtime poller, the receive
// areas datagrams are read into, sendmsg and recvmsg, the socket options and
// closing. It deals in datagrams as bytes and in plain numbers; laying out
// and parsing messages, and the errors users see, are package netlink's.
//
// Only Linux has netlink sockets; on other systems the package is empty.
package nlsock
