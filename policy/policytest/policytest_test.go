package policytest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

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
		Hardening("sshd", result.SeverityMedium, scan.Evidence{Port: "22/tcp"}).
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
	if f.Package.Name != "curl" || f.Package.Version != "7.88" || f.FixedVersions[0] != "7.89" || !in.HardeningChecked || len(in.Scan.Hardening) != 1 {
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
