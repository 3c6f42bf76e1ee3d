package version

import (
	"strings"
	"testing"
)

// From Maven's ComparableVersionTest (Maven 3.9).
var (
	mavenVersionsQualifier = []string{
		"1-alpha2snapshot", "1-alpha2", "1-alpha-123", "1-beta-2", "1-beta123",
		"1-m2", "1-m11", "1-rc", "1-cr2", "1-rc123", "1-SNAPSHOT", "1", "1-sp",
		"1-sp2", "1-sp123", "1-abc", "1-def", "1-pom-1", "1-1-snapshot", "1-1",
		"1-2", "1-123",
	}
	mavenVersionsNumber = []string{
		"2.0", "2.0.a", "2-1", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b",
		"2.1-c", "2.1-1", "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2",
		"11.b11", "11.m2", "11.m11", "11", "11.a", "11b", "11c", "11m",
	}
)

func TestMavenSorted(t *testing.T) {
	o := ordering(t, "Maven")
	checkSorted(t, o, mavenVersionsQualifier)
	checkSorted(t, o, mavenVersionsNumber)
	// The task's examples, in one list.
	checkSorted(t, o, []string{
		"0", "1.0-alpha-1", "1.0-beta", "1.0-rc1", "1.0-SNAPSHOT", "1.0",
		"1.0-sp", "1.0.1", "2.14.1", "2.15.0",
	})
}

