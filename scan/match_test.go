package scan

import (
	"context"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/osv"
	"github.com/shipshape-dev/shipshape/internal/version"
	"github.com/shipshape-dev/shipshape/sbom"
)

func TestAffects(t *testing.T) {
	ev := func(kind, v string) osv.Event {
		switch kind {
		case "introduced":
			return osv.Event{Introduced: v}
		case "fixed":
			return osv.Event{Fixed: v}
		case "last_affected":
			return osv.Event{LastAffected: v}
		}
		return osv.Event{Limit: v}
	}
	r := func(evs ...osv.Event) osv.Range { return osv.Range{Type: osv.RangeEcosystem, Events: evs} }
	for _, tt := range []struct {
		name      string
		ranges    []osv.Range
		versions  []string
		v         string
		want, bad bool
	}{
		{"introduced 0", []osv.Range{r(ev("introduced", "0"))}, nil, "0.1", true, false},
		{"below fix", []osv.Range{r(ev("introduced", "1.0"), ev("fixed", "1.5"))}, nil, "1.2", true, false},
		{"at fix", []osv.Range{r(ev("introduced", "1.0"), ev("fixed", "1.5"))}, nil, "1.5", false, false},
		{"before introduced", []osv.Range{r(ev("introduced", "1.0"), ev("fixed", "1.5"))}, nil, "0.9", false, false},
		{"events unsorted", []osv.Range{r(ev("fixed", "1.5"), ev("introduced", "1.0"))}, nil, "1.2", true, false},
		{"second stretch", []osv.Range{r(ev("introduced", "1.0"), ev("fixed", "1.5"), ev("introduced", "2.0"), ev("fixed", "2.5"))}, nil, "2.1", true, false},
		{"between stretches", []osv.Range{r(ev("introduced", "1.0"), ev("fixed", "1.5"), ev("introduced", "2.0"), ev("fixed", "2.5"))}, nil, "1.7", false, false},
		{"at last_affected", []osv.Range{r(ev("introduced", "0"), ev("last_affected", "1.5"))}, nil, "1.5", true, false},
		{"after last_affected", []osv.Range{r(ev("introduced", "0"), ev("last_affected", "1.5"))}, nil, "1.5.1", false, false},
		// OSV's BeforeLimits: below any limit is in scope.
		{"below one of two limits", []osv.Range{r(ev("introduced", "0"), ev("limit", "1.5.0"), ev("limit", "2.5.0"))}, nil, "2.0.0", true, false},
		{"above every limit", []osv.Range{r(ev("introduced", "0"), ev("limit", "1.5.0"), ev("limit", "2.5.0"))}, nil, "3.0.0", false, false},
		{"limit star is infinity", []osv.Range{r(ev("introduced", "1.0"), ev("fixed", "1.5"), ev("limit", "*"))}, nil, "1.2", true, false},
		{"limit star past fix", []osv.Range{r(ev("introduced", "1.0"), ev("fixed", "1.5"), ev("limit", "*"))}, nil, "1.6", false, false},
		{"bad range skipped", []osv.Range{r(ev("introduced", "not a version!"))}, nil, "1.0", false, true},
		{"versions list", nil, []string{"1.0", "1.1"}, "1.1", true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ord, err := version.ForEcosystem("PyPI")
			if err != nil {
				t.Fatal(err)
			}
			pv, err := ord.Parse(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			got, _, bad := affects(ord, pv, &osv.Affected{Ranges: tt.ranges, Versions: tt.versions})
			if got != tt.want || bad != tt.bad {
				t.Errorf("affected=%v bad=%v, want %v %v", got, bad, tt.want, tt.bad)
			}
		})
	}
}

