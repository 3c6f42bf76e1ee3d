package secrets

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Scanner finds secrets with a fixed set of rules. Build it once with New;
// it is safe for concurrent use.
type Scanner struct {
	rules    []*compiledRule
	dfa      *keywordDFA
	kwRules  [][]int32 // keyword index → rules
	kwWord   []bool    // keyword index → all letters (see Rule.wordKeywords)
	whole    []*compiledRule
	pathOnly []*compiledRule
	allow    []*compiledAllowlist
	// skipPaths are the global allowlists that test only paths: a file
	// they match is not read at all.
	skipPaths []*compiledAllowlist
	overlap   int
	baseline  map[string]bool
	reveal    bool
	maxFile   int64
	gitignore bool
	binary    bool
	sysDocs   bool
	decode    int
	// cacheKey names the configuration in layer-cache keys (cacheKey).
	cacheKey string
	// bufs lends scanStream its chunk buffers (*[]byte).
	bufs sync.Pool
	b64  [256]uint8 // see base64Table
}

// New builds a scanner from the built-in rules (DefaultRules) and the
// options. Rules and allowlists are compiled here: a bad one is an error
// wrapping ErrInvalidRule that names it.
func New(opts ...Option) (*Scanner, error) {
	o := &options{}
	for _, opt := range opts {
		if err := opt(o); err != nil {
			return nil, err
		}
	}
	defaults := DefaultRules()
	rules := o.rules
	if !o.rulesSet {
		rules = defaults
	}
	// Configuration rules merge into rules of the same id; additional
	// rules with the same id replace earlier ones, in place.
	pos := map[string]int{}
	var all []Rule
	for _, r := range append(mergeRules(rules, o.merge), o.extra...) {
		if i, ok := pos[r.ID]; ok {
			all[i] = r
			continue
		}
		pos[r.ID] = len(all)
		all = append(all, r)
	}
	s := &Scanner{baseline: o.baseline, reveal: o.reveal, maxFile: o.maxFileBytes,
		gitignore: o.gitignore, binary: o.binary, sysDocs: o.sysDocs, decode: 2, b64: base64Table()}
	s.bufs.New = func() any { return new([]byte) }
	if s.maxFile == 0 {
		s.maxFile = DefaultMaxFileBytes
	}
	if o.decodeDepthOK {
		s.decode = o.decodeDepth
	}
	kwIndex := map[string]int32{}
	var keywords []string
	maxLen := 0
	for _, r := range all {
		if slices.Contains(o.disabled, r.ID) {
			continue
		}
		c, err := compileRule(r, len(s.rules))
		if err != nil {
			return nil, err
		}
		s.rules = append(s.rules, c)
		maxLen = max(maxLen, c.maxLen)
		switch {
		case c.re == nil:
			s.pathOnly = append(s.pathOnly, c)
		case c.wholeFile:
			s.whole = append(s.whole, c)
		}
		for _, k := range c.keywords {
			ki, ok := kwIndex[k]
			if !ok {
				ki = int32(len(keywords))
				kwIndex[k] = ki
				keywords = append(keywords, k)
				s.kwRules = append(s.kwRules, nil)
				s.kwWord = append(s.kwWord, allLetters(k))
			}
			if !slices.Contains(s.kwRules[ki], int32(c.idx)) {
				s.kwRules[ki] = append(s.kwRules[ki], int32(c.idx))
			}
		}
	}
	if len(keywords) > 0 {
		s.dfa = newKeywordDFA(keywords)
	}
	longest := 0
	for _, k := range keywords {
		longest = max(longest, len(k))
	}
	s.overlap = 2*maxLen + longest + 64
	for i, a := range o.allowlists {
		ca, err := compileAllowlist(a)
		if err != nil {
			return nil, fmt.Errorf("%w: global allowlist %d: %v", ErrInvalidRule, i+1, err)
		}
		if ca.pathOnly() && ca.rules == nil {
			s.skipPaths = append(s.skipPaths, ca)
			continue
		}
		s.allow = append(s.allow, ca)
	}
	s.cacheKey = cacheKey(s, o.allowlists, defaults)
	return s, nil
}

// Rules returns the ids of the rules the scanner runs.
func (s *Scanner) Rules() []string {
	ids := make([]string, len(s.rules))
	for i, r := range s.rules {
		ids[i] = r.ID
	}
	return ids
}

// match is one rule match inside a buffer, before it becomes a Finding.
type match struct {
	rule       *compiledRule
	start, end int // of the whole match, in the buffer
	// sstart and send are the secret's place: where findings point.
	sstart, send int
	secret       string
	decoded      string
	// claim marks a specific rule's match that its checks rejected (a
	// look-alike of its format): no finding, but generic rules do not
	// report that value either.
	claim bool
}

