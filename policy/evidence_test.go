package policy_test

import (
	"reflect"
	"testing"

	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/policy/policytest"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/secrets"
)

func TestEvidenceConversions(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want policy.Evidence
	}{
		{"vulnerability", policy.VulnerabilityEvidence(&scan.Finding{ID: "DSA-1", Aliases: []string{"CVE-1"}, Severity: result.SeverityHigh,
			Package: scan.Package{Name: "curl", Version: "7.88", Type: "deb", PURL: curl, Layer: digest, Location: "var/lib/dpkg/status"}}),
			policy.Evidence{Finding: "DSA-1", Aliases: []string{"CVE-1"}, Severity: result.SeverityHigh, Package: curl, Layer: digest, Path: "var/lib/dpkg/status"}},
		{"vulnerability without a purl", policy.VulnerabilityEvidence(&scan.Finding{ID: "GHSA-1", Package: scan.Package{Name: "@scope/x", Version: "1.0", Type: "npm"}}),
			policy.Evidence{Finding: "GHSA-1", Package: "pkg:npm/@scope%2Fx@1.0"}},
		{"secret", policy.SecretEvidence(&secrets.Finding{RuleID: "aws-access-key", Severity: result.SeverityCritical, File: "app/.env", Line: 3,
			Layer: digest, Fingerprint: "fp", Secret: "AKIA****"}),
			policy.Evidence{Finding: "aws-access-key", Severity: result.SeverityCritical, Layer: digest, Path: "app/.env", Line: 3, Value: "fp"}},
		{"hardening", policy.HardeningEvidence(&harden.Finding{ID: "sshd", Severity: result.SeverityMedium, Evidence: harden.Evidence{Port: "22/tcp", Detail: "d"}}),
			policy.Evidence{Finding: "sshd", Severity: result.SeverityMedium, Value: "22/tcp"}},
		{"hardening file", policy.HardeningEvidence(&harden.Finding{ID: "setuid", Evidence: harden.Evidence{Path: "usr/bin/x", Layer: digest2}}),
			policy.Evidence{Finding: "setuid", Layer: digest2, Path: "usr/bin/x"}},
		{"package", policy.PackageEvidence(&sbom.Package{Name: "openssl", PURL: openssl, Layer: digest, Location: "var/lib/dpkg/status"}),
			policy.Evidence{Package: openssl, Layer: digest, Path: "var/lib/dpkg/status"}},
		{"package without a purl", policy.PackageEvidence(&sbom.Package{Name: "@scope/x", Version: "1.0", Type: "npm"}),
			policy.Evidence{Package: "pkg:npm/@scope%2Fx@1.0"}},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: %+v, want %+v", c.name, c.got, c.want)
		}
	}
}

// Built-in rules and CEL rules give a finding the evidence the exported
// conversions give it: one conversion, whichever rule reports it.
func TestEvidenceIsOneConversion(t *testing.T) {
	in := policytest.New().Now(goldenNow).
		PackageIn(curl, digest2, "var/lib/dpkg/status").
		FindingIn(scan.Finding{ID: "DSA-1", Aliases: []string{"CVE-1"}, Severity: result.SeverityCritical}, curl, digest2, "var/lib/dpkg/status").
		DeletedSecretIn("aws-access-key", result.SeverityCritical, digest, "app/.env", 3).
		Hardening("sshd", result.SeverityHigh, harden.Evidence{Port: "22/tcp", Layer: digest}).
		Input()
	vuln := policy.VulnerabilityEvidence(&in.Scan.Findings[0])
	secret := policy.SecretEvidence(&in.Secrets.Findings[0])
	hard := policy.HardeningEvidence(&in.Hardening.Findings[0])
	pkg := policy.PackageEvidence(&in.SBOM.Packages[0])
	denied := pkg
	denied.Value = "pkg:deb/debian/curl"
	cel := func(expr string) policy.Rule {
		r, err := policy.NewCELRule("c", "", expr, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, c := range []struct {
		name string
		rule policy.Rule
		want policy.Evidence
	}{
		{"max-severity", mustBuiltin(t, policy.MaxSeverity{Max: result.SeverityHigh}), vuln},
		{"deny-vulnerabilities", mustBuiltin(t, policy.DenyVulnerabilities{IDs: []string{"CVE-1"}}), vuln},
		{"cel vulnerabilities", cel(`input.vulnerabilities`), vuln},
		{"no-secrets", mustBuiltin(t, policy.NoSecrets{}), secret},
		{"cel secrets", cel(`input.secrets`), secret},
		{"hardening", mustBuiltin(t, policy.Hardening{IDs: []string{"*"}}), hard},
		{"cel hardening", cel(`input.hardening`), hard},
		{"packages", mustBuiltin(t, policy.Packages{Deny: []string{"pkg:deb/debian/curl"}}), denied},
		{"cel packages", cel(`input.packages`), pkg},
		{"cel package of a vulnerability", cel(`input.vulnerabilities.map(v, v.package)`),
			policy.Evidence{Package: vuln.Package, Layer: vuln.Layer, Path: vuln.Path}},
	} {
		vs := policytest.Violations(t, c.rule, in)
		if len(vs) != 1 || !reflect.DeepEqual(vs[0].Evidence, c.want) {
			t.Errorf("%s: %+v, want evidence %+v", c.name, vs, c.want)
		}
	}
}
