//go:build !race

package secrets

// raceEnabled reports that the tests run under the race detector.
const raceEnabled = false
