// Package crosscheck holds nothing but tests: the typed rtnetlink packages
// of ynl/family side by side with github.com/jsimonetti/rtnetlink/v2 and
// github.com/vishvananda/netlink, on the same links, addresses and routes.
// It is a module of its own so that those packages never become
// requirements of the netlink module.
package crosscheck
