package version

import (
	"regexp"
	"strings"
)

// packagistOrdering orders PHP package versions as Composer does.
//
// Parsing ports composer/semver's VersionParser::normalize: surrounding
// whitespace, an "as" alias and an "@stability" flag are dropped; "master",
// "trunk" and "default" mean "dev-master" and so on; "dev-*" names are
// branches; "+metadata" is dropped; then a classical version (optional
// "v", one to four numbers padded with ".0") or a date version
// (2010-01-02, 20100102203040, ...) with an optional stability suffix
// (stable; alpha or a; beta or b; RC; patch, pl or p; each with optional
// numbers; separators '.', '-', '_' optional) and an optional "-dev", or a
// numeric branch ending in "-dev" ("1.x-dev" becomes
// 1.9999999.9999999.9999999-dev).
//
// Numeric versions compare as PHP's version_compare compares their
// normalized forms: the form is split at '.', '-', '_', '+' and at
// transitions between digits and letters; numbers compare numerically (any
// size); dev < alpha < beta < RC < (a number) < patch, and unknown words
// sort first; a version with more parts is newer if the next part is a
// number, older if it is dev, alpha, beta or RC. So 1.2.3-dev <
// 1.2.3-alpha1 < 1.2.3-beta2 < 1.2.3RC1 < 1.2.3 == 1.2.3.0 < 1.2.3-p1 <
// 1.2.4.
//
// Why Composer's normalization and not osv.dev's plain version_compare of
// the raw strings: Composer is what installs PHP packages and what the
// advisories' ranges are written for (GitHub's and FriendsOfPHP's
// advisories state Composer constraints), and the two differ exactly where
// the plain comparison contradicts the release order. Plain version_compare
// puts 3.0 below 3.0.0-beta (it compares "3.0" with "3.0.0.beta" part by
// part and the longer one wins), 5.1.0-stable below 5.1.0-beta2 ("stable"
// is an unknown word) and v1.9.0-ALPHA.1 level with v1.9.0-BETA.1 (the
// upper-case words are unknown); Composer orders all three by release. A
// range "introduced 3.0.0-beta, fixed 3.0.1" must cover an installed 3.0:
// with the plain comparison it would not, and a gate would pass a
// vulnerable package.
//
// A version Composer rejects (Packagist skips such tags, but OSV records
// name some: 3.5.2.post1, 1.5.1.dev100, 4.3-2) is compared the way osv.dev
// compares every version: PHP's version_compare of the string itself, a
// leading "v" dropped. Such a version must start with a digit; anything
// else is rejected.
//
// Branches ("dev-master", "dev-feature/x") cannot be compared with
// numbered versions in Composer, which never lets them match a range. To
// give a total order, this ordering sorts every branch below every
// numbered version (but above OSV's "0"), and branches among themselves by
// the byte order of their normalized names.
type packagistOrdering struct{}

func (packagistOrdering) Name() string { return "Packagist" }

// Composer's regular expressions (composer/semver VersionParser), in RE2
// syntax; compiled regexps are immutable and safe for concurrent use. The
// possessive quantifiers of the PHP originals are not needed: no match they
// forbid could succeed here.
const composerModifier = `[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*)?)?([.-]?dev)?`

var (
	composerAlias     = regexp.MustCompile(`^([^,\s]+) +as +([^,\s]+)$`)
	composerStability = regexp.MustCompile(`(?i)@(?:stable|RC|beta|alpha|dev)$`)
	composerMetadata  = regexp.MustCompile(`^([^,\s+]+)\+[^\s]+$`)
	composerClassical = regexp.MustCompile(`(?i)^v?(\d{1,5})(\.\d+)?(\.\d+)?(\.\d+)?` + composerModifier + `$`)
	composerDate      = regexp.MustCompile(`(?i)^v?(\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3}){0,2})` + composerModifier + `$`)
	composerDevSuffix = regexp.MustCompile(`(?i)^(.*?)[.-]?dev$`)
	composerBranch    = regexp.MustCompile(`(?i)^v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?$`)
	composerNonDigit  = regexp.MustCompile(`\D`)
)

func (packagistOrdering) Parse(s string) (Version, error) {
	if s == osvZero {
		return &packagistVersion{raw: s, zero: true}, nil
	}
	norm, ok := composerNormalize(s)
	if !ok {
		if norm, ok = phpFallback(s); !ok {
			return nil, invalid("Packagist", s, "neither a Composer version nor a version number")
		}
	}
	v := &packagistVersion{raw: s, normalized: norm}
	if strings.HasPrefix(norm, "dev-") {
		v.branch = true
	} else {
		v.parts = phpVersionParts(norm)
	}
	return v, nil
}

// phpFallback is the form of a version Composer rejects: the longest
// prefix Composer normalizes that ends at a part boundary (a separator or
// a change between digits and letters), normalized, followed by the rest,
// so that 3.5.2.post1 compares as 3.5.2.0.post1 beside Composer's 3.5.2.0;
// or, without such a prefix, the version itself without a leading "v". ok
// is false unless the version starts with a digit.
func phpFallback(s string) (string, bool) {
	t := strings.Trim(s, phpTrim)
	if len(t) > 1 && (t[0] == 'v' || t[0] == 'V') {
		t = t[1:]
	}
	if t == "" || !isDigit(t[0]) {
		return "", false
	}
	// Composer's versions are short: looking at the first 64 bytes bounds
	// the work on hostile input.
	for i := min(len(t)-1, 64); i > 0; i-- {
		boundary := !isAlnum(t[i]) || isDigit(t[i]) != isDigit(t[i-1]) && isAlnum(t[i-1])
		if !boundary {
			continue
		}
		if norm, ok := composerNormalize(t[:i]); ok && !strings.HasPrefix(norm, "dev-") {
			return norm + "." + t[i:], true
		}
	}
	return t, true
}

