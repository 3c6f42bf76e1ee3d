package scan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/osv"
	"github.com/shipshape-dev/shipshape/internal/testkit"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
)

var update = flag.Bool("update", false, "rewrite golden files")

var fixedNow = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }

// testDB builds a store from testdata/osv.
func testDB(t testing.TB) *DB {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "osv.db")
	if _, err := BuildDB(context.Background(), dst, []string{"testdata/osv"}, WithBuildTime(fixedNow)); err != nil {
		t.Fatal(err)
	}
	db, err := OpenDB(context.Background(), dst)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func pkg(typ, name, version string) sbom.Package {
	p := sbom.Package{Type: typ, Name: name, Version: version, Location: "loc/" + name, ID: typ + ":" + name + "@" + version}
	switch typ {
	case sbom.TypeGolang:
		p.PURL = "pkg:golang/" + name + "@" + version
	case sbom.TypePyPI:
		p.PURL = "pkg:pypi/" + name + "@" + version
	}
	return p
}

func testSBOM() *sbom.SBOM {
	libc := sbom.Package{Type: sbom.TypeDeb, Name: "libc6", Version: "2.36-9+deb12u1", SourceName: "glibc", SourceVersion: "2.36-9+deb12u1",
		PURL: "pkg:deb/debian/libc6@2.36-9%2Bdeb12u1?arch=amd64&distro=debian-12", Location: "var/lib/dpkg/status", ID: "libc6"}
	owned := pkg(sbom.TypePyPI, "flask-thing", "1.0")
	owned.Location, owned.ID, owned.OwnedBy = "usr/lib/python3/dist-packages/flask_thing", "owned", "libc6"
	return &sbom.SBOM{
		SchemaVersion: sbom.SchemaVersion,
		Source:        sbom.Source{Type: sbom.SourceImage, Name: "example.com/app:1"},
		Distro:        &sbom.Distro{ID: "debian", VersionID: "12"},
		Packages: []sbom.Package{
			pkg(sbom.TypeGolang, "example.com/lib", "v1.0.5"),
			pkg(sbom.TypeGolang, "example.com/lib", "v1.2.2"),
			pkg(sbom.TypeGolang, "example.com/lib", "v1.2.3"),
			pkg(sbom.TypeGolang, "example.com/lib", "v1.3.4"),
			pkg(sbom.TypeGolang, "example.com/other", "v1.9.9"),
			pkg(sbom.TypeGolang, "example.com/other", "v2.0.0"),
			pkg(sbom.TypeGolang, "example.com/main", "(devel)"),
			pkg(sbom.TypePyPI, "flask-thing", "1.1"),
			pkg(sbom.TypePyPI, "flask-thing", "2.0"),
			pkg(sbom.TypePyPI, "listed-only", "3.0.post1"),
			pkg(sbom.TypePyPI, "broken-version", "not a version!"),
			pkg(sbom.TypeNPM, "left-pad", "1.3.0"),
			libc, owned,
		},
	}
}

// brief is "package version: id [aliases] severity fixed".
func brief(r *Report) []string {
	var out []string
	for _, f := range r.Findings {
		s := f.Package.Name + " " + f.Package.Version + ": " + f.ID
		if len(f.Aliases) > 0 {
			s += " [" + strings.Join(f.Aliases, " ") + "]"
		}
		s += " " + f.Severity.String()
		if len(f.FixedVersions) > 0 {
			s += " fixed=" + strings.Join(f.FixedVersions, ",")
		}
		if f.Suppressed != nil {
			s += " suppressed"
		}
		out = append(out, s)
	}
	return out
}

// warningsBut returns the report's warnings but those of a kind (the
// test store's skipped records, which every report warns about).
func warningsBut(rep *Report, kinds ...string) []Warning {
	var out []Warning
	if rep == nil {
		return nil
	}
	for _, w := range rep.Warnings {
		if !slices.Contains(kinds, w.Kind) {
			out = append(out, w)
		}
	}
	return out
}

