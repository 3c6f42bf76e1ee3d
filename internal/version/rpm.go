package version

import "strings"

// rpmOrdering orders RPM package versions ([epoch:]version[-release]) as
// rpm does.
//
// Parsing follows rpm's parseEVR: an epoch is present when the string
// starts with decimal digits followed by ':'; the release is the part after
// the last '-'. The version and the release must not be empty, and only
// printable ASCII other than whitespace and ':' may appear in them.
//
// Comparison follows rpm's rpmverCmp: the epochs numerically (a missing
// epoch is 0), then the versions, then the releases, each with rpmvercmp.
// rpmvercmp splits strings into runs of ASCII digits and runs of ASCII
// letters, ignoring every other character as a separator, except that '~'
// sorts before anything (even the end of the string: 1.0~rc1 < 1.0) and
// '^' sorts after the end of the string but before anything else
// (1.0 < 1.0^git1 < 1.0.1). Numeric runs are newer than alphabetic ones,
// compare numerically with leading zeros ignored and without overflow, and
// letter runs compare as strings; the version with segments left over is
// the newer.
//
// Where rpm treats a missing release as matching any release (so that
// "1.0" equals both "1.0-1" and "1.0-2"), this ordering compares a missing
// release as the empty string, which sorts before every release, so that
// the order is total: 1.0 < 1.0-1 < 1.0-2.
type rpmOrdering struct{}

func (rpmOrdering) Name() string { return "RPM" }

func (rpmOrdering) Parse(s string) (Version, error) {
	if s == osvZero {
		return &rpmVersion{raw: s, zero: true}, nil
	}
	if s == "" {
		return nil, invalid("RPM", s, "empty version")
	}
	v := &rpmVersion{raw: s}
	rest := s
	n := 0
	for n < len(rest) && isDigit(rest[n]) {
		n++
	}
	if n < len(rest) && rest[n] == ':' {
		if n == 0 {
			return nil, invalid("RPM", s, "empty epoch")
		}
		v.epoch = rest[:n]
		rest = rest[n+1:]
	}
	if i := strings.LastIndexByte(rest, '-'); i >= 0 {
		v.release = rest[i+1:]
		v.hasRelease = true
		rest = rest[:i]
		if v.release == "" {
			return nil, invalid("RPM", s, "empty release")
		}
	}
	if rest == "" {
		return nil, invalid("RPM", s, "empty version")
	}
	v.version = rest
	for _, part := range []string{v.version, v.release} {
		for i := 0; i < len(part); i++ {
			if c := part[i]; c <= ' ' || c >= 0x7f || c == ':' {
				return nil, invalid("RPM", s, "invalid character "+quoteByte(c))
			}
		}
	}
	return v, nil
}

// rpmVersion is a parsed RPM EVR.
type rpmVersion struct {
	raw        string
	zero       bool   // OSV's "0"
	epoch      string // digits; "" means 0
	version    string
	release    string
	hasRelease bool
}

func (v *rpmVersion) String() string { return v.raw }

func (v *rpmVersion) Compare(other Version) int {
	o := peer[*rpmVersion]("RPM", other)
	if c, ok := cmpZero(v.zero, o.zero); ok {
		return c
	}
	if c := cmpDigits(v.epoch, o.epoch); c != 0 {
		return c
	}
	if c := rpmvercmp(v.version, o.version); c != 0 {
		return c
	}
	return rpmvercmp(v.release, o.release)
}

// rpmvercmp is rpm's rpmvercmp (lib/rpmvercmp.c).
func rpmvercmp(a, b string) int {
	if a == b {
		return 0
	}
	i, j := 0, 0
	sep := func(c byte) bool { return !isAlnum(c) && c != '~' && c != '^' }
	for i < len(a) || j < len(b) {
		for i < len(a) && sep(a[i]) {
			i++
		}
		for j < len(b) && sep(b[j]) {
			j++
		}
		// '~' sorts before everything else.
		if i < len(a) && a[i] == '~' || j < len(b) && b[j] == '~' {
			if i >= len(a) || a[i] != '~' {
				return 1
			}
			if j >= len(b) || b[j] != '~' {
				return -1
			}
			i++
			j++
			continue
		}
		// '^' sorts after the end of the string but before anything else.
		if i < len(a) && a[i] == '^' || j < len(b) && b[j] == '^' {
			if i >= len(a) {
				return -1
			}
			if j >= len(b) {
				return 1
			}
			if a[i] != '^' {
				return 1
			}
			if b[j] != '^' {
				return -1
			}
			i++
			j++
			continue
		}
		if i >= len(a) || j >= len(b) {
			break
		}
		si, sj := i, j
		isNum := isDigit(a[i])
		if isNum {
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
		} else {
			for i < len(a) && isAlpha(a[i]) {
				i++
			}
			for j < len(b) && isAlpha(b[j]) {
				j++
			}
		}
		// Segments of different types: numeric is newer than alphabetic.
		if sj == j {
			if isNum {
				return 1
			}
			return -1
		}
		var c int
		if isNum {
			c = cmpDigits(a[si:i], b[sj:j])
		} else {
			c = strings.Compare(a[si:i], b[sj:j])
		}
		if c != 0 {
			return c
		}
	}
	switch {
	case i >= len(a) && j >= len(b):
		return 0
	case i < len(a):
		return 1
	}
	return -1
}