func TestMavenEqual(t *testing.T) {
	var pairs []pair
	for _, eq := range [][2]string{
		// testVersionsEqual.
		{"1", "1"}, {"1", "1.0"}, {"1", "1.0.0"}, {"1.0", "1.0.0"}, {"1", "1-0"},
		{"1", "1.0-0"}, {"1.0", "1.0-0"},
		{"1a", "1-a"}, {"1a", "1.0-a"}, {"1a", "1.0.0-a"}, {"1.0a", "1-a"},
		{"1.0.0a", "1-a"}, {"1x", "1-x"}, {"1x", "1.0-x"}, {"1x", "1.0.0-x"},
		{"1.0x", "1-x"}, {"1.0.0x", "1-x"},
		{"1ga", "1"}, {"1release", "1"}, {"1final", "1"}, {"1cr", "1rc"},
		{"1a1", "1-alpha-1"}, {"1b2", "1-beta-2"}, {"1m3", "1-milestone-3"},
		{"1X", "1x"}, {"1A", "1a"}, {"1B", "1b"}, {"1M", "1m"}, {"1Ga", "1"},
		{"1GA", "1"}, {"1RELEASE", "1"}, {"1RELeaSE", "1"}, {"1Final", "1"},
		{"1FinaL", "1"}, {"1FINAL", "1"}, {"1Cr", "1Rc"}, {"1cR", "1rC"},
		{"1m3", "1Milestone3"}, {"1m3", "1MileStone3"}, {"1m3", "1MILESTONE3"},
		// testLocaleIndependent.
		{"1-abcdefghijklmnopqrstuvwxyz", "1-ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
		// testVersionEqualWithLeadingZeroes, testVersionZeroEqualWithLeadingZeroes.
		{"0000000000000000001", "1"}, {"000000000000000001", "01"},
		{"0000000000000000000", "00"}, {"000000000", "0000000000"},
		// The task's examples.
		{"1.0", "1.0.0"}, {"1.0", "1.0-ga"}, {"1.0", "1.0-final"}, {"1.0-ga", "1.0.0-final"},
	} {
		pairs = append(pairs, pair{eq[0], eq[1], 0})
	}
	checkPairs(t, ordering(t, "Maven"), pairs)
}

func TestMavenCompare(t *testing.T) {
	pairs := []pair{
		// testVersionComparing.
		{"1", "2", -1}, {"1.5", "2", -1}, {"1", "2.5", -1}, {"1.0", "1.1", -1},
		{"1.1", "1.2", -1}, {"1.0.0", "1.1", -1}, {"1.0.1", "1.1", -1},
		{"1.1", "1.2.0", -1},
		{"1.0-alpha-1", "1.0", -1}, {"1.0-alpha-1", "1.0-alpha-2", -1},
		{"1.0-alpha-1", "1.0-beta-1", -1}, {"1.0-beta-1", "1.0-SNAPSHOT", -1},
		{"1.0-SNAPSHOT", "1.0", -1}, {"1.0-alpha-1-SNAPSHOT", "1.0-alpha-1", -1},
		{"1.0", "1.0-1", -1}, {"1.0-1", "1.0-2", -1}, {"1.0.0", "1.0-1", -1},
		{"2.0-1", "2.0.1", -1}, {"2.0.1-klm", "2.0.1-lmn", -1},
		{"2.0.1", "2.0.1-xyz", -1}, {"2.0.1", "2.0.1-123", -1},
		{"2.0.1-xyz", "2.0.1-123", -1},
		// MNG-5568.
		{"6.1.0rc3", "6.1.0", -1}, {"6.1.0rc3", "6.1H.5-beta", -1}, {"6.1.0", "6.1H.5-beta", -1},
		// MNG-6572.
		{"20190126.230843", "1234567890.12345", -1},
		{"1234567890.12345", "123456789012345.1H.5-beta", -1},
		{"20190126.230843", "123456789012345.1H.5-beta", -1},
		{"123456789012345.1H.5-beta", "12345678901234567890.1H.5-beta", -1},
		{"1234567890.12345", "12345678901234567890.1H.5-beta", -1},
		{"20190126.230843", "12345678901234567890.1H.5-beta", -1},
		// MNG-6964.
		{"1-0.alpha", "1", -1}, {"1-0.beta", "1", -1}, {"1-0.alpha", "1-0.beta", -1},
		// Leading zeroes.
		{"0.7", "2", -1}, {"0.2", "1.0.7", -1},
		// The task's examples.
		{"1.0-beta", "1.0-rc", -1}, {"1.0-rc1", "1.0", -1}, {"2.14.1", "2.15.0", -1},
		{"1.0-sp", "1.0.1", -1}, {"1.0", "1.0-sp", -1},
	}
	// MNG-7644: 1.0.0.X1 < 1.0.0-X2 and 2.0.X == 2-X == 2.0.0.X for any X.
	for _, x := range []string{"abc", "alpha", "a", "beta", "b", "def", "milestone", "m", "RC"} {
		pairs = append(pairs,
			pair{"1.0.0." + x + "1", "1.0.0-" + x + "2", -1},
			pair{"2-" + x, "2.0." + x, 0},
			pair{"2-" + x, "2.0.0." + x, 0},
			pair{"2.0." + x, "2.0.0." + x, 0},
		)
	}
	checkPairs(t, ordering(t, "Maven"), pairs)
}

// canonical renders parsed items like ComparableVersion.getCanonical, for
// testing the parser.
func (it *mavenItem) canonical() string {
	var b strings.Builder
	for i, item := range it.list {
		if i > 0 {
			if item.kind == mavenList {
				b.WriteByte('-')
			} else {
				b.WriteByte('.')
			}
		}
		switch item.kind {
		case mavenList:
			b.WriteString(item.canonical())
		case mavenString:
			b.WriteString(item.str)
		default:
			if item.num == "" {
				b.WriteByte('0')
			}
			b.WriteString(item.num)
		}
	}
	return b.String()
}

func TestMavenCanonical(t *testing.T) {
	tests := map[string]string{
		"1.0-alpha-1":      "1-alpha-1",
		"1.0.0":            "1",
		"1.0-SNAPSHOT":     "1-snapshot",
		"1a1":              "1-alpha-1",
		"2.0.a":            "2-a",
		"1.0.final":        "1",
		"1-0.alpha":        "1-alpha",
		"6.1H.5-beta":      "6.1-h.5-beta",
		"1.2.3.Final":      "1.2.3",
		"1.0-sp-1":         "1-sp-1",
		"0.0.1-rc.2":       "0.0.1-rc.2",
		"2.12.7.1":         "2.12.7.1",
		"9.4.51.v20230217": "9.4.51-v-20230217",
	}
	for in, want := range tests {
		if got := parseMaven(in).canonical(); got != want {
			t.Errorf("canonical(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMavenNotTransitive pins down cycles that Maven's ComparableVersion
// itself has, because it orders a qualifier against a sub-list by kind alone
// ("1-sp-1" < "1-ga-1" in the POM reference): this ordering reproduces
// them rather than inventing another order.
func TestMavenNotTransitive(t *testing.T) {
	for _, cycle := range [][3]string{
		{"0.9-ga-SNAPSHOT", "0.9", "0.9-sp-SNAPSHOT"},
		{"0.9-alpha", "0.9", "0.9.x-SNAPSHOT"},
		{"1", "1.a.", "1a0"},
		{"0a1.x-b2", "0a1.a0", "0a1.00"},
	} {
		checkPairs(t, ordering(t, "Maven"), []pair{
			{cycle[0], cycle[1], -1},
			{cycle[1], cycle[2], -1},
			{cycle[2], cycle[0], -1},
		})
	}
}

func TestMavenInvalid(t *testing.T) {
	checkInvalid(t, ordering(t, "Maven"), []string{"", " ", "1.0 ", "1.0\t", "1.0\n", "1.0\u00e9", "1 .0", "\x00"})
}