// fileScan is the per-file state of a scan: which rules apply to the path.
type fileScan struct {
	s    *Scanner
	path string
	// state caches, by rule index, whether a path-scoped rule applies to
	// the file (ruleOn or ruleOff; 0 not asked yet): most files meet few
	// rules, so their path expressions run only when asked.
	state []uint8
	// keepClear leaves secrets unredacted in findings, for callers that
	// redact later (the image visitor).
	keepClear bool
}

const (
	ruleOn = iota + 1
	ruleOff
)

// skipFile reports whether a global path allowlist excludes the file.
func (s *Scanner) skipFile(path string) bool {
	for _, a := range s.skipPaths {
		if anyMatch(a.paths, path) {
			return true
		}
	}
	return false
}

func (s *Scanner) newFileScan(path string) *fileScan {
	return &fileScan{s: s, path: path}
}

// on reports whether rule r applies to the file: its Path, if any,
// matches, and none of its path-only allowlists does.
func (f *fileScan) on(r *compiledRule) bool {
	if !r.pathScoped {
		return true
	}
	if f.state == nil {
		f.state = make([]uint8, len(f.s.rules))
	}
	switch f.state[r.idx] {
	case ruleOn:
		return true
	case ruleOff:
		return false
	}
	off := r.path != nil && !r.path.MatchString(f.path)
	if !off {
		for _, a := range r.allow {
			if a.pathOnly() && anyMatch(a.paths, f.path) {
				off = true
				break
			}
		}
	}
	f.state[r.idx] = ruleOn
	if off {
		f.state[r.idx] = ruleOff
	}
	return !off
}

// window is a stretch of a buffer a rule's expression runs on.
type window struct {
	lo, hi int
	// anchored: lo is where the match must begin, not a cut.
	anchored bool
}

// scan finds the matches of every rule in data whose start lies in
// [from, to). Matches are returned sorted by start.
func (f *fileScan) scan(data []byte, from, to int, depth int) []match {
	s := f.s
	var out []match
	if s.dfa != nil {
		pending := make(map[int32]window)
		var order []int32 // rules in the order their first window opened
		// Anchored rules, like FindAll, do not start a match inside the
		// previous one (a keyword inside a value is not a name).
		matchedTo := map[int32]int{}
		// Each rule's windows open in increasing order: its own memo of
		// where the line breaks are keeps a keyword met at every byte of a
		// long line from searching the rule's whole extent at every hit.
		brk := map[int32]*breaks{}
		ruleBreaks := func(ri int32) *breaks {
			b := brk[ri]
			if b == nil {
				b = newBreaks(data)
				brk[ri] = b
			}
			return b
		}
		s.dfa.scan(data, func(start int, kw int32) {
			end := start + s.dfaLen(kw)
			for _, ri := range s.kwRules[kw] {
				r := s.rules[ri]
				if !f.on(r) || (r.wordKeywords && s.kwWord[kw] && !wordStart(data, start)) {
					continue
				}
				if r.anchored != nil {
					// One attempt, from where the match must begin.
					pos := r.anchor(data, start)
					if until, ok := matchedTo[ri]; ok && pos < until {
						continue // inside the last match, or the same name again
					}
					w := lineWindow(ruleBreaks(ri), pos, end, max(r.Lines, 1), r.maxLen)
					w.lo, w.anchored = pos, true
					var n int
					out, n = f.runAnchored(out, r, data, w, from, to)
					matchedTo[ri] = max(pos+1, n)
					continue
				}
				var w window
				if r.Lines > 0 {
					w = lineWindow(ruleBreaks(ri), start, end, r.Lines, r.maxLen)
				} else {
					w = windowAround(ruleBreaks(ri), start, end, r.maxLen)
				}
				p, ok := pending[ri]
				switch {
				case !ok:
					order = append(order, ri)
					pending[ri] = w
				case w.lo <= p.hi:
					pending[ri] = window{lo: p.lo, hi: max(p.hi, w.hi)}
				default:
					out = f.run(out, r, data, p, from, to)
					pending[ri] = w
				}
			}
		})
		for _, ri := range order {
			out = f.run(out, s.rules[ri], data, pending[ri], from, to)
		}
	}
	for _, r := range s.whole {
		if f.on(r) {
			out = f.run(out, r, data, window{lo: 0, hi: len(data)}, from, to)
		}
	}
	if depth < s.decode {
		out = append(out, f.decoded(data, from, to, depth)...)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].sstart != out[j].sstart {
			return out[i].sstart < out[j].sstart
		}
		return out[i].rule.idx < out[j].rule.idx
	})
	return dropGeneric(out)
}

