package secrets

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"regexp/syntax"
	"strings"

	"github.com/shipshape-dev/shipshape/result"
)

// Rule describes one kind of secret. Rules are plain values: users write
// their own in Go or load them from a gitleaks TOML file (see LoadConfig),
// and New compiles and checks them once.
type Rule struct {
	// ID names the rule in findings ("github-pat"). Unique within a scanner.
	ID string
	// Description says what the secret is ("GitHub personal access token").
	Description string
	// Severity of a finding; unknown means high.
	Severity result.Severity
	// Keywords are case-insensitive strings of which one appears in or near
	// every match (a token prefix, a variable-name fragment). The regular
	// expression runs only on windows around keyword occurrences. A rule
	// without keywords runs on whole files, which is much slower.
	Keywords []string
	// Regex is an RE2 expression (Go regexp syntax). The secret is the
	// first group whose name starts with "secret" that matched (one per
	// alternative: secret_dq, secret_bare, …), else group SecretGroup,
	// else the first group that matched, else the whole match.
	Regex string
	// SecretGroup selects the capture group holding the secret (see Regex).
	SecretGroup int
	// Path, when set, is a regular expression over the slash-separated file
	// path: the rule applies only to matching files. A rule with a Path and
	// no Regex reports the file itself (a .pem or id_rsa file, say).
	Path string
	// Entropy is the minimum Shannon entropy (bits per byte) of the
	// secret; 0 disables the check.
	Entropy float64
	// MaxLength bounds how far a match extends from its keyword, in bytes
	// (the window the expression sees on either side of a keyword hit).
	// 0 means DefaultMaxLength; a private-key rule needs several kilobytes.
	MaxLength int
	// Lines, when set, says the match lies on the keyword's line and at
	// most Lines-1 lines after it: the expression then sees only those
	// lines (each still bounded by MaxLength), which is much cheaper than
	// MaxLength bytes on either side.
	Lines int
	// Validate, when set, checks the secret's structure (a checksum, a
	// decodable payload, a parsable key) and rejects look-alikes.
	Validate func(secret string) bool
	// Allowlists drop this rule's matches; see Allowlist.
	Allowlists []Allowlist
	// Generic marks a catch-all rule (an assignment to a variable named
	// like a password): where a specific rule finds the same secret, only
	// the specific finding is kept. A generic rule judges a value by its
	// look alone, so a value made of sequential runs (xoxp-1234567890,
	// abcdefghijklmn) is taken for a made-up one too, unless
	// KeepPlaceholders.
	Generic bool
	// KeepPlaceholders turns off the placeholder and example filter for
	// this rule (see IsPlaceholder); rules for fixed-format tokens whose
	// alphabet cannot hold such words may set it to save the check.
	KeepPlaceholders bool
	// Confidence is the confidence of the rule's findings: when empty,
	// ConfidenceHeuristic for a Generic rule and ConfidenceStructural for
	// the others. The built-in rules whose validator proves a secret (a
	// checksum, a key that parses) report ConfidenceValidated for the
	// secrets it proved.
	Confidence Confidence

	// check, set by built-in rules, looks at a match in context (the
	// variable name, the file type, the quoting).
	check func(c *candidate) bool
	// anchor, set by built-in rules, says where a match around a keyword
	// at kw must begin: the expression then runs once, anchored there,
	// instead of at every position of a window.
	anchor func(data []byte, kw int) int
	// needs, set by built-in rules, lists strings (lower case) of which a
	// window must contain one for the expression to have a chance: a
	// byte search that spares the regular expression most windows.
	needs []string
	// wordKeywords, set by built-in rules whose keywords are service
	// names, counts an alphabetic keyword only where a word begins (after
	// a byte that is not a letter, or at a camelCase boundary): "okta" in
	// OKTA_TOKEN and myOktaKey, not in rookTable.
	wordKeywords bool
	// find, set by built-in rules, replaces the expression's search of a
	// window [lo, hi) of data: it returns submatch index slices of the
	// expression's layout, relative to lo, for values a regular expression
	// cannot delimit (the entries of a YAML mapping, say).
	find func(data []byte, lo, hi int) [][]int
	// container, set by built-in rules, marks a rule whose secret is the
	// value of a container of secrets (a Kubernetes Secret's data): a
	// specific rule's finding decoded from the value replaces it.
	container bool
	// proves, set by built-in rules, says Validate passing proves the
	// secret (ConfidenceValidated); proof, set by others, is the check
	// that does (a checksum that only some forms of the token carry, a
	// key that parses where Validate accepts a well-formed block).
	proves bool
	proof  func(secret string) bool
	// hooksFor is the expression check, anchor, needs and find were
	// written for: a caller who changes Regex gets the new expression
	// without them.
	hooksFor string
}

