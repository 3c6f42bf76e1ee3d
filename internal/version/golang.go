package version

import (
	"strings"

	"golang.org/x/mod/semver"
)

// goOrdering orders Go module and Go toolchain versions.
//
// It uses golang.org/x/mod/semver, the implementation the go command uses.
// A missing "v" prefix is added first, since OSV's Go data writes standard
// library versions without it ("1.21.5", "1.22.0-rc.1"). Strings
// semver.IsValid rejects are rejected; like semver, the shorthands "v1" and
// "v1.2" are accepted and mean v1.0.0 and v1.2.0.
//
// Pseudo-versions such as v0.0.0-20191109021931-daa7c04131f5 are
// pre-releases and sort before the release they precede; build metadata,
// including "+incompatible", is ignored for ordering.
type goOrdering struct{}

func (goOrdering) Name() string { return "Go" }

func (goOrdering) Parse(s string) (Version, error) {
	if s == osvZero {
		return &goVersion{raw: s, zero: true}, nil
	}
	v := s
	if !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	if !semver.IsValid(v) {
		return nil, invalid("Go", s, "not a semantic version")
	}
	return &goVersion{raw: s, semver: v}, nil
}

// goVersion is a parsed Go version; semver has the "v" prefix.
type goVersion struct {
	raw    string
	zero   bool // OSV's "0"
	semver string
}

func (v *goVersion) String() string { return v.raw }

func (v *goVersion) Compare(other Version) int {
	o := peer[*goVersion]("Go", other)
	if c, ok := cmpZero(v.zero, o.zero); ok {
		return c
	}
	return semver.Compare(v.semver, o.semver)
}
