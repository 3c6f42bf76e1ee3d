package policies_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/examples/demo"
	"github.com/shipshape-dev/shipshape/examples/policies"
	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/secrets"
	"github.com/shipshape-dev/shipshape/source"
)

// now is when the test inputs are judged.
var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// clean is the evidence of an image a strict pipeline ships: every kind
// of evidence present, nothing wrong in any.
func clean() *policy.Input {
	return &policy.Input{
		Name:      "ghcr.io/acme/app:1.4.2",
		Reference: "ghcr.io/acme/app:1.4.2",
		Digest:    "sha256:" + string(bytes.Repeat([]byte("a"), 64)),
		Config: &v1.ConfigFile{
			Created: v1.Time{Time: now.AddDate(0, 0, -10)},
			Config: v1.Config{User: "10001:10001", Labels: map[string]string{
				"org.opencontainers.image.source":   "https://github.com/acme/app",
				"org.opencontainers.image.revision": "4f2c1e9",
			}},
		},
		SBOM: &sbom.SBOM{SchemaVersion: sbom.SchemaVersion, Packages: []sbom.Package{
			{ID: "p1", Name: "libssl3", Version: "3.0.15-1~deb12u1", Type: "deb", PURL: "pkg:deb/debian/libssl3@3.0.15-1~deb12u1"},
		}},
		Scan: &scan.Report{SchemaVersion: scan.ReportSchemaVersion, Findings: []scan.Finding{
			// Low, and no fix: below every line.
			{ID: "CVE-2024-0001", Severity: result.SeverityLow, Package: scan.Package{Name: "libssl3", Version: "3.0.15-1~deb12u1", Type: "deb"},
				EPSS: &scan.EPSS{Score: 0.0004, Percentile: 0.1}},
		}, DB: scan.DBInfo{Exploitation: scan.ExploitInfo{KEV: &scan.KEVInfo{Entries: 1404}, EPSS: &scan.EPSSInfo{Scores: 300000}}}},
		Secrets:    &secrets.Report{SchemaVersion: secrets.ReportSchemaVersion},
		Hardening:  &harden.Report{SchemaVersion: harden.SchemaVersion, Checks: []string{"root-user", "no-healthcheck"}},
		Signatures: []policy.SignatureEvidence{{Verified: true, Digest: "sha256:" + string(bytes.Repeat([]byte("a"), 64)), Key: "sha256:k1"}},
		Now:        now,
	}
}

// dirty is clean with one of everything both policies care about: a
// critical and a high vulnerability with fixes and a critical one
// without, a credential of a known format and a generic one, root, a high
// and a medium hardening finding, and a failed signature verification.
func dirty() *policy.Input {
	in := clean()
	in.Config.Config.User = ""
	in.Scan.Findings = append(in.Scan.Findings,
		scan.Finding{ID: "CVE-2024-0002", Severity: result.SeverityCritical, FixedVersions: []string{"3.0.16-1"},
			Package: scan.Package{Name: "libssl3", Version: "3.0.15-1~deb12u1", Type: "deb", PURL: "pkg:deb/debian/libssl3@3.0.15-1~deb12u1"}},
		scan.Finding{ID: "CVE-2024-0003", Severity: result.SeverityHigh, FixedVersions: []string{"3.0.16-1"},
			Package: scan.Package{Name: "libssl3", Version: "3.0.15-1~deb12u1", Type: "deb", PURL: "pkg:deb/debian/libssl3@3.0.15-1~deb12u1"}},
		scan.Finding{ID: "CVE-2024-0004", Severity: result.SeverityCritical,
			Package: scan.Package{Name: "libssl3", Version: "3.0.15-1~deb12u1", Type: "deb", PURL: "pkg:deb/debian/libssl3@3.0.15-1~deb12u1"}},
		// Medium, no fix, but exploited: strict denies it, baseline does not look.
		scan.Finding{ID: "CVE-2023-4911", Severity: result.SeverityMedium, KEV: &scan.KEV{DateAdded: time.Date(2023, 11, 21, 0, 0, 0, 0, time.UTC)},
			EPSS:    &scan.EPSS{Score: 0.80735, Percentile: 0.99099},
			Package: scan.Package{Name: "libc6", Version: "2.36-9+deb12u1", Type: "deb", PURL: "pkg:deb/debian/libc6@2.36-9+deb12u1"}})
	in.Secrets.Findings = []secrets.Finding{
		{RuleID: "aws-access-token", Severity: result.SeverityCritical, File: "app/.aws/credentials", Line: 2, Visible: false, Layer: "sha256:l2"},
		{RuleID: "generic-api-key", Severity: result.SeverityMedium, File: "app/config/.env", Line: 1, Visible: true, Layer: "sha256:l2"},
	}
	in.Hardening.Findings = []harden.Finding{
		{ID: "root-user", Title: "Image runs as root", Severity: result.SeverityHigh},
		{ID: "sudo", Title: "sudo installed or used", Severity: result.SeverityMedium},
	}
	in.Signatures = []policy.SignatureEvidence{{Verified: false, Digest: in.Digest, Key: "sha256:k1", Error: "no signature verified"}}
	return in
}

