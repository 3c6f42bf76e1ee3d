// Package policytest builds policy inputs for tests in a few lines, so
// that teams test their Go and declarative rules with plain go test.
//
//	in := policytest.New().
//		Image("ghcr.io/acme/app:1.2", "sha256:…").
//		User("app").
//		Package("pkg:deb/debian/openssl@3.0.11-1", "Apache-2.0").
//		Vuln("CVE-2024-0001", result.SeverityHigh, "pkg:deb/debian/openssl@3.0.11-1", "3.0.13-1").
//		Input()
//	vs := policytest.Violations(t, rule, in)
//
// Each kind of evidence is absent until a method adds some, so that tests
// can check what a rule does without it; the Clean methods add a kind of
// evidence with no findings. The In methods (PackageIn, VulnIn, FindingIn,
// SecretIn, DeletedSecretIn, HardeningIn) place evidence in a file of a
// layer; Now fixes the time the input is judged at, and Incomplete
// records a layer that was not read whole.
package policytest

import (
	"context"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/package-url/packageurl-go"

	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/secrets"
)

// Builder assembles a policy.Input. Its methods panic on malformed purls:
// they are for tests, where a typo should fail loudly.
type Builder struct {
	in policy.Input
}

// New starts an empty input.
func New() *Builder { return &Builder{} }

// Input returns the input built so far.
func (b *Builder) Input() *policy.Input {
	in := b.in
	return &in
}

// Now sets the time the input is judged at (policy.Input.Now), so that
// rules over ages decide the same way whenever the test runs.
func (b *Builder) Now(t time.Time) *Builder {
	b.in.Now = t
	return b
}

// Incomplete records that layer (a diff_id) could not be read whole, at
// path when not empty, because of err (policy.Input.Incomplete).
func (b *Builder) Incomplete(layer, path string, err error) *Builder {
	b.in.Incomplete = append(b.in.Incomplete, result.FileError{Layer: layer, Path: path, Err: err})
	return b
}

// Image sets the image reference and digest.
func (b *Builder) Image(ref, digest string) *Builder {
	b.in.Reference, b.in.Digest = ref, digest
	return b
}

func (b *Builder) config() *v1.ConfigFile {
	if b.in.Config == nil {
		b.in.Config = &v1.ConfigFile{OS: "linux", Architecture: "amd64"}
	}
	return b.in.Config
}

// Config adds an image config (running as root, no labels) if there is
// none yet.
func (b *Builder) Config() *Builder {
	b.config()
	return b
}

// User sets the config's user.
func (b *Builder) User(u string) *Builder {
	b.config().Config.User = u
	return b
}

// Label sets a config label.
func (b *Builder) Label(k, v string) *Builder {
	c := b.config()
	if c.Config.Labels == nil {
		c.Config.Labels = map[string]string{}
	}
	c.Config.Labels[k] = v
	return b
}

// Created sets the config's creation time.
func (b *Builder) Created(t time.Time) *Builder {
	b.config().Created = v1.Time{Time: t}
	return b
}

func (b *Builder) sbom() *sbom.SBOM {
	if b.in.SBOM == nil {
		b.in.SBOM = &sbom.SBOM{SchemaVersion: sbom.SchemaVersion, Source: sbom.Source{Type: sbom.SourceImage}, Packages: []sbom.Package{}}
	}
	return b.in.SBOM
}

// CleanSBOM adds an SBOM with no packages.
func (b *Builder) CleanSBOM() *Builder {
	b.sbom()
	return b
}

// Package adds a package, by purl, with licences.
func (b *Builder) Package(purl string, licenses ...string) *Builder {
	p := pkg(purl)
	p.Licenses = licenses
	s := b.sbom()
	s.Packages = append(s.Packages, p)
	return b
}

// PackageIn adds a package in a layer at a location.
func (b *Builder) PackageIn(purl, layer, location string) *Builder {
	p := pkg(purl)
	p.Layer, p.Location = layer, location
	s := b.sbom()
	s.Packages = append(s.Packages, p)
	return b
}

func pkg(purl string) sbom.Package {
	u, err := packageurl.FromString(purl)
	if err != nil {
		panic("policytest: " + err.Error())
	}
	name := u.Name
	if u.Namespace != "" && u.Type != "deb" && u.Type != "apk" && u.Type != "rpm" {
		name = u.Namespace + "/" + u.Name
	}
	return sbom.Package{ID: purl, Name: name, Version: u.Version, Type: u.Type, PURL: purl, Location: "var/lib/" + u.Type}
}

func (b *Builder) scan() *scan.Report {
	if b.in.Scan == nil {
		b.in.Scan = &scan.Report{SchemaVersion: scan.ReportSchemaVersion, Findings: []scan.Finding{}}
	}
	return b.in.Scan
}

// CleanScan adds a vulnerability report with no findings.
func (b *Builder) CleanScan() *Builder {
	b.scan()
	return b
}

// Vuln adds a vulnerability of severity in the package purl, fixed in
// fixed (none: no fix known).
func (b *Builder) Vuln(id string, severity result.Severity, purl string, fixed ...string) *Builder {
	return b.Finding(scan.Finding{ID: id, Severity: severity, FixedVersions: fixed}, purl)
}

