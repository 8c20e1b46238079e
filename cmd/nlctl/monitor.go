package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mdlayher/netlink"
)

// A monitorTarget is one multicast group to join.
type monitorTarget struct {
	spec   string // as given on the command line
	family int    // familyRoute or familyGeneric
	genl   string // the generic netlink family's name
	group  string // the group's name or number, as given
	id     uint32 // the group number, once resolved
}

// parseTarget parses route:GROUP or FAMILY:GROUP. rtnetlink groups are
// resolved here; generic netlink ones need the kernel and are resolved
// later.
func parseTarget(s string) (monitorTarget, error) {
	fam, group, ok := strings.Cut(s, ":")
	if !ok || fam == "" || group == "" {
		return monitorTarget{}, usagef("target %q: want route:GROUP or FAMILY:GROUP, such as route:link or nlctrl:notify", s)
	}
	t := monitorTarget{spec: s, group: group}
	if fam != "route" && fam != "rtnetlink" {
		t.family, t.genl = familyGeneric, fam
		return t, nil
	}
	t.family = familyRoute
	if id, ok := routeGroups[strings.ToLower(group)]; ok {
		t.id = id
		return t, nil
	}
	if n, err := parseNumber(group, 32); err == nil && n > 0 {
		t.id = uint32(n)
		return t, nil
	}
	names := make([]string, 0, len(routeGroups))
	for name := range routeGroups {
		names = append(names, name)
	}
	slices.Sort(names)
	return monitorTarget{}, usagef("target %q: unknown rtnetlink group %q (want a number or one of %s)",
		s, group, strings.Join(names, ", "))
}

// A monitorEvent is a decoded event with the time it arrived.
type monitorEvent struct {
	Time string `json:"time"`
	messageView
}

// received is what a receiving goroutine hands to the printer.
type received struct {
	family int
	msgs   []netlink.Message
	err    error
}

// runMonitor runs "nlctl monitor".
func runMonitor(ctx context.Context, opts options, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("monitor")
	opts.addCommon(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("monitor needs at least one TARGET, such as route:link")
	}
	targets := make([]monitorTarget, 0, len(pos))
	for _, s := range pos {
		t, err := parseTarget(s)
		if err != nil {
			return err
		}
		targets = append(targets, t)
	}

	// One socket per netlink family joins all of that family's groups.
	conns := make(map[int]*netlink.Conn)
	var (
		wg   sync.WaitGroup
		done = make(chan struct{})
	)
	defer func() {
		close(done)
		for _, c := range conns {
			c.Close()
		}
		wg.Wait()
	}()

	genlNames := make(map[uint16]string)
	specs := make([]string, 0, len(targets))
	for i := range targets {
		t := &targets[i]
		c, ok := conns[t.family]
		if !ok {
			if c, err = dial(t.family, opts); err != nil {
				return err
			}
			conns[t.family] = c
			// Cancelling unblocks the look-ups below and the receivers.
			stop := context.AfterFunc(ctx, func() { c.Close() })
			defer stop()
		}
		if t.family == familyGeneric {
			if err := resolveGenlGroup(c, t, genlNames); err != nil {
				return err
			}
		}
	}
	// Join only once every look-up is done: an event arriving on a
	// joined socket would be taken for a look-up's reply.
	for i := range targets {
		t := &targets[i]
		if err := conns[t.family].JoinGroup(t.id); err != nil {
			return fmt.Errorf("joining %s (group %d): %w", t.spec, t.id, err)
		}
		specs = append(specs, t.spec)
	}
	for _, c := range conns {
		// The look-ups set a deadline; events may take forever.
		if err := c.SetDeadline(time.Time{}); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "nlctl: monitoring %s; interrupt to stop\n", strings.Join(specs, ", "))

	events := make(chan received)
	for family, c := range conns {
		wg.Go(func() {
			for {
				msgs, err := c.Receive()
				select {
				case events <- received{family, msgs, err}:
				case <-done:
					return
				}
				if err != nil && !errors.Is(err, syscall.ENOBUFS) {
					return
				}
			}
		})
	}

	enc := json.NewEncoder(stdout)
	for {
		select {
		case <-ctx.Done():
			return nil
		case r := <-events:
			if r.err != nil {
				if ctx.Err() != nil {
					return nil
				}
				if errors.Is(r.err, syscall.ENOBUFS) {
					fmt.Fprintf(stderr, "nlctl: the kernel dropped %s events (no buffer space); some are missing\n", familyName(r.family))
					continue
				}
				return fmt.Errorf("receiving %s events: %w", familyName(r.family), r.err)
			}
			now := time.Now().Format("15:04:05.000000")
			for _, m := range r.msgs {
				v := decodeMessage(r.family, genlNames, m)
				if opts.json {
					if err := enc.Encode(monitorEvent{Time: now, messageView: v}); err != nil {
						return err
					}
					continue
				}
				writeMessageText(stdout, now+" ", v)
			}
		}
	}
}

// resolveGenlGroup finds the number of a generic netlink family's multicast
// group, and records the family's name by ID.
func resolveGenlGroup(c *netlink.Conn, t *monitorTarget, names map[uint16]string) error {
	f, err := lookupFamily(c, t.genl)
	if err != nil {
		return err
	}
	names[f.ID] = f.Name
	var have []string
	for _, g := range f.Groups {
		if g.Name == t.group {
			t.id = g.ID
			return nil
		}
		have = append(have, g.Name)
	}
	if n, err := parseNumber(t.group, 32); err == nil && n > 0 {
		t.id = uint32(n)
		return nil
	}
	if len(have) == 0 {
		return fmt.Errorf("target %q: generic netlink family %q has no multicast groups", t.spec, t.genl)
	}
	return fmt.Errorf("target %q: generic netlink family %q has no multicast group %q (it has %s)",
		t.spec, t.genl, t.group, strings.Join(have, ", "))
}
