package policy_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/policy/policytest"
	"github.com/shipshape-dev/shipshape/result"
)

// A policy of built-in rules and a Go rule, evaluated over a scan report.
func ExampleNew() {
	sev, err := policy.Builtin("no-highs", policy.MaxSeverity{Max: result.SeverityMedium, FixableOnly: true})
	if err != nil {
		panic(err)
	}
	noLatest := policy.RuleFunc("no-latest", func(_ context.Context, in *policy.Input) ([]policy.Violation, error) {
		if strings.HasSuffix(in.ImageReference(), ":latest") {
			return []policy.Violation{{Message: "images are deployed by version, not :latest"}}, nil
		}
		return nil, nil
	})
	p, err := policy.New(policy.WithRule(sev, policy.Deny), policy.WithRule(noLatest, policy.Warn))
	if err != nil {
		panic(err)
	}
	in := policytest.New().Image("ghcr.io/acme/app:latest", "").
		Vuln("CVE-2024-0001", result.SeverityCritical, "pkg:deb/debian/openssl@3.0.11-1", "3.0.13-1").
		Input()
	d, err := p.Evaluate(context.Background(), in)
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Verdict)
	for _, v := range d.Violations {
		fmt.Printf("%s %s: %s\n", v.Action, v.Rule, v.Message)
	}
	// Output:
	// deny
	// deny no-highs: CVE-2024-0001 (critical) in openssl 3.0.11-1, fixed in 3.0.13-1
	// warn no-latest: images are deployed by version, not :latest
}

// A declarative policy with a CEL rule and a waiver; evidence the input
// lacks (here, signatures) is reported, not passed over.
func ExampleLoad() {
	doc := `
version: 1
rules:
  - type: signed
    action: deny
    keys: ["sha256:5e1f"]
  - name: no-shells
    action: warn
    expression: input.packages.filter(p, p.name in ["bash", "dash", "busybox"])
    message: "{{ item.name }} gives an attacker a shell"
waivers:
  - rule: no-shells
    package: pkg:apk/alpine/busybox
    owner: team-base
    reason: the base image needs it until v2
    expires: 2026-09-01
`
	p, err := policy.Load([]byte(doc), policy.WithClock(func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }))
	if err != nil {
		panic(err)
	}
	in := policytest.New().Package("pkg:apk/alpine/busybox@1.36.1-r2").Package("pkg:apk/alpine/bash@5.2.21-r0").Input()
	d, err := p.Evaluate(context.Background(), in)
	if err != nil {
		panic(err)
	}
	if err := policy.Encode(os.Stdout, d, policy.FormatTable); err != nil {
		panic(err)
	}
	// Output:
	// policy deny: 2 rules, 1 deny, 1 warn, 0 info, 1 waived
	//
	// ACTION  RULE       MESSAGE                                                                      EVIDENCE
	// deny    signed     no signature verification evidence: cannot tell whether the image is signed  missing signatures
	// warn    no-shells  bash gives an attacker a shell                                               pkg:apk/alpine/bash@5.2.21-r0
	// waived  no-shells  busybox gives an attacker a shell                                            pkg:apk/alpine/busybox@1.36.1-r2
	//
	// waived by team-base: the base image needs it until v2 (until 2026-09-01) — no-shells: busybox gives an attacker a shell
}

// A Go rule that gives teams 30 days to patch a critical vulnerability.
// It judges ages at in.Now, the time the policy evaluates at, so that the
// decision is reproducible, and points at each finding with
// VulnerabilityEvidence, as the built-in rules do (waivers by package or
// vulnerability id then cover it alike).
func ExampleRuleFunc() {
	const grace = 30 * 24 * time.Hour
	overdue := policy.RuleFunc("criticals-patched-in-30-days", func(_ context.Context, in *policy.Input) ([]policy.Violation, error) {
		if in.Scan == nil {
			return []policy.Violation{policy.MissingEvidence(policy.MissingVulnerabilities, "no vulnerability report")}, nil
		}
		var vs []policy.Violation
		for i := range in.Scan.Findings {
			f := &in.Scan.Findings[i]
			if f.Severity < result.SeverityCritical || f.Published.IsZero() || in.Now.Sub(f.Published) <= grace {
				continue
			}
			vs = append(vs, policy.Violation{
				Message:  fmt.Sprintf("%s in %s is %d days old", f.ID, f.Package.Name, int(in.Now.Sub(f.Published).Hours()/24)),
				Evidence: policy.VulnerabilityEvidence(f),
			})
		}
		return vs, nil
	})
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	p, err := policy.New(policy.WithRule(overdue, policy.Deny), policy.WithClock(func() time.Time { return now }))
	if err != nil {
		panic(err)
	}
	in := policytest.New().
		VulnIn("CVE-2026-0001", result.SeverityCritical, "pkg:deb/debian/openssl@3.0.11-1", "sha256:0123456789abcdef0123", "var/lib/dpkg/status").
		Input()
	in.Scan.Findings[0].Published = now.AddDate(0, 0, -45)
	d, err := p.Evaluate(context.Background(), in)
	if err != nil {
		panic(err)
	}
	for _, v := range d.Violations {
		fmt.Printf("%s %s: %s\n  %s in layer %s\n", v.Action, v.Rule, v.Message, v.Evidence.Package, v.Evidence.Layer)
	}
	// Output:
	// deny criticals-patched-in-30-days: CVE-2026-0001 in openssl is 45 days old
	//   pkg:deb/debian/openssl@3.0.11-1 in layer sha256:0123456789abcdef0123
}

// A layer that could not be read whole denies by default: the evidence
// from it is partial. WithIncompleteAction (the CLI's --allow-incomplete)
// makes it a warning.
func ExampleWithIncompleteAction() {
	in := policytest.New().User("app").
		Incomplete("sha256:0123456789abcdef0123", "", io.ErrUnexpectedEOF).
		Input()
	root, err := policy.Builtin("", policy.NoRoot{})
	if err != nil {
		panic(err)
	}
	for _, opts := range [][]policy.Option{
		{policy.WithRule(root, policy.Deny)},
		{policy.WithRule(root, policy.Deny), policy.WithIncompleteAction(policy.Warn)},
	} {
		p, err := policy.New(opts...)
		if err != nil {
			panic(err)
		}
		d, err := p.Evaluate(context.Background(), in)
		if err != nil {
			panic(err)
		}
		v := d.Violations[0]
		fmt.Printf("%s: %s %s: %s\n", d.Verdict, v.Action, v.Rule, v.Message)
	}
	// Output:
	// deny: deny complete-read: layer sha256:0123456789ab: unexpected EOF: the evidence drawn from it is partial
	// warn: warn complete-read: layer sha256:0123456789ab: unexpected EOF: the evidence drawn from it is partial
}
