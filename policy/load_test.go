package policy_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/policy/policytest"
	"github.com/shipshape-dev/shipshape/result"
)

func TestLoadErrors(t *testing.T) {
	for _, c := range []struct {
		name, doc string
		is        error
		want      string // substring of the message, position included
	}{
		{"empty", "", policy.ErrInvalidPolicy, "empty document"},
		{"not yaml", "rules: [", policy.ErrInvalidPolicy, "yaml"},
		{"no rules", "version: 1\n", policy.ErrInvalidPolicy, "no rules"},
		{"version", "version: 2\nrules: []\n", policy.ErrInvalidPolicy, "1:10: invalid policy: version \"2\""},
		{"unknown top key", "rulez: []\n", policy.ErrInvalidPolicy, "1:1: invalid policy: unknown key \"rulez\""},
		{"unknown type", "rules:\n  - name: a\n    type: nope\n    action: deny\n", policy.ErrInvalidPolicy, "2:5: rule \"a\": invalid policy: unknown type \"nope\""},
		{"no action", "rules:\n  - type: no-root\n", policy.ErrInvalidPolicy, "rule \"no-root\": invalid policy: no action"},
		{"bad action", "rules:\n  - type: no-root\n    action: block\n", result.ErrInvalidOption, "action \"block\""},
		{"unknown parameter", "rules:\n  - type: max-severity\n    action: deny\n    max: high\n    fixable: true\n", policy.ErrInvalidPolicy, "5:5: rule \"max-severity\": invalid policy: unknown parameter \"fixable\" for max-severity (want max, fixable_only, ignore_newer_than_days, ignore_older_than_days, unrated)"},
		{"bad severity", "rules:\n  - type: max-severity\n    action: deny\n    max: huge\n", policy.ErrInvalidPolicy, "invalid severity"},
		{"duplicate key", "rules:\n  - type: no-root\n    action: deny\n    action: warn\n", policy.ErrInvalidPolicy, "4:5"},
		{"duplicate name", "rules:\n  - type: no-root\n    action: deny\n  - type: no-root\n    action: warn\n", result.ErrInvalidOption, "used twice"},
		{"bad pattern", "rules:\n  - name: p\n    type: packages\n    action: deny\n    deny: [\"npm/x\"]\n", policy.ErrInvalidPattern, "rule \"p\""},
		{"cel syntax", "rules:\n  - name: c\n    action: deny\n    expression: input.packages.exists(p, p.name ==)\n", policy.ErrInvalidExpression, "4:17: rule \"c\": invalid CEL expression: <input>:1:"},
		{"cel unknown field", "rules:\n  - name: c\n    action: deny\n    expression: input.pakages.size() > 0\n", policy.ErrInvalidExpression, "undefined field 'pakages'"},
		{"cel wrong type", "rules:\n  - name: c\n    action: deny\n    expression: input.packages.size()\n", policy.ErrInvalidExpression, "yields int"},
		{"item outside templates", "rules:\n  - name: c\n    action: deny\n    expression: item == null\n", policy.ErrInvalidExpression, "undeclared reference to 'item'"},
		{"cel template", "rules:\n  - name: c\n    action: deny\n    expression: \"true\"\n    message: \"{{ input.nope }}\"\n", policy.ErrInvalidExpression, "message: {{ input.nope }}"},
		{"cel unclosed", "rules:\n  - name: c\n    action: deny\n    expression: \"true\"\n    message: \"{{ input\"\n", policy.ErrInvalidExpression, "unclosed"},
		{"params on cel", "rules:\n  - name: c\n    action: deny\n    expression: \"true\"\n    max: high\n", policy.ErrInvalidPolicy, "unknown key \"max\" for a cel rule"},
		{"expression on builtin", "rules:\n  - type: no-root\n    action: deny\n    expression: \"true\"\n", policy.ErrInvalidPolicy, "belong to cel rules"},
		{"waiver without expiry", "rules:\n  - type: no-root\n    action: deny\nwaivers:\n  - rule: no-root\n    owner: a\n    reason: b\n", policy.ErrInvalidWaiver, "5:5: rule \"waivers[0]\": invalid waiver: no expiry"},
		{"waiver without scope", "rules:\n  - type: no-root\n    action: deny\nwaivers:\n  - owner: a\n    reason: b\n    expires: 2030-01-01\n", policy.ErrInvalidWaiver, "no scope"},
		{"waiver without owner", "rules:\n  - type: no-root\n    action: deny\nwaivers:\n  - rule: no-root\n    reason: b\n    expires: 2030-01-01\n", policy.ErrInvalidWaiver, "owner and reason"},
		{"waiver bad date", "rules:\n  - type: no-root\n    action: deny\nwaivers:\n  - rule: no-root\n    owner: a\n    reason: b\n    expires: next week\n", policy.ErrInvalidWaiver, "8:14"},
		{"waiver unknown rule", "rules:\n  - type: no-root\n    action: deny\nwaivers:\n  - rule: nope\n    owner: a\n    reason: b\n    expires: 2030-01-01\n", policy.ErrInvalidWaiver, "rule \"nope\" is not in the policy"},
		{"waiver unknown key", "rules:\n  - type: no-root\n    action: deny\nwaivers:\n  - rule: no-root\n    who: a\n", policy.ErrInvalidPolicy, "unknown key \"who\""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := policy.Load([]byte(c.doc))
			if err == nil {
				t.Fatal("loaded")
			}
			var le *policy.LoadError
			if !errors.As(err, &le) {
				t.Errorf("not a *LoadError: %T %v", err, err)
			}
			if !errors.Is(err, c.is) {
				t.Errorf("%v is not %v", err, c.is)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
		})
	}
}

