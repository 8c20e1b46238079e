// Command errdiff sends requests that the Linux kernel refuses and prints,
// for each, the *netlink.OpError it comes back as: its %#v and its Error()
// text. .ci/errdiff builds it twice, against github.com/mdlayher/netlink
// v1.11.2 and against this tree, runs both in the same fresh network
// namespace and compares the outputs byte for byte, so that every error a
// program of a v1.11.2 user can see is proven to be v1.11.2's.
//
// It uses only v1.11.2's API and no module but golang.org/x/sys, so that
// the same source builds against both.
//
// Output, three lines per case, tab-separated:
//
//	NAME	kernel	the kernel's answer, read from a plain socket: errno, where, TLVs
//	NAME	value	%#v of the *OpError (or of the error when it is none)
//	NAME	text	its Error()
//
// Each request is first sent on a plain socket, without the library: when
// the kernel's errno is not the one the case expects, the case is reported
// on standard error and the exit status is 3, as a mistake in a request
// must not pass as agreement.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"regexp"
	"time"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

func main() {
	nobody := flag.Bool("nobody", false, "run the cases meant for an unprivileged user (and only those)")
	link := flag.String("link", "", "name of an existing link some cases act on")
	flag.Parse()

	if root := os.Geteuid() == 0; root == *nobody {
		fmt.Fprintf(os.Stderr, "errdiff: effective uid %d does not suit -nobody=%t\n", os.Geteuid(), *nobody)
		os.Exit(2)
	}
	env, err := newEnv(*link)
	if err != nil {
		fmt.Fprintf(os.Stderr, "errdiff: %v\n", err)
		os.Exit(2)
	}

	status := 0
	for i, c := range cases() {
		if c.nobody != *nobody {
			continue
		}
		// Each case has its own fixed sequence number: Send fills only
		// a zero one, from a random start per Conn.
		req := c.req(env)
		req.Header.Sequence = uint32(1000 + i)
		kr, err := kernelErrno(c.family, c.opts, req)
		if err != nil || kr.errno != c.want {
			fmt.Fprintf(os.Stderr, "errdiff: case %s: the kernel must refuse it with %s, got %s (%v)\n",
				c.name, errnoName(c.want), errnoName(kr.errno), err)
			status = 3
		}
		value, text := describe(run(c, req))
		fmt.Printf("%s\tkernel\t%v\n", c.name, kr)
		fmt.Printf("%s\tvalue\t%s\n%s\ttext\t%s\n", c.name, value, c.name, text)
	}
	os.Exit(status)
}

// run executes req on a new Conn with the case's options set.
func run(c testCase, req netlink.Message) error {
	conn, err := netlink.Dial(c.family, nil)
	if err != nil {
		return fmt.Errorf("dial: %w", err)
	}
	defer conn.Close()
	for _, o := range c.opts {
		if err := conn.SetOption(o, true); err != nil {
			return fmt.Errorf("set option %d: %w", o, err)
		}
	}
	// No case may hang the comparison.
	if err := conn.SetDeadline(time.Now().Add(5 * time.Second)); err != nil {
		return fmt.Errorf("set deadline: %w", err)
	}
	_, err = conn.Execute(req)
	return err
}

// pointer matches the address %#v prints for a pointer inside a value,
// which changes from run to run.
var pointer = regexp.MustCompile(`\)\(0x[0-9a-f]+\)`)

// describe returns the two printed forms of err: %#v of the *OpError it
// wraps (of err itself when it wraps none) with addresses blanked, and
// err.Error().
func describe(err error) (value, text string) {
	if err == nil {
		return "<nil>", "<nil>"
	}
	var oe *netlink.OpError
	if errors.As(err, &oe) {
		value = fmt.Sprintf("%#v", oe)
		if error(oe) != err {
			value = fmt.Sprintf("wrapped in %T: %s", err, value)
		}
	} else {
		value = fmt.Sprintf("not an *OpError: %#v", err)
	}
	return pointer.ReplaceAllString(value, ")(ADDR)"), err.Error()
}

// errnoName returns the symbolic name of e, such as ENOENT.
func errnoName(e unix.Errno) string {
	if n := unix.ErrnoName(e); n != "" {
		return n
	}
	return fmt.Sprintf("errno %d", int(e))
}
