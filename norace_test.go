//go:build !race

package netlink_test

// raceEnabled reports a build with the race detector, which allocates
// where a plain build does not.
const raceEnabled = false