func TestLoadFileNamesTheFile(t *testing.T) {
	_, err := policy.LoadFile("testdata/bad.yaml")
	if err == nil || !strings.HasPrefix(err.Error(), "testdata/bad.yaml:6:10: rule \"sev\": invalid policy: max: invalid severity") {
		t.Errorf("got %v", err)
	}
	if _, err := policy.LoadFile("testdata/nonexistent.yaml"); !errors.Is(err, policy.ErrInvalidPolicy) {
		t.Errorf("missing file: %v", err)
	}
}

func TestLoadJSON(t *testing.T) {
	p, err := policy.Load([]byte(`{"version": 1, "rules": [{"type": "max-severity", "action": "deny", "max": "high"},
		{"name": "has-curl", "action": "warn", "expression": "input.packages.exists(p, p.name == 'curl')", "message": "curl"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.RuleNames(), ","); got != "max-severity,has-curl" {
		t.Errorf("rules %s", got)
	}
	d := policytest.Decide(t, p, policytest.New().Package(curl).Vuln("CVE-1", result.SeverityCritical, curl).Input())
	if d.Verdict != policy.VerdictDeny || len(d.Violations) != 2 {
		t.Errorf("%+v", d)
	}
}

func TestCELRules(t *testing.T) {
	in := policytest.New().Image("ghcr.io/acme/app:1", digest).User("app").Label("team", "payments").
		PackageIn(curl, digest, "var/lib/dpkg/status").Package(openssl, "Apache-2.0").
		Vuln("CVE-2024-1", result.SeverityHigh, openssl, "3.0.13").
		Secret("aws-access-key", result.SeverityCritical, "app/.env", 2).
		SignedBy("sha256:abc").Input()
	for _, c := range []struct {
		expr, msg string
		want      []string
		evidence  string // evidence package or finding of the first violation
	}{
		{`input.packages.filter(p, p.name == "curl")`, `{{ item.name }} {{ item.version }} in {{ item.location }}`, []string{"curl 7.88.1-10 in var/lib/dpkg/status"}, curl},
		{`input.vulnerabilities.filter(v, v.severity_rank >= 3 && v.fixable)`, `{{ item.id }} fixed in {{ item.fixed_versions[0] }}`, []string{"CVE-2024-1 fixed in 3.0.13"}, "CVE-2024-1"},
		{`input.secrets.filter(s, s.visible)`, `{{ item.rule_id }} at {{ item.file }}:{{ item.line }}`, []string{"aws-access-key at app/.env:2"}, "aws-access-key"},
		{`input.image.user != "root" && input.image.labels["team"] == "payments"`, `user {{ input.image.user }}`, []string{"user app"}, ""},
		{`input.image.registry == "ghcr.io" && input.image.repository == "acme/app"`, "", []string{"violates c"}, ""},
		{`input.signatures.exists(s, s.verified && s.key == "sha256:abc" && s.digest == input.image.digest)`, "signed", []string{"signed"}, ""},
		{`input.present.sbom && !input.present.hardening`, "no hardening", []string{"no hardening"}, ""},
		// The input has no creation time: a rule that reads it reports the
		// evidence missing, unless it handles absence through input.present.
		{`input.image.created < timestamp("2000-01-01T00:00:00Z")`, "unknown creation", []string{"the image's creation time is unknown: cannot evaluate the expression, which reads input.image.created"}, ""},
		{`!input.present.created || input.image.created < timestamp("2000-01-01T00:00:00Z")`, "unknown creation", []string{"unknown creation"}, ""},
		{`input.packages.map(p, p.name).filter(n, n.startsWith("open"))`, "{{ item }}", []string{"openssl"}, ""},
		{`input.packages.exists(p, p.name == "bash")`, "bash", nil, ""},
	} {
		r, err := policy.NewCELRule("c", "", c.expr, c.msg, 0)
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		vs := policytest.Violations(t, r, in)
		var got []string
		for _, v := range vs {
			got = append(got, v.Message)
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s: got %q, want %q", c.expr, got, c.want)
		}
		if c.evidence != "" && len(vs) > 0 && vs[0].Evidence.Package != c.evidence && vs[0].Evidence.Finding != c.evidence {
			t.Errorf("%s: evidence %+v, want %s", c.expr, vs[0].Evidence, c.evidence)
		}
	}
}

func TestCELSecretsNotInView(t *testing.T) {
	// The secret itself is not reachable from CEL.
	_, err := policy.NewCELRule("c", "", `input.secrets.exists(s, s.secret != "")`, "", 0)
	if !errors.Is(err, policy.ErrInvalidExpression) || !strings.Contains(err.Error(), "secret") {
		t.Errorf("got %v", err)
	}
}

func TestCELCostLimit(t *testing.T) {
	b := policytest.New()
	for i := 0; i < 300; i++ {
		b.Package(curl)
	}
	in := b.Input()
	expr := `input.packages.all(a, input.packages.all(b, a.name == b.name))`
	r, err := policy.NewCELRule("quadratic", "", expr, "", 10_000)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Evaluate(context.Background(), in); !errors.Is(err, policy.ErrCostLimit) {
		t.Errorf("got %v, want the cost limit", err)
	}
	// The same expression passes under the default limit.
	r, _ = policy.NewCELRule("quadratic", "", expr, "", 0)
	if vs, err := r.Evaluate(context.Background(), in); err != nil || len(vs) != 1 {
		t.Errorf("default limit: %v %v", vs, err)
	}
	// A document's limit applies through Load, and the failure names the rule.
	p, err := policy.Load([]byte("cel_cost_limit: 10000\nrules:\n  - name: q\n    action: deny\n    expression: \"" + expr + "\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Evaluate(context.Background(), in)
	var re *policy.RuleError
	if !errors.As(err, &re) || re.Rule != "q" || !errors.Is(err, policy.ErrCostLimit) {
		t.Errorf("got %v", err)
	}
}

func TestEvaluateCancelled(t *testing.T) {
	p, err := policy.New(policy.WithRule(mustBuiltin(t, policy.NoRoot{}), policy.Deny))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Evaluate(ctx, &policy.Input{}); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v", err)
	}
}

func mustBuiltin(t testing.TB, p policy.BuiltinParams) policy.Rule {
	t.Helper()
	r, err := policy.Builtin("", p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestNewOptions(t *testing.T) {
	r := mustBuiltin(t, policy.NoRoot{})
	for _, c := range []struct {
		name string
		opts []policy.Option
	}{
		{"nil rule", []policy.Option{policy.WithRule(nil, policy.Deny)}},
		{"bad action", []policy.Option{policy.WithRule(r, "block")}},
		{"duplicate", []policy.Option{policy.WithRule(r, policy.Deny), policy.WithRule(r, policy.Warn)}},
		{"reserved name", []policy.Option{policy.WithRule(policy.RuleFunc(policy.WaiverRule, nil), policy.Deny)}},
		{"nil clock", []policy.Option{policy.WithClock(nil)}},
		{"zero cost", []policy.Option{policy.WithCELCostLimit(0)}},
	} {
		if _, err := policy.New(c.opts...); !errors.Is(err, result.ErrInvalidOption) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if _, err := policy.New(policy.WithRule(r, policy.Deny), policy.WithWaivers(policy.Waiver{Rule: "no-root", Owner: "a", Reason: "b"})); !errors.Is(err, policy.ErrInvalidWaiver) {
		t.Errorf("permanent waiver accepted: %v", err)
	}
	if _, err := policy.New(policy.WithRule(r, policy.Deny), policy.WithPermanentWaivers(), policy.WithWaivers(policy.Waiver{Rule: "no-root", Owner: "a", Reason: "b"})); err != nil {
		t.Errorf("permanent waiver refused: %v", err)
	}
	_ = time.Now
}
