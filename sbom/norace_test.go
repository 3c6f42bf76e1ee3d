//go:build !race

package sbom

// raceEnabled reports that the tests run under the race detector.
const raceEnabled = false
