package version

import "testing"

func TestRubyGemsCompare(t *testing.T) {
	checkPairs(t, ordering(t, "RubyGems"), []pair{
		// RubyGems' test_gem_version.rb: test_spaceship.
		{"1.0", "1.0.0", 0},
		{"1.0", "1.0.a", 1},
		{"1.8.2", "0.0.0", 1},
		{"1.8.2", "1.8.2.a", 1},
		{"1.8.2.b", "1.8.2.a", 1},
		{"1.8.2.a", "1.8.2", -1},
		{"1.8.2.a10", "1.8.2.a9", 1},
		{"0.beta.1", "0.0.beta.1", 0},
		{"0.0.beta", "0.0.beta.1", -1},
		{"0.0.beta", "0.beta.1", -1},
		{"5.a", "5.0.0.rc2", -1},
		{"5.x", "5.0.0.rc2", 1},
		{"1.9.3", "1.9.3", 0},
		{"1.9.3", "1.9.2.99", 1},
		{"1.9.3", "1.9.3.1", -1},
		// test_equals2, test_initialize.
		{"1.2.b1", "1.2.b.1", 0},
		{"1.0 ", "1.0", 0},
		{" 1.0 ", "1.0", 0},
		{"\n1.0\n", "1.0", 0},
		// test_semver (RubyGems 3.x reads '-' as ".pre.").
		{"1.0.0-alpha", "1.0.0-alpha.1", -1},
		{"1.0.0-alpha.1", "1.0.0-beta.2", -1},
		{"1.0.0-beta.2", "1.0.0-beta.11", -1},
		{"1.0.0-beta.11", "1.0.0-rc.1", -1},
		{"1.0.0-rc1", "1.0.0", -1},
		{"1.0.0-1", "1", -1},
		{"1.0.0-1", "1.0.0.pre.1", 0},
		// The Gem::Version documentation and the task's examples.
		{"1.0.b1", "1.0", -1},
		{"1.0.a.2", "1.0.b1", -1},
		{"0.9", "1.0.a.2", -1},
		{"1.0.a", "1.0", -1},
		{"1.0.0.pre1", "1.0.0", -1},
		{"5.2.4.1", "5.2.4", 1},
		{"1.0", "1", 0},
		{"3.10", "3.2", 1},
		// Strings compare in byte order; numbers of any size.
		{"1.A", "1.a", -1},
		{"1.99999999999999999999999", "1.100000000000000000000000", -1},
	})
}

func TestRubyGemsSorted(t *testing.T) {
	checkSorted(t, ordering(t, "RubyGems"), []string{
		"0", "0.0.0.a", "0.1", "1.0.a", "1.0.a.2", "1.0.b1", "1.0.0.pre1",
		"1.0.rc1", "1.0", "1.0.1", "1.8.2.a9", "1.8.2.a10", "1.8.2", "5.2.4",
		"5.2.4.1", "10.0",
	})
}

func TestRubyGemsInvalid(t *testing.T) {
	checkInvalid(t, ordering(t, "RubyGems"), []string{
		// test_initialize_invalid.
		"junk", "1.0\n2.0", "1..2", "1.2 3.4",
		"2.3422222.222.222222222.22222.ads0as.dasd0.ddd2222.2.qd3e.",
		// More.
		"", "   ", "-1", "1.0-", "1.0+build", "v1.0", "1.0.", ".1", "1.0_1",
		"1.0-\u00e9", "a",
	})
}
