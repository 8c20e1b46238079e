// Package spec holds the model of the kernel's YNL netlink specifications
// (Documentation/netlink/specs in the Linux tree): what a family's messages
// hold, with names, types, byte orders, nesting, enums, fixed headers,
// operations and multicast groups.
//
// The values of this package are data, resolved once when the tables are
// generated: attribute, enum and operation numbers are the ones the kernel
// uses, so no code needs to repeat the specs' numbering rules. Names refer
// to other parts of the same Family (an attribute's nested set, an
// operation's fixed header); the lookup methods of Family find them.
//
// Package ynl decodes and builds messages from this model; the generator
// in internal/ynlgen produces the model from the YAML files.
package spec
