package policy_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/policy"
)

// FuzzLoad feeds arbitrary documents to the loader: it must return a
// policy or a *LoadError, never panic, and a policy it returns must
// evaluate an empty input without error or within its cost limit.
func FuzzLoad(f *testing.F) {
	golden, err := os.ReadFile("testdata/policy.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(golden)
	for _, s := range []string{
		"rules:\n  - type: no-root\n    action: deny\n",
		`{"rules": [{"name": "c", "action": "warn", "expression": "input.packages.size() > 0"}]}`,
		"rules:\n  - name: c\n    action: deny\n    expression: input.packages.filter(p, p.name == 'x')\n    message: '{{ item.name }}'\n",
		"rules:\n  - type: packages\n    action: deny\n    deny: ['pkg:npm/*@>=1.0,<2']\n",
		"rules:\n  - type: licenses\n    action: deny\n    allow: [MIT]\nwaivers:\n  - rule: licenses\n    owner: a\n    reason: b\n    expires: 2030-01-01\n",
		"a: &a [*a, *a]\nrules: *a\n",
		"rules:\n  - {type: required-labels, action: info, labels: {a: '(x'}}\n",
		"incomplete: warn\nrules:\n  - name: c\n    action: deny\n    expression: '!input.present.vulnerabilities || [input].exists(i, i.image.labels.size() > 0)'\n",
	} {
		f.Add([]byte(s))
	}
	now := policy.WithClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
	f.Fuzz(func(t *testing.T, doc []byte) {
		p, err := policy.Load(doc, now)
		if err != nil {
			var le *policy.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error is not a *LoadError: %T %v", err, err)
			}
			return
		}
		if _, err := p.Evaluate(context.Background(), &policy.Input{}); err != nil && !errors.Is(err, policy.ErrCostLimit) {
			var re *policy.RuleError
			if !errors.As(err, &re) {
				t.Fatalf("evaluate: %v", err)
			}
		}
	})
}

// FuzzPackagePattern checks that any pattern either fails to parse with
// ErrInvalidPattern or matches purls without panicking, and that a purl
// without a version matches the pattern made of itself.
func FuzzPackagePattern(f *testing.F) {
	for _, s := range []string{"pkg:npm/lodash", "pkg:deb/debian/openssl@<3.0.13-1~deb12u1", "pkg:*/log4j*", "pkg:pypi/django@>=4.0,<4.2.11",
		"pkg:golang/golang.org/x/net@v0.*", "pkg:npm/%40angular/core@17.0.1", "pkg:maven/org.apache/x@!=1"} {
		f.Add(s, "pkg:npm/lodash@4.17.20")
	}
	f.Fuzz(func(t *testing.T, pattern, purl string) {
		p, err := policy.ParsePackagePattern(pattern)
		if err != nil {
			if !errors.Is(err, policy.ErrInvalidPattern) {
				t.Fatalf("%q: %v", pattern, err)
			}
			return
		}
		p.MatchPURL(purl)
		if !strings.ContainsAny(pattern, "@*?%#") && pattern == strings.TrimSpace(pattern) {
			if self, err := policy.ParsePackagePattern(pattern); err == nil && !self.MatchPURL(pattern) {
				t.Errorf("%q does not match itself", pattern)
			}
		}
	})
}
