package version

import "testing"

func TestNuGetCompare(t *testing.T) {
	checkPairs(t, ordering(t, "NuGet"), []pair{
		// Missing parts are zero; leading zeros are allowed.
		{"1.0", "1.0.0", 0},
		{"1", "1.0.0.0", 0},
		{"1.01", "1.1", 0},
		{"1.0.0.1", "1.0.0", 1},
		{"1.0.0.1-alpha", "1.0.0", 1},
		{"1.0.0.10", "1.0.0.9", 1},
		// Labels compare case-insensitively; metadata is ignored.
		{"1.0.0-BETA", "1.0.0-beta", 0},
		{"1.0.0-Alpha", "1.0.0-beta", -1},
		{"1.0.0-beta", "1.0.0-Alpha", 1},
		{"1.0.0-zzz", "1.0.0-ZZZ.1", -1},
		{"1.0.0+meta", "1.0.0", 0},
		{"1.0.0-beta+a", "1.0.0-beta+b", 0},
		{"1.0.0-alpha", "1.0.0", -1},
		// Numeric labels.
		{"2.0.0-rc.10", "2.0.0-rc.9", 1},
		{"1.0.0-a.1", "1.0.0-a.b", -1},
		{"1.0.0-01", "1.0.0-1", 0},
		{"1.0.0-a-b", "1.0.0-a", 1},
		{"1.0.0-a.2147483648", "1.0.0-a.2147483647", 1}, // too big for int: a text label, after numbers
		{"2147483647.0", "2147483646.9", 1},
	})
}

func TestNuGetSorted(t *testing.T) {
	checkSorted(t, ordering(t, "NuGet"), append(append([]string{"0", "0.0.0-0", "0.1"}, semverSpecOrder...),
		"1.0.0.1-rc", "1.0.0.1", "1.0.1-ALPHA", "1.0.1-beta", "1.0.1", "1.1", "2.0.0.0"))
}

func TestNuGetInvalid(t *testing.T) {
	checkInvalid(t, ordering(t, "NuGet"), []string{
		"", "1.0.0.0.0", "a.b", "1.0.0-", "1.0.0-a..b", "1.0.0+", "1.0.0+a..b",
		"-1.0", "1.0.0-a_b", "2147483648.0", "v1.0", " 1.0", "1.0 ", "1.0.",
		".1", "1..0", "1.0.0-\u00e9", "+1.0",
	})
}
