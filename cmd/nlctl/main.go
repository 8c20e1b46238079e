// Command nlctl shows what the kernel says over netlink: the generic netlink
// families it offers, the events of multicast groups, and the replies to any
// one request, decoded as trees of attributes.
//
// Usage:
//
//	nlctl [--json] [--netns NAME] families
//	nlctl [--json] [--netns NAME] monitor TARGET...
//	nlctl [--json] [--netns NAME] dump FAMILY TYPE [--header HEX] [--attrs HEX] [--flags LIST]
//
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
  monitor TARGET...
        join multicast groups and print their events until interrupted;
        TARGET is route:GROUP for rtnetlink (route:link, route:ipv4-route,
        route:ipv6-route, route:neigh, ... or a group number) or
        FAMILY:GROUP for a generic netlink family (nlctrl:notify, ...)
  dump FAMILY TYPE [--header HEX] [--attrs HEX] [--flags LIST] [--timeout D]
        send one request and print the replies as trees of attributes.
        FAMILY is a netlink family (route, generic, netfilter, ... or a
        number) or the name of a generic netlink family, for which TYPE is
        the command and the genetlink header is built unless --header
        gives it. TYPE is a number or, for route, an RTM_* name (getlink).
        --header HEX   the family header (default: zeros of the size the
                       message type needs, for route)
        --attrs HEX    attribute bytes following the header
        --flags LIST   header flags, comma separated: request, ack, echo,
                       dump, root, match, atomic, replace, excl, create,
                       append or numbers (default request,dump); request is
                       always set, since the kernel ignores anything else
        --timeout D    how long to wait for the replies (default 10s)

Options, before or after the command:
  --json         print JSON (dump and families: one document; monitor: one
                 object a line) instead of text
  --netns NAME   work in the network namespace NAME (/var/run/netns/NAME)
                 or at a path

Attributes are shown nested when they carry the Nested flag, or when their
data (8 bytes or more) parses completely as attributes of non-zero types.
Set NLDEBUG=1 to trace every netlink message sent and received.
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

// A usageError is an error in the arguments: it is reported with a pointer
// to the usage and exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// run runs nlctl with args (without the program name), printing results to
// stdout and problems to stderr, and returns the exit code. Cancelling ctx
// stops a monitor.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var opts options
	fs := newFlagSet("nlctl")
	opts.addCommon(fs)
	if err := fs.Parse(args); err != nil {
		return flagError(err, stdout, stderr)
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
		err = runDump(ctx, opts, rest, stdout)
	case "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		err = usagef("unknown command %q (want families, monitor or dump)", cmd)
	}
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "nlctl: %v\n", err)
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, "run nlctl without arguments for its usage")
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
func flagError(err error, stdout, stderr io.Writer) int {
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "nlctl: %v\nrun nlctl without arguments for its usage\n", err)
	return exitUsage
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
