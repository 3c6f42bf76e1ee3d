package policytest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/policy/policytest"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/scan"
)

func TestBuilder(t *testing.T) {
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	in := policytest.New().
		Image("ghcr.io/acme/app:1", "sha256:d").
		User("app").Label("team", "a").Created(created).
		Package("pkg:npm/%40scope/name@1.2.3", "MIT").
		PackageIn("pkg:deb/debian/curl@7.88", "sha256:l", "var/lib/dpkg/status").
		Vuln("CVE-1", result.SeverityHigh, "pkg:deb/debian/curl@7.88", "7.89").
		Hardening("sshd", result.SeverityMedium, harden.Evidence{Port: "22/tcp"}).
		Secret("aws-access-key", result.SeverityCritical, "app/.env", 3).
		SignedBy("sha256:k").
		Input()
	if in.ImageReference() != "ghcr.io/acme/app:1" || in.ImageDigest() != "sha256:d" || !in.CreatedAt().Equal(created) {
		t.Errorf("image facts: %+v", in)
	}
	if in.Config.Config.User != "app" || in.Config.Config.Labels["team"] != "a" {
		t.Errorf("config: %+v", in.Config.Config)
	}
	if len(in.SBOM.Packages) != 2 || in.SBOM.Packages[0].Name != "@scope/name" || in.SBOM.Packages[1].Layer != "sha256:l" || in.SBOM.Packages[0].Licenses[0] != "MIT" {
		t.Errorf("packages: %+v", in.SBOM.Packages)
	}
	f := in.Scan.Findings[0]
	if f.Package.Name != "curl" || f.Package.Version != "7.88" || f.FixedVersions[0] != "7.89" || len(in.Hardening.Findings) != 1 || in.Hardening.Findings[0].Evidence.Port != "22/tcp" {
		t.Errorf("scan: %+v", in.Scan)
	}
	if s := in.Secrets.Findings[0]; s.Line != 3 || !s.Visible || s.Secret == "x" {
		t.Errorf("secret: %+v", s)
	}
	if e := in.Signatures[0]; !e.Verified || e.Digest != "sha256:d" || e.Key != "sha256:k" {
		t.Errorf("signature: %+v", e)
	}
	// Inputs are independent of the builder after Input.
	b := policytest.New().CleanSBOM()
	first := b.Input()
	b.Image("x", "")
	if first.Reference != "" {
		t.Error("Input shares the builder's state")
	}
	if e := policytest.New().Input(); e.SBOM != nil || e.Scan != nil || e.Secrets != nil || e.Config != nil || e.Signatures != nil {
		t.Errorf("empty builder has evidence: %+v", e)
	}
}

