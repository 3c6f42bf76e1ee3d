package version

import (
	"strconv"
	"strings"
)

// debianOrdering orders Debian and Ubuntu package versions as dpkg does.
//
// Parsing follows dpkg's parseversion (lib/dpkg/parsehelp.c): leading and
// trailing whitespace is ignored; the epoch is the part before the first
// ':' and must be a decimal number no larger than INT_MAX; the revision is
// the part after the last '-'; the upstream version must not be empty.
// Where dpkg only warns (an upstream version that does not start with a
// digit) the version is accepted; where dpkg warns about characters outside
// the allowed sets (upstream: alphanumerics and ".+-~:"; revision:
// alphanumerics and ".+~") the version is rejected, since such strings are
// not versions dpkg would install.
//
// Comparison follows dpkg's dpkg_version_compare: epochs numerically, then
// upstream versions, then revisions with verrevcmp (a missing revision
// compares like "0"). verrevcmp alternates non-digit and digit parts; in
// non-digit parts '~' sorts before everything, even the end of the part,
// then the end of the part, then letters, then every other character by its
// code; digit parts compare numerically, without overflow for any length.
type debianOrdering struct{}

func (debianOrdering) Name() string { return "Debian" }

func (debianOrdering) Parse(s string) (Version, error) {
	if s == osvZero {
		return &debianVersion{raw: s, zero: true}, nil
	}
	str := strings.Trim(s, " \t\n\v\f\r")
	if str == "" {
		return nil, invalid("Debian", s, "version string is empty")
	}
	if strings.ContainsAny(str, " \t\n\v\f\r") {
		return nil, invalid("Debian", s, "version string has embedded spaces")
	}
	v := &debianVersion{raw: s}
	upstream := str
	if e, rest, ok := strings.Cut(str, ":"); ok {
		if e == "" {
			return nil, invalid("Debian", s, "epoch in version is empty")
		}
		if !allDigits(e) {
			return nil, invalid("Debian", s, "epoch in version is not number")
		}
		if n, err := strconv.ParseInt(e, 10, 32); err != nil || n < 0 {
			return nil, invalid("Debian", s, "epoch in version is too big")
		}
		if rest == "" {
			return nil, invalid("Debian", s, "nothing after colon in version number")
		}
		v.epoch = e
		upstream = rest
	}
	if i := strings.LastIndexByte(upstream, '-'); i >= 0 {
		v.revision = upstream[i+1:]
		upstream = upstream[:i]
		if v.revision == "" {
			return nil, invalid("Debian", s, "revision number is empty")
		}
	}
	if upstream == "" {
		return nil, invalid("Debian", s, "version number is empty")
	}
	for i := 0; i < len(upstream); i++ {
		if c := upstream[i]; !isAlnum(c) && !strings.ContainsRune(".-+~:", rune(c)) {
			return nil, invalid("Debian", s, "invalid character in version number")
		}
	}
	for i := 0; i < len(v.revision); i++ {
		if c := v.revision[i]; !isAlnum(c) && !strings.ContainsRune(".+~", rune(c)) {
			return nil, invalid("Debian", s, "invalid character in revision number")
		}
	}
	v.upstream = upstream
	return v, nil
}

// debianVersion is a parsed dpkg version.
type debianVersion struct {
	raw      string
	zero     bool   // OSV's "0"
	epoch    string // decimal digits; "" means 0
	upstream string
	revision string // "" when absent
}

func (v *debianVersion) String() string { return v.raw }

func (v *debianVersion) Compare(other Version) int {
	o := peer[*debianVersion]("Debian", other)
	if c, ok := cmpZero(v.zero, o.zero); ok {
		return c
	}
	if c := cmpDigits(v.epoch, o.epoch); c != 0 {
		return c
	}
	if c := verrevcmp(v.upstream, o.upstream); c != 0 {
		return c
	}
	return verrevcmp(v.revision, o.revision)
}

// dpkgOrder is dpkg's order() for one character of a non-digit part; 0
// stands for the end of the part.
func dpkgOrder(c int) int {
	switch {
	case c == 0:
		return 0
	case c == '~':
		return -1
	case isDigit(byte(c)):
		return 0
	case isAlpha(byte(c)):
		return c
	}
	return c + 256
}

// verrevcmp is dpkg's verrevcmp: it compares upstream versions or revisions.
func verrevcmp(a, b string) int {
	at := func(s string, i int) int {
		if i < len(s) {
			return int(s[i])
		}
		return 0
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for (i < len(a) && !isDigit(a[i])) || (j < len(b) && !isDigit(b[j])) {
			ac, bc := dpkgOrder(at(a, i)), dpkgOrder(at(b, j))
			if ac != bc {
				return sign(ac - bc)
			}
			i++
			j++
		}
		si := i
		for i < len(a) && isDigit(a[i]) {
			i++
		}
		sj := j
		for j < len(b) && isDigit(b[j]) {
			j++
		}
		if c := cmpDigits(a[si:i], b[sj:j]); c != 0 {
			return c
		}
	}
	return 0
}
