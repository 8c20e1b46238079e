// Package crosscheck holds nothing but tests that compare this module's
// decoding of rtnetlink with other libraries' on the same kernel objects:
// package ynl's decoding of the same messages with
// github.com/jsimonetti/rtnetlink/v2's, and the typed packages of
// ynl/family with rtnetlink/v2's and github.com/vishvananda/netlink's, on
// the same links, addresses and routes. It is a module of its own so that
// those packages never become requirements of the netlink module.
package crosscheck
