//go:build !race

package family_test

// raceEnabled is true when the race detector is on; it changes what
// allocates, so allocation counts are not checked then.
const raceEnabled = false
