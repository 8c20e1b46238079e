package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl"
	"github.com/mdlayher/netlink/ynl/spec"
)

// A monitorTarget is one multicast group to join.
type monitorTarget struct {
	spec   string // as given on the command line
	family int    // NETLINK_ROUTE or NETLINK_GENERIC
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
		t.family, t.genl = NETLINK_GENERIC, fam
		return t, nil
	}
	t.family = NETLINK_ROUTE
	if id, ok := routeGroup(group); ok {
		t.id = id
		return t, nil
	}
	if n, err := parseNumber(group, 32); err == nil {
		if n == 0 {
			return monitorTarget{}, usagef("target %q: rtnetlink group 0 is invalid: groups are numbered from 1", s)
		}
		// A number unix does not name may be a newer kernel's group: the
		// kernel says whether it exists when nlctl joins it.
		t.id = uint32(n)
		return t, nil
	}
	return monitorTarget{}, usagef("target %q: unknown rtnetlink group %q (want one of %s, or their numbers)",
		s, group, strings.Join(routeGroupNames(), ", "))
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

	dctx := newDecodeContext()
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
		if t.family == NETLINK_GENERIC {
			if err := resolveGenlGroup(c, t, dctx, stderr); err != nil {
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
			now := time.Now().UTC().Format(timeFormat)
			for _, m := range r.msgs {
				if f, ym := decodeEvent(r.family, dctx, m); ym != nil {
					if opts.json {
						if err := writeEventJSON(stdout, now, f, ym); err != nil {
							return err
						}
						continue
					}
					writeEventLine(stdout, now, f, ym)
					continue
				}
				v := decodeMessage(r.family, dctx, m)
				if opts.json {
					if err := enc.Encode(monitorEvent{Time: now, messageView: v}); err != nil {
						return err
					}
					continue
				}
				writeMessageLine(stdout, now, v)
			}
		}
	}
}

// timeFormat stamps monitor events: RFC 3339 in UTC with microseconds.
const timeFormat = "2006-01-02T15:04:05.000000Z07:00"

// resolveGenlGroup finds the number of a generic netlink family's multicast
// group, and records the family and its policies for decoding.
func resolveGenlGroup(c *netlink.Conn, t *monitorTarget, dctx *decodeContext, warn io.Writer) error {
	info, err := loadFamily(c, t.genl, dctx, warn)
	if err != nil {
		return err
	}
	f := info.family
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

// decodeEvent decodes m by the spec of its family, when there is one: the
// rtnetlink specs by message type, a generic family's by its name.
func decodeEvent(family int, dctx *decodeContext, m netlink.Message) (*spec.Family, *ynl.Message) {
	var f *spec.Family
	switch family {
	case NETLINK_GENERIC:
		info := dctx.genl[uint16(m.Header.Type)]
		if info == nil {
			return nil, nil
		}
		var ok bool
		if f, ok = ynl.Lookup(info.family.Name); !ok {
			return nil, nil
		}
	default:
		if f, _ = rawSpecOf(family, uint16(m.Header.Type), true); f == nil {
			return nil, nil
		}
	}
	ym, err := ynl.Decode(f, m)
	if err != nil {
		return nil, nil
	}
	return f, ym
}
