package version

import (
	"regexp"
	"strings"
)

// rubyGemsOrdering orders gem versions as RubyGems' Gem::Version does
// (RubyGems 3.x).
//
// A version must match Gem::Version's VERSION_PATTERN,
// [0-9]+(.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(.[0-9A-Za-z-]+)*)?, with
// surrounding whitespace ignored; each '-' is then read as ".pre.", as
// Gem::Version.new does. RubyGems turns an empty string into "0"; here an
// empty string is rejected.
//
// Comparison follows Gem::Version#<=> on canonical segments: the version is
// split into runs of digits and runs of letters; trailing zero segments are
// dropped from the numeric part before the first letter run and from the
// rest ("1.0" == "1", "1.0.a" == "1.a"); segments compare pairwise, a
// missing one counting as 0: numbers numerically (any size), strings in
// byte order, and a string is lower than a number. So any version with a
// letter is a pre-release of its numeric prefix: 1.0.a < 1.0, 1.0.0.pre1 <
// 1.0.0 < 5.2.4.1.
type rubyGemsOrdering struct{}

func (rubyGemsOrdering) Name() string { return "RubyGems" }

// gemVersionPattern is Gem::Version's VERSION_PATTERN, anchored; compiled
// regexps are immutable and safe for concurrent use.
var gemVersionPattern = regexp.MustCompile(`^[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$`)

func (rubyGemsOrdering) Parse(s string) (Version, error) {
	if s == osvZero {
		return &rubyGemsVersion{raw: s, zero: true}, nil
	}
	str := strings.Trim(s, " \t\n\v\f\r")
	if str == "" {
		return nil, invalid("RubyGems", s, "empty version")
	}
	if !gemVersionPattern.MatchString(str) {
		return nil, invalid("RubyGems", s, "malformed version number string")
	}
	str = strings.ReplaceAll(str, "-", ".pre.")
	return &rubyGemsVersion{raw: s, segments: gemCanonicalSegments(str)}, nil
}

// gemSegment is a number (digits without leading zeros) or a string.
type gemSegment struct {
	str    string
	isWord bool
}

func (g gemSegment) isZero() bool { return !g.isWord && g.str == "" }

// gemCanonicalSegments is Gem::Version#canonical_segments.
func gemCanonicalSegments(v string) []gemSegment {
	var segs []gemSegment
	for i := 0; i < len(v); {
		j := i
		switch {
		case isDigit(v[i]):
			for j < len(v) && isDigit(v[j]) {
				j++
			}
			segs = append(segs, gemSegment{str: strings.TrimLeft(v[i:j], "0")})
		case isAlpha(v[i]):
			for j < len(v) && isAlpha(v[j]) {
				j++
			}
			segs = append(segs, gemSegment{str: v[i:j], isWord: true})
		default:
			j++
		}
		i = j
	}
	split := len(segs)
	for i, g := range segs {
		if g.isWord {
			split = i
			break
		}
	}
	trim := func(s []gemSegment) []gemSegment {
		for len(s) > 0 && s[len(s)-1].isZero() {
			s = s[:len(s)-1]
		}
		return s
	}
	numeric := trim(segs[:split:split])
	return append(numeric, trim(segs[split:])...)
}

// rubyGemsVersion is a parsed gem version.
type rubyGemsVersion struct {
	raw      string
	zero     bool // OSV's "0"
	segments []gemSegment
}

func (v *rubyGemsVersion) String() string { return v.raw }

func (v *rubyGemsVersion) Compare(other Version) int {
	o := peer[*rubyGemsVersion]("RubyGems", other)
	if c, ok := cmpZero(v.zero, o.zero); ok {
		return c
	}
	for i := 0; i < len(v.segments) || i < len(o.segments); i++ {
		var l, r gemSegment // zero value: the number 0
		if i < len(v.segments) {
			l = v.segments[i]
		}
		if i < len(o.segments) {
			r = o.segments[i]
		}
		switch {
		case l.isWord && r.isWord:
			if c := strings.Compare(l.str, r.str); c != 0 {
				return c
			}
		case l.isWord:
			return -1
		case r.isWord:
			return 1
		default:
			if c := cmpDigits(l.str, r.str); c != 0 {
				return c
			}
		}
	}
	return 0
}
