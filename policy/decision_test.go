package policy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/policy/policytest"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/scan"
)

var update = flag.Bool("update", false, "rewrite the golden decisions in testdata/golden")

var goldenNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func goldenInput() *policy.Input {
	in := policytest.New().
		Image("ghcr.io/acme/payments:2.4.1", digest).
		User("0").
		Label("org.opencontainers.image.source", "https://github.com/acme/payments").
		Label(policy.LabelBaseName, "docker.io/library/debian:12-slim").
		Created(goldenNow.AddDate(0, 0, -120)).
		PackageIn(openssl, digest2, "var/lib/dpkg/status").
		PackageIn(curl, digest2, "var/lib/dpkg/status").
		PackageIn("pkg:deb/debian/telnet@0.17-44", digest2, "var/lib/dpkg/status").
		Package("pkg:npm/left-pad@1.3.0", "MIT OR GPL-3.0-only").
		Package("pkg:npm/agpl-thing@2.0.0", "AGPL-3.0-only").
		Vuln("CVE-2024-2511", result.SeverityHigh, openssl, "3.0.14-1~deb12u1").
		Vuln("CVE-2024-5535", result.SeverityCritical, openssl, "3.0.14-1~deb12u1").
		Vuln("CVE-2024-2398", result.SeverityCritical, curl).
		Finding(scan.Finding{ID: "GHSA-jfh8-c2jp-5v3q", Aliases: []string{"CVE-2021-44228"}, Severity: result.SeverityCritical, FixedVersions: []string{"2.15.0"}}, "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1").
		Hardening("sshd", result.SeverityMedium, harden.Evidence{Port: "22/tcp"}).
		Hardening("apt-lists", result.SeverityLow, harden.Evidence{Path: "var/lib/apt/lists", Layer: digest2}).
		Secret("aws-access-key", result.SeverityCritical, "app/.env", 3).
		Signature(policy.SignatureEvidence{Verified: true, Digest: digest, Issuer: "https://token.actions.githubusercontent.com",
			Subject: "https://github.com/acme/payments/.github/workflows/release.yml@refs/tags/v2.4.1"}).
		Input()
	in.Secrets.Findings[0].Layer, in.Secrets.Findings[0].Visible = digest2, false
	return in
}