// Confidence says how sure a finding is to be a credential.
type Confidence string

// The confidences, from the weakest.
const (
	// ConfidenceHeuristic is a generic assignment judged by the name it
	// is assigned to and by the value (entropy, charset, placeholders).
	ConfidenceHeuristic Confidence = "heuristic"
	// ConfidenceStructural is a value in the credential's own format (a
	// fixed prefix, alphabet and length; a well-formed key block) that
	// nothing proved further.
	ConfidenceStructural Confidence = "structural"
	// ConfidenceValidated is a value a checksum or its structure proved:
	// a GitHub token's CRC32, a JWT that decodes, a private key that
	// parses.
	ConfidenceValidated Confidence = "validated"
)

// Rank orders confidences: heuristic 1, structural 2, validated 3, and
// 0 for anything else.
func (c Confidence) Rank() int {
	switch c {
	case ConfidenceHeuristic:
		return 1
	case ConfidenceStructural:
		return 2
	case ConfidenceValidated:
		return 3
	}
	return 0
}

// ParseConfidence checks a confidence name.
func ParseConfidence(s string) (Confidence, error) {
	if c := Confidence(s); c.Rank() > 0 {
		return c, nil
	}
	return "", fmt.Errorf("%w: confidence %q (want heuristic, structural or validated)", result.ErrInvalidOption, s)
}

// confidence is the confidence of a finding of r with this secret.
func (r *Rule) confidence(secret string) Confidence {
	switch {
	case r.proves, r.proof != nil && r.proof(secret):
		return ConfidenceValidated
	case r.Confidence != "":
		return r.Confidence
	case r.Generic:
		return ConfidenceHeuristic
	}
	return ConfidenceStructural
}

// candidate is a match as a check sees it.
type candidate struct {
	file   string
	key    string // the group named key… that matched, if any
	secret string
	group  string // the name of the group that holds the secret, if any
	quoted bool   // the secret sat between quotes
	// claim, set by a check that rejects the match, keeps generic rules
	// from reporting the value (see match.claim).
	claim bool
}

// DefaultMaxLength is the window extent of a rule that sets no MaxLength.
const DefaultMaxLength = 512

// maxMaxLength bounds Rule.MaxLength: it sets the overlap kept between the
// chunks of a stream.
const maxMaxLength = 64 << 10

// Condition combines the criteria of an Allowlist.
type Condition string

// Allowlist conditions.
const (
	// AnyCriterion drops a match when any criterion holds (the default).
	AnyCriterion Condition = "OR"
	// AllCriteria drops a match only when every criterion that is set holds.
	AllCriteria Condition = "AND"
)

// RegexTarget says what an Allowlist's Regexes are matched against.
type RegexTarget string

// Allowlist regex targets.
const (
	TargetSecret RegexTarget = "secret" // the secret (the default)
	TargetMatch  RegexTarget = "match"  // the whole match of the rule
	TargetLine   RegexTarget = "line"   // the line(s) the match is on
)

// Allowlist drops matches that are known not to be secrets. Each criterion
// set is one test; Condition says whether one or all must hold.
type Allowlist struct {
	Description string
	Condition   Condition
	// Paths are regular expressions over the slash-separated file path.
	Paths []string
	// Regexes are matched against RegexTarget (the secret by default).
	Regexes     []string
	RegexTarget RegexTarget
	// StopWords drop a secret that contains one of them (case-insensitive).
	StopWords []string
	// Rules limits a global allowlist to these rule ids; empty means all.
	// Ignored in a rule's own allowlists.
	Rules []string
}

