package version

import "strings"

// alpineOrdering orders Alpine (and Wolfi, Chainguard) package versions as
// apk-tools does.
//
// It follows the token based comparison of apk-tools' src/version.c
// (apk-tools 2.14 and 3.x). A version is
//
//	digit{.digit}...{letter}{_suffix{number}}...{~hash}{-rN}
//
// where the letter is one lowercase ASCII letter, the suffixes are
// _alpha < _beta < _pre < _rc < (no suffix) < _cvs < _svn < _git < _hg < _p,
// each with an optional number, the hash is lowercase hexadecimal and N is
// the package revision. Strings apk_version_validate rejects are rejected.
//
// Tokens are compared pairwise while both versions have a token of the same
// kind: the first number, suffix numbers and revisions numerically; later
// dotted numbers numerically unless either has a leading zero, in which
// case as strings (as Gentoo does); letters, suffixes and hashes by their
// order. When one version runs out of tokens or has a token of another
// kind, a pre-release suffix (_alpha, _beta, _pre, _rc) makes its version
// the older; otherwise the version whose next token comes earlier in the
// grammar above (a letter before a suffix before a hash before a revision
// before the end) is the newer. So 1.2.3_rc1 < 1.2.3 < 1.2.3a, 1.2.3 <
// 1.2.3_p1 and 2.0-r0 < 2.0-r1. Numbers of any length compare exactly,
// where apk-tools would wrap around beyond 64 bits.
type alpineOrdering struct{}

func (alpineOrdering) Name() string { return "Alpine" }

func (alpineOrdering) Parse(s string) (Version, error) {
	if s == osvZero {
		return &alpineVersion{raw: s, zero: true}, nil
	}
	toks, reason := apkTokens(s)
	if reason != "" {
		return nil, invalid("Alpine", s, reason)
	}
	return &alpineVersion{raw: s, tokens: toks}, nil
}

// apk token kinds, in grammar order: the order matters for Compare.
const (
	apkInitialDigit = iota
	apkDigit
	apkLetter
	apkSuffix
	apkSuffixNo
	apkCommitHash
	apkRevisionNo
	apkEnd
)

// apk suffixes in order; apkSuffixNone is the pivot between pre-release
// and post-release suffixes.
const (
	apkSuffixAlpha = iota + 1
	apkSuffixBeta
	apkSuffixPre
	apkSuffixRC
	apkSuffixNone
	apkSuffixCVS
	apkSuffixSVN
	apkSuffixGit
	apkSuffixHg
	apkSuffixP
)

// apkSuffixValue maps a suffix name to its order, or 0 if unknown.
func apkSuffixValue(name string) int {
	switch name {
	case "alpha":
		return apkSuffixAlpha
	case "beta":
		return apkSuffixBeta
	case "pre":
		return apkSuffixPre
	case "rc":
		return apkSuffixRC
	case "cvs":
		return apkSuffixCVS
	case "svn":
		return apkSuffixSVN
	case "git":
		return apkSuffixGit
	case "hg":
		return apkSuffixHg
	case "p":
		return apkSuffixP
	}
	return 0
}

type apkToken struct {
	kind   int
	suffix int    // for apkSuffix
	value  string // digits, the letter, the suffix name or the hash
}

