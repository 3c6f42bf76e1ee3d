package version

import "testing"

// semverSpecOrder is the precedence example of semver.org, item 11.
var semverSpecOrder = []string{
	"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
	"1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0",
}

func TestGoCompare(t *testing.T) {
	checkPairs(t, ordering(t, "Go"), []pair{
		{"v1.2.3", "1.2.3", 0},
		{"1.21.5", "1.22.0-rc.1", -1},
		{"1.22.0-rc.1", "1.22.0", -1},
		{"1.19.13", "1.20.0", -1},
		{"v0.0.0-20191109021931-daa7c04131f5", "v0.0.0", -1},
		{"v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20200101000000-aaaaaaaaaaaa", -1},
		{"v0.0.0-20191109021931-daa7c04131f5", "v0.0.1", -1},
		{"v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.3", 1},
		{"v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4", -1},
		{"v1.2.4-pre.0.20191109021931-daa7c04131f5", "v1.2.4-pre", 1},
		{"v2.0.0+incompatible", "v2.0.0", 0},
		{"v2.0.1+incompatible", "v2.0.0+incompatible", 1},
		{"v1.0.0+build.1", "v1.0.0+build.2", 0},
		{"v1.2", "v1.2.0", 0},
		{"v1", "v1.0.0", 0},
		{"v1.10.0", "v1.9.9", 1},
		{"v1.0.0-alpha", "v1.0.0-alpha.1", -1},
		{"v1.0.0-beta.11", "v1.0.0-beta.2", 1},
		{"v1.0.0-rc.1", "v1.0.0-RC.1", 1},
	})
}

func TestGoSorted(t *testing.T) {
	checkSorted(t, ordering(t, "Go"), append([]string{"0", "v0.0.0-20191109021931-daa7c04131f5", "0.1.0"}, append(semverSpecOrder, "v1.0.1-0.20200101000000-abcdefabcdef", "1.0.1", "1.21.0-rc.1", "1.21.0", "v2.0.0+incompatible")...))
}

func TestGoInvalid(t *testing.T) {
	checkInvalid(t, ordering(t, "Go"), []string{
		"", "v", "go1.21", "1.2.3.4", "v1.2.3-", "V1.2.3", "01.2.3", "v1.02.3",
		"1.2.3-01", "vv1.2.3", "latest", "1.2.3 ", " 1.2.3", "v1.2.3+", "v1.2.3-a..b",
	})
}
