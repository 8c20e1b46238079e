//go:build !race

package netlink_test

// raceEnabled reports a build with the race detector, which allocates
// where a plain build does not, and whose shadow memory counts against an
// address-space limit.
const raceEnabled = false
