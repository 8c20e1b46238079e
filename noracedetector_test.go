//go:build !race

package netlink_test

// raceDetector is set when the tests run under the race detector, whose
// shadow memory counts against an address-space limit.
const raceDetector = false