func (s *Scanner) dfaLen(kw int32) int { return s.dfa.lens[kw] }

// allLetters reports a keyword made of ASCII letters only.
func allLetters(k string) bool {
	for i := 0; i < len(k); i++ {
		if c := k[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return k != ""
}

// wordStart reports whether a word begins at data[i]: the byte before is
// not a letter, or it is a lower-case letter and data[i] an upper-case one
// (myOktaKey).
func wordStart(data []byte, i int) bool {
	if i == 0 {
		return true
	}
	p := data[i-1]
	switch {
	case 'a' <= p && p <= 'z':
		return 'A' <= data[i] && data[i] <= 'Z'
	case 'A' <= p && p <= 'Z':
		return false
	}
	return true
}

// windowAround is the stretch around a keyword at [start, end) that a
// rule with extent maxLen needs: up to maxLen bytes on either side, cut
// back to whole lines where the stretch holds a line break.
func windowAround(b *breaks, start, end, maxLen int) window {
	lo := max(0, start-maxLen)
	if lo > 0 {
		if i := b.first(lo, start); i >= 0 {
			lo = i + 1
		}
	}
	hi := min(len(b.data), end+maxLen)
	if hi < len(b.data) {
		if i := b.last(end, hi); i >= 0 {
			hi = i
		}
	}
	return window{lo: lo, hi: hi}
}

// lineWindow is the keyword's line and the n-1 lines after it, each side
// bounded by maxLen bytes from the keyword.
func lineWindow(b *breaks, start, end, n, maxLen int) window {
	lo := max(0, start-maxLen)
	if i := b.last(lo, start); i >= 0 {
		lo = i + 1
	}
	limit := min(len(b.data), end+maxLen)
	hi := end
	for ; n > 0 && hi < limit; n-- {
		i := b.first(hi, limit)
		if i < 0 {
			hi = limit
			break
		}
		hi = i
		if n > 1 {
			hi++ // past the line break, into the next line
		}
	}
	return window{lo: lo, hi: min(hi, limit)}
}

// breaks finds the line breaks of one buffer for the windows of one rule,
// whose queries mostly move forward: each answer resumes where the last
// stopped, so every byte is searched about once for the whole buffer
// rather than once per keyword hit. Out-of-order queries are answered
// directly.
type breaks struct {
	data []byte
	// No '\n' is in [firstFrom, firstAt); data[firstAt] is one when
	// firstFound.
	firstFrom, firstAt int
	firstFound         bool
	// The last '\n' in [lastFrom, lastTo) is at lastAt (-1: none).
	lastFrom, lastTo, lastAt int
}

func newBreaks(data []byte) *breaks { return &breaks{data: data, lastAt: -1} }

// first returns the first '\n' in [lo, hi), or -1.
func (b *breaks) first(lo, hi int) int {
	if lo < b.firstFrom || lo > b.firstAt || (b.firstFound && lo > b.firstAt) {
		b.firstFrom, b.firstAt, b.firstFound = lo, lo, false
	}
	if !b.firstFound && b.firstAt < hi {
		if i := bytes.IndexByte(b.data[b.firstAt:hi], '\n'); i >= 0 {
			b.firstAt, b.firstFound = b.firstAt+i, true
		} else {
			b.firstAt = hi
		}
	}
	if b.firstFound && b.firstAt < hi {
		return b.firstAt
	}
	return -1
}

// last returns the last '\n' in [lo, hi), or -1.
func (b *breaks) last(lo, hi int) int {
	if hi < b.lastTo || lo < b.lastFrom {
		if i := bytes.LastIndexByte(b.data[lo:hi], '\n'); i >= 0 {
			return lo + i
		}
		return -1
	}
	if b.lastTo < lo {
		b.lastFrom, b.lastTo, b.lastAt = lo, lo, -1
	}
	if i := bytes.LastIndexByte(b.data[b.lastTo:hi], '\n'); i >= 0 {
		b.lastAt = b.lastTo + i
	}
	b.lastTo = hi
	if b.lastAt >= lo {
		return b.lastAt
	}
	return -1
}

// atCut reports whether a match touches an edge of w that cuts a line:
// the expression could not see where the match really ends.
func atCut(data []byte, w window, start, end int) bool {
	if start == w.lo && w.lo > 0 && data[w.lo-1] != '\n' && !w.anchored {
		return true
	}
	return end == w.hi && w.hi < len(data) && data[w.hi] != '\n'
}

// run applies a rule's expression to one window and keeps the matches that
// start in [from, to) and pass the rule's filters.
func (f *fileScan) run(out []match, r *compiledRule, data []byte, w window, from, to int) []match {
	if w.hi <= from || w.lo >= to+r.maxLen {
		return out
	}
	if len(r.needs) > 0 && !containsAnyFold(data[w.lo:w.hi], r.needs) {
		return out
	}
	if r.lits != nil && !containsAny(data[w.lo:w.hi], r.lits) {
		return out
	}
	var locs [][]int
	if r.find != nil {
		locs = r.find(data, w.lo, w.hi)
	} else {
		locs = r.re.FindAllSubmatchIndex(data[w.lo:w.hi], -1)
	}
	for _, loc := range locs {
		out = f.accept(out, r, data, w, loc, from, to)
	}
	return out
}

// containsAnyFold reports whether b contains one of the lower-case
// ASCII strings in subs, in any case.
func containsAnyFold(b []byte, subs []string) bool {
	for _, sub := range subs {
		if len(sub) == 0 {
			return true
		}
		first := sub[0]
		upper := first
		if 'a' <= first && first <= 'z' {
			upper = first - 'a' + 'A'
		}
		for i := 0; i+len(sub) <= len(b); i++ {
			if c := b[i]; c != first && c != upper {
				continue
			}
			if bytes.EqualFold(b[i:i+len(sub)], []byte(sub)) {
				return true
			}
		}
	}
	return false
}

// runAnchored applies the rule's anchored expression once, from pos to the
// end of the window.
// It returns where the match ended (w.lo when nothing matched).
func (f *fileScan) runAnchored(out []match, r *compiledRule, data []byte, w window, from, to int) ([]match, int) {
	loc := r.anchored.FindSubmatchIndex(data[w.lo:w.hi])
	if loc == nil {
		return out, w.lo
	}
	return f.accept(out, r, data, w, loc, from, to), w.lo + loc[1]
}

// accept checks one match (loc, relative to the window) and appends it:
// as a match when it passes, as a claim when a specific rule's checks
// reject it.
func (f *fileScan) accept(out []match, r *compiledRule, data []byte, w window, loc []int, from, to int) []match {
	start, end := w.lo+loc[0], w.lo+loc[1]
	if start < from || start >= to || atCut(data, w, start, end) {
		return out
	}
	g := secretGroup(r, loc)
	ss, se := loc[2*g], loc[2*g+1]
	if ss < 0 || se <= ss {
		return out
	}
	secret := string(data[w.lo+ss : w.lo+se])
	if r.check != nil {
		c := &candidate{file: f.path, secret: secret, group: r.re.SubexpNames()[g]}
		for _, g := range r.keys {
			if loc[2*g] >= 0 {
				c.key = string(data[w.lo+loc[2*g] : w.lo+loc[2*g+1]])
				break
			}
		}
		if at := w.lo + ss - 1; at >= 0 && (data[at] == '"' || data[at] == '\'' || data[at] == '`') {
			after := w.lo + se
			c.quoted = after < len(data) && data[after] == data[at]
			if at > 0 && data[at-1] == '\\' { // \"…\" inside a JSON string
				c.quoted = after+1 < len(data) && data[after] == '\\' && data[after+1] == data[at]
			}
		}
		if !r.check(c) {
			if c.claim && !r.Generic {
				out = append(out, match{rule: r, start: w.lo + ss, end: w.lo + se, sstart: w.lo + ss, send: w.lo + se, secret: secret, claim: true})
			}
			return out
		}
	}
	if !f.keep(r, secret, data, start, end) {
		if !r.Generic {
			out = append(out, match{rule: r, start: w.lo + ss, end: w.lo + se, sstart: w.lo + ss, send: w.lo + se, secret: secret, claim: true})
		}
		return out
	}
	return append(out, match{rule: r, start: start, end: end, sstart: w.lo + ss, send: w.lo + se, secret: secret})
}

// secretGroup picks the secret's group out of a submatch index slice: a
// group that did not match when none of the secret groups did.
func secretGroup(r *compiledRule, loc []int) int {
	for _, g := range r.secrets {
		if loc[2*g] >= 0 {
			return g
		}
	}
	if len(r.secrets) > 0 {
		return r.secrets[0]
	}
	if r.group >= 0 {
		return r.group
	}
	for g := 1; 2*g+1 < len(loc); g++ {
		if loc[2*g] >= 0 {
			return g
		}
	}
	return 0
}

// keep applies entropy, validation, placeholders, allowlists and inline
// suppressions to one match.
func (f *fileScan) keep(r *compiledRule, secret string, data []byte, start, end int) bool {
	if r.Entropy > 0 && Entropy(secret) < r.Entropy {
		return false
	}
	if !r.KeepPlaceholders && (IsPlaceholder(secret) || r.Generic && sequentialValue(strings.ToLower(secret))) {
		return false
	}
	if r.Validate != nil && !r.Validate(secret) {
		return false
	}
	lineLo, lineHi := lineBounds(data, start, end)
	line := func() string { return string(data[lineLo:lineHi]) }
	whole := func() string { return string(data[start:end]) }
	for _, a := range r.allow {
		if a.allows(f.path, secret, whole, line) {
			return false
		}
	}
	for _, a := range f.s.allow {
		if (a.rules == nil || a.rules[r.ID]) && a.allows(f.path, secret, whole, line) {
			return false
		}
	}
	return !inlineAllowed(data[lineLo:lineHi])
}

// lineBounds returns the lines a match spans, at most 4 KiB on either side.
func lineBounds(data []byte, start, end int) (int, int) {
	lo := max(0, start-4096)
	if i := bytes.LastIndexByte(data[lo:start], '\n'); i >= 0 {
		lo += i + 1
	}
	hi := min(len(data), end+4096)
	if i := bytes.IndexByte(data[end:hi], '\n'); i >= 0 {
		hi = end + i
	}
	return lo, hi
}

// inlineAllowed reports whether a line carries an inline suppression:
// shipshape:allow, or gitleaks:allow for configurations brought along.
func inlineAllowed(line []byte) bool {
	return bytes.Contains(line, []byte("shipshape:allow")) || bytes.Contains(line, []byte("gitleaks:allow"))
}

// dropGeneric removes matches of generic rules whose secret a specific
// rule also found (matches sorted by start).
func dropGeneric(ms []match) []match {
	out := ms[:0]
	for i, m := range ms {
		if m.claim || (m.rule.Generic && overlapsSpecific(ms, i)) || sameAsEarlier(ms, i) || insideDirect(ms, i) || decodedFrom(ms, i) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// sameAsEarlier reports a specific match whose secret, at the same place,
// a preferred rule also reported: one finding per secret.
func sameAsEarlier(ms []match, i int) bool {
	m := ms[i]
	for j := range ms {
		o := ms[j]
		if j != i && !o.claim && !o.rule.Generic && !o.rule.container && o.sstart == m.sstart && o.send == m.send && prefer(o.rule, m.rule) {
			return true
		}
	}
	return false
}

// insideDirect reports a match decoded from a blob that a specific rule
// reports as it stands (a token whose payload is base64 JSON holding
// another credential): the outer finding covers it.
func insideDirect(ms []match, i int) bool {
	m := ms[i]
	if m.decoded == "" {
		return false
	}
	for _, o := range ms {
		if o.decoded == "" && !o.claim && !o.rule.Generic && !o.rule.container && o.start < m.end && m.start < o.end {
			return true
		}
	}
	return false
}

// decodedFrom reports a container rule's match (a Kubernetes Secret's
// value) from which a specific rule decoded a secret: that finding names
// the secret better.
func decodedFrom(ms []match, i int) bool {
	m := ms[i]
	if !m.rule.container || m.claim {
		return false
	}
	for _, o := range ms {
		if o.decoded != "" && !o.claim && !o.rule.Generic && !o.rule.container && o.start < m.end && m.start < o.end {
			return true
		}
	}
	return false
}

// prefer reports whether rule a names a secret better than b: a rule that
// checks the secret's structure over one that does not, else the one
// defined first.
func prefer(a, b *compiledRule) bool {
	if (a.Validate != nil) != (b.Validate != nil) {
		return a.Validate != nil
	}
	return a.idx < b.idx
}

func overlapsSpecific(ms []match, i int) bool {
	m := ms[i]
	for j := range ms {
		o := ms[j]
		if j == i || o.rule.Generic {
			continue
		}
		// The same secret, or one decoded from the generic match's value.
		if o.start < m.end && m.start < o.end && (o.decoded != "" || o.claim || strings.Contains(m.secret, o.secret) || strings.Contains(o.secret, m.secret)) {
			return true
		}
	}
	return false
}

// pathFindings are the findings of rules that flag files by path alone.
func (f *fileScan) pathFindings() []match {
	var out []match
	for _, r := range f.s.pathOnly {
		if f.on(r) { // a path-only rule has a Path: on matched it
			out = append(out, match{rule: r, start: -1})
		}
	}
	return out
}
