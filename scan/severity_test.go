package scan

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/osv"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
)

// TestResolveSeverity: the order of severity sources, per distribution
// family and for language packages, with the record that gave each.
func TestResolveSeverity(t *testing.T) {
	const (
		crit = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" // 9.8
		med  = "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N" // 4.2
		v4   = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N"
	)
	deb := &sbom.Package{Name: "openssl", Type: sbom.TypeDeb}
	rpm := &sbom.Package{Name: "glibc", Type: sbom.TypeRPM}
	golang := &sbom.Package{Name: "golang.org/x/net", Type: sbom.TypeGolang}
	store := map[string]string{
		"GHSA-crit": `{"id":"GHSA-crit","aliases":["CVE-1"],"severity":[{"type":"CVSS_V3","score":"` + crit + `"}],
			"affected":[{"package":{"ecosystem":"Go","name":"golang.org/x/net"}}]}`,
		"GHSA-word":  `{"id":"GHSA-word","aliases":["CVE-1"],"database_specific":{"severity":"MODERATE"}}`,
		"MAL-2024-1": `{"id":"MAL-2024-1"}`,
	}
	lookup := func(id string) *osv.Vulnerability {
		raw, ok := store[id]
		if !ok {
			return nil
		}
		v, err := osv.Decode([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tt := range []struct {
		name    string
		pkg     *sbom.Package
		records []string
		aliases []string
		want    result.Severity
		source  SeveritySource
		by      string
	}{
		{"Ubuntu priority wins over a critical CVSS", deb, []string{
			`{"id":"UBUNTU-CVE-1","severity":[{"type":"CVSS_V3","score":"` + crit + `"},{"type":"Ubuntu","score":"medium"}],"affected":[{"package":{"ecosystem":"Ubuntu:22.04:LTS","name":"openssl"}}]}`},
			nil, result.SeverityMedium, SeverityFromDistribution, "UBUNTU-CVE-1"},
		{"Ubuntu negligible is its own level", deb, []string{
			`{"id":"UBUNTU-CVE-2","severity":[{"type":"CVSS_V3","score":"` + crit + `"},{"type":"Ubuntu","score":"negligible"}],"affected":[{"package":{"ecosystem":"Ubuntu:22.04:LTS","name":"openssl"}}]}`},
			nil, result.SeverityNegligible, SeverityFromDistribution, "UBUNTU-CVE-2"},
		{"Debian unimportant", deb, []string{
			`{"id":"DEBIAN-CVE-3","affected":[{"package":{"ecosystem":"Debian:12","name":"openssl"},"ecosystem_specific":{"urgency":"unimportant"}}]}`},
			nil, result.SeverityNegligible, SeverityFromDistribution, "DEBIAN-CVE-3"},
		{"Debian uncertain urgency", deb, []string{
			`{"id":"DEBIAN-CVE-4","affected":[{"package":{"ecosystem":"Debian:12","name":"openssl"},"ecosystem_specific":{"urgency":"high**"}}]}`},
			nil, result.SeverityHigh, SeverityFromDistribution, "DEBIAN-CVE-4"},
		{"Debian not yet assigned falls to an alias's CVSS", deb, []string{
			`{"id":"DEBIAN-CVE-1","aliases":["GHSA-crit"],"affected":[{"package":{"ecosystem":"Debian:12","name":"openssl"},"ecosystem_specific":{"urgency":"not yet assigned"}}]}`},
			[]string{"GHSA-crit"}, result.SeverityCritical, SeverityFromAlias, "GHSA-crit"},
		{"the highest of several distribution ratings", deb, []string{
			`{"id":"DEBIAN-CVE-5","affected":[{"package":{"ecosystem":"Debian:12","name":"openssl"},"ecosystem_specific":{"urgency":"low"}}]}`,
			`{"id":"DSA-5","upstream":["DEBIAN-CVE-5"],"affected":[{"package":{"ecosystem":"Debian:12","name":"openssl"},"database_specific":{"urgency":"medium"}}]}`},
			nil, result.SeverityMedium, SeverityFromDistribution, "DSA-5"},
		{"Red Hat family title", rpm, []string{
			`{"id":"RLSA-2023:5453","summary":"Important: glibc security update","severity":[{"type":"CVSS_V3","score":"` + med + `"}],"affected":[{"package":{"ecosystem":"Rocky Linux:9","name":"glibc"}}]}`},
			nil, result.SeverityHigh, SeverityFromDistribution, "RLSA-2023:5453"},
		{"AlmaLinux database severity", rpm, []string{
			`{"id":"ALSA-2023:1","database_specific":{"severity":"Moderate"},"affected":[{"package":{"ecosystem":"AlmaLinux:9","name":"glibc"}}]}`},
			nil, result.SeverityMedium, SeverityFromDistribution, "ALSA-2023:1"},
		{"a title that is not a rating", rpm, []string{
			`{"id":"SUSE-SU-1","summary":"Security update for glibc","severity":[{"type":"CVSS_V3","score":"` + med + `"}],"affected":[{"package":{"ecosystem":"SUSE:Linux Enterprise Server 15 SP5","name":"glibc"}}]}`},
			nil, result.SeverityMedium, SeverityFromCVSS, "SUSE-SU-1"},
		{"newest CVSS version wins", golang, []string{
			`{"id":"GO-1","severity":[{"type":"CVSS_V3","score":"` + crit + `"},{"type":"CVSS_V4","score":"` + v4 + `"}],"affected":[{"package":{"ecosystem":"Go","name":"golang.org/x/net"}}]}`},
			nil, result.SeverityMedium, SeverityFromCVSS, "GO-1"},
		{"language package: the record's CVSS before a distribution-like word", golang, []string{
			`{"id":"GO-2","severity":[{"type":"CVSS_V3","score":"` + med + `"}],"database_specific":{"severity":"HIGH"},"affected":[{"package":{"ecosystem":"Go","name":"golang.org/x/net"}}]}`},
			nil, result.SeverityMedium, SeverityFromCVSS, "GO-2"},
		{"the Go database rates nothing: the GHSA alias does", golang, []string{
			`{"id":"GO-3","aliases":["CVE-1","GHSA-crit"],"affected":[{"package":{"ecosystem":"Go","name":"golang.org/x/net"}}]}`},
			[]string{"CVE-1", "GHSA-crit"}, result.SeverityCritical, SeverityFromAlias, "GHSA-crit"},
		{"an alias's CVSS before the record's word", golang, []string{
			`{"id":"GO-4","aliases":["GHSA-crit"],"database_specific":{"severity":"LOW"},"affected":[{"package":{"ecosystem":"Go","name":"golang.org/x/net"}}]}`},
			[]string{"GHSA-crit"}, result.SeverityCritical, SeverityFromAlias, "GHSA-crit"},
		{"the record's word before an alias's word", golang, []string{
			`{"id":"GO-5","aliases":["GHSA-word"],"database_specific":{"severity":"LOW"},"affected":[{"package":{"ecosystem":"Go","name":"golang.org/x/net"}}]}`},
			[]string{"GHSA-word"}, result.SeverityLow, SeverityFromDatabase, "GO-5"},
		{"an alias's word", golang, []string{
			`{"id":"GO-6","aliases":["GHSA-word"],"affected":[{"package":{"ecosystem":"Go","name":"golang.org/x/net"}}]}`},
			[]string{"GHSA-word"}, result.SeverityMedium, SeverityFromAlias, "GHSA-word"},
		{"nothing rates it", golang, []string{
			`{"id":"GO-7","aliases":["CVE-404"],"affected":[{"package":{"ecosystem":"Go","name":"golang.org/x/net"}}]}`},
			[]string{"CVE-404"}, result.SeverityUnknown, SeverityUnrated, ""},
		{"a malicious package", &sbom.Package{Name: "evil", Type: sbom.TypeNPM}, []string{
			`{"id":"MAL-2024-1","severity":[{"type":"CVSS_V3","score":"` + med + `"}],"affected":[{"package":{"ecosystem":"npm","name":"evil"}}]}`},
			nil, result.SeverityCritical, SeverityFromMalicious, "MAL-2024-1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var hs []hit
			for _, raw := range tt.records {
				v, err := osv.Decode([]byte(raw))
				if err != nil {
					t.Fatal(err)
				}
				hs = append(hs, hit{adv: v, affected: &v.Affected[0], ecosystem: v.Affected[0].Package.Ecosystem})
			}
			fs := merge(tt.pkg, hs, lookup)
			if len(fs) != 1 {
				t.Fatalf("%d findings, want 1", len(fs))
			}
			f := fs[0]
			if f.Severity != tt.want || f.SeveritySource != tt.source || f.RatedBy != tt.by {
				t.Errorf("got %s from %s (%q), want %s from %s (%q)", f.Severity, f.SeveritySource, f.RatedBy, tt.want, tt.source, tt.by)
			}
			if wantClass := tt.source == SeverityFromMalicious; (f.Class == result.ClassMalicious) != wantClass {
				t.Errorf("class %q", f.Class)
			}
		})
	}
}

// TestResolveSeverityFamilies rates findings from the families' published
// advisories (testdata/families): where each family's rating comes from.
func TestResolveSeverityFamilies(t *testing.T) {
	for _, tt := range []struct {
		name, file string
		pkg        sbom.Package
		want       result.Severity
		source     SeveritySource
	}{
		// openEuler rates its advisory in database_specific.severity.
		{"openEuler's own rating", "OESA-2024-2048.json", sbom.Package{Name: "booth", Type: sbom.TypeRPM}, result.SeverityHigh, SeverityFromDistribution},
		// BellSoft's records carry a CVSS vector and no rating of their own
		// (none of the 16,989 in bell-sw/osv-database has a
		// database- or ecosystem-specific field; 1,335 carry no vector either).
		{"BellSoft: the record's CVSS", "BELL-CVE-2024-5535.json", sbom.Package{Name: "openssl", Type: sbom.TypeAPK}, result.SeverityCritical, SeverityFromCVSS},
		{"CleanStart: the record's CVSS", "CLEANSTART-2024-AC14298.json", sbom.Package{Name: "krb5", Type: sbom.TypeAPK}, result.SeverityHigh, SeverityFromCVSS},
		// Mageia's record carries no rating of its own.
		{"Mageia: nothing", "MGAA-2021-0024.json", sbom.Package{Name: "gtk+3.0", Type: sbom.TypeRPM}, result.SeverityUnknown, SeverityUnrated},
		// Docker's reference record rates nothing: unrated unless an alias
		// record in the store does.
		{"DHI: nothing", "DHI-CVE-2016-2781-coreutils.json", sbom.Package{Name: "coreutils", Type: sbom.TypeAPK}, result.SeverityUnknown, SeverityUnrated},
	} {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata/families", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			v, err := osv.Decode(raw)
			if err != nil {
				t.Fatal(err)
			}
			fs := merge(&tt.pkg, []hit{{adv: v, affected: &v.Affected[0], ecosystem: v.Affected[0].Package.Ecosystem}}, func(string) *osv.Vulnerability { return nil })
			if len(fs) != 1 {
				t.Fatalf("%d findings, want 1", len(fs))
			}
			f := fs[0]
			wantBy := v.ID
			if tt.source == SeverityUnrated {
				wantBy = ""
			}
			if f.Severity != tt.want || f.SeveritySource != tt.source || f.RatedBy != wantBy {
				t.Errorf("got %s from %s (%q), want %s from %s (%q)", f.Severity, f.SeveritySource, f.RatedBy, tt.want, tt.source, wantBy)
			}
		})
	}
}
