package version

import "strings"

// mavenOrdering orders Maven artifact versions as Apache Maven's
// org.apache.maven.artifact.versioning.ComparableVersion does in Maven 3.9
// (including the fixes for MNG-5568, MNG-6572, MNG-6964 and MNG-7644); it is
// a port of that class's parser and comparison, not of the later Maven 4
// rework.
//
// The version is lower-cased and split into items on '.', on '-' and on
// transitions between digits and letters; '-' and a digit-letter
// transition start a sub-list, and so does a string after '.' in a
// non-empty list (".X" is treated as "-X"). An empty item is 0. A single
// a, b or m directly followed by a digit means alpha, beta or milestone; ga,
// final and release mean "" and cr means rc. Then, in every list from the
// innermost out, trailing "null" items (0, "", empty lists) are dropped.
//
// Items compare as follows: numbers numerically; qualifiers in the order
// alpha < beta < milestone < rc < snapshot < "" < sp < any other string
// (the others in lexical order); a number is greater than a qualifier or a
// list; a list is greater than a qualifier; lists compare item by item,
// padding the shorter with nothing (so 1-rc < 1 < 1-sp, and 1.0 == 1). So
// 1.0-alpha-1 < 1.0-beta < 1.0-rc1 < 1.0-SNAPSHOT < 1.0 == 1.0.0 ==
// 1.0-ga == 1.0-final < 1.0-sp < 1.0.1.
//
// Like ComparableVersion, this order is not transitive on every input,
// because a qualifier and a sub-list compare by kind alone, whatever they
// hold: 0.9-ga-SNAPSHOT < 0.9 < 0.9-sp-SNAPSHOT < 0.9-ga-SNAPSHOT, and
// 0.9-alpha < 0.9 < 0.9.x-SNAPSHOT < 0.9-alpha. Versions made of numbers
// and at most one qualifier (-alpha-1, -rc1, .Final, -sp, ...), optionally
// followed by -SNAPSHOT when the qualifier is not a release alias, form a
// total order; the tests check that.
//
// ComparableVersion accepts any string; this ordering accepts any non-empty
// string of printable ASCII other than whitespace.
type mavenOrdering struct{}

func (mavenOrdering) Name() string { return "Maven" }

func (mavenOrdering) Parse(s string) (Version, error) {
	if s == osvZero {
		return &mavenVersion{raw: s, zero: true}, nil
	}
	if s == "" {
		return nil, invalid("Maven", s, "empty version")
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f {
			return nil, invalid("Maven", s, "invalid character "+quoteByte(c))
		}
	}
	return &mavenVersion{raw: s, items: parseMaven(s)}, nil
}

// mavenVersion is a parsed Maven version.
type mavenVersion struct {
	raw   string
	zero  bool // OSV's "0"
	items *mavenItem
}

func (v *mavenVersion) String() string { return v.raw }

func (v *mavenVersion) Compare(other Version) int {
	o := peer[*mavenVersion]("Maven", other)
	if c, ok := cmpZero(v.zero, o.zero); ok {
		return c
	}
	return v.items.compare(o.items)
}

// Maven item kinds. Numbers are split by size as ComparableVersion's
// IntItem, LongItem and BigIntegerItem are, because Maven compares them by
// kind first.
const (
	mavenInt = iota
	mavenLong
	mavenBig
	mavenString
	mavenList
)

// mavenItem is one item of a ComparableVersion.
type mavenItem struct {
	kind int
	num  string       // digits without leading zeros, for numbers ("" is 0)
	str  string       // the qualifier after aliasing, for strings
	list []*mavenItem // for lists
}

// isNull reports whether the item is one of the "null" values normalize
// drops: 0, "" or an empty list.
func (it *mavenItem) isNull() bool {
	switch it.kind {
	case mavenString:
		return it.str == ""
	case mavenList:
		return len(it.list) == 0
	}
	return it.num == ""
}

// mavenQualifiers are the known qualifiers in order; "" is the release.
var mavenQualifiers = [...]string{"alpha", "beta", "milestone", "rc", "snapshot", "", "sp"}

// mavenReleaseIndex is the comparable form of the release qualifier "".
const mavenReleaseIndex = "5"

// mavenComparableQualifier is ComparableVersion's comparableQualifier: the
// index of a known qualifier, or "7-" and the qualifier for the others, to
// be compared as strings.
func mavenComparableQualifier(q string) string {
	for i, k := range mavenQualifiers {
		if q == k {
			return string(rune('0' + i))
		}
	}
	return "7-" + q
}

