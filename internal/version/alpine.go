package version

import "strings"

// alpineOrdering orders apk package versions as apk-tools 3 does (the apk
// of Alpine 3.23 and later).
//
// It follows the token based comparison of apk-tools' src/version.c
// (apk-tools 3.x). A valid version is
//
//	digit{.digit}...{letter}{_suffix{number}}...{~hash}{-rN}
//
// where the letter is one lowercase ASCII letter, the suffixes are
// _alpha < _beta < _pre < _rc < (no suffix) < _cvs < _svn < _git < _hg < _p,
// each with an optional number, the hash is lowercase hexadecimal and N is
// the package revision.
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
// 1.2.3_p1 and 2.0-r0 < 2.0-r1.
//
// Like apk-tools, it compares strings the grammar rejects too: tokens are
// read up to the first character the grammar does not allow there, which
// compares as an "invalid" token that sorts after the end (so the version
// is older than one that stops there), and two versions that turn invalid
// at the same token are equal from there on: 1.0bc < 1.0, and 0.1a1 equals
// 0.1a2. Only the empty string is rejected. Numbers of any length compare
// exactly, where apk-tools would wrap around beyond 64 bits.
type alpineOrdering struct{}

func (alpineOrdering) Name() string { return "Alpine" }

func (alpineOrdering) Parse(s string) (Version, error) {
	if s == osvZero {
		return &alpineVersion{raw: s, zero: true}, nil
	}
	if s == "" {
		return nil, invalid("Alpine", s, "empty version")
	}
	return &alpineVersion{raw: s, tokens: apkTokens(s)}, nil
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
	apkInvalid
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

// apkTokens splits a version into tokens (token_first, token_next). The
// list ends with an apkEnd token, or with an apkInvalid token at the first
// character the grammar does not allow.
func apkTokens(s string) []apkToken {
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	if n == 0 {
		return []apkToken{{kind: apkInvalid}}
	}
	toks := []apkToken{{kind: apkInitialDigit, value: s[:n]}}
	prev := apkInitialDigit
	for i := n; i < len(s); {
		c := s[i]
		var t apkToken
		switch {
		case 'a' <= c && c <= 'z':
			if prev > apkDigit {
				return append(toks, apkToken{kind: apkInvalid})
			}
			t = apkToken{kind: apkLetter, value: s[i : i+1]}
			i++
		case c == '.' || isDigit(c):
			if c == '.' {
				if prev > apkDigit {
					return append(toks, apkToken{kind: apkInvalid})
				}
				i++
			}
			switch prev {
			case apkInitialDigit, apkDigit:
				t.kind = apkDigit
			case apkSuffix:
				t.kind = apkSuffixNo
			default:
				return append(toks, apkToken{kind: apkInvalid})
			}
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			if j == i {
				return append(toks, apkToken{kind: apkInvalid})
			}
			t.value = s[i:j]
			i = j
		case c == '_':
			if prev > apkSuffixNo {
				return append(toks, apkToken{kind: apkInvalid})
			}
			j := i + 1
			for j < len(s) && 'a' <= s[j] && s[j] <= 'z' {
				j++
			}
			name := s[i+1 : j]
			t = apkToken{kind: apkSuffix, suffix: apkSuffixValue(name), value: name}
			if t.suffix == 0 {
				return append(toks, apkToken{kind: apkInvalid})
			}
			i = j
		case c == '~':
			if prev >= apkCommitHash {
				return append(toks, apkToken{kind: apkInvalid})
			}
			j := i + 1
			for j < len(s) && (isDigit(s[j]) || 'a' <= s[j] && s[j] <= 'f') {
				j++
			}
			if j == i+1 {
				return append(toks, apkToken{kind: apkInvalid})
			}
			t = apkToken{kind: apkCommitHash, value: s[i+1 : j]}
			i = j
		case c == '-':
			if prev >= apkRevisionNo || !strings.HasPrefix(s[i:], "-r") {
				return append(toks, apkToken{kind: apkInvalid})
			}
			j := i + 2
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			if j == i+2 {
				return append(toks, apkToken{kind: apkInvalid})
			}
			t = apkToken{kind: apkRevisionNo, value: s[i+2 : j]}
			i = j
		default:
			return append(toks, apkToken{kind: apkInvalid})
		}
		toks = append(toks, t)
		prev = t.kind
	}
	return append(toks, apkToken{kind: apkEnd})
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
	// Both token lists end with apkEnd or apkInvalid, so the loop stops
	// inside both.
	i := 0
	for ; v.tokens[i].kind == o.tokens[i].kind && v.tokens[i].kind < apkEnd; i++ {
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
