package scan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestDefaultEOLTable: the embedded table reads, is dated, and covers
// every distribution the release mapping names.
func TestDefaultEOLTable(t *testing.T) {
	tab := DefaultEOLTable()
	if tab.AsOf() != day("2026-08-22") || tab.Source() != "https://endoflife.date" {
		t.Errorf("as of %v, source %q", tab.AsOf(), tab.Source())
	}
	have := map[string]bool{}
	for _, p := range tab.Products() {
		have[p] = true
	}
	for id, p := range eolProducts {
		if !have[p] {
			t.Errorf("os-release ID %s maps to %s, which the table lacks", id, p)
		}
	}
}

// TestEOLSupport: each family's os-release version finds its release
// cycle, and the status turns at the end of the EOL day (the injected
// clock), as endoflife.date counts it.
func TestEOLSupport(t *testing.T) {
	tab := DefaultEOLTable()
	for _, tt := range []struct {
		d                sbom.Distro
		product, release string
		eol, ext         string // "" for none
		source           string // "" for the table's
		lastDay          bool   // check the boundary around eol
		status           SupportStatus
		now              string // for the status, when not checking the boundary
	}{
		// Debian: the end of LTS (free, same archive); point releases and
		// the codename of testing map to the cycle.
		{d: sbom.Distro{ID: "debian", VersionID: "12"}, product: "debian", release: "12", eol: "2028-06-30", lastDay: true},
		{d: sbom.Distro{ID: "debian", VersionID: "12.5"}, product: "debian", release: "12", eol: "2028-06-30", lastDay: true},
		{d: sbom.Distro{ID: "debian", VersionID: "10"}, product: "debian", release: "10", eol: "2024-06-30", lastDay: true},
		{d: sbom.Distro{ID: "debian", Codename: "trixie"}, product: "debian", release: "13", eol: "2030-06-30", lastDay: true},
		// Ubuntu: standard support; ESM (Pro) is the extension.
		{d: sbom.Distro{ID: "ubuntu", VersionID: "22.04"}, product: "ubuntu", release: "22.04", eol: "2027-04-01", ext: "2032-04-09", lastDay: true},
		{d: sbom.Distro{ID: "ubuntu", VersionID: "18.04"}, product: "ubuntu", release: "18.04", eol: "2023-05-31", ext: "2028-04-01", lastDay: true},
		{d: sbom.Distro{ID: "alpine", VersionID: "3.19.1"}, product: "alpine-linux", release: "3.19", eol: "2025-11-01", lastDay: true},
		{d: sbom.Distro{ID: "alpine", VersionID: "3.20.0"}, product: "alpine-linux", release: "3.20", eol: "2026-04-01", lastDay: true},
		// RHEL and rebuilds: the major's maintenance support.
		{d: sbom.Distro{ID: "rhel", VersionID: "9.4"}, product: "rhel", release: "9", eol: "2032-05-31", ext: "2036-05-31", lastDay: true},
		{d: sbom.Distro{ID: "almalinux", VersionID: "8.10"}, product: "almalinux", release: "8", eol: "2029-05-31", lastDay: true},
		{d: sbom.Distro{ID: "rocky", VersionID: "9.3"}, product: "rocky-linux", release: "9", eol: "2032-05-31", lastDay: true},
		{d: sbom.Distro{ID: "ol", VersionID: "8.9"}, product: "oracle-linux", release: "8", eol: "2029-07-31", ext: "2032-07-31", lastDay: true},
		{d: sbom.Distro{ID: "centos", VersionID: "7"}, product: "centos", release: "7", eol: "2024-06-30", lastDay: true},
		{d: sbom.Distro{ID: "amzn", VersionID: "2"}, product: "amazon-linux", release: "2", eol: "2026-06-30", lastDay: true},
		{d: sbom.Distro{ID: "amzn", VersionID: "2023"}, product: "amazon-linux", release: "2023", eol: "2029-06-30", lastDay: true},
		{d: sbom.Distro{ID: "sles", VersionID: "15.6"}, product: "sles", release: "15.6", eol: "2025-12-31", ext: "2028-12-31", lastDay: true},
		{d: sbom.Distro{ID: "sles", VersionID: "15"}, product: "sles", release: "15.0", eol: "2019-12-31", ext: "2022-12-31", lastDay: true},
		{d: sbom.Distro{ID: "opensuse-leap", VersionID: "15.6"}, product: "opensuse", release: "15.6", eol: "2026-04-30", lastDay: true},
		{d: sbom.Distro{ID: "fedora", VersionID: "40"}, product: "fedora", release: "40", eol: "2025-05-13", lastDay: true},
		{d: sbom.Distro{ID: "photon", VersionID: "4.0"}, product: "vmware-photon", release: "4.0", eol: "2027-10-11", lastDay: true},
		// os-release's SUPPORT_END wins over the table.
		{d: sbom.Distro{ID: "amzn", VersionID: "2023", SupportEnd: "2028-03-15"}, product: "amazon-linux", release: "2023", eol: "2028-03-15", source: SourceOSRelease, lastDay: true},
		{d: sbom.Distro{ID: "acme", VersionID: "1", SupportEnd: "2027-01-31"}, eol: "2027-01-31", source: SourceOSRelease, lastDay: true},
		// A malformed SUPPORT_END is ignored: the table decides.
		{d: sbom.Distro{ID: "fedora", VersionID: "40", SupportEnd: "soon"}, product: "fedora", release: "40", eol: "2025-05-13", lastDay: true},
		// No end announced: supported.
		{d: sbom.Distro{ID: "photon", VersionID: "5.0"}, product: "vmware-photon", release: "5.0", status: SupportActive, now: "2040-01-01"},
		{d: sbom.Distro{ID: "ol", VersionID: "10.0"}, product: "oracle-linux", release: "10", status: SupportActive, now: "2040-01-01"},
		// Rolling distributions never end.
		{d: sbom.Distro{ID: "wolfi", VersionID: "20230201"}, product: "wolfi", status: SupportRolling, now: "2040-01-01"},
		{d: sbom.Distro{ID: "chainguard"}, product: "chainguard", status: SupportRolling, now: "2040-01-01"},
		// Unknown releases and distributions are said to be unknown.
		{d: sbom.Distro{ID: "alpine", VersionID: "3.99.0"}, product: "alpine-linux", status: SupportUnknown, now: "2026-01-01"},
		{d: sbom.Distro{ID: "debian", Codename: "sid"}, product: "debian", status: SupportUnknown, now: "2026-01-01"},
		{d: sbom.Distro{ID: "azurelinux", VersionID: "3.0"}, status: SupportUnknown, now: "2026-01-01"},
	} {
		name := tt.d.ID + " " + tt.d.VersionID + tt.d.Codename
		t.Run(name, func(t *testing.T) {
			check := func(now time.Time, want SupportStatus) {
				t.Helper()
				s := tab.Support(&tt.d, now)
				if s.Status != want || s.Product != tt.product || s.Release != tt.release {
					t.Fatalf("at %v: %+v, want %s %s %s", now, s, want, tt.product, tt.release)
				}
				if want == SupportUnknown || want == SupportRolling {
					if want == SupportUnknown && s.Reason == "" {
						t.Error("unknown without a reason")
					}
					return
				}
				if got := s.EOL.Format(time.DateOnly); (tt.eol == "" && !s.EOL.IsZero()) || (tt.eol != "" && got != tt.eol) {
					t.Errorf("eol %s, want %q", got, tt.eol)
				}
				if got := s.ExtendedEOL.Format(time.DateOnly); (tt.ext == "" && !s.ExtendedEOL.IsZero()) || (tt.ext != "" && got != tt.ext) {
					t.Errorf("extended %s, want %q", got, tt.ext)
				}
				wantSource := tt.source
				if wantSource == "" {
					wantSource = "endoflife.date as of 2026-08-22"
				}
				if s.Source != wantSource {
					t.Errorf("source %q, want %q", s.Source, wantSource)
				}
			}
			if !tt.lastDay {
				check(day(tt.now), tt.status)
				return
			}
			eol := day(tt.eol)
			check(eol.Add(-24*time.Hour), SupportActive)
			check(eol.Add(23*time.Hour+59*time.Minute), SupportActive) // the last day is supported
			check(eol.Add(24*time.Hour), SupportEnded)
		})
	}
	if s := tab.Support(nil, time.Now()); s.Status != SupportUnknown {
		t.Errorf("nil distro: %+v", s)
	}
}

