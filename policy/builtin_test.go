package policy_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/policy/policytest"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/secrets"
)

const (
	digest  = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
	digest2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
	openssl = "pkg:deb/debian/openssl@3.0.11-1~deb12u2"
	curl    = "pkg:deb/debian/curl@7.88.1-10"
	lodash  = "pkg:npm/lodash@4.17.20"
	angular = "pkg:npm/%40angular/core@17.0.1"
	xnet    = "pkg:golang/golang.org/x/net@v0.17.0"
)

// ruleCase is one row of a built-in rule's table: the input, and the
// violations expected, as "missing:KIND" or a substring of the message
// with the evidence's package or finding after a '|'.
type ruleCase struct {
	name string
	in   *policy.Input
	want []string
}

func runRuleCases(t *testing.T, params policy.BuiltinParams, cases []ruleCase) {
	t.Helper()
	r, err := policy.Builtin("", params)
	if err != nil {
		t.Fatal(err)
	}
	if r.Name() != params.Type() {
		t.Errorf("name %q, want the type %q", r.Name(), params.Type())
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vs := policytest.Violations(t, r, c.in)
			var got []string
			for _, v := range vs {
				switch {
				case v.Evidence.Missing != "":
					got = append(got, "missing:"+v.Evidence.Missing)
				default:
					got = append(got, v.Message)
				}
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %d violations %q, want %d %q", len(got), got, len(c.want), c.want)
			}
			for i := range got {
				if !strings.Contains(got[i], c.want[i]) {
					t.Errorf("violation %d: %q, want it to contain %q", i, got[i], c.want[i])
				}
			}
		})
	}
}

