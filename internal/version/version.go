package version

import (
	"errors"
	"fmt"
	"strings"
)

// Ordering compares versions of one ecosystem.
type Ordering interface {
	// Name is the ecosystem family ("Debian", "Alpine", "RPM", "SemVer",
	// "Go", "npm", "crates.io", "PyPI", "Maven", "RubyGems", "NuGet",
	// "Packagist").
	Name() string
	// Parse validates a version string and returns a value for Compare.
	// Errors wrap ErrInvalidVersion and name the version.
	Parse(s string) (Version, error)
}

// Version is a parsed version.
//
// Compare returns -1, 0 or +1 as the version sorts before, equal to or after
// other. other must come from the same Ordering's Parse: Compare panics when
// given a Version of another Ordering (npm, crates.io and SemVer share one
// implementation, so their versions compare with each other).
//
// String returns the version string exactly as it was given to Parse.
type Version interface {
	Compare(other Version) int
	String() string
}

// ForEcosystem returns the ordering for an OSV ecosystem name. The part
// before the first ':' names the family, so "Debian:12", "Ubuntu:22.04:LTS"
// and "Alpine:v3.19" work as they appear in OSV records; only Alpine's
// release changes the ordering (below).
//
// Known ecosystems:
//   - Debian, Ubuntu and Echo: the Debian ordering;
//   - Alpine: apk-tools 2's ordering for releases up to v3.22 and for
//     "Alpine" without a release, apk-tools 3's for v3.23 and later and for
//     edge, the apk each release ships;
//   - Wolfi, Chainguard, Alpaquita, BellSoft Hardened Containers, MinimOS
//     and CleanStart: apk-tools 2's ordering;
//   - Docker Hardened Images:Alpine:<release> and Docker Hardened
//     Images:Debian:<release>: the ordering of that Alpine release or
//     Debian's (the images' OS packages are Alpine's and Debian's builds);
//   - Red Hat, Rocky Linux, AlmaLinux, SUSE, openSUSE, Azure Linux,
//     Mageia and openEuler: RPM;
//   - Go; npm; crates.io; PyPI; Maven; RubyGems; NuGet; Packagist.
//
// The family names returned by Name ("RPM", "SemVer") are accepted too, as
// is OSV's range type "SEMVER", so that every Ordering can be reached.
// Names are case-sensitive, as in OSV.
//
// An unknown ecosystem returns an error wrapping ErrUnknownEcosystem.
func ForEcosystem(ecosystem string) (Ordering, error) {
	name, release, _ := strings.Cut(ecosystem, ":")
	switch name {
	case "Debian", "Ubuntu", "Echo":
		return debianOrdering{}, nil
	case "Alpine":
		if apk3Release(release) {
			return alpineOrdering{}, nil
		}
		return apk2Ordering{}, nil
	case "Wolfi", "Chainguard", "Alpaquita", "BellSoft Hardened Containers", "MinimOS", "CleanStart":
		return apk2Ordering{}, nil
	case "Docker Hardened Images":
		// "Docker Hardened Images:Alpine:3.24", "…:Debian:13": the
		// lineage's ordering.
		if lineage, _, _ := strings.Cut(release, ":"); lineage == "Alpine" || lineage == "Debian" {
			return ForEcosystem(release)
		}
	case "RPM", "Red Hat", "Rocky Linux", "AlmaLinux", "SUSE", "openSUSE", "Azure Linux", "Mageia", "openEuler":
		return rpmOrdering{}, nil
	case "SemVer", "SEMVER":
		return semverOrdering{family: familySemVer}, nil
	case "npm":
		return semverOrdering{family: familyNPM}, nil
	case "crates.io":
		return semverOrdering{family: familyCrates}, nil
	case "Go":
		return goOrdering{}, nil
	case "PyPI":
		return pypiOrdering{}, nil
	case "Maven":
		return mavenOrdering{}, nil
	case "RubyGems":
		return rubyGemsOrdering{}, nil
	case "NuGet":
		return nugetOrdering{}, nil
	case "Packagist":
		return packagistOrdering{}, nil
	}
	return nil, fmt.Errorf("%w: %q", ErrUnknownEcosystem, ecosystem)
}

// apk3Release reports whether an Alpine release ("v3.23", "edge") ships
// apk-tools 3, as Alpine does from 3.23 on.
func apk3Release(release string) bool {
	if release == "edge" {
		return true
	}
	major, minor, ok := strings.Cut(strings.TrimPrefix(release, "v"), ".")
	if !ok || !allDigits(major) || !allDigits(minor) {
		return false
	}
	if c := cmpDigits(major, "3"); c != 0 {
		return c > 0
	}
	return cmpDigits(minor, "23") >= 0
}

// Compare parses a and b with o and compares them: it returns -1, 0 or +1
// as a sorts before, equal to or after b. A parse error (wrapping
// ErrInvalidVersion) is returned as is.
func Compare(o Ordering, a, b string) (int, error) {
	if o == nil {
		return 0, errors.New("version: Compare with a nil Ordering")
	}
	va, err := o.Parse(a)
	if err != nil {
		return 0, err
	}
	vb, err := o.Parse(b)
	if err != nil {
		return 0, err
	}
	return va.Compare(vb), nil
}

// osvZero is OSV's "introduced" value meaning "every version": it parses in
// every ordering and sorts before everything else.
const osvZero = "0"

// invalid builds the error every Parse returns.
func invalid(family, s, reason string) error {
	return fmt.Errorf("%w: %s version %q: %s", ErrInvalidVersion, family, s, reason)
}

// cmpZero orders OSV's "0" sentinel against another version: decided is
// false when neither side is the sentinel and the ordering must decide.
func cmpZero(a, b bool) (c int, decided bool) {
	switch {
	case a && b:
		return 0, true
	case a:
		return -1, true
	case b:
		return 1, true
	}
	return 0, false
}

// peer returns other as the concrete type T, panicking with a clear message
// when other comes from another Ordering.
func peer[T Version](family string, other Version) T {
	o, ok := other.(T)
	if !ok {
		panic(fmt.Sprintf("version: cannot compare a %s version with %T", family, other))
	}
	return o
}

// sign maps any int to -1, 0 or +1.
func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// cmpInt compares two ints.
func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpDigits compares two strings of ASCII digits as unbounded non-negative
// integers: leading zeros are ignored and no length overflows. An empty
// string counts as zero.
func cmpDigits(a, b string) int {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	if c := cmpInt(len(a), len(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isAlpha reports whether c is an ASCII letter.
func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// isAlnum reports whether c is an ASCII letter or digit.
func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }

// allDigits reports whether s is a non-empty string of ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// isZeroDigits reports whether a digit string is all zeros (or empty).
func isZeroDigits(s string) bool { return strings.TrimLeft(s, "0") == "" }

// quoteByte quotes one byte for an error message.
func quoteByte(c byte) string {
	const hex = "0123456789abcdef"
	if c >= 0x20 && c < 0x7f && c != '\'' {
		return "'" + string(rune(c)) + "'"
	}
	return "byte 0x" + string([]byte{hex[c>>4], hex[c&0xf]})
}
