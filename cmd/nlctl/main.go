// Command nlctl shows what the kernel says over netlink: the generic netlink
// families it offers and the policies of their attributes, the events of
// multicast groups, and the replies to any one request, decoded by name and
// type.
//
// Usage:
//
//	nlctl [--json] [--netns NAME] families
//	nlctl [--json] [--netns NAME] policy FAMILY [COMMAND]
//	nlctl [--json] [--netns NAME] monitor TARGET...
//	nlctl [--json] [--netns NAME] dump FAMILY TYPE [NAME=VALUE...] [--header HEX] [--attrs HEX] [--flags LIST]
//	nlctl [--json] [--netns NAME] get FAMILY TYPE [NAME=VALUE...] [...]
//	nlctl [--netns NAME] --family NAME (--do OP | --dump OP)... [--json '{...}'] [--output-json]
//	nlctl [--netns NAME] --family NAME --subscribe GROUP
//	nlctl --family NAME --list-ops | --list-attrs OP
//	nlctl --list-families | --version
//
// The spec mode (--family) speaks any family the kernel describes in a
// YNL spec, with the options of the kernel's ynl tool, through package
// ynl. Exit codes: 0 success, 1 the kernel or the system refused, 2 bad
// arguments.
// Run nlctl with no arguments for the details. It needs no privileges except
// to enter another network namespace. Set NLDEBUG (see package netlink) to
// trace the messages it sends and receives.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/mdlayher/netlink"
)

