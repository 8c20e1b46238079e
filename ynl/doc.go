// Package ynl speaks every netlink family that the kernel describes in a
// YNL spec (Documentation/netlink/specs): rtnetlink's links, addresses,
// routes and traffic control, and generic netlink families such as
// ethtool, devlink, netdev and nlctrl.
//
// It needs no code per family. The specs, turned into Go tables when the
// package is built, give the names, types and layout of every message, so
// a program names what it wants ("getlink", "ifname", "mtu") and gets back
// an ordered tree of named, typed values, with enum and flag names,
// addresses, nested attributes and sub-messages (a link's kind-specific
// data, a qdisc's options) decoded, and the raw bytes kept beside them.
//
// The tables come from Linux 6.12's specs, used under the BSD-3-Clause
// licence they are offered under; see LICENSE.md. The generator adds the
// link attributes that later kernels send and those specs lack (rt-link's
// max-pacing-offload-horizon, netns-immutable, headroom and tailroom,
// attributes 66 to 69).
package ynl
