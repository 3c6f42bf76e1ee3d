package scan

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/sbom"
)

// TestOpenVEXLatestStatementWins: statements about the same vulnerability
// and product are a sequence; the latest (by timestamp, then position)
// decides.
func TestOpenVEXLatestStatementWins(t *testing.T) {
	st := func(status, ts string) string {
		s := `{"vulnerability":{"name":"CVE-2023-4911"},"products":[{"@id":"pkg:deb/debian/libc6"}],"status":"` + status + `"`
		if status == "not_affected" {
			s += `,"justification":"vulnerable_code_not_in_execute_path"`
		}
		if ts != "" {
			s += `,"timestamp":"` + ts + `"`
		}
		return s + "}"
	}
	doc := func(sts ...string) string {
		return `{"@context":"https://openvex.dev/ns/v0.2.0","@id":"x","author":"a","timestamp":"2024-03-01T00:00:00Z","version":1,"statements":[` + strings.Join(sts, ",") + `]}`
	}
	for _, tt := range []struct {
		name       string
		doc        string
		suppressed bool
	}{
		{"affected after not_affected", doc(st("not_affected", "2024-01-01T00:00:00Z"), st("affected", "2024-06-01T00:00:00Z")), false},
		{"not_affected after under_investigation", doc(st("under_investigation", "2024-01-01T00:00:00Z"), st("not_affected", "2024-06-01T00:00:00Z")), true},
		{"timestamps against document order", doc(st("affected", "2024-06-01T00:00:00Z"), st("not_affected", "2024-01-01T00:00:00Z")), false},
		{"no timestamps: position", doc(st("not_affected", ""), st("affected", "")), false},
		{"statement without timestamp takes the document's", doc(st("affected", "2024-01-01T00:00:00Z"), st("not_affected", "")), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseSuppressions("vex.json", strings.NewReader(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			fs := []Finding{{ID: "CVE-2023-4911", Package: Package{Name: "libc6", PURL: "pkg:deb/debian/libc6@2.36-9?arch=amd64"}}}
			applySuppressions([]*Suppressions{s}, fs, fixedNow())
			if got := fs[0].Suppressed != nil; got != tt.suppressed {
				t.Errorf("suppressed = %v, want %v", got, tt.suppressed)
			}
		})
	}
	if _, err := ParseSuppressions("vex.json", strings.NewReader(doc(st("maybe", "")))); err == nil {
		t.Error("an unknown status is accepted")
	}
}

// TestSuppressBundledAdvisory: a Rocky advisory fixing two CVEs stays
// reported while only one of them is declared not affected.
func TestSuppressBundledAdvisory(t *testing.T) {
	dir := t.TempDir()
	rec := `{"id":"RLSA-2024:1","modified":"2024-01-01T00:00:00Z","upstream":["CVE-2024-1111","CVE-2024-2222"],"summary":"glibc update",
 "affected":[{"package":{"ecosystem":"Rocky Linux:9","name":"glibc"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.34-100.el9"}]}]}]}`
	if err := os.WriteFile(filepath.Join(dir, "r.json"), []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "osv.db")
	if _, err := BuildDB(context.Background(), dst, []string{dir}); err != nil {
		t.Fatal(err)
	}
	db, err := OpenDB(context.Background(), dst)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := &sbom.SBOM{Distro: &sbom.Distro{ID: "rocky", VersionID: "9.3"}, Packages: []sbom.Package{{Type: sbom.TypeRPM, Name: "glibc", Version: "2.34-83.el9", ID: "glibc",
		PURL: "pkg:rpm/rocky/glibc@2.34-83.el9?arch=x86_64", Location: "var/lib/rpm/rpmdb.sqlite"}}}
	vex := func(ids ...string) string {
		var sts []string
		for _, id := range ids {
			sts = append(sts, `{"vulnerability":{"name":"`+id+`"},"products":[{"@id":"pkg:rpm/rocky/glibc"}],"status":"not_affected","justification":"vulnerable_code_not_present"}`)
		}
		return `{"@context":"https://openvex.dev/ns/v0.2.0","statements":[` + strings.Join(sts, ",") + `]}`
	}
	for _, tt := range []struct {
		name       string
		ids        []string
		suppressed bool
		warning    string
	}{
		{"one of two", []string{"CVE-2024-1111"}, false, "one of several vulnerabilities of RLSA-2024:1"},
		{"both", []string{"CVE-2024-1111", "CVE-2024-2222"}, true, ""},
		{"the advisory itself", []string{"RLSA-2024:1"}, true, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sup, err := ParseSuppressions("vex.json", strings.NewReader(vex(tt.ids...)))
			if err != nil {
				t.Fatal(err)
			}
			rep, err := Match(context.Background(), db, s, WithSuppressions(sup), WithNow(fixedNow))
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Findings) != 1 {
				t.Fatalf("findings: %v", brief(rep))
			}
			if got := rep.Findings[0].Suppressed != nil; got != tt.suppressed {
				t.Errorf("suppressed = %v, want %v", got, tt.suppressed)
			}
			var msgs []string
			for _, w := range rep.Warnings {
				msgs = append(msgs, w.Message)
			}
			if got := strings.Join(msgs, "\n"); (tt.warning == "") != (got == "") || !strings.Contains(got, tt.warning) {
				t.Errorf("warnings %q, want one containing %q", got, tt.warning)
			}
		})
	}
}

// TestVEXReferences: the ways VEX documents name a package.
func TestVEXReferences(t *testing.T) {
	const purl = "pkg:deb/debian/libc6@2.36-9?arch=amd64"
	cdx := func(ref string) string {
		return `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
 "vulnerabilities":[{"id":"CVE-2023-4911","analysis":{"state":"not_affected","justification":"code_not_reachable"},"affects":[{"ref":"` + ref + `"}]}]}`
	}
	for _, tt := range []struct {
		name, doc  string
		suppressed bool
		warning    string
	}{
		{"BOM-Link to a purl bom-ref", cdx("urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#" + purl), true, ""},
		{"BOM-Link with escaped bom-ref", cdx("urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#deb%3Alibc6"), true, ""},
		{"bom-ref of the scanned SBOM", cdx("deb:libc6"), true, ""},
		{"bom-ref naming nothing", cdx("component-7"), false, `"component-7" is no component`},
		{"OpenVEX identifiers.purl", `{"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"vulnerability":{"name":"CVE-2023-4911"},
 "products":[{"@id":"https://example.com/things/libc","identifiers":{"purl":"pkg:deb/debian/libc6"}}],"status":"fixed"}]}`, true, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseSuppressions("vex.json", strings.NewReader(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			fs := []Finding{{ID: "CVE-2023-4911", Package: Package{Name: "libc6", ID: "deb:libc6", PURL: purl}}}
			ws := applySuppressions([]*Suppressions{s}, fs, fixedNow())
			if got := fs[0].Suppressed != nil; got != tt.suppressed {
				t.Errorf("suppressed = %v, want %v", got, tt.suppressed)
			}
			var msgs []string
			for _, w := range ws {
				msgs = append(msgs, w.Message)
			}
			if got := strings.Join(msgs, "\n"); (tt.warning == "") != (got == "") || !strings.Contains(got, tt.warning) {
				t.Errorf("warnings %q, want one containing %q", got, tt.warning)
			}
		})
	}
}