const usage = `usage: nlctl [--json] [--netns NAME] COMMAND [ARGUMENTS]

Commands:
  families
        list every generic netlink family of the kernel with its ID,
        version, header size, operations and multicast groups
  policy FAMILY [COMMAND]
        print the kernel's attribute policies of a generic netlink family
        (kernel 5.8 or later): for each command, the attributes its do and
        dump requests accept, with their types and limits
  monitor TARGET...
        join multicast groups and print their events, one line each with
        a timestamp, until interrupted; TARGET is route:GROUP for
        rtnetlink (route:link, route:ipv4-ifaddr, route:ipv6-route,
        route:neigh, ... or RTNLGRP_* names or numbers) or FAMILY:GROUP for
        a generic netlink family (nlctrl:notify, ...)
  dump FAMILY TYPE [NAME=VALUE...] [--header HEX] [--attrs HEX] [--flags LIST] [--timeout D]
        send one dump request and print the replies, decoded by name and
        type. FAMILY is a netlink family (route, generic, netfilter, ... or
        a number) or the name of a generic netlink family. TYPE is, for
        route, an RTM_* name (getlink, RTM_GETADDR) or number; for a generic
        netlink family, a command: a number, its operation name in the
        family's YNL spec (nlctrl getfamily, ethtool linkinfo-get, devlink
        get, ...) or its x/sys/unix name (nl80211 get_interface, ...).
        Messages of a family with a YNL spec (links, addresses, routes,
        qdiscs, nlctrl, ethtool, devlink, netdev, ...; nlctl --list-families)
        are built and decoded by the spec, as the spec mode does; others by
        the kernel's policy (generic netlink) or nlctl's tables.
        Dumps turn strict checking on, so that the kernel applies filters,
        and say on stderr when the replies show it ignored one.
        NAME=VALUE adds an attribute, by its spec name (mtu), C name
        (IFLA_MTU) or number, or sets a field of the fixed header by name
        (family=inet6, ifindex=3, state=reachable); NAME.CHILD=VALUE nests.
        Numbers are decimal or 0x-hexadecimal, addresses as usual, binary
        data as 0x-hexadecimal.
        --header HEX   the whole family header (default: the genetlink
                       header of the command and the fields given by
                       name); one shorter than the family's fixed header
                       is refused
        --attrs HEX    attribute bytes added after the named ones
        --flags LIST   header flags, comma separated: request, ack, echo,
                       dump, root, match, atomic, replace, excl, create,
                       append or numbers (default request,dump); request is
                       always set, since the kernel ignores anything else
        --timeout D    how long to wait for the replies (default 10s)
  get FAMILY TYPE [NAME=VALUE...] [...]
        like dump, without the dump flag (default --flags request), e.g.
        nlctl get nlctrl getfamily family-name=nlctrl

Spec mode (the kernel's YNL specs; see nlctl --family NAME --help):
  nlctl --family NAME (--do OP | --dump OP)... [--json '{...}'] [NAME=VALUE...] [--output-json]
  nlctl --family NAME --subscribe GROUP [--count N] [--output-json]
  nlctl --family NAME --list-ops | --list-attrs OP | --list-groups
  nlctl --list-families | --version
        speak a family by the names, types and checks of its spec: every
        attribute, enum value, flag and error path by name

Options, before or after the command:
  --json         print JSON (dump, get, policy and families: one document;
                 monitor: one object a line) instead of text; for a family
                 with a spec, one object per message keyed by attribute
                 name, nests as objects, multi-attr attributes as arrays,
                 as --output-json prints. Errors are then one JSON object
                 on stderr: {"error": ..., "extack": ...}.
                 Integers above 2^53 are strings, to survive float64 readers;
                 flags are arrays of names; times are RFC 3339.
  --netns NAME   work in the network namespace NAME (/var/run/netns/NAME)
                 or at a path

Messages without a spec are decoded by the kernel's policy (generic
netlink), nlctl's tables (neighbours, rules), or else shown nested when
their attributes carry the Nested flag or parse completely as attributes,
and otherwise as bytes, with their text when the whole value is a
NUL-terminated printable string. Errors name the attribute the kernel's
extended acknowledgement points at.
Set NLDEBUG=1 to trace every netlink message sent and received.

Exit codes: 0 success; 1 the kernel or the system refused, or the command
failed; 2 bad arguments (and, in the spec mode, a request that breaks the
spec, which is not sent).
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes of run.
const (
	exitOK    = 0
	exitError = 1 // the command failed
	exitUsage = 2 // bad arguments
)

// options are the settings shared by every command.
type options struct {
	json  bool
	netns string
}

// addCommon registers the shared options on fs.
func (o *options) addCommon(fs *flag.FlagSet) {
	fs.BoolVar(&o.json, "json", o.json, "print JSON")
	fs.StringVar(&o.netns, "netns", o.netns, "network namespace name or path")
}

// run runs nlctl with args (without the program name), printing results to
// stdout and problems to stderr, and returns the exit code. Cancelling ctx
// stops a monitor.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if ynlMode(args) {
		return runYNL(ctx, args, stdout, stderr)
	}
	var opts options
	all := args
	fs := newFlagSet("nlctl")
	opts.addCommon(fs)
	if err := fs.Parse(args); err != nil {
		return flagError(err, jsonRequested(args), stdout, stderr)
	}
	args = fs.Args()
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}

	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "families":
		err = runFamilies(ctx, opts, rest, stdout)
	case "monitor":
		err = runMonitor(ctx, opts, rest, stdout, stderr)
	case "dump":
		err = runDump(ctx, opts, rest, stdout, stderr, false)
	case "get":
		err = runDump(ctx, opts, rest, stdout, stderr, true)
	case "policy":
		err = runPolicy(ctx, opts, rest, stdout)
	case "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		err = usagef("unknown command %q (want families, policy, monitor, dump or get)", cmd)
	}
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	asJSON := jsonRequested(all)
	printError(stderr, err, asJSON)
	var ue *usageError
	if errors.As(err, &ue) {
		if !asJSON {
			fmt.Fprintln(stderr, "run nlctl without arguments for its usage")
		}
		return exitUsage
	}
	return exitError
}

// newFlagSet returns a flag set that reports errors to its caller instead of
// printing or exiting.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// flagError turns an error of the top-level flags into an exit code.
func flagError(err error, asJSON bool, stdout, stderr io.Writer) int {
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	printError(stderr, err, asJSON)
	if !asJSON {
		fmt.Fprintln(stderr, "run nlctl without arguments for its usage")
	}
	return exitUsage
}

// jsonRequested reports whether args ask for JSON, so that even errors in
// parsing them are reported as JSON.
func jsonRequested(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-json", "--json", "-json=true", "--json=true", "-json=1", "--json=1":
			return true
		}
	}
	return false
}

// parseArgs parses a command's flags, which may come before, between or
// after its positional arguments, and returns the positional arguments.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{msg: err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// dial opens a netlink socket of the given family in the namespace the
// options name, with extended acknowledgements turned on when the kernel
// has them.
func dial(family int, opts options) (*netlink.Conn, error) {
	var cfg netlink.Config
	if opts.netns != "" {
		path := opts.netns
		if !strings.ContainsRune(path, '/') {
			path = filepath.Join("/var/run/netns", path)
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("network namespace: %v", err)
		}
		defer f.Close()
		if err := checkNetNS(f); err != nil {
			return nil, fmt.Errorf("network namespace: %s %v", path, err)
		}
		cfg.NetNS = int(f.Fd())
	}
	c, err := netlink.Dial(family, &cfg)
	if err != nil {
		return nil, fmt.Errorf("opening a %s netlink socket: %w", familyName(family), err)
	}
	// Best effort: error replies then explain themselves.
	_ = c.SetOption(netlink.ExtendedAcknowledge, true)
	return c, nil
}