// compare is Item.compareTo; other may be nil (a missing item).
func (it *mavenItem) compare(other *mavenItem) int {
	switch it.kind {
	case mavenInt, mavenLong, mavenBig:
		if other == nil {
			if it.num == "" {
				return 0
			}
			return 1
		}
		switch other.kind {
		case mavenInt, mavenLong, mavenBig:
			if c := cmpInt(it.kind, other.kind); c != 0 {
				return c
			}
			return cmpDigits(it.num, other.num)
		}
		return 1 // 1.1 > 1-sp, 1.1 > 1-1
	case mavenString:
		if other == nil {
			return sign(strings.Compare(mavenComparableQualifier(it.str), mavenReleaseIndex))
		}
		switch other.kind {
		case mavenString:
			return sign(strings.Compare(mavenComparableQualifier(it.str), mavenComparableQualifier(other.str)))
		}
		return -1 // 1.any < 1.1, 1.any < 1-1
	}
	// mavenList.
	if other == nil {
		for _, item := range it.list {
			if c := item.compare(nil); c != 0 {
				return c
			}
		}
		return 0
	}
	switch other.kind {
	case mavenInt, mavenLong, mavenBig:
		return -1 // 1-1 < 1.0.x
	case mavenString:
		return 1 // 1-1 > 1-sp
	}
	for i := 0; i < len(it.list) || i < len(other.list); i++ {
		var c int
		switch {
		case i >= len(it.list):
			c = -other.list[i].compare(nil)
		case i >= len(other.list):
			c = it.list[i].compare(nil)
		default:
			c = it.list[i].compare(other.list[i])
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// normalize drops trailing null items, looking past trailing lists.
func (it *mavenItem) normalize() {
	for i := len(it.list) - 1; i >= 0; i-- {
		last := it.list[i]
		if last.isNull() {
			it.list = append(it.list[:i], it.list[i+1:]...)
		} else if last.kind != mavenList {
			break
		}
	}
}

// newMavenNumber is ComparableVersion.parseItem for digits.
func newMavenNumber(digits string) *mavenItem {
	// stripLeadingZeroes keeps an all-zero string as it is, so its length
	// (and with it the item kind) is that of the original.
	stripped := strings.TrimLeft(digits, "0")
	size := len(stripped)
	if stripped == "" {
		size = len(digits)
	}
	kind := mavenBig
	switch {
	case size <= 9:
		kind = mavenInt
	case size <= 18:
		kind = mavenLong
	}
	return &mavenItem{kind: kind, num: stripped}
}

// newMavenString is the StringItem constructor.
func newMavenString(s string, followedByDigit bool) *mavenItem {
	if followedByDigit && len(s) == 1 {
		switch s {
		case "a":
			s = "alpha"
		case "b":
			s = "beta"
		case "m":
			s = "milestone"
		}
	}
	switch s {
	case "ga", "final", "release":
		s = ""
	case "cr":
		s = "rc"
	}
	return &mavenItem{kind: mavenString, str: s}
}

// parseMavenItem is ComparableVersion.parseItem.
func parseMavenItem(isDigit bool, buf string) *mavenItem {
	if isDigit {
		return newMavenNumber(buf)
	}
	return newMavenString(buf, false)
}

// parseMaven is ComparableVersion.parseVersion.
func parseMaven(version string) *mavenItem {
	version = strings.ToLower(version)
	items := &mavenItem{kind: mavenList}
	list := items
	stack := []*mavenItem{list}
	push := func() {
		sub := &mavenItem{kind: mavenList}
		list.list = append(list.list, sub)
		list = sub
		stack = append(stack, sub)
	}
	zero := func() *mavenItem { return &mavenItem{kind: mavenInt} }
	digit := false
	start := 0
	for i := 0; i < len(version); i++ {
		c := version[i]
		switch {
		case c == '.':
			if i == start {
				list.list = append(list.list, zero())
			} else {
				list.list = append(list.list, parseMavenItem(digit, version[start:i]))
			}
			start = i + 1
		case c == '-':
			if i == start {
				list.list = append(list.list, zero())
			} else {
				list.list = append(list.list, parseMavenItem(digit, version[start:i]))
			}
			start = i + 1
			push()
		case isDigit(c):
			if !digit && i > start {
				// 1.0.0.X1 < 1.0.0-X2: treat .X as -X for any string X.
				if len(list.list) > 0 {
					push()
				}
				list.list = append(list.list, newMavenString(version[start:i], true))
				start = i
				push()
			}
			digit = true
		default:
			if digit && i > start {
				list.list = append(list.list, parseMavenItem(true, version[start:i]))
				start = i
				push()
			}
			digit = false
		}
	}
	if len(version) > start {
		if !digit && len(list.list) > 0 {
			push()
		}
		list.list = append(list.list, parseMavenItem(digit, version[start:]))
	}
	for i := len(stack) - 1; i >= 0; i-- {
		stack[i].normalize()
	}
	return items
}