func TestBuildDB(t *testing.T) {
	db := testDB(t)
	info := db.Info()
	src := info.Sources[0]
	if info.Advisories != 8 || src.Records != 8 || src.Withdrawn != 1 || src.Skipped != 2 {
		t.Errorf("info = %+v", info)
	}
	if got := info.Ecosystems(); !reflect.DeepEqual(got, []string{"Alpine", "Debian", "Go", "PyPI", "Rocky Linux", "Ubuntu"}) {
		t.Errorf("ecosystems = %v", got)
	}
	if want := time.Date(2024, 5, 4, 0, 0, 0, 0, time.UTC); !info.Snapshot().Equal(want) {
		t.Errorf("snapshot = %v", info.Snapshot())
	}
	errs, err := db.BuildErrors(context.Background())
	if err != nil || len(errs) != 2 || !strings.Contains(errs[0], "BROKEN-1") {
		t.Errorf("build errors = %q, %v", errs, err)
	}
	// Not a store; an input with no records.
	if _, err := OpenDB(context.Background(), "testdata/osv/GO-TEST-0001.json"); !errors.Is(err, ErrDB) {
		t.Errorf("OpenDB(json) = %v", err)
	}
	if _, err := BuildDB(context.Background(), filepath.Join(t.TempDir(), "x.db"), []string{t.TempDir()}); !errors.Is(err, ErrDB) {
		t.Errorf("empty input: %v", err)
	}
}

func TestMatch(t *testing.T) {
	db := testDB(t)
	rep, err := Match(context.Background(), db, testSBOM(), WithNow(fixedNow))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"example.com/lib v1.0.5: CVE-2099-0001 [GHSA-test-0001-xxxx GO-TEST-0001] critical fixed=1.2.3,1.3.5",
		"example.com/lib v1.0.5: GO-TEST-0002 unknown",
		"example.com/lib v1.2.2: CVE-2099-0001 [GHSA-test-0001-xxxx GO-TEST-0001] critical fixed=1.2.3,1.3.5",
		"example.com/lib v1.3.4: CVE-2099-0001 [GHSA-test-0001-xxxx GO-TEST-0001] critical fixed=1.3.5", // rated by its GHSA alias
		"example.com/other v1.9.9: GO-TEST-0002 unknown",
		"flask-thing 1.1: CVE-2099-0100 [PYSEC-TEST-1] medium fixed=2.0rc1",
		"libc6 2.36-9+deb12u1: DSA-5514-1 [CVE-2023-4527 CVE-2023-4911] unknown fixed=2.36-9+deb12u3", // an advisory for two CVEs: named by the advisory
		"listed-only 3.0.post1: CVE-2099-0100 [PYSEC-TEST-1] medium",
	}
	if got := brief(rep); !reflect.DeepEqual(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var kinds []string
	for _, w := range rep.Warnings {
		kinds = append(kinds, w.Kind+":"+w.Message)
	}
	sort.Strings(kinds)
	if len(kinds) != 4 || !strings.Contains(kinds[0], "PyPI") || !strings.HasPrefix(kinds[1], WarnNoData+":") || !strings.Contains(kinds[1], "npm") ||
		kinds[2] != WarnSkipped+":2 OSV records of testdata/osv could not be read when the vulnerability data was built: what they describe is not checked (shipshape db info lists them)" ||
		kinds[3] != WarnUnrated+":3 findings are unrated (DSA-5514-1, GO-TEST-0002): no distribution rating, CVSS vector or database rating in the records or their aliases'; they may be of any severity" {
		t.Errorf("warnings = %q", kinds)
	}
	f := rep.Findings[2]
	if f.Score != 9.8 || f.Vector == "" || f.Package.Location != "loc/example.com/lib" || len(f.References) != 1 {
		t.Errorf("finding = %+v", f)
	}

	// Distribution-owned language packages: left to the distribution by
	// default, matched in their own ecosystem on request.
	rep, err = Match(context.Background(), db, testSBOM(), WithOwnedLanguagePackages())
	if err != nil {
		t.Fatal(err)
	}
	var owned int
	for _, f := range rep.Findings {
		if f.Package.ID == "owned" {
			owned++
		}
	}
	if owned != 1 {
		t.Errorf("owned package findings = %d", owned)
	}
}