// compiledRule is a Rule ready to run.
type compiledRule struct {
	Rule
	idx       int
	re        *regexp.Regexp
	path      *regexp.Regexp
	group     int   // -1: first group that matched
	secrets   []int // groups named secret…, tried in order
	keys      []int // groups named key…
	maxLen    int
	allow     []*compiledAllowlist
	keywords  []string // lower-cased
	wholeFile bool     // no keywords: the expression runs on whole chunks
	anchored  *regexp.Regexp
	// lits are case-sensitive literals of which every match of re holds
	// one (from its leading literal); a window without any is skipped.
	lits [][]byte
	// pathScoped says whether the rule applies to some paths only: it
	// has a Path or a path-only allowlist (see fileScan.on).
	pathScoped bool
}

type compiledAllowlist struct {
	and       bool
	paths     []*regexp.Regexp
	regexes   []*regexp.Regexp
	target    RegexTarget
	stopWords []string
	rules     map[string]bool
}

func compileRule(r Rule, idx int) (*compiledRule, error) {
	if r.Regex != r.hooksFor {
		r.check, r.anchor, r.needs, r.find, r.container = nil, nil, nil, nil, false
	}
	c := &compiledRule{Rule: r, idx: idx, group: -1}
	if strings.TrimSpace(r.ID) == "" {
		return nil, fmt.Errorf("%w: rule %d has no id", ErrInvalidRule, idx+1)
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%w: rule %q: %s", ErrInvalidRule, r.ID, fmt.Sprintf(format, args...))
	}
	if r.Regex == "" && r.Path == "" {
		return nil, fail("neither regex nor path")
	}
	if r.Regex != "" {
		re, err := regexp.Compile(r.Regex)
		if err != nil {
			return nil, fail("regex: %v", err)
		}
		c.re = re
		for i, name := range re.SubexpNames() {
			switch {
			case strings.HasPrefix(name, "secret"):
				c.secrets = append(c.secrets, i)
			case strings.HasPrefix(name, "key"):
				c.keys = append(c.keys, i)
			}
		}
		switch {
		case len(c.secrets) > 0:
		case r.SecretGroup > 0:
			if r.SecretGroup > re.NumSubexp() {
				return nil, fail("secret group %d, but the regex has %d groups", r.SecretGroup, re.NumSubexp())
			}
			c.group = r.SecretGroup
		case r.SecretGroup < 0:
			return nil, fail("negative secret group %d", r.SecretGroup)
		case re.NumSubexp() == 0:
			c.group = 0
		}
	}
	if r.anchor != nil && c.re != nil {
		c.anchored = regexp.MustCompile(`\A(?:` + r.Regex + `)`) // compiles: r.Regex did
	}
	if r.Path != "" {
		re, err := regexp.Compile(r.Path)
		if err != nil {
			return nil, fail("path: %v", err)
		}
		c.path = re
	}
	if r.Lines < 0 || r.Lines > 100 {
		return nil, fail("lines %d outside 0–100", r.Lines)
	}
	if r.Entropy < 0 || r.Entropy > 8 || math.IsNaN(r.Entropy) {
		return nil, fail("entropy %v outside 0–8 bits per byte", r.Entropy)
	}
	switch {
	case r.MaxLength < 0 || r.MaxLength > maxMaxLength:
		return nil, fail("max length %d outside 0–%d", r.MaxLength, maxMaxLength)
	case r.MaxLength == 0:
		c.maxLen = DefaultMaxLength
	default:
		c.maxLen = r.MaxLength
	}
	for _, k := range r.Keywords {
		k = strings.ToLower(strings.TrimSpace(k))
		if k == "" {
			return nil, fail("empty keyword")
		}
		c.keywords = append(c.keywords, k)
	}
	c.wholeFile = len(c.keywords) == 0 && c.re != nil
	if c.re != nil {
		c.lits = leadingLiterals(r.Regex)
	}
	for i, a := range r.Allowlists {
		ca, err := compileAllowlist(a)
		if err != nil {
			return nil, fail("allowlist %d: %v", i+1, err)
		}
		c.allow = append(c.allow, ca)
		c.pathScoped = c.pathScoped || ca.pathOnly()
	}
	c.pathScoped = c.pathScoped || c.path != nil
	if c.Severity == result.SeverityUnknown {
		c.Severity = result.SeverityHigh
	}
	return c, nil
}