func goldenPolicy(t testing.TB) *policy.Policy {
	p, err := policy.LoadFile("testdata/policy.yaml", policy.WithClock(func() time.Time { return goldenNow }))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestGoldenDecision(t *testing.T) {
	d := policytest.Decide(t, goldenPolicy(t), goldenInput())
	for _, f := range []policy.Format{policy.FormatJSON, policy.FormatTable, policy.FormatJUnit, policy.FormatSARIF} {
		var buf bytes.Buffer
		if err := policy.Encode(&buf, d, f); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", "golden", "decision."+string(f))
		if *update {
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s differs from %s (go test -update rewrites it):\n%s", f, path, buf.String())
		}
	}
	// Evaluation is deterministic.
	again := policytest.Decide(t, goldenPolicy(t), goldenInput())
	a, _ := json.Marshal(d)
	b, _ := json.Marshal(again)
	if !bytes.Equal(a, b) {
		t.Error("two evaluations differ")
	}
}

func TestGoldenDecisionFacts(t *testing.T) {
	d := policytest.Decide(t, goldenPolicy(t), goldenInput())
	if d.Verdict != policy.VerdictDeny {
		t.Errorf("verdict %s", d.Verdict)
	}
	find := func(rule, sub string) *policy.Violation {
		for i := range d.Violations {
			if v := &d.Violations[i]; v.Rule == rule && strings.Contains(v.Message, sub) {
				return v
			}
		}
		t.Errorf("no %s violation with %q", rule, sub)
		return &policy.Violation{}
	}
	if v := find("no-fixable-highs", "CVE-2024-2511"); v.Waived == nil || v.Waived.Owner != "team-platform" {
		t.Errorf("CVE-2024-2511 not waived: %+v", v)
	}
	if v := find("no-fixable-highs", "CVE-2024-5535"); v.Waived != nil {
		t.Errorf("waiver leaked to another vulnerability: %+v", v)
	}
	// The curl waiver expired: curl's critical counts again, and the
	// expired waiver is itself reported.
	if v := find("no-criticals", "CVE-2024-2398"); v.Waived != nil {
		t.Errorf("expired waiver applied: %+v", v)
	}
	if v := find(policy.WaiverRule, "expired on 2026-05-01; it no longer covers 1 violation"); v.Action != policy.Warn {
		t.Errorf("expired waiver: %+v", v)
	}
	find("log4shell", "GHSA-jfh8-c2jp-5v3q")
	find("provenance", "no valid https://slsa.dev/provenance/v1 attestation")
	find("no-secrets", "deleted by a later layer")
	// Order: policy order of rules.
	order := map[string]int{}
	for i, r := range d.Rules {
		order[r.Name] = i
	}
	for i := 1; i < len(d.Violations); i++ {
		if order[d.Violations[i-1].Rule] > order[d.Violations[i].Rule] {
			t.Errorf("violations out of rule order at %d", i)
		}
	}
	// Active leaves out exactly the waived violations.
	if n := len(d.Active()); n != len(d.Violations)-1 {
		t.Errorf("%d active of %d violations, one waived", n, len(d.Violations))
	}
	// Secrets are never printed.
	for _, f := range []policy.Format{policy.FormatJSON, policy.FormatTable, policy.FormatJUnit, policy.FormatSARIF} {
		var buf bytes.Buffer
		policy.Encode(&buf, d, f)
		if strings.Contains(buf.String(), "****") {
			t.Errorf("%s shows the (redacted) secret", f)
		}
	}
}

// A policy is safe for concurrent use: evaluations share compiled rules,
// never per-evaluation state (run with -race).
func TestConcurrentEvaluations(t *testing.T) {
	p := goldenPolicy(t)
	want := policytest.Decide(t, p, goldenInput())
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() {
			d, err := p.Evaluate(context.Background(), goldenInput())
			if err == nil && (d.Verdict != want.Verdict || len(d.Violations) != len(want.Violations)) {
				err = errors.New("decision differs")
			}
			errs <- err
		}()
	}
	for i := 0; i < 8; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestVerdicts(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := policy.WithClock(func() time.Time { return now })
	root := mustBuiltin(t, policy.NoRoot{})
	in := policytest.New().User("root").Input()
	for _, c := range []struct {
		name string
		opts []policy.Option
		want policy.Verdict
	}{
		{"deny", []policy.Option{policy.WithRule(root, policy.Deny)}, policy.VerdictDeny},
		{"warn", []policy.Option{policy.WithRule(root, policy.Warn)}, policy.VerdictWarn},
		{"info", []policy.Option{policy.WithRule(root, policy.Info)}, policy.VerdictPass},
		{"waived", []policy.Option{policy.WithRule(root, policy.Deny), policy.WithWaivers(policy.Waiver{Rule: "no-root", Owner: "a", Reason: "b", Expires: now.Add(time.Hour)})}, policy.VerdictPass},
		{"expired", []policy.Option{policy.WithRule(root, policy.Deny), policy.WithWaivers(policy.Waiver{Rule: "no-root", Owner: "a", Reason: "b", Expires: now})}, policy.VerdictDeny},
		{"expired unused waiver warns", []policy.Option{policy.WithRule(root, policy.Info), policy.WithWaivers(policy.Waiver{Rule: "no-root", Owner: "a", Reason: "b", Expires: now.Add(-time.Hour)})}, policy.VerdictWarn},
		{"permanent", []policy.Option{policy.WithRule(root, policy.Deny), policy.WithPermanentWaivers(), policy.WithWaivers(policy.Waiver{Rule: "no-root", Owner: "a", Reason: "b"})}, policy.VerdictPass},
		{"other image", []policy.Option{policy.WithRule(root, policy.Deny), policy.WithWaivers(policy.Waiver{Rule: "no-root", Image: "ghcr.io/*", Owner: "a", Reason: "b", Expires: now.Add(time.Hour)})}, policy.VerdictDeny},
		{"no rules", nil, policy.VerdictPass},
	} {
		p, err := policy.New(append(c.opts, clock)...)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if d := policytest.Decide(t, p, in); d.Verdict != c.want {
			t.Errorf("%s: %s, want %s: %+v", c.name, d.Verdict, c.want, d.Violations)
		}
	}
}

func TestWaiverScopes(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	sev := mustBuiltin(t, policy.MaxSeverity{Max: result.SeverityLow})
	in := policytest.New().Image("ghcr.io/acme/app:1", digest).
		Finding(scan.Finding{ID: "DSA-1", Aliases: []string{"CVE-2024-1"}, Severity: result.SeverityHigh}, openssl).
		Vuln("CVE-2024-2", result.SeverityHigh, curl).
		Vuln("CVE-2024-3", result.SeverityHigh, lodash).Input()
	for _, c := range []struct {
		name   string
		w      policy.Waiver
		waived []string
	}{
		{"rule", policy.Waiver{Rule: "max-severity"}, []string{"CVE-2024-2", "CVE-2024-3", "DSA-1"}},
		{"alias", policy.Waiver{Vulnerability: "cve-2024-1"}, []string{"DSA-1"}},
		{"package", policy.Waiver{Package: "pkg:deb/debian/*"}, []string{"CVE-2024-2", "DSA-1"}},
		{"package version range", policy.Waiver{Package: "pkg:npm/lodash@<4.17.21"}, []string{"CVE-2024-3"}},
		{"vuln and package", policy.Waiver{Vulnerability: "CVE-2024-2", Package: "pkg:npm/*"}, nil},
		{"image", policy.Waiver{Rule: "max-severity", Image: "ghcr.io/acme/*"}, []string{"CVE-2024-2", "CVE-2024-3", "DSA-1"}},
		{"image digest", policy.Waiver{Rule: "max-severity", Image: digest}, []string{"CVE-2024-2", "CVE-2024-3", "DSA-1"}},
		{"other digest", policy.Waiver{Rule: "max-severity", Image: digest2}, nil},
	} {
		w := c.w
		w.Owner, w.Reason, w.Expires = "sec", "accepted", now.AddDate(0, 1, 0)
		p, err := policy.New(policy.WithRule(sev, policy.Deny), policy.WithWaivers(w), policy.WithClock(func() time.Time { return now }))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		d := policytest.Decide(t, p, in)
		var got []string
		for _, v := range d.Violations {
			if v.Waived != nil {
				got = append(got, v.Evidence.Finding)
			}
		}
		if strings.Join(got, ",") != strings.Join(c.waived, ",") {
			t.Errorf("%s: waived %v, want %v", c.name, got, c.waived)
		}
		if want := policy.VerdictDeny; len(c.waived) == 3 && d.Verdict != policy.VerdictPass || len(c.waived) < 3 && d.Verdict != want {
			t.Errorf("%s: verdict %s", c.name, d.Verdict)
		}
	}
}

func TestRuleErrorStopsEvaluation(t *testing.T) {
	boom := errors.New("boom")
	p, err := policy.New(policy.WithRule(policy.RuleFunc("bad", func(context.Context, *policy.Input) ([]policy.Violation, error) {
		return nil, boom
	}), policy.Deny))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Evaluate(context.Background(), nil)
	var re *policy.RuleError
	if !errors.As(err, &re) || re.Rule != "bad" || !errors.Is(err, boom) {
		t.Errorf("got %v", err)
	}
}

func TestEncodeFormats(t *testing.T) {
	d := policytest.Decide(t, goldenPolicy(t), goldenInput())
	var buf bytes.Buffer
	if err := policy.Encode(&buf, d, policy.FormatJUnit); err != nil {
		t.Fatal(err)
	}
	var junit struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &junit); err != nil {
		t.Fatal(err)
	}
	if junit.Tests != len(d.Rules) || len(junit.Suites[0].Cases) != len(d.Rules) {
		t.Errorf("junit has %d tests for %d rules", junit.Tests, len(d.Rules))
	}
	failing := map[string]bool{}
	for _, c := range junit.Suites[0].Cases {
		failing[c.Name] = c.Failure != nil
	}
	if !failing["no-secrets"] || failing["no-criticals"] || failing["labels"] || !failing["no-fixable-highs"] {
		t.Errorf("junit failures: %v", failing)
	}
	buf.Reset()
	if err := policy.Encode(&buf, d, policy.FormatSARIF); err != nil {
		t.Fatal(err)
	}
	var sarif struct {
		Runs []struct {
			Results []struct {
				RuleID       string `json:"ruleId"`
				Level        string `json:"level"`
				Suppressions []any  `json:"suppressions"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &sarif); err != nil {
		t.Fatal(err)
	}
	if n := len(sarif.Runs[0].Results); n != len(d.Violations) {
		t.Errorf("sarif has %d results for %d violations", n, len(d.Violations))
	}
	suppressed := 0
	for _, r := range sarif.Runs[0].Results {
		suppressed += len(r.Suppressions)
	}
	if suppressed != 1 {
		t.Errorf("%d suppressed results, want the one waived", suppressed)
	}
	if _, err := policy.ParseFormat("xml"); !errors.Is(err, result.ErrUnknownFormat) {
		t.Errorf("xml: %v", err)
	}
	if err := policy.Encode(&buf, d, "xml"); !errors.Is(err, result.ErrUnknownFormat) {
		t.Errorf("xml: %v", err)
	}
}

func TestReadSignatureEvidence(t *testing.T) {
	for _, c := range []struct {
		doc  string
		n    int
		fail bool
	}{
		{`[{"verified": true, "digest": "sha256:x", "key": "k"}, {"verified": false, "digest": "sha256:x"}]`, 2, false},
		{`{"verified": true, "digest": "sha256:x", "issuer": "i", "subject": "s", "predicate_types": ["p"]}`, 1, false},
		{`{"schema_version": "1", "verified": true, "signatures": [{"digest": "sha256:x"}], "evidence": [{"verified": true}]}`, 1, false},
		{`{"schema_version": "1", "verified": true, "signatures": [{"digest": "sha256:x"}]}`, 0, true},
		{`{"digest": "sha256:x"}`, 0, true},
		{`nonsense`, 0, true},
	} {
		es, err := policy.ReadSignatureEvidence(strings.NewReader(c.doc))
		if c.fail {
			if !errors.Is(err, policy.ErrEvidence) {
				t.Errorf("%s: %v", c.doc, err)
			}
			continue
		}
		if err != nil || len(es) != c.n {
			t.Errorf("%s: %v %v", c.doc, es, err)
		}
	}
}