func TestMaxSeverity(t *testing.T) {
	in := policytest.New().
		Vuln("CVE-2024-0001", result.SeverityCritical, openssl, "3.0.13-1~deb12u1").
		Vuln("CVE-2024-0002", result.SeverityHigh, curl).
		Vuln("CVE-2024-0003", result.SeverityMedium, curl, "7.88.1-10+deb12u5").
		Finding(scan.Finding{ID: "CVE-2024-0004", Severity: result.SeverityCritical, Suppressed: &scan.Suppression{By: "vex", Reason: "not affected"}}, curl).
		Input()
	t.Run("high", func(t *testing.T) {
		runRuleCases(t, policy.MaxSeverity{Max: result.SeverityHigh}, []ruleCase{
			{"over", in, []string{"CVE-2024-0001 (critical) in openssl 3.0.11-1~deb12u2, fixed in 3.0.13-1~deb12u1"}},
			{"clean", policytest.New().CleanScan().Input(), nil},
			{"missing", policytest.New().Input(), []string{"missing:vulnerabilities"}},
		})
	})
	t.Run("low", func(t *testing.T) {
		runRuleCases(t, policy.MaxSeverity{Max: result.SeverityLow}, []ruleCase{
			{"over", in, []string{"CVE-2024-0001", "CVE-2024-0002 (high) in curl 7.88.1-10, no fix known", "CVE-2024-0003"}},
		})
	})
	t.Run("fixable", func(t *testing.T) {
		runRuleCases(t, policy.MaxSeverity{Max: result.SeverityLow, FixableOnly: true}, []ruleCase{
			{"over", in, []string{"CVE-2024-0001", "CVE-2024-0003"}},
		})
	})
	t.Run("by publication date", func(t *testing.T) {
		now := time.Now()
		aged := policytest.New().
			Finding(scan.Finding{ID: "CVE-NEW", Severity: result.SeverityCritical, Published: now.AddDate(0, 0, -2)}, curl).
			Finding(scan.Finding{ID: "CVE-OLD", Severity: result.SeverityCritical, Published: now.AddDate(0, 0, -400)}, curl).
			Finding(scan.Finding{ID: "CVE-UNDATED", Severity: result.SeverityCritical}, curl).
			Input()
		runRuleCases(t, policy.MaxSeverity{Max: result.SeverityHigh, IgnoreNewerThanDays: 7}, []ruleCase{
			{"grace period", aged, []string{"CVE-OLD", "CVE-UNDATED"}},
		})
		runRuleCases(t, policy.MaxSeverity{Max: result.SeverityHigh, IgnoreOlderThanDays: 365}, []ruleCase{
			{"recent only", aged, []string{"CVE-NEW", "CVE-UNDATED"}},
		})
	})
	t.Run("unrated and negligible", func(t *testing.T) {
		mixed := policytest.New().
			Finding(scan.Finding{ID: "GO-2024-0001", SeveritySource: scan.SeverityUnrated, FixedVersions: []string{"v0.23.0"}}, xnet).
			Finding(scan.Finding{ID: "CVE-2024-0005", Severity: result.SeverityNegligible, SeveritySource: scan.SeverityFromDistribution}, curl).
			Finding(scan.Finding{ID: "CVE-2024-0006", Suppressed: &scan.Suppression{By: "vex"}}, curl).
			Input()
		unrated := "GO-2024-0001 in golang.org/x/net v0.17.0 is unrated (no source rates it: it may be of any severity), fixed in v0.23.0"
		runRuleCases(t, policy.MaxSeverity{Max: result.SeverityHigh}, []ruleCase{{"deny by default", mixed, []string{unrated}}})
		runRuleCases(t, policy.MaxSeverity{Max: result.SeverityHigh, Unrated: policy.UnratedWarn}, []ruleCase{{"warn", mixed, []string{unrated}}})
		runRuleCases(t, policy.MaxSeverity{Max: result.SeverityHigh, Unrated: policy.UnratedIgnore}, []ruleCase{{"ignore", mixed, nil}})
		runRuleCases(t, policy.MaxSeverity{Max: result.SeverityUnknown, Unrated: policy.UnratedIgnore}, []ruleCase{
			{"negligible exceeds only nothing", mixed, []string{"CVE-2024-0005 (negligible) in curl"}}})
		if _, err := policy.Builtin("", policy.MaxSeverity{Unrated: "fail"}); !errors.Is(err, result.ErrInvalidOption) {
			t.Errorf("unrated fail: %v", err)
		}
		// The verdict: deny by default; warn makes the violation a
		// warning even in a denying rule; a warning rule stays a warning.
		for _, tt := range []struct {
			unrated policy.Unrated
			action  policy.Action
			want    policy.Verdict
		}{
			{"", policy.Deny, policy.VerdictDeny},
			{policy.UnratedWarn, policy.Deny, policy.VerdictWarn},
			{policy.UnratedDeny, policy.Warn, policy.VerdictWarn},
			{policy.UnratedIgnore, policy.Deny, policy.VerdictPass},
		} {
			r, err := policy.Builtin("", policy.MaxSeverity{Max: result.SeverityHigh, Unrated: tt.unrated})
			if err != nil {
				t.Fatal(err)
			}
			p, err := policy.New(policy.WithRule(r, tt.action))
			if err != nil {
				t.Fatal(err)
			}
			d, err := p.Evaluate(context.Background(), mixed)
			if err != nil {
				t.Fatal(err)
			}
			if d.Verdict != tt.want {
				t.Errorf("unrated %q in a %s rule: verdict %s, want %s", tt.unrated, tt.action, d.Verdict, tt.want)
			}
		}
	})
	if _, err := policy.Builtin("", policy.MaxSeverity{Max: 9}); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("severity 9: %v", err)
	}
	if _, err := policy.Builtin("", policy.MaxSeverity{IgnoreNewerThanDays: 30, IgnoreOlderThanDays: 10}); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("empty window: %v", err)
	}
}

