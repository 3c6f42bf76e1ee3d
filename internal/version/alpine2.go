package version

// apk2Ordering orders apk package versions as apk-tools 2 does (the apk of
// Alpine releases up to 3.22, of Wolfi and Chainguard, and of the other
// apk-based distributions): its src/version.c (branch 2.14-stable),
// apk_version_compare_blob.
//
// apk-tools 2 reads a version as Gentoo's
//
//	{digit}{.digit}...{letter}{_suffix{#}}...{-r#}
//
// but compares any string: tokens are read until the end or the first
// character the grammar does not allow there, and that point compares as
// an "invalid" token. Where the grammar of apk-tools 3 is stricter
// ([alpineOrdering]), apk-tools 2 goes on:
//
//   - a letter may be followed by digits, which form a new number token:
//     6.6.2p1 < 6.6.2p2 (OpenSSH's versions in older Alpine releases);
//   - a version may start with a '.' or a letter (".1", "a");
//   - after a '.', a number with leading zeros counts them first: each
//     zero beyond the first counts one below a number without them, so
//     1.05 < 1.5 and 1.005 < 1.05, then the number follows;
//   - suffix names match by prefix ("_pre" before "_p"), and a "-r"
//     revision may be repeated;
//   - "~" (apk-tools 3's commit hash) is not part of the grammar.
//
// Numbers of 18 digits or more are invalid tokens, as apk-tools 2 makes
// them; the only string Parse rejects is the empty one.
type apk2Ordering struct{}

func (apk2Ordering) Name() string { return "Alpine" }

func (apk2Ordering) Parse(s string) (Version, error) {
	if s == osvZero {
		return &apk2Version{raw: s, zero: true}, nil
	}
	if s == "" {
		return nil, invalid("Alpine", s, "empty version")
	}
	return &apk2Version{raw: s}, nil
}

// apk-tools 2 token types, in its order: the order matters for Compare.
const (
	apk2Invalid = iota - 1
	apk2DigitOrZero
	apk2Digit
	apk2Letter
	apk2Suffix
	apk2SuffixNo
	apk2RevisionNo
	apk2End
)

// apk2PreSuffixes sort before the end of the version; apk2PostSuffixes
// after it. Both are matched as prefixes, in this order.
var (
	apk2PreSuffixes  = [...]string{"alpha", "beta", "pre", "rc"}
	apk2PostSuffixes = [...]string{"cvs", "svn", "git", "hg", "p"}
)

// apk2Token reads the token of type *typ at the start of *s, returns its
// value and sets *typ to the type of the next token (get_token).
func apk2Token(typ *int, s *string) int64 {
	b := *s
	if len(b) == 0 {
		*typ = apk2End
		return 0
	}
	next := apk2Invalid
	var v int64
	i := 0
	switch *typ {
	case apk2DigitOrZero, apk2Digit, apk2SuffixNo, apk2RevisionNo:
		if *typ == apk2DigitOrZero && b[0] == '0' {
			// Leading zeros: the count beyond the first, negated.
			for i+1 < len(b) && b[i+1] == '0' {
				i++
			}
			next = apk2Digit
			v = -int64(i)
			break
		}
		for i < len(b) && isDigit(b[i]) {
			v = v*10 + int64(b[i]-'0')
			i++
		}
		if i >= 18 {
			*typ = apk2Invalid
			return -1
		}
	case apk2Letter:
		v = int64(b[0])
		i = 1
	case apk2Suffix:
		v, i = apk2SuffixValue(b)
		if i == 0 {
			*typ = apk2Invalid
			return -1
		}
	default:
		*typ = apk2Invalid
		return -1
	}
	b = b[i:]
	switch {
	case len(b) == 0:
		*typ = apk2End
	case next != apk2Invalid:
		*typ = next
	default:
		apk2Next(typ, &b)
	}
	*s = b
	return v
}

// apk2SuffixValue returns the value of the suffix b starts with (pre-release
// suffixes negative) and its length, or a length of 0.
func apk2SuffixValue(b string) (int64, int) {
	for j, name := range apk2PreSuffixes {
		if len(b) >= len(name) && b[:len(name)] == name {
			return int64(j - len(apk2PreSuffixes)), len(name)
		}
	}
	for j, name := range apk2PostSuffixes {
		if len(b) >= len(name) && b[:len(name)] == name {
			return int64(j), len(name)
		}
	}
	return 0, 0
}

// apk2Next decides the type of the token *s starts with after a token of
// type *typ, consuming its separator (next_token).
func apk2Next(typ *int, s *string) {
	b := *s
	n := apk2Invalid
	switch {
	case len(b) == 0 || b[0] == 0:
		n = apk2End
	case (*typ == apk2Digit || *typ == apk2DigitOrZero) && 'a' <= b[0] && b[0] <= 'z':
		n = apk2Letter
	case *typ == apk2Letter && isDigit(b[0]):
		n = apk2Digit
	case *typ == apk2Suffix && isDigit(b[0]):
		n = apk2SuffixNo
	default:
		switch b[0] {
		case '.':
			n = apk2DigitOrZero
		case '_':
			n = apk2Suffix
		case '-':
			if len(b) > 1 && b[1] == 'r' {
				n = apk2RevisionNo
				b = b[1:]
			}
		}
		b = b[1:]
	}
	if n < *typ && (n != apk2DigitOrZero || *typ != apk2Digit) &&
		(n != apk2Suffix || *typ != apk2SuffixNo) && (n != apk2Digit || *typ != apk2Letter) {
		n = apk2Invalid
	}
	*typ = n
	*s = b
}

// apk2Version is an apk version compared as apk-tools 2 does.
type apk2Version struct {
	raw  string
	zero bool // OSV's "0"
}

func (v *apk2Version) String() string { return v.raw }

func (v *apk2Version) Compare(other Version) int {
	o := peer[*apk2Version]("Alpine", other)
	if c, ok := cmpZero(v.zero, o.zero); ok {
		return c
	}
	return apk2Compare(v.raw, o.raw)
}

// apk2Compare is apk_version_compare_blob_fuzzy without fuzziness.
func apk2Compare(a, b string) int {
	at, bt := apk2Digit, apk2Digit
	var av, bv int64
	for at == bt && at != apk2End && at != apk2Invalid && av == bv {
		av = apk2Token(&at, &a)
		bv = apk2Token(&bt, &b)
	}
	switch {
	case av < bv:
		return -1
	case av > bv:
		return 1
	case at == bt:
		return 0
	}
	// The versions agree up to here; the one that goes on is newer unless
	// a pre-release suffix (or an unknown one) follows.
	if at == apk2Suffix {
		t, rest := at, a
		if apk2Token(&t, &rest) < 0 {
			return -1
		}
	}
	if bt == apk2Suffix {
		t, rest := bt, b
		if apk2Token(&t, &rest) < 0 {
			return 1
		}
	}
	switch {
	case at > bt:
		return -1
	case bt > at:
		return 1
	}
	return 0
}