func TestBuilderLayers(t *testing.T) {
	const layer, later = "sha256:l1", "sha256:l2"
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	in := policytest.New().
		Now(now).
		VulnIn("CVE-1", result.SeverityHigh, "pkg:deb/debian/curl@7.88", layer, "var/lib/dpkg/status", "7.89").
		FindingIn(scan.Finding{ID: "GHSA-1", Aliases: []string{"CVE-2"}}, "pkg:npm/lodash@4.17.20", later, "app/package-lock.json").
		Vuln("CVE-3", result.SeverityLow, "pkg:deb/debian/curl@7.88").
		SecretIn("aws-access-key", result.SeverityCritical, later, "app/.env", 3).
		DeletedSecretIn("private-key", result.SeverityHigh, layer, "root/.ssh/id_rsa", 1).
		HardeningIn("setuid-binaries", result.SeverityMedium, layer, "usr/bin/newgrp").
		Incomplete(later, "usr/lib/x.so", errors.New("unexpected EOF")).
		Input()
	if !in.Now.Equal(now) {
		t.Errorf("Now %v", in.Now)
	}
	for i, want := range []struct{ id, layer, location string }{
		{"CVE-1", layer, "var/lib/dpkg/status"},
		{"GHSA-1", later, "app/package-lock.json"},
		{"CVE-3", "", "var/lib/deb"},
	} {
		f := in.Scan.Findings[i]
		if f.ID != want.id || f.Package.Layer != want.layer || f.Package.Location != want.location {
			t.Errorf("finding %d: %+v, want %+v", i, f, want)
		}
	}
	if f := in.Scan.Findings[0]; f.Package.Name != "curl" || f.Package.PURL != "pkg:deb/debian/curl@7.88" || f.FixedVersions[0] != "7.89" || f.Severity != result.SeverityHigh {
		t.Errorf("VulnIn: %+v", f)
	}
	if f := in.Scan.Findings[1]; f.Aliases[0] != "CVE-2" || f.Package.Name != "lodash" {
		t.Errorf("FindingIn: %+v", f)
	}
	if s := in.Secrets.Findings[0]; s.Layer != later || s.File != "app/.env" || s.Line != 3 || !s.Visible || s.Secret == "" {
		t.Errorf("SecretIn: %+v", s)
	}
	if s := in.Secrets.Findings[1]; s.Layer != layer || s.File != "root/.ssh/id_rsa" || s.Visible || s.Severity != result.SeverityHigh {
		t.Errorf("DeletedSecretIn: %+v", s)
	}
	if h := in.Hardening.Findings[0]; h.ID != "setuid-binaries" || h.Evidence.Layer != layer || h.Evidence.Path != "usr/bin/newgrp" || in.Hardening.Checks[0] != "setuid-binaries" {
		t.Errorf("HardeningIn: %+v", h)
	}
	if e := in.Incomplete; len(e) != 1 || e[0].Layer != later || e[0].Path != "usr/lib/x.so" || e[0].Err.Error() != "unexpected EOF" {
		t.Errorf("Incomplete: %+v", e)
	}

	// The rules see the placement.
	noSecrets, err := policy.Builtin("", policy.NoSecrets{})
	if err != nil {
		t.Fatal(err)
	}
	vs := policytest.Violations(t, noSecrets, in)
	if len(vs) != 2 || vs[1].Evidence.Layer != layer || !strings.Contains(vs[1].Message, "deleted by a later layer") || strings.Contains(vs[0].Message, "deleted") {
		t.Errorf("no-secrets: %+v", vs)
	}
}

// Violations gives the rule a Now, as Policy.Evaluate does: the input's,
// or the current time.
func TestViolationsNow(t *testing.T) {
	var seen time.Time
	rule := policy.RuleFunc("now", func(_ context.Context, in *policy.Input) ([]policy.Violation, error) {
		seen = in.Now
		return nil, nil
	})
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.FixedZone("x", 3600))
	in := policytest.New().Now(at).Input()
	policytest.Violations(t, rule, in)
	if !seen.Equal(at) || seen.Location() != time.UTC {
		t.Errorf("rule saw %v, want %v in UTC", seen, at)
	}
	before := time.Now()
	in = policytest.New().Input()
	policytest.Violations(t, rule, in)
	if seen.Before(before) || time.Since(seen) > time.Minute || !in.Now.IsZero() {
		t.Errorf("rule saw %v; the input's Now is %v", seen, in.Now)
	}
}

func TestBadPURLPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	policytest.New().Package("not a purl")
}

// Testing a team's own Go rule.
func Example() {
	rule := policy.RuleFunc("no-dev-tools", func(_ context.Context, in *policy.Input) ([]policy.Violation, error) {
		if in.SBOM == nil {
			return []policy.Violation{policy.MissingEvidence(policy.MissingSBOM, "no SBOM")}, nil
		}
		var vs []policy.Violation
		for _, p := range in.SBOM.Packages {
			if p.Name == "gcc" || p.Name == "make" {
				vs = append(vs, policy.Violation{Message: p.Name + " in a runtime image", Evidence: policy.Evidence{Package: p.PURL}})
			}
		}
		return vs, nil
	})
	// In a test: vs := policytest.Violations(t, rule, in)
	in := policytest.New().Package("pkg:deb/debian/gcc-12@12.2.0-14").Package("pkg:deb/debian/make@4.3-4.1").Input()
	vs, _ := rule.Evaluate(context.Background(), in)
	for _, v := range vs {
		fmt.Println(v.Message)
	}
	vs, _ = rule.Evaluate(context.Background(), policytest.New().Input())
	fmt.Println(vs[0].Evidence.Missing)
	// Output:
	// make in a runtime image
	// sbom
}