func TestDenyVulnerabilities(t *testing.T) {
	in := policytest.New().
		Finding(scan.Finding{ID: "CVE-2021-44228", Aliases: []string{"GHSA-jfh8-c2jp-5v3q"}, Severity: result.SeverityCritical}, "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1").
		Finding(scan.Finding{ID: "DSA-5000-1", Aliases: []string{"CVE-2023-4863"}}, "pkg:deb/debian/libwebp7@1.2.4-0.2").
		Finding(scan.Finding{ID: "CVE-2023-9999", Suppressed: &scan.Suppression{By: "vex"}}, curl).
		Input()
	runRuleCases(t, policy.DenyVulnerabilities{IDs: []string{"ghsa-jfh8-c2jp-5v3q", "CVE-2023-4863", "CVE-2023-9999"}}, []ruleCase{
		{"ids and aliases", in, []string{"CVE-2021-44228 in org.apache.logging.log4j/log4j-core 2.14.1 is denied (as GHSA-jfh8-c2jp-5v3q)", "DSA-5000-1 in libwebp7 1.2.4-0.2 is denied (as CVE-2023-4863)"}},
		{"clean", policytest.New().Vuln("CVE-1", result.SeverityHigh, curl).Input(), nil},
		{"missing", policytest.New().Input(), []string{"missing:vulnerabilities"}},
	})
	if _, err := policy.Builtin("x", policy.DenyVulnerabilities{}); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("empty: %v", err)
	}
}

func TestPackages(t *testing.T) {
	in := policytest.New().Package(openssl).Package(curl).Package(lodash).Package(angular).Package(xnet).Input()
	t.Run("deny", func(t *testing.T) {
		runRuleCases(t, policy.Packages{Deny: []string{
			"pkg:deb/debian/openssl@<3.0.13-1~deb12u1", // Debian ordering: ~ sorts before
			"pkg:npm/@angular/*@17.*",
			"pkg:golang/golang.org/x/net@>=v0.0.0,<0.23.0",
			"pkg:*/curl@8.*",
		}}, []ruleCase{
			{"matches", in, []string{"openssl 3.0.11-1~deb12u2 matches denied", "@angular/core 17.0.1 matches denied", "golang.org/x/net v0.17.0 matches denied pkg:golang/golang.org/x/net@>=v0.0.0,<0.23.0"}},
			{"fixed versions pass", policytest.New().Package("pkg:deb/debian/openssl@3.0.13-1~deb12u1").Package("pkg:golang/golang.org/x/net@v0.23.0").Input(), nil},
			{"missing", policytest.New().Input(), []string{"missing:sbom"}},
		})
	})
	t.Run("allow", func(t *testing.T) {
		runRuleCases(t, policy.Packages{Allow: []string{"pkg:deb/*", "pkg:npm/lodash@>=4.17.21"}}, []ruleCase{
			{"outside", in, []string{"lodash 4.17.20 is not on the allow list", "@angular/core 17.0.1 is not on the allow list", "golang.org/x/net v0.17.0 is not on the allow list"}},
			{"empty sbom", policytest.New().CleanSBOM().Input(), nil},
		})
	})
	for _, bad := range []string{"npm/lodash", "pkg:lodash", "pkg:npm/x@", "pkg:npm/x@<", "pkg:unknowntype/x@<1", "pkg:npm/x#sub", "pkg:/x", "pkg:npm/", "pkg:/ "} {
		if _, err := policy.Builtin("", policy.Packages{Deny: []string{bad}}); !errors.Is(err, policy.ErrInvalidPattern) {
			t.Errorf("pattern %q: %v", bad, err)
		}
	}
}