// apkTokens splits a version into tokens, ending with an apkEnd token, or
// returns why the version is invalid.
func apkTokens(s string) ([]apkToken, string) {
	if s == "" {
		return nil, "empty version"
	}
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	if n == 0 {
		return nil, "version must start with a digit"
	}
	toks := []apkToken{{kind: apkInitialDigit, value: s[:n]}}
	prev := apkInitialDigit
	for i := n; i < len(s); {
		c := s[i]
		var t apkToken
		switch {
		case 'a' <= c && c <= 'z':
			if prev > apkDigit {
				return nil, "letter not allowed here"
			}
			t = apkToken{kind: apkLetter, value: s[i : i+1]}
			i++
		case c == '.' || isDigit(c):
			if c == '.' {
				if prev > apkDigit {
					return nil, "'.' not allowed here"
				}
				i++
			}
			switch prev {
			case apkInitialDigit, apkDigit:
				t.kind = apkDigit
			case apkSuffix:
				t.kind = apkSuffixNo
			default:
				return nil, "number not allowed here"
			}
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			if j == i {
				return nil, "missing number"
			}
			t.value = s[i:j]
			i = j
		case c == '_':
			if prev > apkSuffixNo {
				return nil, "suffix not allowed here"
			}
			j := i + 1
			for j < len(s) && 'a' <= s[j] && s[j] <= 'z' {
				j++
			}
			name := s[i+1 : j]
			t = apkToken{kind: apkSuffix, suffix: apkSuffixValue(name), value: name}
			if t.suffix == 0 {
				return nil, "unknown suffix \"_" + name + "\""
			}
			i = j
		case c == '~':
			if prev >= apkCommitHash {
				return nil, "'~' not allowed here"
			}
			j := i + 1
			for j < len(s) && (isDigit(s[j]) || 'a' <= s[j] && s[j] <= 'f') {
				j++
			}
			if j == i+1 {
				return nil, "'~' must be followed by a hexadecimal commit hash"
			}
			t = apkToken{kind: apkCommitHash, value: s[i+1 : j]}
			i = j
		case c == '-':
			if prev >= apkRevisionNo || !strings.HasPrefix(s[i:], "-r") {
				return nil, "'-' must start the final -rN revision"
			}
			j := i + 2
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			if j == i+2 {
				return nil, "revision -r needs a number"
			}
			t = apkToken{kind: apkRevisionNo, value: s[i+2 : j]}
			i = j
		default:
			return nil, "invalid character " + quoteByte(c)
		}
		toks = append(toks, t)
		prev = t.kind
	}
	return append(toks, apkToken{kind: apkEnd}), ""
}

// quoteByte quotes one byte for an error message.
func quoteByte(c byte) string {
	const hex = "0123456789abcdef"
	if c >= 0x20 && c < 0x7f && c != '\'' {
		return "'" + string(rune(c)) + "'"
	}
	return "byte 0x" + string([]byte{hex[c>>4], hex[c&0xf]})
}

// alpineVersion is a parsed apk version.
type alpineVersion struct {
	raw    string
	zero   bool // OSV's "0"
	tokens []apkToken
}

func (v *alpineVersion) String() string { return v.raw }

func (v *alpineVersion) Compare(other Version) int {
	o := peer[*alpineVersion]("Alpine", other)
	if c, ok := cmpZero(v.zero, o.zero); ok {
		return c
	}
	// Both token lists end with apkEnd, so the loop stops inside both.
	i := 0
	for ; v.tokens[i].kind == o.tokens[i].kind && v.tokens[i].kind != apkEnd; i++ {
		if c := apkTokenCmp(v.tokens[i], o.tokens[i]); c != 0 {
			return c
		}
	}
	ta, tb := v.tokens[i], o.tokens[i]
	switch {
	case ta.kind == tb.kind:
		return 0
	case ta.kind == apkSuffix && ta.suffix < apkSuffixNone:
		return -1
	case tb.kind == apkSuffix && tb.suffix < apkSuffixNone:
		return 1
	case ta.kind > tb.kind:
		return -1
	}
	return 1
}

// apkTokenCmp compares two tokens of the same kind (apk-tools' token_cmp).
func apkTokenCmp(a, b apkToken) int {
	switch a.kind {
	case apkDigit:
		if a.value[0] == '0' || b.value[0] == '0' {
			return strings.Compare(a.value, b.value)
		}
		return cmpDigits(a.value, b.value)
	case apkInitialDigit, apkSuffixNo, apkRevisionNo:
		return cmpDigits(a.value, b.value)
	case apkSuffix:
		return cmpInt(a.suffix, b.suffix)
	}
	// apkLetter, apkCommitHash.
	return strings.Compare(a.value, b.value)
}
