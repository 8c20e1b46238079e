package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl"
	"github.com/mdlayher/netlink/ynl/spec"
)

// The spec mode of nlctl speaks a family through its YNL spec, with the
// options of the kernel's own ynl tool (tools/net/ynl/cli.py): every name
// comes from the spec, requests are checked against it before they leave,
// and replies are decoded by it.
const ynlUsage = `usage: nlctl --family NAME [--netns NAME] OPERATION... [REQUEST] [OUTPUT]
       nlctl --family NAME --list-ops | --list-attrs OP | --list-groups
       nlctl --family NAME --subscribe GROUP... [--count N] [--duration D]
       nlctl --list-families | --version

Operations, run in the order given (one socket, one after the other):
  --do OP          run the do form of OP (a request and its reply or ack)
  --dump OP        run the dump form of OP (with strict checking on, so that
                   the kernel applies filters; nlctl says on stderr when the
                   kernel ignored one)
Request, for the operation before it, or for every operation when it comes
before the first:
  --json '{...}'   attributes and fixed-header fields by their spec names,
                   nests as objects, multi-attr attributes as arrays, as
                   the kernel's ynl tool takes them
  NAME=VALUE       one attribute or header field; NAME.CHILD=VALUE nests.
                   Header fields may drop their prefix (family=inet6 for
                   rtm-family, index=3 or ifindex=3 for ifi-index), and an
                   address family takes its name (inet, inet6, bridge, ...)
  --flags LIST     netlink flags added to the requests: create, excl,
                   replace, append, echo, ack
Output:
  (default)        typed text, one block per message, every name from the
                   spec (enum and flag names, addresses, nests)
  --output-json    one JSON array of messages per operation, each message
                   an object keyed by attribute name (jq '.[] | .mtu')
Notifications:
  --subscribe G    join the family's multicast group G (repeatable) and print
                   one line per event, with a timestamp, until interrupted,
                   after --count N events or after --duration D; with
                   --output-json one JSON object per line
Introspection (no socket):
  --list-families  the families nlctl has specs for
  --list-ops       the operations of the family, their forms and groups
  --list-attrs OP  the attributes of OP's requests and replies, with types
  --list-groups    the multicast groups of the family
Other:
  --timeout D      how long to wait for each reply (default 10s)
  --version        print nlctl's version

Exit codes: 0 success; 1 the kernel or the system refused (the error names
the attribute the kernel's extended acknowledgement points at); 2 bad
arguments, or a request that breaks the family's spec (nothing was sent).
`

// A ynlOp is one operation of a spec-mode call, with its request.
type ynlOp struct {
	name string
	dump bool
	json []string // --json documents
	args []string // NAME=VALUE
}

// ynlOptions are the settings of a spec-mode call.
type ynlOptions struct {
	netns      string
	family     string
	ops        []*ynlOp
	common     ynlOp // request parts given before the first operation
	flags      string
	outputJSON bool
	subscribe  []string
	count      int
	duration   time.Duration
	timeout    time.Duration
	listFams   bool
	listOps    bool
	listAttrs  string
	listGroups bool
	version    bool
}

// ynlFlagSet returns the flag set of the spec mode over o. The operations
// and their requests are order-sensitive, so they are flag.Values that
// append to o.
func ynlFlagSet(o *ynlOptions) *flag.FlagSet {
	fs := newFlagSet("nlctl")
	fs.StringVar(&o.netns, "netns", "", "network namespace")
	fs.StringVar(&o.family, "family", "", "spec family")
	fs.Func("do", "do operation", func(s string) error { o.ops = append(o.ops, &ynlOp{name: s}); return nil })
	fs.Func("dump", "dump operation", func(s string) error { o.ops = append(o.ops, &ynlOp{name: s, dump: true}); return nil })
	fs.Func("json", "request JSON", func(s string) error { o.current().json = append(o.current().json, s); return nil })
	fs.StringVar(&o.flags, "flags", "", "netlink flags")
	fs.BoolVar(&o.outputJSON, "output-json", false, "JSON output")
	fs.Func("subscribe", "multicast group", func(s string) error { o.subscribe = append(o.subscribe, s); return nil })
	fs.IntVar(&o.count, "count", 0, "events to wait for")
	fs.DurationVar(&o.duration, "duration", 0, "how long to listen")
	fs.DurationVar(&o.timeout, "timeout", requestTimeout, "reply timeout")
	fs.BoolVar(&o.listFams, "list-families", false, "list spec families")
	fs.BoolVar(&o.listOps, "list-ops", false, "list operations")
	fs.StringVar(&o.listAttrs, "list-attrs", "", "list an operation's attributes")
	fs.BoolVar(&o.listGroups, "list-groups", false, "list multicast groups")
	fs.BoolVar(&o.version, "version", false, "print the version")
	return fs
}

// current is the operation that request parts apply to: the last one
// named so far, or all of them.
func (o *ynlOptions) current() *ynlOp {
	if len(o.ops) == 0 {
		return &o.common
	}
	return o.ops[len(o.ops)-1]
}

// ynlMode reports whether args ask for the spec mode: they use one of its
// own options.
func ynlMode(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") {
			continue
		}
		switch name {
		case "family", "list-families", "version", "do", "dump", "subscribe", "output-json", "list-ops", "list-attrs":
			return true
		}
	}
	return false
}