func TestLicenses(t *testing.T) {
	in := policytest.New().
		Package("pkg:npm/a@1", "MIT").
		Package("pkg:npm/b@1", "MIT OR GPL-3.0-only").
		Package("pkg:npm/c@1", "MIT AND GPL-3.0-only").
		Package("pkg:npm/d@1", "GPL-2.0-only WITH Classpath-exception-2.0").
		Package("pkg:npm/e@1", "Some Custom Licence").
		Package("pkg:npm/f@1").
		Package("pkg:npm/g@1", "Apache-2.0", "BSD-3-Clause").
		Input()
	t.Run("allow", func(t *testing.T) {
		runRuleCases(t, policy.Licenses{Allow: []string{"MIT", "Apache-2.0"}}, []ruleCase{
			{"spdx", in, []string{"c 1: licence MIT AND GPL-3.0-only is not allowed", "d 1: licence GPL-2.0-only WITH", "e 1: licence \"Some Custom Licence\" is not an SPDX expression", "g 1: licence BSD-3-Clause is not allowed"}},
			{"missing", policytest.New().Input(), []string{"missing:sbom"}},
		})
	})
	t.Run("deny", func(t *testing.T) {
		runRuleCases(t, policy.Licenses{Deny: []string{"GPL-3.0-only", "GPL-2.0-only"}, RequireLicense: true}, []ruleCase{
			{"spdx", in, []string{"c 1: licence MIT AND GPL-3.0-only cannot be met without a denied licence", "d 1: licence GPL-2.0-only WITH Classpath-exception-2.0 is denied", "f 1 records no licence"}},
		})
	})
	t.Run("deny by name", func(t *testing.T) {
		runRuleCases(t, policy.Licenses{Deny: []string{"AGPL-3.0-only"}}, []ruleCase{
			{"free text", policytest.New().Package("pkg:npm/x@1", "agpl-3.0-only").Package("pkg:npm/y@1", "Some Custom Licence").Input(), []string{"x 1: licence agpl-3.0-only is denied"}},
		})
	})
	if _, err := policy.Builtin("", policy.Licenses{Allow: []string{"Not-A-Licence"}}); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("bad licence id: %v", err)
	}
}

func TestRegistries(t *testing.T) {
	runRuleCases(t, policy.Registries{Allow: []string{"ghcr.io/acme", "docker.io/library"}}, []ruleCase{
		{"allowed", policytest.New().Image("ghcr.io/acme/app:1.2", digest).Input(), nil},
		{"allowed with scheme", policytest.New().Image("registry:ghcr.io/acme/team/app@"+digest, "").Input(), nil},
		{"docker hub short", policytest.New().Image("debian:12", "").Input(), nil},
		{"prefix is a path boundary", policytest.New().Image("ghcr.io/acme-evil/app:1", "").Input(), []string{"ghcr.io/acme-evil/app is not from an allowed registry"}},
		{"other registry", policytest.New().Image("quay.io/acme/app:1", "").Input(), []string{"quay.io/acme/app is not from an allowed registry"}},
		{"docker hub user", policytest.New().Image("someone/app", "").Input(), []string{"index.docker.io/someone/app"}},
		{"missing", policytest.New().Input(), []string{"missing:reference"}},
	})
}

func TestBaseImages(t *testing.T) {
	runRuleCases(t, policy.BaseImages{Allow: []string{"docker.io/library/debian:12*", "cgr.dev/chainguard/*"}}, []ruleCase{
		{"allowed", policytest.New().Label(policy.LabelBaseName, "cgr.dev/chainguard/static:latest").Input(), nil},
		{"hub short form", policytest.New().Label(policy.LabelBaseName, "debian:12-slim").Input(), nil},
		{"other", policytest.New().Label(policy.LabelBaseName, "ubuntu:22.04").Input(), []string{"base image ubuntu:22.04 is not allowed"}},
		{"no label", policytest.New().Config().Input(), []string{"missing:label"}},
		{"no config", policytest.New().Input(), []string{"missing:config"}},
	})
}