// TestOSTargetStreams checks which OSV ecosystems a distribution release
// takes: its own archive, not the FIPS, realtime, vendor or layered-product
// streams that ship other builds.
func TestOSTargetStreams(t *testing.T) {
	for _, tt := range []struct {
		distro  sbom.Distro
		typ     string
		accept  []string
		reject  []string
		release string
	}{
		{sbom.Distro{ID: "ubuntu", VersionID: "22.04"}, sbom.TypeDeb,
			[]string{"Ubuntu:22.04", "Ubuntu:22.04:LTS", "Ubuntu:Pro:22.04:LTS", "Ubuntu:Pro:22.04"},
			[]string{"Ubuntu:Pro:FIPS:22.04:LTS", "Ubuntu:Pro:FIPS-updates:22.04:LTS", "Ubuntu:Pro:FIPS-preview:22.04:LTS",
				"Ubuntu:Pro:22.04:LTS:Realtime:Kernel", "Ubuntu:Nvidia-BlueField:22.04:LTS", "Ubuntu:20.04:LTS", "Ubuntu:22.10"},
			"Ubuntu:22.04"},
		{sbom.Distro{ID: "rhel", VersionID: "9.3"}, sbom.TypeRPM,
			[]string{"Red Hat:enterprise_linux:9::appstream", "Red Hat:enterprise_linux:9::baseos", "Red Hat:enterprise_linux:9"},
			[]string{"Red Hat:ceph_storage:5::el9", "Red Hat:enterprise_linux:8::appstream", "Red Hat:rhel_eus:9.2::baseos", "Red Hat:enterprise_linux:90::baseos"},
			"Red Hat:enterprise_linux:9"},
		{sbom.Distro{ID: "debian", VersionID: "12"}, sbom.TypeDeb, []string{"Debian:12"}, []string{"Debian:11", "Debian:120"}, "Debian:12"},
		{sbom.Distro{ID: "alpine", VersionID: "3.19.1"}, sbom.TypeAPK, []string{"Alpine:v3.19"}, []string{"Alpine:v3.1", "Alpine:v3.20"}, "Alpine:v3.19"},
		{sbom.Distro{ID: "rocky", VersionID: "9.3"}, sbom.TypeRPM, []string{"Rocky Linux:9"}, []string{"Rocky Linux:8", "AlmaLinux:9"}, "Rocky Linux:9"},
	} {
		t.Run(tt.distro.ID, func(t *testing.T) {
			tg, ok := osTarget(&tt.distro, &sbom.Package{Type: tt.typ, Name: "openssl", Version: "1.0"})
			if !ok {
				t.Fatal("no target")
			}
			checkAccepts(t, tg, tt.accept, tt.reject)
			if tg.release != tt.release {
				t.Errorf("release = %q, want %q", tg.release, tt.release)
			}
		})
	}
}

// TestMatchReleaseNotCovered: a store with Debian 11 and 12 data says so
// when it is asked about Debian 13 (or Alpine edge) instead of reporting
// the image clean.
func TestMatchReleaseNotCovered(t *testing.T) {
	db := testDB(t)
	for _, tt := range []struct {
		distro sbom.Distro
		pkg    sbom.Package
		want   string
	}{
		{sbom.Distro{ID: "debian", VersionID: "13"}, sbom.Package{Type: sbom.TypeDeb, Name: "libc6", Version: "2.36-9", SourceName: "glibc", ID: "libc6", Location: "var/lib/dpkg/status"}, "Debian:13"},
		{sbom.Distro{ID: "alpine", VersionID: "3.21.0_alpha20240807"}, sbom.Package{Type: sbom.TypeAPK, Name: "musl", Version: "1.2.5-r0", ID: "musl", Location: "lib/apk/db/installed"}, "Alpine:v3.21"},
	} {
		rep, err := Match(context.Background(), db, &sbom.SBOM{Distro: &tt.distro, Packages: []sbom.Package{tt.pkg}})
		if err != nil {
			t.Fatal(err)
		}
		if ws := warningsBut(rep, WarnSkipped, WarnEOL, WarnEOLUnknown); len(ws) != 1 || ws[0].Kind != WarnNoData || !strings.Contains(ws[0].Message, tt.want) {
			t.Errorf("%s %s: warnings %+v, want one %s warning naming %s", tt.distro.ID, tt.distro.VersionID, ws, WarnNoData, tt.want)
		}
	}
}