func load(t *testing.T, doc []byte) *policy.Policy {
	t.Helper()
	p, err := policy.Load(doc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// rulesBy returns the rules with active violations of action a, sorted.
func rulesBy(d *policy.Decision, a policy.Action) []string {
	var out []string
	for _, v := range d.Active() {
		if v.Action == a && !slices.Contains(out, v.Rule) {
			out = append(out, v.Rule)
		}
	}
	sort.Strings(out)
	return out
}

func TestPolicies(t *testing.T) {
	for _, tt := range []struct {
		name        string
		doc         []byte
		in          func() *policy.Input
		verdict     policy.Verdict
		deny, warns []string
	}{
		{"baseline/clean", policies.Baseline(), clean, policy.VerdictPass, nil, nil},
		{"baseline/dirty", policies.Baseline(), dirty, policy.VerdictDeny,
			[]string{"no-fixable-criticals", "no-live-secrets"},
			[]string{"fixable-highs", "hardening", "no-root", "secrets"}},
		{"strict/clean", policies.Strict(), clean, policy.VerdictPass, nil, nil},
		{"strict/dirty", policies.Strict(), dirty, policy.VerdictDeny,
			[]string{"cisa-kev", "hardening", "no-fixable-highs", "no-root", "no-secrets", "signed"},
			[]string{"hardening-medium", "likely-exploited", "unfixed-criticals"}},
		{"strict/no-exploitation-data", policies.Strict(), func() *policy.Input {
			in := clean()
			in.Scan.DB.Exploitation = scan.ExploitInfo{}
			return in
		}, policy.VerdictWarn, nil, []string{"cisa-kev", "likely-exploited"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, err := load(t, tt.doc).Evaluate(context.Background(), tt.in())
			if err != nil {
				t.Fatal(err)
			}
			deny, warns := rulesBy(d, policy.Deny), rulesBy(d, policy.Warn)
			if d.Verdict != tt.verdict || !slices.Equal(deny, tt.deny) || !slices.Equal(warns, tt.warns) {
				t.Errorf("verdict %s, deny %v, warn %v; want %s, %v, %v\n%+v", d.Verdict, deny, warns, tt.verdict, tt.deny, tt.warns, d.Violations)
			}
		})
	}
}

// TestBaselineOnlyLiveSecretsDeny: a generic secret pattern warns under
// the baseline; one of a known credential format denies. The strict
// policy denies both.
func TestBaselineOnlyLiveSecretsDeny(t *testing.T) {
	in := clean()
	in.Secrets.Findings = []secrets.Finding{{RuleID: "generic-api-key", Severity: result.SeverityMedium, File: "app/.env", Line: 1}}
	for doc, want := range map[string]policy.Verdict{"baseline": policy.VerdictWarn, "strict": policy.VerdictDeny} {
		b := policies.Baseline()
		if doc == "strict" {
			b = policies.Strict()
		}
		d, err := load(t, b).Evaluate(context.Background(), in)
		if err != nil || d.Verdict != want {
			t.Errorf("%s: %v, %v; want %s", doc, d.Summary(), err, want)
		}
	}
}

// TestStrictSignatures: without signature evidence the strict policy's
// signed rule says nothing (a pipeline that does not verify is not
// denied for it); with evidence, none verified denies.
func TestStrictSignatures(t *testing.T) {
	p := load(t, policies.Strict())
	in := clean()
	in.Signatures = nil
	if d, err := p.Evaluate(context.Background(), in); err != nil || d.Verdict != policy.VerdictPass {
		t.Errorf("no signature evidence: %s, %v", d.Summary(), err)
	}
	in.Signatures = []policy.SignatureEvidence{{Verified: false, Digest: in.Digest, Error: "no signatures"}}
	d, err := p.Evaluate(context.Background(), in)
	if err != nil || !slices.Equal(rulesBy(d, policy.Deny), []string{"signed"}) {
		t.Errorf("unverified: %s, %v", d.Summary(), err)
	}
}

// TestFilesAreEmbedded: the files on disk, which users copy, are what the
// package (and so the quickstart) embeds.
func TestFilesAreEmbedded(t *testing.T) {
	for name, b := range map[string][]byte{"baseline.yaml": policies.Baseline(), "strict.yaml": policies.Strict(), "ignore.yaml": policies.Ignore()} {
		disk, err := os.ReadFile(name)
		if err != nil || !bytes.Equal(disk, b) {
			t.Errorf("%s: %v, or the embedded copy differs", name, err)
		}
		if _, err := policy.LoadFile(name); err != nil && name != "ignore.yaml" {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestIgnoreFile loads the example ignore file and applies it to the demo
// image: both entries suppress their finding, which stays in the report.
func TestIgnoreFile(t *testing.T) {
	ctx := context.Background()
	sup, err := scan.LoadSuppressions("ignore.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if sup.Len() != 2 {
		t.Fatalf("%d rules", sup.Len())
	}
	dir := t.TempDir()
	p, err := demo.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	osv, err := demo.WriteOSV(dir)
	if err != nil {
		t.Fatal(err)
	}
	db, err := scan.LoadDB(ctx, osv, scan.WithCacheDir(filepath.Join(dir, "db")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	src, err := source.Open(ctx, "oci-archive:"+p+":"+demo.TagDebian)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	in, err := shipshape.Inspect(ctx, src, shipshape.WithoutSecrets(), shipshape.WithoutHardening(),
		shipshape.WithDB(db, scan.WithSuppressions(sup)), shipshape.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	rep := in.Evidence.Scan
	suppressed := map[string]string{}
	for _, f := range rep.Findings {
		if f.Suppressed != nil {
			suppressed[f.ID+" "+f.Package.Name] = f.Suppressed.By
		}
	}
	if len(suppressed) != 2 || suppressed["CVE-2023-43804 urllib3"] != "ignore.yaml (entry 1)" || suppressed["CVE-2023-32681 requests"] != "ignore.yaml (entry 2)" {
		t.Errorf("suppressed: %v", suppressed)
	}
	if len(rep.Findings) != 13 || len(rep.Active()) != 11 || len(rep.Warnings) != 1 || rep.Warnings[0].Kind != scan.WarnUnrated {
		t.Errorf("%d findings, %d active, warnings %+v", len(rep.Findings), len(rep.Active()), rep.Warnings)
	}
	// The suppressed high no longer violates the strict policy; PyYAML's
	// critical, urllib3's other high and the unrated ones still do.
	d, err := load(t, policies.Strict()).Evaluate(ctx, in.Evidence)
	if err != nil {
		t.Fatal(err)
	}
	var denied []string
	for _, v := range d.Violations {
		if v.Rule == "no-fixable-highs" {
			denied = append(denied, v.Evidence.Finding)
		}
	}
	if want := []string{"CVE-2020-14343", "CVE-2020-28493", "CVE-2021-33503", "CVE-2023-47038", "CVE-2023-5363", "CVE-2023-5363",
		"DSA-5514-1", "DSA-5514-1", "DSA-5587-1", "DSA-5587-1"}; !slices.Equal(denied, want) {
		t.Errorf("strict denies %v, want %v", denied, want)
	}
	// After the entries expire, the findings count again, with a warning.
	late := time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC)
	s := in.Evidence.SBOM
	rep, err = scan.Match(ctx, db, s, scan.WithSuppressions(sup), scan.WithNow(func() time.Time { return late }))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Active()) != 13 || len(rep.Warnings) != 3 {
		t.Errorf("expired: %d active, warnings %+v", len(rep.Active()), rep.Warnings)
	}
}

// TestDemoVerdicts: the bundled demo image, judged by each policy through
// the gate: both deny, the baseline for PyYAML's critical vulnerability
// that has a fix (rated by GitHub's record; its one secret is a generic
// pattern, which it only warns about), the strict policy for much more.
func TestDemoVerdicts(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p, err := demo.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	osv, err := demo.WriteOSV(dir)
	if err != nil {
		t.Fatal(err)
	}
	db, err := scan.LoadDB(ctx, osv, scan.WithCacheDir(filepath.Join(dir, "db")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tt := range []struct {
		doc     []byte
		verdict policy.Verdict
		deny    []string
	}{
		{policies.Baseline(), policy.VerdictDeny, []string{"no-fixable-criticals"}},
		{policies.Strict(), policy.VerdictDeny, []string{"hardening", "no-fixable-highs", "no-root", "no-secrets"}},
	} {
		src, err := source.Open(ctx, "oci-archive:"+p+":"+demo.TagDebian)
		if err != nil {
			t.Fatal(err)
		}
		in, err := shipshape.Check(ctx, src, load(t, tt.doc), shipshape.WithDB(db), shipshape.WithClock(func() time.Time { return now }))
		src.Close()
		if err != nil {
			t.Fatal(err)
		}
		if in.Decision.Verdict != tt.verdict || !slices.Equal(rulesBy(in.Decision, policy.Deny), tt.deny) {
			t.Errorf("%s, deny %v; want %s, %v", in.Decision.Summary(), rulesBy(in.Decision, policy.Deny), tt.verdict, tt.deny)
		}
	}
}