func TestMatchOtherDistros(t *testing.T) {
	db := testDB(t)
	for _, tt := range []struct {
		distro sbom.Distro
		pkg    sbom.Package
		want   []string
	}{
		{sbom.Distro{ID: "alpine", VersionID: "3.11.5"},
			sbom.Package{Type: sbom.TypeAPK, Name: "libcrypto1.1", Version: "1.1.1d-r3", SourceName: "openssl"},
			[]string{"libcrypto1.1 1.1.1d-r3: CVE-2020-1967 [ALPINE-CVE-2020-1967] unknown fixed=1.1.1g-r0"}},
		{sbom.Distro{ID: "alpine", VersionID: "3.12.0"}, // another release: not this advisory
			sbom.Package{Type: sbom.TypeAPK, Name: "libcrypto1.1", Version: "1.1.1d-r3", SourceName: "openssl"}, nil},
		{sbom.Distro{ID: "debian", VersionID: "11"},
			sbom.Package{Type: sbom.TypeDeb, Name: "libc6", Version: "2.31-13+deb11u6", SourceName: "glibc", SourceVersion: "2.31-13+deb11u6"},
			[]string{"libc6 2.31-13+deb11u6: DSA-5514-1 [CVE-2023-4527 CVE-2023-4911] unknown fixed=2.31-13+deb11u7"}},
		{sbom.Distro{ID: "ubuntu", VersionID: "22.04"},
			sbom.Package{Type: sbom.TypeDeb, Name: "libc6", Version: "2.35-0ubuntu3.1", SourceName: "glibc", SourceVersion: "2.35-0ubuntu3.1"},
			[]string{"libc6 2.35-0ubuntu3.1: USN-6409-1 [CVE-2023-4806 CVE-2023-4911] unknown fixed=2.35-0ubuntu3.4"}},
		{sbom.Distro{ID: "ubuntu", VersionID: "20.04"},
			sbom.Package{Type: sbom.TypeDeb, Name: "libc6", Version: "2.31-0ubuntu9.9", SourceName: "glibc", SourceVersion: "2.31-0ubuntu9.9"}, nil},
		{sbom.Distro{ID: "rocky", VersionID: "9.2"},
			sbom.Package{Type: sbom.TypeRPM, Name: "glibc-common", Version: "2.34-60.el9_2.3", SourceName: "glibc", SourceVersion: "2.34-60.el9_2.3"},
			[]string{"glibc-common 2.34-60.el9_2.3: CVE-2023-4911 [RLSA-2023:5453] high fixed=2.34-60.el9_2.7"}},
		{sbom.Distro{ID: "rocky", VersionID: "9.2"},
			sbom.Package{Type: sbom.TypeRPM, Name: "glibc", Version: "2.34-60.el9_2.7", SourceName: "glibc", SourceVersion: "2.34-60.el9_2.7"}, nil},
		{sbom.Distro{ID: "debian", VersionID: "12"}, // a binNMU of a fixed source version
			sbom.Package{Type: sbom.TypeDeb, Name: "libc6", Version: "2.36-9+deb12u3+b1", SourceName: "glibc", SourceVersion: "2.36-9+deb12u3"}, nil},
	} {
		s := &sbom.SBOM{Distro: &tt.distro, Packages: []sbom.Package{tt.pkg}}
		rep, err := Match(context.Background(), db, s)
		if err != nil {
			t.Fatal(err)
		}
		if got := brief(rep); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s %s %s: %q, want %q", tt.distro.ID, tt.distro.VersionID, tt.pkg.Version, got, tt.want)
		}
	}
	// A distribution without an OSV ecosystem is reported, not guessed.
	rep, err := Match(context.Background(), db, &sbom.SBOM{Distro: &sbom.Distro{ID: "fedora", VersionID: "40"},
		Packages: []sbom.Package{{Type: sbom.TypeRPM, Name: "openssl", Version: "3.1.1-4.fc40"}}})
	if ws := warningsBut(rep, WarnSkipped, WarnEOL); err != nil || len(ws) != 1 || ws[0].Kind != WarnNoEcosystem || !strings.Contains(ws[0].Message, "fedora 40") {
		t.Errorf("fedora: %+v, %v", ws, err)
	}
}