// phpTrim is the character set PHP's trim() removes.
const phpTrim = " \t\n\r\x00\x0b"

// composerNormalize is VersionParser::normalize; ok is false where Composer
// throws UnexpectedValueException.
func composerNormalize(version string) (string, bool) {
	version = strings.Trim(version, phpTrim)
	if m := composerAlias.FindStringSubmatch(version); m != nil {
		version = m[1]
	}
	if loc := composerStability.FindStringIndex(version); loc != nil {
		version = version[:loc[0]]
	}
	switch version {
	case "master", "trunk", "default":
		version = "dev-" + version
	}
	if len(version) >= 4 && strings.EqualFold(version[:4], "dev-") {
		if len(version) == 4 {
			return "", false // an unnamed branch is no version
		}
		return "dev-" + version[4:], true
	}
	if m := composerMetadata.FindStringSubmatch(version); m != nil {
		version = m[1]
	}
	var m []string
	var index int
	if m = composerClassical.FindStringSubmatch(version); m != nil {
		version = m[1]
		for _, p := range m[2:5] {
			if p == "" {
				p = ".0"
			}
			version += p
		}
		index = 5
	} else if m = composerDate.FindStringSubmatch(version); m != nil {
		version = composerNonDigit.ReplaceAllString(m[1], ".")
		index = 2
	}
	if m != nil {
		if m[index] != "" {
			if m[index] == "stable" {
				return version, true
			}
			version += "-" + composerExpandStability(m[index]) + strings.TrimLeft(m[index+1], ".-")
		}
		if m[index+2] != "" {
			version += "-dev"
		}
		return version, true
	}
	if dm := composerDevSuffix.FindStringSubmatch(version); dm != nil {
		if bm := composerBranch.FindStringSubmatch(strings.Trim(dm[1], phpTrim)); bm != nil {
			var b strings.Builder
			for i := 1; i < 5; i++ {
				p := bm[i]
				if p == "" {
					p = ".x"
				}
				b.WriteString(strings.NewReplacer("*", "x", "X", "x").Replace(p))
			}
			return strings.ReplaceAll(b.String(), "x", "9999999") + "-dev", true
		}
	}
	return "", false
}

// composerExpandStability is VersionParser::expandStability.
func composerExpandStability(s string) string {
	s = strings.ToLower(s)
	switch s {
	case "a":
		return "alpha"
	case "b":
		return "beta"
	case "p", "pl":
		return "patch"
	case "rc":
		return "RC"
	}
	return s
}

// phpVersionParts splits a version as php_canonicalize_version does and
// returns its '.'-separated parts: runs of digits and runs of other
// alphanumerics; every other character only separates.
func phpVersionParts(v string) []string {
	var parts []string
	for i := 0; i < len(v); {
		j := i
		switch {
		case isDigit(v[i]):
			for j < len(v) && isDigit(v[j]) {
				j++
			}
		case isAlpha(v[i]):
			for j < len(v) && isAlpha(v[j]) {
				j++
			}
		default:
			i++
			continue
		}
		parts = append(parts, v[i:j])
		i = j
	}
	return parts
}

// phpSpecialForm is the rank compare_special_version_forms gives a word:
// the first of dev, alpha, a, beta, b, RC, rc, #, pl, p that prefixes it,
// or -1. "#" stands for a number.
func phpSpecialForm(w string) int {
	forms := [...]struct {
		name string
		rank int
	}{{"dev", 0}, {"alpha", 1}, {"a", 1}, {"beta", 2}, {"b", 2}, {"RC", 3}, {"rc", 3}, {"#", 4}, {"pl", 5}, {"p", 5}}
	for _, f := range forms {
		if strings.HasPrefix(w, f.name) {
			return f.rank
		}
	}
	return -1
}

// phpNumberRank is the rank of a number ("#N#") among special forms.
const phpNumberRank = 4

// phpVersionCompare is PHP's php_version_compare on canonicalized parts.
func phpVersionCompare(a, b []string) int {
	i := 0
	for ; i < len(a) && i < len(b); i++ {
		an, bn := isDigit(a[i][0]), isDigit(b[i][0])
		var c int
		switch {
		case an && bn:
			c = cmpDigits(a[i], b[i])
		case !an && !bn:
			c = cmpInt(phpSpecialForm(a[i]), phpSpecialForm(b[i]))
		case an:
			c = cmpInt(phpNumberRank, phpSpecialForm(b[i]))
		default:
			c = cmpInt(phpSpecialForm(a[i]), phpNumberRank)
		}
		if c != 0 {
			return c
		}
	}
	switch {
	case i < len(a):
		if isDigit(a[i][0]) {
			return 1
		}
		return cmpInt(phpSpecialForm(a[i]), phpNumberRank)
	case i < len(b):
		if isDigit(b[i][0]) {
			return -1
		}
		return cmpInt(phpNumberRank, phpSpecialForm(b[i]))
	}
	return 0
}

// packagistVersion is a parsed Composer version.
type packagistVersion struct {
	raw        string
	zero       bool // OSV's "0"
	normalized string
	branch     bool     // a dev-* branch
	parts      []string // canonical parts of normalized, for numbered versions
}

func (v *packagistVersion) String() string { return v.raw }

func (v *packagistVersion) Compare(other Version) int {
	o := peer[*packagistVersion]("Packagist", other)
	if c, ok := cmpZero(v.zero, o.zero); ok {
		return c
	}
	switch {
	case v.branch && o.branch:
		return strings.Compare(v.normalized, o.normalized)
	case v.branch:
		return -1
	case o.branch:
		return 1
	}
	return phpVersionCompare(v.parts, o.parts)
}
