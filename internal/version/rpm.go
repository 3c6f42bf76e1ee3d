package version

import "strings"

// rpmOrdering orders RPM package versions ([epoch:]version[-release]) as
// rpm does.
//
// Parsing follows rpm's parseEVR (rpmio/rpmver.cc), which accepts any
// string: an epoch is present when the string starts with decimal digits
// (possibly none) followed by ':'; the release is the part after the last
// '-', even when that part is empty; everything between is the version.
// So "1.module+el9.4.0+23026+aaa2e3cb.2.noarch.rpm-nginx:1" has no epoch
// (a ':' after anything but digits is part of the version or release),
// "1-" has an empty release, and bytes outside ASCII are separators. Only
// the empty string and strings with a NUL byte, which rpm cannot hold, are
// rejected.
//
// Comparison follows rpm's rpmverCmp: the epochs numerically (a missing or
// empty epoch is 0), then the versions, then the releases, each with
// rpmvercmp; a missing release sorts before every release, even an empty
// one, so 1.0 < 1.0- < 1.0-1. rpmvercmp splits strings into runs of ASCII
// digits and runs of ASCII letters, ignoring every other byte as a
// separator, except that '~' sorts before anything (even the end of the
// string: 1.0~rc1 < 1.0) and '^' sorts after the end of the string but
// before anything else (1.0 < 1.0^git1 < 1.0.1). Numeric runs are newer
// than alphabetic ones, compare numerically with leading zeros ignored and
// without overflow, and letter runs compare as strings; the version with
// segments left over is the newer.
//
// Where rpm's dependency matching treats a missing release as matching any
// release, this ordering, like rpmverCmp, sorts it first, so that the
// order is total.
type rpmOrdering struct{}

func (rpmOrdering) Name() string { return "RPM" }

func (rpmOrdering) Parse(s string) (Version, error) {
	if s == osvZero {
		return &rpmVersion{raw: s, zero: true}, nil
	}
	if s == "" {
		return nil, invalid("RPM", s, "empty version")
	}
	if strings.IndexByte(s, 0) >= 0 {
		return nil, invalid("RPM", s, "invalid character "+quoteByte(0))
	}
	v := &rpmVersion{raw: s}
	rest := s
	n := 0
	for n < len(rest) && isDigit(rest[n]) {
		n++
	}
	if n < len(rest) && rest[n] == ':' {
		v.epoch = rest[:n]
		rest = rest[n+1:]
	}
	if i := strings.LastIndexByte(rest, '-'); i >= 0 {
		v.release = rest[i+1:]
		v.hasRelease = true
		rest = rest[:i]
	}
	v.version = rest
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
	switch {
	case v.hasRelease && o.hasRelease:
		return rpmvercmp(v.release, o.release)
	case v.hasRelease:
		return 1
	case o.hasRelease:
		return -1
	}
	return 0
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