func TestStaleDB(t *testing.T) {
	db := testDB(t)
	rep, err := Match(context.Background(), db, &sbom.SBOM{}, WithNow(fixedNow), WithMaxDBAge(30*24*time.Hour))
	if ws := warningsBut(rep, WarnSkipped, WarnNothing); err != nil || len(ws) != 1 || ws[0].Kind != WarnStaleDB {
		t.Errorf("warnings = %+v, %v", ws, err)
	}
	if _, err := Match(context.Background(), db, &sbom.SBOM{}, WithMaxDBAge(0)); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("err = %v", err)
	}
}

func TestSuppressions(t *testing.T) {
	db := testDB(t)
	ignore := `ignore:
  - id: CVE-2099-0001
    package: pkg:golang/example.com/lib@v1.2.2
    reason: not reachable from our code
    expires: 2026-06-30
  - id: GO-TEST-0002
    package: example.com/other
    reason: accepted until the upgrade
    expires: 2025-12-31
  - id: CVE-0000-0000
    reason: stale rule
`
	openvex := `{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1", "author": "sec team",
  "timestamp": "2026-01-01T00:00:00Z", "version": 1,
  "statements": [
    {"vulnerability": {"name": "CVE-2023-4911"}, "products": [{"@id": "pkg:oci/app@sha256:abc", "subcomponents": [{"@id": "pkg:deb/debian/libc6"}]}],
     "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"},
    {"vulnerability": {"name": "CVE-2023-4527"}, "products": [{"@id": "pkg:deb/debian/libc6"}], "status": "fixed"},
    {"vulnerability": {"name": "CVE-2099-0100"}, "products": [{"@id": "pkg:pypi/flask-thing@1.1"}], "status": "affected"}
  ]}`
	cdxvex := `{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
  "components": [{"bom-ref": "lo", "type": "library", "name": "listed-only", "purl": "pkg:pypi/listed-only@3.0.post1"}],
  "vulnerabilities": [{"id": "PYSEC-TEST-1", "analysis": {"state": "false_positive", "detail": "a fork"}, "affects": [{"ref": "lo"}]}]}`
	var sups []*Suppressions
	for name, doc := range map[string]string{".shipshape-ignore.yaml": ignore, "app.openvex.json": openvex, "app.vex.cdx.json": cdxvex} {
		s, err := ParseSuppressions(name, strings.NewReader(doc))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sups = append(sups, s)
	}
	rep, err := Match(context.Background(), db, testSBOM(), WithNow(fixedNow), WithSuppressions(sups...))
	if err != nil {
		t.Fatal(err)
	}
	suppressed := map[string]string{}
	for _, f := range rep.Findings {
		if f.Suppressed != nil {
			suppressed[f.Package.Name+" "+f.Package.Version+" "+f.ID] = f.Suppressed.Reason
		}
	}
	want := map[string]string{
		"example.com/lib v1.2.2 CVE-2099-0001": "not reachable from our code",
		// DSA-5514-1 fixes two CVEs: suppressed because both are covered.
		"libc6 2.36-9+deb12u1 DSA-5514-1":     "CVE-2023-4527: fixed; CVE-2023-4911: not_affected: vulnerable_code_not_in_execute_path",
		"listed-only 3.0.post1 CVE-2099-0100": "false_positive: a fork",
	}
	if !reflect.DeepEqual(suppressed, want) {
		t.Errorf("suppressed = %v, want %v", suppressed, want)
	}
	var expired, unused int
	for _, w := range rep.Warnings {
		switch w.Kind {
		case WarnExpiredIgnore:
			expired++
		case WarnUnmatchedRule:
			unused++
		}
	}
	if expired != 1 || unused != 1 {
		t.Errorf("warnings = %+v", rep.Warnings)
	}
	if got := len(rep.Active()); got != len(rep.Findings)-3 {
		t.Errorf("active = %d of %d", got, len(rep.Findings))
	}
	for _, bad := range []string{"ignore:\n  - id: X\n", "ignore:\n  - id: X\n    reason: r\n    expires: tomorrow\n", "ignore:\n  - id: X\n    reason: r\n    typo: 1\n", `{"statements": [{"status": "not_affected"}]}`} {
		if _, err := ParseSuppressions("bad", strings.NewReader(bad)); !errors.Is(err, ErrSuppression) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run with -update after checking:\n%s", name, got)
	}
}