// TestReadEOLTableBad: a bad table file is refused with ErrEOLData.
func TestReadEOLTableBad(t *testing.T) {
	good := `{"schema_version":"1","source":"x","as_of":"2026-01-01","products":{"debian":[{"cycle":"12","eol":"2026-06-10"}]}}`
	if _, err := ReadEOLTable(strings.NewReader(good)); err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]string{
		"truncated":   good[:len(good)-10],
		"empty":       "",
		"schema":      strings.Replace(good, `"1"`, `"2"`, 1),
		"as_of":       strings.Replace(good, `"2026-01-01"`, `"yesterday"`, 1),
		"month 13":    strings.Replace(good, `"2026-06-10"`, `"2026-13-10"`, 1),
		"year 9999":   strings.Replace(good, `"2026-06-10"`, `"9999-06-10"`, 1),
		"number":      strings.Replace(good, `"2026-06-10"`, `20260610`, 1),
		"no products": `{"schema_version":"1","source":"x","as_of":"2026-01-01","products":{}}`,
		"no releases": `{"schema_version":"1","source":"x","as_of":"2026-01-01","products":{"debian":[]}}`,
		"no cycle":    strings.Replace(good, `"cycle":"12"`, `"cycle":""`, 1),
		"twice":       strings.Replace(good, `{"cycle":"12","eol":"2026-06-10"}`, `{"cycle":"12"},{"cycle":"12"}`, 1),
		"huge":        good[:len(good)-1] + strings.Repeat(" ", maxEOLFile) + "}",
	} {
		if _, err := ReadEOLTable(strings.NewReader(in)); !errors.Is(err, ErrEOLData) {
			t.Errorf("%s: err = %v, want ErrEOLData", name, err)
		}
	}
}