func TestSigned(t *testing.T) {
	base := func() *policytest.Builder { return policytest.New().Image("ghcr.io/acme/app:1", digest) }
	gh := policy.SignatureEvidence{Verified: true, Digest: digest, Issuer: "https://token.actions.githubusercontent.com",
		Subject: "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1"}
	t.Run("key", func(t *testing.T) {
		runRuleCases(t, policy.Signed{Keys: []string{"sha256:abc"}}, []ruleCase{
			{"signed", base().SignedBy("sha256:abc").Input(), nil},
			{"other key", base().SignedBy("sha256:def").Input(), []string{"no valid signature by a trusted signer: signer key sha256:def is not trusted"}},
			{"other digest", base().Signature(policy.SignatureEvidence{Verified: true, Digest: digest2, Key: "sha256:abc"}).Input(), []string{"a signature covers sha256:222222222222, not sha256:111111111111"}},
			{"failed", base().Signature(policy.SignatureEvidence{Digest: digest, Error: "no matching signatures"}).Input(), []string{"verification failed: no matching signatures"}},
			{"attestation is not a signature", base().Signature(policy.SignatureEvidence{Verified: true, Digest: digest, Key: "sha256:abc", PredicateTypes: []string{"https://slsa.dev/provenance/v1"}}).Input(), []string{"no valid signature"}},
			{"missing", base().Input(), []string{"missing:signatures"}},
		})
	})
	t.Run("identity", func(t *testing.T) {
		runRuleCases(t, policy.Signed{Identities: []policy.Identity{{Issuer: gh.Issuer, Subject: "https://github.com/acme/*"}}}, []ruleCase{
			{"signed", base().Signature(gh).Input(), nil},
			{"other subject", base().Signature(policy.SignatureEvidence{Verified: true, Digest: digest, Issuer: gh.Issuer, Subject: "https://github.com/evil/app/x"}).Input(), []string{"signer https://github.com/evil/app/x"}},
		})
	})
	t.Run("attested", func(t *testing.T) {
		slsa, spdx := "https://slsa.dev/provenance/v1", "https://spdx.dev/Document"
		att := gh
		att.PredicateTypes = []string{slsa}
		runRuleCases(t, policy.Signed{PredicateTypes: []string{slsa, spdx}}, []ruleCase{
			{"one of two", base().Signature(att).Input(), []string{"no valid https://spdx.dev/Document attestation"}},
			{"plain signature only", base().Signature(gh).Input(), []string{"no valid " + slsa, "no valid " + spdx}},
		})
	})
	if _, err := policy.Builtin("", policy.Signed{Identities: []policy.Identity{{Subject: "x"}}}); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("identity without issuer: %v", err)
	}
}

func TestNoSecrets(t *testing.T) {
	in := policytest.New().
		Secret("aws-access-key", result.SeverityCritical, "app/.env", 3).
		Secret("generic-password", result.SeverityLow, "etc/app.conf", 0).
		Input()
	in.Secrets.Findings[0].Layer, in.Secrets.Findings[0].Visible = digest, false
	runRuleCases(t, policy.NoSecrets{}, []ruleCase{
		{"all", in, []string{"aws-access-key (critical) in app/.env:3, deleted by a later layer but still in the image", "generic-password (low) in etc/app.conf"}},
		{"clean", policytest.New().CleanSecrets().Input(), nil},
		{"missing", policytest.New().Input(), []string{"missing:secrets"}},
	})
	runRuleCases(t, policy.NoSecrets{MinSeverity: result.SeverityHigh}, []ruleCase{
		{"high", in, []string{"aws-access-key"}},
	})
}

func TestNoRoot(t *testing.T) {
	runRuleCases(t, policy.NoRoot{}, []ruleCase{
		{"unset", policytest.New().Config().Input(), []string{"runs as root (no USER set)"}},
		{"root", policytest.New().User("root").Input(), []string{"(USER root)"}},
		{"uid 0 with group", policytest.New().User("0:1000").Input(), []string{"(USER 0:1000)"}},
		{"named", policytest.New().User("app").Input(), nil},
		{"numeric", policytest.New().User("65532:65532").Input(), nil},
		{"missing", policytest.New().Input(), []string{"missing:config"}},
	})
}