func TestEncode(t *testing.T) {
	db := testDB(t)
	rep, err := Match(context.Background(), db, testSBOM(), WithNow(fixedNow))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Format{FormatJSON, FormatSARIF, FormatTable, FormatCycloneDXJSON} {
		t.Run(string(f), func(t *testing.T) {
			var buf bytes.Buffer
			if err := Encode(&buf, rep, f, sbom.WithTimestamp(fixedNow()), sbom.WithSerialNumber("urn:uuid:00000000-0000-4000-8000-000000000002")); err != nil {
				t.Fatal(err)
			}
			golden(t, "report."+string(f), buf.Bytes())
		})
	}
	// The JSON form decodes back.
	var buf bytes.Buffer
	Encode(&buf, rep, FormatJSON)
	var back Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || len(back.Findings) != len(rep.Findings) || back.Findings[0].Severity != rep.Findings[0].Severity {
		t.Errorf("decode: %v", err)
	}
	// CycloneDX with vulnerabilities is valid CycloneDX 1.6.
	buf.Reset()
	if err := Encode(&buf, rep, FormatCycloneDXJSON); err != nil {
		t.Fatal(err)
	}
	testkit.ValidateCycloneDX(t, testkit.CycloneDXSchema(t), buf.Bytes())
	// SARIF: what GitHub code scanning requires.
	buf.Reset()
	Encode(&buf, rep, FormatSARIF)
	var sarif struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string         `json:"id"`
						Properties map[string]any `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Locations []struct {
					Physical struct {
						Artifact struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &sarif); err != nil || sarif.Version != "2.1.0" || len(sarif.Runs) != 1 {
		t.Fatalf("sarif: %v", err)
	}
	run := sarif.Runs[0]
	if len(run.Results) != len(rep.Findings) {
		t.Errorf("%d results", len(run.Results))
	}
	for _, r := range run.Results {
		rule := run.Tool.Driver.Rules[r.RuleIndex]
		if rule.ID != r.RuleID || rule.Properties["security-severity"] == nil || len(r.Locations) != 1 || r.Locations[0].Physical.Artifact.URI == "" || r.Level == "" {
			t.Errorf("result %+v rule %+v", r, rule)
		}
	}
}

func TestSeverity(t *testing.T) {
	for _, tt := range []struct {
		vector string
		score  float64
		sev    result.Severity
	}{
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, result.SeverityCritical},
		{"CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9, result.SeverityMedium},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3, result.SeverityCritical},
		{"AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5, result.SeverityHigh},
		{"AV:N/AC:L/Au:N/C:C/I:C/A:C", 10.0, result.SeverityHigh}, // v2 has no critical
		{"CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 2.0, result.SeverityLow},
	} {
		score, rank, ok := cvssScore(osvSeverity(tt.vector))
		if sev := fromScore(score, rank); !ok || score != tt.score || sev != tt.sev {
			t.Errorf("%s: score %v severity %v ok %v, want %v %v", tt.vector, score, sev, ok, tt.score, tt.sev)
		}
	}
}

func osvSeverity(v string) osv.Severity {
	if strings.HasPrefix(v, "CVSS:4") {
		return osv.Severity{Type: "CVSS_V4", Score: v}
	}
	if strings.HasPrefix(v, "CVSS:3") {
		return osv.Severity{Type: "CVSS_V3", Score: v}
	}
	return osv.Severity{Type: "CVSS_V2", Score: v}
}

func TestPublished(t *testing.T) {
	db := testDB(t)
	rep, err := Match(context.Background(), db, &sbom.SBOM{Distro: &sbom.Distro{ID: "ubuntu", VersionID: "22.04"}, Packages: []sbom.Package{
		{ID: "libc6", Type: sbom.TypeDeb, Name: "libc6", Version: "2.35-0ubuntu3.1", SourceName: "glibc", SourceVersion: "2.35-0ubuntu3.1"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2023, 10, 3, 16, 48, 17, 0, time.UTC)
	if len(rep.Findings) != 1 || !rep.Findings[0].Published.Equal(want) {
		t.Errorf("findings %+v, want published %v", rep.Findings, want)
	}
}
