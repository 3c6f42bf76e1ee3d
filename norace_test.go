//go:build !race

package shipshape_test

const raceEnabled = false