// runYNL runs nlctl in the spec mode and returns its exit code.
func runYNL(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o ynlOptions
	fs := ynlFlagSet(&o)
	err := parseYNLArgs(fs, &o, args)
	if err == nil {
		err = o.run(ctx, stdout, stderr)
	}
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, ynlUsage)
		return exitOK
	}
	printError(stderr, err, o.outputJSON)
	var ue *usageError
	var ce *ynl.CheckError
	switch {
	case errors.As(err, &ue):
		if !o.outputJSON {
			fmt.Fprintln(stderr, "run nlctl --family NAME --help for the usage of the spec mode")
		}
		return exitUsage
	case errors.As(err, &ce):
		return exitUsage
	}
	return exitError
}

// parseYNLArgs parses args, taking NAME=VALUE words between the options
// as request parts of the operation before them.
func parseYNLArgs(fs *flag.FlagSet, o *ynlOptions, args []string) error {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return usagef("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return nil
		}
		if !strings.Contains(args[0], "=") {
			return usagef("unexpected argument %q (want NAME=VALUE or an option)", args[0])
		}
		o.current().args = append(o.current().args, args[0])
		args = args[1:]
	}
}

// run does what the options ask.
func (o *ynlOptions) run(ctx context.Context, stdout, stderr io.Writer) error {
	if o.version {
		_, err := fmt.Fprintln(stdout, versionLine())
		return err
	}
	if o.listFams {
		return listSpecFamilies(stdout)
	}
	if o.family == "" {
		return usagef("the spec mode needs --family NAME (nlctl --list-families lists them)")
	}
	f, ok := ynl.Lookup(o.family)
	if !ok {
		return usagef("no spec for family %q (nlctl --list-families lists them)", o.family)
	}
	switch {
	case o.listOps:
		return listSpecOps(stdout, f)
	case o.listAttrs != "":
		return listSpecAttrs(stdout, f, o.listAttrs)
	case o.listGroups:
		return listSpecGroups(stdout, f)
	}
	if len(o.ops) == 0 && len(o.subscribe) == 0 {
		return usagef("nothing to do: give --do OP, --dump OP, --subscribe GROUP or --list-ops")
	}
	if len(o.ops) == 0 && (len(o.common.json) > 0 || len(o.common.args) > 0) {
		return usagef("a request (--json or NAME=VALUE) needs an operation: --do OP or --dump OP")
	}
	if o.timeout <= 0 {
		return usagef("--timeout must be positive, got %v", o.timeout)
	}
	if o.count < 0 {
		return usagef("--count must not be negative, got %d", o.count)
	}
	flags, err := parseRequestFlags(o.flags)
	if err != nil {
		return err
	}
	// Build every request before sending any, so that a mistake in the
	// last one does not leave the first one done.
	reqs := make([]*ynl.Request, len(o.ops))
	for i, op := range o.ops {
		if reqs[i], err = buildRequest(f, op, &o.common, flags); err != nil {
			return err
		}
	}
	for _, g := range o.subscribe {
		if f.MCGroup(g) == nil {
			return usagef("%s has no multicast group %q (want one of %s)", f.Name, g, strings.Join(groupNames(f), ", "))
		}
	}

	opts := options{netns: o.netns}
	var mon *ynl.Client
	if len(o.subscribe) > 0 {
		// Join before the operations run, so that their events are seen.
		if mon, err = o.openClient(f, opts); err != nil {
			return err
		}
		defer mon.Conn().Close()
		for _, g := range o.subscribe {
			if err := mon.Subscribe(g); err != nil {
				return err
			}
		}
		fmt.Fprintf(stderr, "nlctl: subscribed to %s %s; interrupt to stop\n", f.Name, strings.Join(o.subscribe, ", "))
	}
	if len(o.ops) > 0 {
		cl, err := o.openClient(f, opts)
		if err != nil {
			return err
		}
		defer cl.Conn().Close()
		for i, op := range o.ops {
			if err := o.runOp(ctx, cl, op, reqs[i], stdout, stderr); err != nil {
				return err
			}
		}
	}
	if mon != nil {
		return o.listen(ctx, mon, stdout)
	}
	return nil
}

// openClient dials the family's protocol with extended acknowledgements
// and strict checking, the latter so that dumps honour their filters. The
// caller closes the Client's Conn.
func (o *ynlOptions) openClient(f *spec.Family, opts options) (*ynl.Client, error) {
	c, err := dial(f.Protonum, opts)
	if err != nil {
		return nil, err
	}
	_ = c.SetOption(netlink.GetStrictCheck, true) // kernels before 4.20 lack it
	cl, err := ynl.NewClient(c, f)
	if err != nil {
		c.Close()
		return nil, err
	}
	return cl, nil
}

// parseRequestFlags parses --flags, which may only add the flags that
// change what a request does.
func parseRequestFlags(s string) (netlink.HeaderFlags, error) {
	if s == "" {
		return 0, nil
	}
	var out netlink.HeaderFlags
	for _, name := range strings.Split(s, ",") {
		switch strings.TrimSpace(name) {
		case "create":
			out |= netlink.Create
		case "excl":
			out |= netlink.Excl
		case "replace":
			out |= netlink.Replace
		case "append":
			out |= netlink.Append
		case "echo":
			out |= netlink.Echo
		case "ack":
			out |= netlink.Acknowledge
		default:
			return 0, usagef("--flags: unknown flag %q (want create, excl, replace, append, echo or ack)", name)
		}
	}
	return out, nil
}

// groupNames lists the multicast groups of f.
func groupNames(f *spec.Family) []string {
	names := make([]string, len(f.MCGroups))
	for i, g := range f.MCGroups {
		names[i] = g.Name
	}
	return names
}