// apiAnswer writes a product's answer in the form of endoflife.date's API
// v1 (schema 1.2.1), from the embedded table's facts.
func apiAnswer(product string, rels []eolRelease, generated string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"schema_version":"1.2.1","generated_at":%q,"last_modified":"2026-11-30T10:00:00+00:00","result":{"name":%q,"label":"x","category":"os","releases":[`, generated, product)
	for i, r := range rels {
		if i > 0 {
			b.WriteByte(',')
		}
		eolFrom, isEOL := "null", "false"
		if !r.EOL.date.IsZero() {
			eolFrom = `"` + r.EOL.date.Format(time.DateOnly) + `"`
			isEOL = fmt.Sprint(r.EOL.date.Before(day("2026-12-01")))
		}
		fmt.Fprintf(&b, `{"name":%q,"codename":%q,"label":%q,"releaseDate":"2020-01-01","isLts":false,"ltsFrom":null,"isEol":%s,"eolFrom":%s,"isMaintained":true,"latest":null,"custom":null`,
			r.Cycle, r.Codename, r.Cycle, isEOL, eolFrom)
		if !r.EOES.date.IsZero() {
			fmt.Fprintf(&b, `,"isEoes":false,"eoesFrom":%q`, r.EOES.date.Format(time.DateOnly))
		}
		b.WriteByte('}')
	}
	b.WriteString(`]}}`)
	return b.String()
}

// eolServer answers /products/<p> like endoflife.date, with override for
// one product.
func eolServer(t *testing.T, override map[string]func(w http.ResponseWriter)) *httptest.Server {
	t.Helper()
	def := DefaultEOLTable()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := strings.CutPrefix(r.URL.Path, "/api/v1/products/")
		if !ok {
			http.NotFound(w, r)
			return
		}
		if f := override[p]; f != nil {
			f(w)
			return
		}
		rels, ok := def.products[p]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, apiAnswer(p, rels, "2026-12-01T06:00:00+00:00"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestFetchEOL: the fetched table lands in the cache directory, is found
// by CachedEOLTable (it is newer than the embedded one), and says what it
// said; bad answers leave the previous table in place.
func TestFetchEOL(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cebian := func(w http.ResponseWriter) {
		// Debian 12's LTS ending early, to tell the fetched table from
		// the embedded one.
		rels := append([]eolRelease(nil), DefaultEOLTable().products["debian"]...)
		for i := range rels {
			if rels[i].Cycle == "12" {
				rels[i].EOES = eolDate{date: day("2027-01-31")}
			}
		}
		fmt.Fprint(w, apiAnswer("debian", rels, "2026-12-01T06:00:00Z"))
	}
	srv := eolServer(t, map[string]func(http.ResponseWriter){"debian": cebian})
	res, err := FetchEOL(ctx, WithBaseURL(srv.URL+"/api/v1"), WithHTTPClient(srv.Client()), WithFetchCacheDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	if res.Path != EOLPath(dir) || res.AsOf != day("2026-12-01") || len(res.Products) != len(DefaultEOLTable().Products()) {
		t.Errorf("result %+v", res)
	}
	tab, err := CachedEOLTable(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := tab.Support(&sbom.Distro{ID: "debian", VersionID: "12"}, day("2027-06-01"))
	if s.Status != SupportEnded || s.EOL != day("2027-01-31") || s.Source != "endoflife.date as of 2026-12-01" {
		t.Errorf("fetched table: %+v", s)
	}
	if u := tab.Support(&sbom.Distro{ID: "ubuntu", VersionID: "22.04"}, day("2027-01-01")); u.ExtendedEOL != day("2032-04-09") {
		t.Errorf("extended support lost in the round trip: %+v", u)
	}
	before, err := os.ReadFile(res.Path)
	if err != nil {
		t.Fatal(err)
	}

	write := func(body string) func(http.ResponseWriter) {
		return func(w http.ResponseWriter) { fmt.Fprint(w, body) }
	}
	good := apiAnswer("fedora", DefaultEOLTable().products["fedora"], "2026-12-02T00:00:00Z")
	for name, tt := range map[string]struct {
		answer func(http.ResponseWriter)
		want   error
	}{
		"truncated":    {write(good[:len(good)/2]), ErrEOLData},
		"huge":         {write(good[:len(good)-1] + strings.Repeat(" ", maxEOLResponse) + "}"), ErrEOLData},
		"bad date":     {write(strings.Replace(good, `"eolFrom":"2025-05-13"`, `"eolFrom":"2025-02-30"`, 1)), ErrEOLData},
		"date as text": {write(strings.Replace(good, `"eolFrom":"2025-05-13"`, `"eolFrom":"May 2025"`, 1)), ErrEOLData},
		"other name":   {write(strings.Replace(good, `"name":"fedora"`, `"name":"debian"`, 1)), ErrEOLData},
		"schema 2":     {write(strings.Replace(good, `"1.2.1"`, `"2.0.0"`, 1)), ErrEOLData},
		"no releases":  {write(`{"schema_version":"1.2.1","generated_at":"2026-12-02T00:00:00Z","result":{"name":"fedora","releases":[]}}`), ErrEOLData},
		"html":         {write("<html>maintenance</html>"), ErrEOLData},
		"404":          {func(w http.ResponseWriter) { http.Error(w, "gone", http.StatusNotFound) }, ErrFetch},
	} {
		t.Run(name, func(t *testing.T) {
			srv := eolServer(t, map[string]func(http.ResponseWriter){"fedora": tt.answer})
			_, err := FetchEOL(ctx, WithBaseURL(srv.URL+"/api/v1"), WithHTTPClient(srv.Client()), WithFetchCacheDir(dir))
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), "/products/fedora") {
				t.Fatalf("err = %v, want %v naming the URL", err, tt.want)
			}
			after, rerr := os.ReadFile(res.Path)
			if rerr != nil || !bytes.Equal(after, before) {
				t.Errorf("the previous table was not kept (%v)", rerr)
			}
		})
	}
	if _, err := FetchEOL(ctx, WithEcosystems("Debian"), WithFetchCacheDir(dir)); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("ecosystems: %v", err)
	}
}

// TestCachedEOLTable: the embedded table is used when nothing was
// fetched or what was fetched is older; a broken file is an error.
func TestCachedEOLTable(t *testing.T) {
	dir := t.TempDir()
	tab, err := CachedEOLTable(dir)
	if err != nil || tab.AsOf() != DefaultEOLTable().AsOf() {
		t.Fatalf("nothing fetched: %v, %v", tab, err)
	}
	old := `{"schema_version":"1","source":"https://endoflife.date","as_of":"2025-01-01","products":{"debian":[{"cycle":"12","eol":"2026-06-10"}]}}`
	if err := os.WriteFile(EOLPath(dir), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	if tab, err := CachedEOLTable(dir); err != nil || tab.AsOf() != DefaultEOLTable().AsOf() {
		t.Errorf("older fetch: %v, %v", tab.AsOf(), err)
	}
	if err := os.WriteFile(EOLPath(dir), []byte(old[:40]), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := CachedEOLTable(dir); !errors.Is(err, ErrEOLData) || !strings.Contains(err.Error(), filepath.Base(EOLPath(dir))) {
		t.Errorf("broken file: %v", err)
	}
}

// TestMatchSupport: Match judges the distribution with its clock, warns
// past the end and when the end is unknown, and says when nothing at all
// was checked.
func TestMatchSupport(t *testing.T) {
	db := testDB(t)
	ctx := context.Background()
	deb := func(v string) *sbom.SBOM {
		return &sbom.SBOM{Distro: &sbom.Distro{ID: "debian", VersionID: v}, Packages: []sbom.Package{
			{Type: sbom.TypeDeb, Name: "libc6", Version: "2.36-9+deb12u7", SourceName: "glibc", ID: "libc6", Location: "var/lib/dpkg/status"}}}
	}
	at := func(s string) MatchOption { return WithNow(func() time.Time { return day(s) }) }
	kinds := func(r *Report) []string {
		var out []string
		for _, w := range r.Warnings {
			switch w.Kind {
			case WarnEOL, WarnEOLUnknown, WarnNothing:
				out = append(out, w.Kind)
			}
		}
		return out
	}
	for _, tt := range []struct {
		name   string
		s      *sbom.SBOM
		opts   []MatchOption
		status SupportStatus // "" for no Support
		warn   string
		inSum  string
	}{
		{"supported", deb("12"), []MatchOption{at("2028-06-30")}, SupportActive, "", ""},
		{"past eol", deb("12"), []MatchOption{at("2028-07-01")}, SupportEnded, WarnEOL, "debian 12 is past its end of support"},
		{"unknown release", deb("99"), []MatchOption{at("2026-01-01")}, SupportUnknown, WarnEOLUnknown, ""},
		{"nothing", &sbom.SBOM{}, []MatchOption{at("2026-01-01")}, "", WarnNothing, "nothing checked"},
		{"no OS but packages", &sbom.SBOM{Packages: []sbom.Package{{Type: sbom.TypeGolang, Name: "example.com/x", Version: "v1.0.0", ID: "x", Location: "app"}}},
			[]MatchOption{at("2026-01-01")}, "", "", ""},
		{"fetched table", deb("12"), []MatchOption{at("2026-01-01"), WithEOLTable(mustTable(t,
			`{"schema_version":"1","source":"https://example.org","as_of":"2025-12-01","products":{"debian":[{"cycle":"12","eol":"2025-06-10"}]}}`))},
			SupportEnded, WarnEOL, "past its end of support"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Match(ctx, db, tt.s, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.status == "" && rep.Support != nil:
				t.Errorf("support %+v, want none", rep.Support)
			case tt.status != "" && (rep.Support == nil || rep.Support.Status != tt.status):
				t.Errorf("support %+v, want %s", rep.Support, tt.status)
			}
			got := kinds(rep)
			if (tt.warn == "" && len(got) != 0) || (tt.warn != "" && (len(got) != 1 || got[0] != tt.warn)) {
				t.Errorf("warnings %v, want %q", got, tt.warn)
			}
			sum := rep.Summary()
			switch {
			case tt.inSum != "" && !strings.Contains(sum, tt.inSum):
				t.Errorf("summary %q lacks %q", sum, tt.inSum)
			case tt.inSum == "" && (strings.Contains(sum, "nothing checked") || strings.Contains(sum, "end of support")):
				t.Errorf("summary %q", sum)
			}
		})
	}
	if _, err := Match(ctx, db, &sbom.SBOM{}, WithEOLTable(nil)); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("nil table: %v", err)
	}
}

func mustTable(t *testing.T, s string) *EOLTable {
	t.Helper()
	tab, err := ReadEOLTable(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func FuzzReadEOLTable(f *testing.F) {
	f.Add(eolData)
	f.Add([]byte(`{"schema_version":"1","source":"x","as_of":"2026-01-01","products":{"debian":[{"cycle":"12","eol":true}]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tab, err := ReadEOLTable(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, p := range tab.Products() {
			for _, r := range tab.products[p] {
				tab.Support(&sbom.Distro{ID: "debian", VersionID: r.Cycle, SupportEnd: r.Codename}, tab.AsOf())
			}
		}
	})
}