func compileAllowlist(a Allowlist) (*compiledAllowlist, error) {
	c := &compiledAllowlist{target: a.RegexTarget}
	switch a.Condition {
	case "", AnyCriterion:
	case AllCriteria:
		c.and = true
	default:
		return nil, fmt.Errorf("condition %q, want %q or %q", a.Condition, AnyCriterion, AllCriteria)
	}
	switch a.RegexTarget {
	case "":
		c.target = TargetSecret
	case TargetSecret, TargetMatch, TargetLine:
	default:
		return nil, fmt.Errorf("regex target %q, want secret, match or line", a.RegexTarget)
	}
	for _, p := range a.Paths {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("path %q: %v", p, err)
		}
		c.paths = append(c.paths, re)
	}
	for _, p := range a.Regexes {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("regex %q: %v", p, err)
		}
		c.regexes = append(c.regexes, re)
	}
	for _, w := range a.StopWords {
		if w = strings.ToLower(w); w != "" {
			c.stopWords = append(c.stopWords, w)
		}
	}
	if len(a.Rules) > 0 {
		c.rules = map[string]bool{}
		for _, r := range a.Rules {
			c.rules[r] = true
		}
	}
	if len(c.paths)+len(c.regexes)+len(c.stopWords) == 0 {
		return nil, fmt.Errorf("no paths, regexes or stop words")
	}
	return c, nil
}

// pathOnly reports whether the allowlist tests nothing but paths, so that
// a match on the path alone decides it before the file is read.
func (a *compiledAllowlist) pathOnly() bool {
	return len(a.paths) > 0 && len(a.regexes) == 0 && len(a.stopWords) == 0
}

// allows reports whether the allowlist drops a match. line and match are
// read only when a regex targets them.
func (a *compiledAllowlist) allows(path, secret string, match, line func() string) bool {
	type test struct {
		set bool
		ok  func() bool
	}
	tests := []test{
		{len(a.paths) > 0, func() bool { return anyMatch(a.paths, path) }},
		{len(a.regexes) > 0, func() bool {
			switch a.target {
			case TargetMatch:
				return anyMatch(a.regexes, match())
			case TargetLine:
				return anyMatch(a.regexes, line())
			}
			return anyMatch(a.regexes, secret)
		}},
		{len(a.stopWords) > 0, func() bool {
			low := strings.ToLower(secret)
			for _, w := range a.stopWords {
				if strings.Contains(low, w) {
					return true
				}
			}
			return false
		}},
	}
	for _, t := range tests {
		if !t.set {
			continue
		}
		ok := t.ok()
		if a.and && !ok {
			return false
		}
		if !a.and && ok {
			return true
		}
	}
	return a.and
}

func anyMatch(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// leadingLiterals returns the case-sensitive literals one of which begins
// every match of expr, after empty-width assertions and group openings
// ("EAA" for \b(EAA[A-Za-z0-9]{100,400})\b), or nil when there is no
// such set.
func leadingLiterals(expr string) [][]byte {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	return literalsOf(re.Simplify())
}

func literalsOf(re *syntax.Regexp) [][]byte {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 || len(re.Rune) == 0 {
			return nil
		}
		return [][]byte{[]byte(string(re.Rune))}
	case syntax.OpCapture:
		return literalsOf(re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			switch sub.Op {
			case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
				syntax.OpWordBoundary, syntax.OpNoWordBoundary:
				continue
			}
			return literalsOf(sub)
		}
	case syntax.OpAlternate:
		var out [][]byte
		for _, sub := range re.Sub {
			l := literalsOf(sub)
			if l == nil {
				return nil
			}
			out = append(out, l...)
		}
		return out
	}
	return nil
}

// containsAny reports whether b contains one of lits.
func containsAny(b []byte, lits [][]byte) bool {
	for _, l := range lits {
		if bytes.Contains(b, l) {
			return true
		}
	}
	return false
}