// VulnIn adds a vulnerability of severity in the package purl found in
// layer (a diff_id) at location (the package database or file that
// records it), fixed in fixed (none: no fix known).
func (b *Builder) VulnIn(id string, severity result.Severity, purl, layer, location string, fixed ...string) *Builder {
	return b.FindingIn(scan.Finding{ID: id, Severity: severity, FixedVersions: fixed}, purl, layer, location)
}

// Finding adds a vulnerability finding as given, with its package taken
// from purl.
func (b *Builder) Finding(f scan.Finding, purl string) *Builder {
	p := pkg(purl)
	return b.FindingIn(f, purl, p.Layer, p.Location)
}

// FindingIn adds a vulnerability finding as given, with its package taken
// from purl and found in layer at location.
func (b *Builder) FindingIn(f scan.Finding, purl, layer, location string) *Builder {
	p := pkg(purl)
	f.Package = scan.Package{Name: p.Name, Version: p.Version, Type: p.Type, PURL: purl, Location: location, Layer: layer, ID: p.ID}
	r := b.scan()
	r.Findings = append(r.Findings, f)
	return b
}

func (b *Builder) hardening() *harden.Report {
	if b.in.Hardening == nil {
		b.in.Hardening = &harden.Report{SchemaVersion: harden.SchemaVersion, Findings: []harden.Finding{}}
	}
	return b.in.Hardening
}

// CleanHardening records that the hardening checks ran and found nothing.
func (b *Builder) CleanHardening() *Builder {
	b.hardening()
	return b
}

// HardeningIn adds a hardening finding about the file path of layer (a
// diff_id), such as a setuid binary or a package cache a layer left.
func (b *Builder) HardeningIn(id string, severity result.Severity, layer, path string) *Builder {
	return b.Hardening(id, severity, harden.Evidence{Layer: layer, Path: path})
}

// Hardening adds a hardening finding.
func (b *Builder) Hardening(id string, severity result.Severity, ev harden.Evidence) *Builder {
	r := b.hardening()
	r.Checks = append(r.Checks, id)
	r.Findings = append(r.Findings, harden.Finding{ID: id, Title: id, Severity: severity, Evidence: ev})
	return b
}

func (b *Builder) secrets() *secrets.Report {
	if b.in.Secrets == nil {
		b.in.Secrets = &secrets.Report{SchemaVersion: secrets.ReportSchemaVersion, Findings: []secrets.Finding{}}
	}
	return b.in.Secrets
}

// CleanSecrets adds a secret scan with no findings.
func (b *Builder) CleanSecrets() *Builder {
	b.secrets()
	return b
}

// Secret adds a secret finding of rule in file at line, visible in the
// final filesystem. Its secret is a redacted placeholder.
func (b *Builder) Secret(rule string, severity result.Severity, file string, line int) *Builder {
	return b.secret(rule, severity, "", file, line, true)
}

// SecretIn adds a secret finding of rule in file at line, in layer (a
// diff_id), and visible in the final filesystem.
func (b *Builder) SecretIn(rule string, severity result.Severity, layer, file string, line int) *Builder {
	return b.secret(rule, severity, layer, file, line, true)
}

// DeletedSecretIn adds a secret finding of rule in file at line, in layer
// (a diff_id), where a later layer deletes or replaces the file: it is
// not in the final filesystem but still in the image.
func (b *Builder) DeletedSecretIn(rule string, severity result.Severity, layer, file string, line int) *Builder {
	return b.secret(rule, severity, layer, file, line, false)
}

func (b *Builder) secret(rule string, severity result.Severity, layer, file string, line int, visible bool) *Builder {
	r := b.secrets()
	r.Findings = append(r.Findings, secrets.Finding{RuleID: rule, Description: rule, Severity: severity, File: file,
		Line: line, Layer: layer, Visible: visible, Fingerprint: secrets.Fingerprint(rule, file, "x"), Secret: "****"})
	return b
}

// Signature adds signature evidence.
func (b *Builder) Signature(e policy.SignatureEvidence) *Builder {
	b.in.Signatures = append(b.in.Signatures, e)
	return b
}

// SignedBy adds a verified signature of the image's digest by key.
func (b *Builder) SignedBy(key string) *Builder {
	return b.Signature(policy.SignatureEvidence{Verified: true, Digest: b.in.Digest, Key: key})
}

// Violations evaluates rule over in and returns its violations, failing
// the test when the rule returns an error. As under Policy.Evaluate, the
// rule sees a copy of in whose Now is set: in.Now, or the current time
// when it is zero (set it with Builder.Now for reproducible ages).
func Violations(t testing.TB, rule policy.Rule, in *policy.Input) []policy.Violation {
	t.Helper()
	var c policy.Input
	if in != nil {
		c = *in
	}
	if c.Now.IsZero() {
		c.Now = time.Now()
	}
	c.Now = c.Now.UTC()
	vs, err := rule.Evaluate(context.Background(), &c)
	if err != nil {
		t.Fatalf("rule %s: %v", rule.Name(), err)
	}
	return vs
}

// Decide evaluates p over in and returns the decision, failing
// the test on error.
func Decide(t testing.TB, p *policy.Policy, in *policy.Input) *policy.Decision {
	t.Helper()
	d, err := p.Evaluate(context.Background(), in)
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	return d
}
