package version

import "testing"

// nodeSemverComparisons are from node-semver's test/fixtures/comparisons.js:
// the first version is greater than the second.
var nodeSemverComparisons = [][2]string{
	{"0.0.0", "0.0.0-foo"},
	{"0.0.1", "0.0.0"},
	{"1.0.0", "0.9.9"},
	{"0.10.0", "0.9.0"},
	{"0.99.0", "0.10.0"},
	{"2.0.0", "1.2.3"},
	{"1.2.3", "1.2.3-asdf"},
	{"1.2.3", "1.2.3-4"},
	{"1.2.3", "1.2.3-4-foo"},
	{"1.2.3-5-foo", "1.2.3-5"},
	{"1.2.3-5", "1.2.3-4"},
	{"1.2.3-5-foo", "1.2.3-5-Foo"},
	{"3.0.0", "2.7.2+asdf"},
	{"1.2.3-a.10", "1.2.3-a.5"},
	{"1.2.3-a.b", "1.2.3-a.5"},
	{"1.2.3-a.b", "1.2.3-a"},
	{"1.2.3-a.b.c.10.d.5", "1.2.3-a.b.c.5.d.100"},
	{"1.2.3-r2", "1.2.3-r100"},
	{"1.2.3-r100", "1.2.3-R2"},
}

func semverPairs() []pair {
	var pairs []pair
	for _, c := range nodeSemverComparisons {
		pairs = append(pairs, pair{c[0], c[1], 1})
	}
	return append(pairs,
		// node-semver's equality fixture, without its loose forms.
		pair{"1.2.3", "1.2.3", 0},
		pair{"1.2.3-beta+build", "1.2.3-beta+otherbuild", 0},
		pair{"1.2.3+build", "1.2.3+otherbuild", 0},
		pair{"1.2.3-beta", "1.2.3-beta", 0},
		// Numbers of any size.
		pair{"18446744073709551616.0.0", "18446744073709551615.0.0", 1},
		pair{"1.0.0-18446744073709551616", "1.0.0-18446744073709551615", 1},
	)
}

func TestSemVerCompare(t *testing.T) {
	for _, eco := range []string{"SemVer", "npm", "crates.io"} {
		checkPairs(t, ordering(t, eco), semverPairs())
	}
	checkPairs(t, ordering(t, "npm"), []pair{
		{"v1.2.3", "1.2.3", 0},
		{"v0.0.0", "0.0.0-foo", 1},
		{"v1.0.0", "0.9.9", 1},
		{"0.0.0", "v0.0.0-foo", 1},
		{"v1.2.3-a.b", "v1.2.3-a", 1},
	})
}

func TestSemVerSorted(t *testing.T) {
	for _, eco := range []string{"SemVer", "npm", "crates.io"} {
		checkSorted(t, ordering(t, eco), append(append([]string{"0", "0.0.0-0", "0.0.0", "0.9.0", "0.10.0"}, semverSpecOrder...), "1.0.1-0", "1.0.1", "1.1.0", "2.0.0", "10.0.0"))
	}
}

func TestSemVerInvalid(t *testing.T) {
	bad := []string{
		"", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03", "1.2.3-",
		"1.2.3-01", "1.2.3-a.01", "1.2.3+", "1.2.3-a..b", "1.2.3+a..b",
		"1.2.3-a_b", "1.2.3+a+b", " 1.2.3", "1.2.3 ", "=1.2.3", "vv1.2.3",
		"1.2.3-\u00e9", "-1.2.3", "1.-2.3", "a.b.c",
	}
	checkInvalid(t, ordering(t, "npm"), bad)
	for _, eco := range []string{"SemVer", "crates.io"} {
		checkInvalid(t, ordering(t, eco), append(bad, "v1.2.3"))
	}
}
