package version

import (
	"regexp"
	"strings"
)

// pypiOrdering orders Python package versions per PEP 440 (the Version
// Specifiers specification), as the reference implementation, the
// "packaging" library's Version class, parses and compares them.
//
// Parsing uses packaging's VERSION_PATTERN, case-insensitively, with
// surrounding whitespace ignored: an optional "v", an optional epoch "N!",
// a release "N(.N)*", an optional pre-release (a, alpha, b, beta, rc, c,
// pre, preview; separators '.', '-', '_' optional, number optional), an
// optional post-release (".postN", "-N", "rev", "r"), an optional
// development release (".devN") and an optional local version "+label"
// whose segments are separated by '.', '-' or '_'. Anything else is
// rejected: no legacy versions are guessed. Non-ASCII input is rejected.
//
// Comparison uses packaging's _cmpkey: epoch; release with trailing zeros
// dropped (1.0 == 1.0.0); pre-release (a < b < rc), where a version with
// only a dev-release sorts before all pre-releases of its release
// (1.0.dev1 < 1.0a1) and a version with neither sorts after them; post-
// release (none first); dev-release (none last); then the local version,
// absent first, segment by segment, numeric segments numerically and above
// alphanumeric ones, which compare as lowercase strings, a shorter list
// first. Numbers of any size compare exactly.
type pypiOrdering struct{}

func (pypiOrdering) Name() string { return "PyPI" }

// pep440Pattern is packaging's VERSION_PATTERN, anchored as
// packaging.version does; compiled regexps are immutable and safe for
// concurrent use.
var pep440Pattern = regexp.MustCompile(`(?i)^\s*v?` +
	`(?:([0-9]+)!)?` + // 1: epoch
	`([0-9]+(?:\.[0-9]+)*)` + // 2: release
	`(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?([0-9]+)?)?` + // 3, 4: pre
	`(?:-([0-9]+)|[-_.]?(post|rev|r)[-_.]?([0-9]+)?)?` + // 5: implicit post, 6, 7: post
	`(?:[-_.]?(dev)[-_.]?([0-9]+)?)?` + // 8, 9: dev
	`(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?` + // 10: local
	`\s*$`)

// PEP 440 pre-release ranks; pypiPreDevOnly and pypiPreNone stand for
// packaging's -Infinity and +Infinity.
const (
	pypiPreDevOnly = iota
	pypiPreA
	pypiPreB
	pypiPreRC
	pypiPreNone
)

func (pypiOrdering) Parse(s string) (Version, error) {
	if s == osvZero {
		return &pypiVersion{raw: s, zero: true}, nil
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return nil, invalid("PyPI", s, "non-ASCII character")
		}
	}
	m := pep440Pattern.FindStringSubmatch(s)
	if m == nil {
		return nil, invalid("PyPI", s, "not a PEP 440 version")
	}
	v := &pypiVersion{raw: s, epoch: m[1]}
	release := strings.Split(m[2], ".")
	for len(release) > 0 && isZeroDigits(release[len(release)-1]) {
		release = release[:len(release)-1]
	}
	v.release = release
	switch strings.ToLower(m[3]) {
	case "":
		v.pre = pypiPreNone
	case "a", "alpha":
		v.pre = pypiPreA
	case "b", "beta":
		v.pre = pypiPreB
	default: // rc, c, pre, preview
		v.pre = pypiPreRC
	}
	v.preNum = m[4]
	switch {
	case m[5] != "":
		v.hasPost, v.post = true, m[5]
	case m[6] != "":
		v.hasPost, v.post = true, m[7]
	}
	if m[8] != "" {
		v.hasDev, v.dev = true, m[9]
	}
	if v.pre == pypiPreNone && !v.hasPost && v.hasDev {
		v.pre = pypiPreDevOnly
	}
	if m[10] != "" {
		v.hasLocal = true
		v.local = strings.FieldsFunc(strings.ToLower(m[10]), func(r rune) bool {
			return r == '.' || r == '-' || r == '_'
		})
	}
	return v, nil
}

// pypiVersion is a parsed PEP 440 version, reduced to its sort key. Numbers
// are kept as digit strings.
type pypiVersion struct {
	raw      string
	zero     bool // OSV's "0"
	epoch    string
	release  []string // trailing zeros dropped
	pre      int      // pypiPre*
	preNum   string
	hasPost  bool
	post     string
	hasDev   bool
	dev      string
	hasLocal bool
	local    []string // lowercase segments
}

func (v *pypiVersion) String() string { return v.raw }

func (v *pypiVersion) Compare(other Version) int {
	o := peer[*pypiVersion]("PyPI", other)
	if c, ok := cmpZero(v.zero, o.zero); ok {
		return c
	}
	if c := cmpDigits(v.epoch, o.epoch); c != 0 {
		return c
	}
	for i := 0; i < len(v.release) && i < len(o.release); i++ {
		if c := cmpDigits(v.release[i], o.release[i]); c != 0 {
			return c
		}
	}
	if c := cmpInt(len(v.release), len(o.release)); c != 0 {
		return c
	}
	if c := cmpInt(v.pre, o.pre); c != 0 {
		return c
	}
	if c := cmpDigits(v.preNum, o.preNum); c != 0 {
		return c
	}
	if c := cmpOptDigits(v.hasPost, v.post, o.hasPost, o.post, -1); c != 0 {
		return c
	}
	if c := cmpOptDigits(v.hasDev, v.dev, o.hasDev, o.dev, 1); c != 0 {
		return c
	}
	switch {
	case !v.hasLocal && !o.hasLocal:
		return 0
	case !v.hasLocal:
		return -1
	case !o.hasLocal:
		return 1
	}
	for i := 0; i < len(v.local) && i < len(o.local); i++ {
		if c := cmpPEP440Local(v.local[i], o.local[i]); c != 0 {
			return c
		}
	}
	return cmpInt(len(v.local), len(o.local))
}

// cmpOptDigits compares two optional numbers; absent compares as absent
// (-1: before every number, +1: after every number).
func cmpOptDigits(aOK bool, a string, bOK bool, b string, absent int) int {
	switch {
	case !aOK && !bOK:
		return 0
	case !aOK:
		return absent
	case !bOK:
		return -absent
	}
	return cmpDigits(a, b)
}

// cmpPEP440Local compares local version segments: numeric segments compare
// numerically and sort after alphanumeric ones, which compare as strings.
func cmpPEP440Local(a, b string) int {
	an, bn := allDigits(a), allDigits(b)
	switch {
	case an && bn:
		return cmpDigits(a, b)
	case an:
		return 1
	case bn:
		return -1
	}
	return strings.Compare(a, b)
}