func TestMaxAge(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	r, err := policy.Builtin("", policy.MaxAge{Days: 30})
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.New(policy.WithRule(r, policy.Deny), policy.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		in   *policy.Input
		want string
	}{
		{"fresh", policytest.New().Created(now.AddDate(0, 0, -29)).Input(), ""},
		{"old", policytest.New().Created(now.AddDate(0, 0, -45)).Input(), "the image is 45 days old (created 2026-04-17), more than 30"},
		{"input field wins", &policy.Input{Created: now.AddDate(0, 0, -1), Config: policytest.New().Created(now.AddDate(-1, 0, 0)).Input().Config}, ""},
		{"epoch", policytest.New().Created(time.Unix(0, 0)).Input(), "Unix epoch"},
		{"unknown", policytest.New().Input(), "creation time is unknown"},
	} {
		d := policytest.Decide(t, p, c.in)
		got := ""
		if len(d.Violations) > 0 {
			got = d.Violations[0].Message
		}
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
	if _, err := policy.Builtin("", policy.MaxAge{}); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("0 days: %v", err)
	}
}

func TestRequiredLabels(t *testing.T) {
	runRuleCases(t, policy.RequiredLabels{Labels: map[string]string{
		"org.opencontainers.image.source":  "https://github\\.com/acme/.+",
		"org.opencontainers.image.version": "",
	}}, []ruleCase{
		{"set", policytest.New().Label("org.opencontainers.image.source", "https://github.com/acme/app").Label("org.opencontainers.image.version", "1.2").Input(), nil},
		{"wrong and unset", policytest.New().Label("org.opencontainers.image.source", "https://gitlab.com/x").Input(), []string{"label org.opencontainers.image.source is \"https://gitlab.com/x\", which does not match", "label org.opencontainers.image.version is not set"}},
		{"missing", policytest.New().Input(), []string{"missing:config"}},
	})
	if _, err := policy.Builtin("", policy.RequiredLabels{Labels: map[string]string{"a": "("}}); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("bad regexp: %v", err)
	}
}

func TestHardening(t *testing.T) {
	in := policytest.New().
		Hardening("root-user", result.SeverityHigh, harden.Evidence{User: "root"}).
		Hardening("sshd", result.SeverityMedium, harden.Evidence{Port: "22/tcp"}).
		Hardening("apt-cache", result.SeverityLow, harden.Evidence{Path: "var/cache/apt", Layer: digest}).
		Input()
	runRuleCases(t, policy.Hardening{IDs: []string{"root-user", "apt-cache"}}, []ruleCase{
		{"listed", in, []string{"root-user", "apt-cache"}},
		{"clean", policytest.New().CleanHardening().Input(), nil},
		{"scan without hardening", policytest.New().CleanScan().Input(), []string{"missing:hardening"}},
		{"missing", policytest.New().Input(), []string{"missing:hardening"}},
		{"hardening report without a vulnerability scan", &policy.Input{Hardening: &harden.Report{Checks: []string{"root-user"},
			Findings: []harden.Finding{{ID: "root-user", Severity: result.SeverityHigh, Evidence: harden.Evidence{User: "root"}}}}}, []string{"root-user"}},
		{"report with no findings", &policy.Input{Hardening: &harden.Report{Checks: []string{"root-user", "apt-cache"}}}, nil},
	})
	runRuleCases(t, policy.Hardening{IDs: []string{"*"}, MinSeverity: result.SeverityMedium}, []ruleCase{
		{"all medium+", in, []string{"root-user", "sshd"}},
	})
}

func TestBuiltinTypes(t *testing.T) {
	types := policy.BuiltinTypes()
	// The rules added after the list was first written are listed too: it
	// is derived from the types that load, never kept by hand.
	for _, want := range []string{"no-malicious-packages", "no-known-exploited", "max-epss", "supported-distro"} {
		if !slices.Contains(types, want) {
			t.Errorf("BuiltinTypes lacks %s: %v", want, types)
		}
	}
	for _, typ := range types {
		doc := "rules:\n  - type: " + typ + "\n    action: info\n"
		_, err := policy.Load([]byte(doc))
		// Every type loads by name; those with required parameters say so.
		if err != nil && (!errors.Is(err, result.ErrInvalidOption) || strings.Contains(err.Error(), "unknown type")) {
			t.Errorf("%s: %v", typ, err)
		}
	}
}

