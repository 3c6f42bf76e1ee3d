package secrets

import (
	"fmt"
	"hash/crc32"
	"slices"
	"strings"
	"testing"
)

// ruleCase is one example for a built-in rule. A case with a secret must
// produce a finding of the rule with exactly that secret (on that line,
// when line is set); a case without one must produce no finding of the
// rule (and, when rule is "", no finding at all).
type ruleCase struct {
	rule   string
	file   string // the path the content is scanned as; "test.txt" by default
	input  string
	secret string
	line   int // the finding's line; 0 does not check it
}

// allRuleCases gathers the examples of every rule family.
func allRuleCases() []ruleCase {
	var all []ruleCase
	for _, family := range [][]ruleCase{
		cloudCases(), scmCases(), registryCases(), databaseCases(), commerceCases(), messagingCases(),
		monitoringCases(), aiCases(), identityCases(), saasCases(), keyCases(), genericCases(), kubernetesCases(),
	} {
		all = append(all, family...)
	}
	return all
}

func TestRuleCases(t *testing.T) {
	s, err := New(WithRevealSecretsUnsafe())
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range allRuleCases() {
		file := c.file
		if file == "" {
			file = "test.txt"
		}
		fs := s.ScanBytes(file, []byte(c.input))
		name := c.rule
		if name == "" {
			name = "none"
		}
		t.Run(name, func(t *testing.T) {
			var got []string
			for _, f := range fs {
				got = append(got, f.RuleID+"="+f.Secret)
			}
			switch {
			case c.rule == "":
				if len(fs) > 0 {
					t.Errorf("case %d %q: want no findings, got %v", i, c.input, got)
				}
			case c.secret == "":
				for _, f := range fs {
					if f.RuleID == c.rule {
						t.Errorf("case %d %q: want no %s finding, got %v", i, c.input, c.rule, got)
					}
				}
			case c.line > 0:
				var lines []string
				for _, f := range fs {
					lines = append(lines, fmt.Sprintf("%s:%d=%s", f.RuleID, f.Line, f.Secret))
				}
				if want := fmt.Sprintf("%s:%d=%s", c.rule, c.line, c.secret); !slices.Contains(lines, want) {
					t.Errorf("case %d %q: want %s, got %v", i, c.input, want, lines)
				}
			default:
				if !slices.Contains(got, c.rule+"="+c.secret) {
					t.Errorf("case %d %q: want %s=%s, got %v", i, c.input, c.rule, c.secret, got)
				}
			}
		})
	}
}

// TestRuleTable checks the built-in rules as data: unique ids, a
// description, keywords, a positive and a negative example each.
func TestRuleTable(t *testing.T) {
	pos, neg := map[string]int{}, map[string]int{}
	for _, c := range allRuleCases() {
		if c.secret != "" {
			pos[c.rule]++
		} else {
			neg[c.rule]++
		}
	}
	seen := map[string]bool{}
	for i, r := range DefaultRules() {
		if seen[r.ID] {
			t.Errorf("rule %q defined twice", r.ID)
		}
		seen[r.ID] = true
		if r.Description == "" || (len(r.Keywords) == 0 && r.Path == "") || r.Regex == "" {
			t.Errorf("rule %q: description, keywords (or a path) and regex are required of built-in rules", r.ID)
		}
		if r.ID != strings.ToLower(r.ID) || strings.ContainsAny(r.ID, " _") {
			t.Errorf("rule %q: ids are lower-case words joined by hyphens", r.ID)
		}
		if _, err := compileRule(r, i); err != nil {
			t.Error(err)
		}
		if pos[r.ID] == 0 || neg[r.ID] == 0 {
			t.Errorf("rule %q has %d positive and %d negative examples; each needs at least one of both", r.ID, pos[r.ID], neg[r.ID])
		}
	}
	for id := range pos {
		if !seen[id] {
			t.Errorf("examples for unknown rule %q", id)
		}
	}
}

// checksummed builds a token in the GitHub/npm form: prefix, body and the
// base62 CRC32 of the body.
func checksummed(prefix, body string) string {
	return prefix + body + encodeBase62(uint64(crc32.ChecksumIEEE([]byte(body))), 6)
}
