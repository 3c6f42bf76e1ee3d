package version

import "strings"

// Families sharing the SemVer implementation.
const (
	familySemVer = "SemVer"
	familyNPM    = "npm"
	familyCrates = "crates.io"
)

// semverOrdering orders versions by SemVer 2.0.0 precedence; it serves the
// SemVer family (OSV's SEMVER ranges), npm and crates.io.
//
// Versions must be strict SemVer 2.0.0: MAJOR.MINOR.PATCH with no leading
// zeros, an optional pre-release of dot-separated non-empty identifiers of
// [0-9A-Za-z-] (numeric identifiers without leading zeros) and optional
// build metadata of dot-separated non-empty identifiers. npm versions may
// also have a leading "v", as node-semver accepts; SemVer and crates.io
// versions may not.
//
// Precedence (semver.org, item 11): major, minor and patch numerically
// (any size); a version with a pre-release is lower than the same version
// without; pre-release identifiers compare left to right, numeric ones
// numerically, alphanumeric ones in ASCII order, numeric lower than
// alphanumeric, and a shorter list lower when it is a prefix of the other.
// Build metadata is ignored.
type semverOrdering struct {
	family string
}

func (o semverOrdering) Name() string { return o.family }

func (o semverOrdering) Parse(s string) (Version, error) {
	if s == osvZero {
		return &semverVersion{raw: s, zero: true}, nil
	}
	str := s
	if o.family == familyNPM {
		str = strings.TrimPrefix(str, "v")
	}
	v, reason := parseSemver(str)
	if reason != "" {
		return nil, invalid(o.family, s, reason)
	}
	v.raw = s
	return v, nil
}

// semverVersion is a parsed SemVer 2.0.0 version.
type semverVersion struct {
	raw                 string
	zero                bool // OSV's "0"
	major, minor, patch string
	pre                 []string // nil when not a pre-release
}

func (v *semverVersion) String() string { return v.raw }

func (v *semverVersion) Compare(other Version) int {
	o := peer[*semverVersion]("SemVer", other)
	if c, ok := cmpZero(v.zero, o.zero); ok {
		return c
	}
	if c := cmpDigits(v.major, o.major); c != 0 {
		return c
	}
	if c := cmpDigits(v.minor, o.minor); c != 0 {
		return c
	}
	if c := cmpDigits(v.patch, o.patch); c != 0 {
		return c
	}
	return cmpSemverPre(v.pre, o.pre)
}

// cmpSemverPre compares pre-release identifier lists; nil (no pre-release)
// is higher than any list.
func cmpSemverPre(a, b []string) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := cmpSemverIdent(a[i], b[i]); c != 0 {
			return c
		}
	}
	return cmpInt(len(a), len(b))
}

// cmpSemverIdent compares two pre-release identifiers.
func cmpSemverIdent(a, b string) int {
	an, bn := allDigits(a), allDigits(b)
	switch {
	case an && bn:
		return cmpDigits(a, b)
	case an:
		return -1
	case bn:
		return 1
	}
	return strings.Compare(a, b)
}

// parseSemver parses a strict SemVer 2.0.0 string, or says why it is not.
func parseSemver(s string) (*semverVersion, string) {
	if s == "" {
		return nil, "empty version"
	}
	core, build, hasBuild := strings.Cut(s, "+")
	core, pre, hasPre := strings.Cut(core, "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return nil, "want MAJOR.MINOR.PATCH"
	}
	for _, p := range parts {
		if !allDigits(p) {
			return nil, "MAJOR.MINOR.PATCH must be decimal numbers"
		}
		if len(p) > 1 && p[0] == '0' {
			return nil, "numbers must not have leading zeros"
		}
	}
	v := &semverVersion{major: parts[0], minor: parts[1], patch: parts[2]}
	if hasPre {
		v.pre = strings.Split(pre, ".")
		for _, id := range v.pre {
			if reason := semverIdent(id); reason != "" {
				return nil, "pre-release " + reason
			}
			if len(id) > 1 && id[0] == '0' && allDigits(id) {
				return nil, "numeric pre-release identifiers must not have leading zeros"
			}
		}
	}
	if hasBuild {
		for _, id := range strings.Split(build, ".") {
			if reason := semverIdent(id); reason != "" {
				return nil, "build metadata " + reason
			}
		}
	}
	return v, ""
}

// semverIdent checks one pre-release or build identifier.
func semverIdent(id string) string {
	if id == "" {
		return "identifier is empty"
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !isAlnum(c) && c != '-' {
			return "identifier has invalid character " + quoteByte(c)
		}
	}
	return ""
}