func TestRuleFunc(t *testing.T) {
	r := policy.RuleFunc("no-latest", func(_ context.Context, in *policy.Input) ([]policy.Violation, error) {
		if strings.HasSuffix(in.ImageReference(), ":latest") {
			return []policy.Violation{{Message: "tag latest"}}, nil
		}
		return nil, nil
	})
	if vs := policytest.Violations(t, r, policytest.New().Image("x/y:latest", "").Input()); len(vs) != 1 {
		t.Errorf("latest: %v", vs)
	}
	if vs := policytest.Violations(t, r, policytest.New().Image("x/y:1", "").Input()); len(vs) != 0 {
		t.Errorf("1: %v", vs)
	}
}

// TestNoSecretsClasses: findings in files packages installed are not
// gated unless the rule names their class; a modified package file is.
func TestNoSecretsClasses(t *testing.T) {
	in := &policy.Input{Secrets: &secrets.Report{Findings: []secrets.Finding{
		{RuleID: "own", File: "app/.env", Severity: result.SeverityHigh},
		{RuleID: "vendor", File: "usr/sbin/deluser", Severity: result.SeverityHigh, Class: result.ClassVendor, Owner: "pkg:deb/debian/adduser@3.134"},
		{RuleID: "third", File: "app/node_modules/a/README.md", Severity: result.SeverityHigh, Class: result.ClassThirdParty, Owner: "pkg:npm/a@1.0.0"},
		{RuleID: "modified", File: "etc/tools.conf", Severity: result.SeverityHigh, Owner: "pkg:deb/debian/tools@1.0"},
	}}}
	for _, tc := range []struct {
		p    policy.NoSecrets
		want string
	}{
		{policy.NoSecrets{}, "own,modified"},
		{policy.NoSecrets{Classes: []result.Class{result.ClassThirdParty}}, "own,third,modified"},
		{policy.NoSecrets{Classes: []result.Class{result.ClassVendor, result.ClassThirdParty}}, "own,vendor,third,modified"},
	} {
		var got []string
		for _, v := range policytest.Violations(t, mustBuiltin(t, tc.p), in) {
			got = append(got, v.Evidence.Finding)
			if v.Evidence.Finding == "modified" && !strings.Contains(v.Message, "modified since") {
				t.Errorf("message %q", v.Message)
			}
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("%+v: %v, want %s", tc.p, got, tc.want)
		}
	}
	if _, err := policy.Builtin("", policy.NoSecrets{Classes: []result.Class{"mine"}}); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("unknown class: %v", err)
	}
	p, err := policy.Load([]byte("rules:\n  - type: no-secrets\n    action: deny\n    classes: [vendor]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if d, err := p.Evaluate(context.Background(), in); err != nil || len(d.Violations) != 3 {
		t.Errorf("loaded classes: %v %+v", err, d)
	}
}

func TestNoMaliciousPackages(t *testing.T) {
	in := policytest.New().
		Finding(scan.Finding{ID: "MAL-2024-1234", Severity: result.SeverityCritical, SeveritySource: scan.SeverityFromMalicious, Class: result.ClassMalicious},
			"pkg:npm/event-stream-evil@1.0.0").
		Finding(scan.Finding{ID: "MAL-2024-9999", Severity: result.SeverityCritical, Class: result.ClassMalicious, Suppressed: &scan.Suppression{By: "vex"}},
			"pkg:npm/other@1.0.0").
		Vuln("CVE-2024-0001", result.SeverityCritical, openssl).
		Input()
	runRuleCases(t, policy.NoMaliciousPackages{}, []ruleCase{
		{"malicious", in, []string{"event-stream-evil 1.0.0 is a malicious package (MAL-2024-1234): remove it and treat the build as compromised"}},
		{"clean", policytest.New().CleanScan().Input(), nil},
		{"missing", policytest.New().Input(), []string{"missing:vulnerabilities"}},
	})
}
