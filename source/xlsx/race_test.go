//go:build race

package xlsx

// raceEnabled: the race detector multiplies memory use, so peak RSS is not asserted.
const raceEnabled = true
