package policy_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/policy/policytest"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/scan"
)

// benchInput is an image of 5,000 packages (Debian, npm, Go, PyPI) with
// 2,000 vulnerability findings, hardening and secret findings and a
// signature.
func benchInput() *policy.Input {
	b := policytest.New().Image("ghcr.io/acme/payments:2.4.1", digest).User("app").
		Label("org.opencontainers.image.source", "https://github.com/acme/payments").
		Label("org.opencontainers.image.revision", "0123abc").
		Label(policy.LabelBaseName, "docker.io/library/debian:12-slim").
		Created(goldenNow.AddDate(0, 0, -10))
	licences := []string{"MIT", "Apache-2.0", "BSD-3-Clause", "MIT OR GPL-3.0-only", "GPL-2.0-or-later", "LGPL-2.1-only", "ISC", "Artistic-1.0-Perl OR GPL-1.0-or-later"}
	var purls []string
	for i := 0; i < 5000; i++ {
		var purl string
		switch i % 4 {
		case 0:
			purl = fmt.Sprintf("pkg:deb/debian/lib%d@1.%d.%d-%d~deb12u1", i, i%7, i%13, i%5)
		case 1:
			purl = fmt.Sprintf("pkg:npm/%%40scope%d/pkg%d@%d.%d.%d", i%50, i, i%4, i%10, i%3)
		case 2:
			purl = fmt.Sprintf("pkg:golang/github.com/org%d/mod%d@v0.%d.%d", i%40, i, i%20, i%9)
		default:
			purl = fmt.Sprintf("pkg:pypi/pkg-%d@%d.%d", i, i%6, i%11)
		}
		purls = append(purls, purl)
		b.Package(purl, licences[i%len(licences)])
	}
	sevs := []result.Severity{result.SeverityLow, result.SeverityMedium, result.SeverityHigh, result.SeverityCritical, result.SeverityUnknown}
	for i := 0; i < 2000; i++ {
		f := scan.Finding{ID: fmt.Sprintf("CVE-2024-%05d", i), Aliases: []string{fmt.Sprintf("GHSA-%04d-xxxx-yyyy", i)}, Severity: sevs[i%len(sevs)]}
		if i%3 != 0 {
			f.FixedVersions = []string{"99.0.0"}
		}
		b.Finding(f, purls[(i*7)%len(purls)])
	}
	for i := 0; i < 20; i++ {
		b.Hardening(fmt.Sprintf("check-%d", i), sevs[i%len(sevs)], harden.Evidence{Path: fmt.Sprintf("etc/file%d", i)})
	}
	for i := 0; i < 30; i++ {
		b.Secret("generic-api-key", sevs[i%len(sevs)], fmt.Sprintf("app/conf%d.env", i), i+1)
	}
	b.Signature(policy.SignatureEvidence{Verified: true, Digest: digest, Issuer: "https://token.actions.githubusercontent.com",
		Subject: "https://github.com/acme/payments/.github/workflows/release.yml@refs/tags/v2.4.1"})
	return b.Input()
}

// benchPolicy is the golden policy (14 built-in and 2 CEL rules) plus
// four rules over every package and finding: 20 rules.
func benchPolicy(tb testing.TB) *policy.Policy {
	doc, err := os.ReadFile("testdata/policy.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	extra := `
  - name: licence-allow-list
    type: licenses
    action: warn
    allow: [MIT, Apache-2.0, BSD-3-Clause, ISC, LGPL-2.1-only, GPL-2.0-or-later, Artistic-1.0-Perl]
  - name: allowed-ecosystems
    type: packages
    action: info
    allow: ["pkg:deb/*", "pkg:npm/*", "pkg:golang/*@>=v0.1.0"]
  - name: fixable-criticals-by-cel
    action: warn
    expression: input.vulnerabilities.filter(v, v.severity_rank == 4 && v.fixable && !v.suppressed)
    message: "{{ item.id }} in {{ item.package.name }}"
  - name: old-go-modules
    action: info
    expression: input.packages.filter(p, p.type == "golang" && p.version.startsWith("v0.0."))
    message: "{{ item.purl }}"
`
	// Insert the extra rules before the waivers.
	s := string(doc)
	i := len(s)
	if j := indexOf(s, "\nwaivers:"); j >= 0 {
		i = j + 1
	}
	s = s[:i] + extra[1:] + s[i:]
	p, err := policy.Load([]byte(s), policy.WithClock(func() time.Time { return goldenNow }))
	if err != nil {
		tb.Fatal(err)
	}
	if n := len(p.RuleNames()); n != 20 {
		tb.Fatalf("%d rules, want 20", n)
	}
	return p
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestBenchPolicyDecides(t *testing.T) {
	d := policytest.Decide(t, benchPolicy(t), benchInput())
	if d.Verdict != policy.VerdictDeny || len(d.Violations) < 2000 {
		t.Errorf("verdict %s with %d violations", d.Verdict, len(d.Violations))
	}
}

// BenchmarkEvaluate20Rules evaluates a 20-rule policy over 5,000
// packages and 2,000 findings (target: under 10 ms).
func BenchmarkEvaluate20Rules(b *testing.B) {
	p, in := benchPolicy(b), benchInput()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Evaluate(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

// TestExportBenchInput writes the benchmark's input as JSON, and the
// decision shipshape reaches on it, into $SHIPSHAPE_POLICY_EXPORT, for
// bench/policy-opa.sh to evaluate the same policy with OPA. It does
// nothing without that variable.
func TestExportBenchInput(t *testing.T) {
	dir := os.Getenv("SHIPSHAPE_POLICY_EXPORT")
	if dir == "" {
		t.Skip("SHIPSHAPE_POLICY_EXPORT not set")
	}
	in := benchInput()
	doc := map[string]any{"reference": in.Reference, "digest": in.Digest, "config": in.Config, "sbom": in.SBOM,
		"scan": in.Scan, "secrets": in.Secrets, "signatures": in.Signatures, "now": goldenNow.Format(time.RFC3339)}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "input.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	d := policytest.Decide(t, benchPolicy(t), in)
	b, err = json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "decision.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}
