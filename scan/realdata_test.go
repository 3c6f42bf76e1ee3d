package scan

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/mod/semver"

	"github.com/shipshape-dev/shipshape/internal/osv"
	"github.com/shipshape-dev/shipshape/internal/testkit"
	"github.com/shipshape-dev/shipshape/sbom"
)

// testTmp outlives single tests (TestMain removes it).
var testTmp string

func TestMain(m *testing.M) {
	flag.Parse()
	var err error
	if testTmp, err = os.MkdirTemp("", "shipshape-scan-test-"); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(testTmp)
	os.Exit(code)
}

var (
	sharedOnce sync.Once
	sharedPath string
	sharedErr  error
)

// sharedDB builds, once per test binary, a store from the shared OSV data
// (Go, PyPI, Alpine).
func sharedDB(t *testing.T) (*DB, string) {
	t.Helper()
	dir := testkit.SharedDir(t)
	sharedOnce.Do(func() {
		sharedPath = filepath.Join(testTmp, "shared.db")
		var inputs []string
		for _, e := range []string{"Go", "PyPI", "Alpine"} {
			inputs = append(inputs, filepath.Join(dir, "osv", e, "all.zip"))
		}
		_, sharedErr = BuildDB(context.Background(), sharedPath, inputs)
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	db, err := OpenDB(context.Background(), sharedPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, dir
}

// independentGo reads the Go records the plain way: in every SEMVER range,
// events in the order the Go database writes them (sorted), a version is
// affected from an introduction to the next fix, compared with
// golang.org/x/mod/semver. It shares no code with Match.
func independentGo(t *testing.T, zip string, module, ver string) []string {
	t.Helper()
	v := ver
	if !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	var ids []string
	err := osv.ReadZip(zip, func(_ string, rec *osv.Vulnerability, err error) error {
		if err != nil || rec.Withdrawn != "" {
			return nil
		}
		for _, a := range rec.Affected {
			if a.Package.Ecosystem != "Go" || a.Package.Name != module {
				continue
			}
			for _, r := range a.Ranges {
				in := false
				for _, e := range r.Events {
					switch {
					case e.Introduced == "0":
						in = true
					case e.Introduced != "" && semver.Compare(v, "v"+e.Introduced) >= 0:
						in = true
					case e.Fixed != "" && semver.Compare(v, "v"+e.Fixed) >= 0:
						in = false
					}
				}
				if in {
					ids = append(ids, rec.ID)
					return nil
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(ids)
	return ids
}

// advisoriesOf collects the advisory ids of the findings for one package.
func advisoriesOf(r *Report, pkgID string) []string {
	var ids []string
	for _, f := range r.Findings {
		if f.Package.ID == pkgID {
			ids = append(ids, f.Advisories...)
		}
	}
	sort.Strings(ids)
	return ids
}

// goModules are real modules at versions with known vulnerabilities.
var goModules = [][2]string{
	{"stdlib", "1.18.5"},
	{"stdlib", "1.21.0"},
	{"stdlib", "1.22.0-rc.1"},
	{"golang.org/x/text", "v0.3.7"},
	{"golang.org/x/net", "v0.7.0"},
	{"golang.org/x/crypto", "v0.0.0-20200622213623-75b288015ac9"},
	{"github.com/gin-gonic/gin", "v1.6.0"},
	{"github.com/dgrijalva/jwt-go", "v3.2.0+incompatible"},
	{"gopkg.in/yaml.v2", "v2.2.7"},
	{"github.com/gorilla/websocket", "v1.4.0"},
	{"github.com/prometheus/client_golang", "v1.11.0"},
	{"golang.org/x/text", "v0.14.0"},
}

func TestGoAgainstIndependentReading(t *testing.T) {
	db, dir := sharedDB(t)
	s := &sbom.SBOM{}
	for _, m := range goModules {
		s.Packages = append(s.Packages, sbom.Package{Type: sbom.TypeGolang, Name: m[0], Version: m[1], ID: m[0] + "@" + m[1]})
	}
	rep, err := Match(context.Background(), db, s)
	if err != nil {
		t.Fatal(err)
	}
	zip := filepath.Join(dir, "osv", "Go", "all.zip")
	total := 0
	for _, m := range goModules {
		want := independentGo(t, zip, m[0], m[1])
		got := advisoriesOf(rep, m[0]+"@"+m[1])
		total += len(got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s %s:\n got %v\nwant %v", m[0], m[1], got, want)
		}
	}
	if total < 50 {
		t.Errorf("only %d advisories matched: the fixture versions should hit many", total)
	}
}

// independentPyPI reads the PyPI records' explicit version lists, which
// the PyPA database writes for every range it knows the releases of.
// Records without a list are left out of the comparison.
func independentPyPI(t *testing.T, zip, name, ver string) (ids []string, unlisted map[string]bool) {
	t.Helper()
	unlisted = map[string]bool{}
	err := osv.ReadZip(zip, func(_ string, rec *osv.Vulnerability, err error) error {
		if err != nil || rec.Withdrawn != "" {
			return nil
		}
		for _, a := range rec.Affected {
			if a.Package.Ecosystem != "PyPI" || storeName("PyPI", a.Package.Name) != storeName("PyPI", name) {
				continue
			}
			if len(a.Versions) == 0 {
				unlisted[rec.ID] = true
				continue
			}
			for _, v := range a.Versions {
				if v == ver {
					ids = append(ids, rec.ID)
					return nil
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(ids)
	return ids, unlisted
}

var pypiPackages = [][2]string{
	{"requests", "2.19.0"}, {"urllib3", "1.24.1"}, {"django", "2.2"}, {"PyYAML", "5.3"},
	{"jinja2", "2.10"}, {"pillow", "8.0.0"}, {"flask", "0.12"}, {"cryptography", "3.2"},
}

func TestPyPIAgainstIndependentReading(t *testing.T) {
	db, dir := sharedDB(t)
	s := &sbom.SBOM{}
	for _, p := range pypiPackages {
		s.Packages = append(s.Packages, sbom.Package{Type: sbom.TypePyPI, Name: p[0], Version: p[1], ID: p[0]})
	}
	rep, err := Match(context.Background(), db, s)
	if err != nil {
		t.Fatal(err)
	}
	zip := filepath.Join(dir, "osv", "PyPI", "all.zip")
	total := 0
	for _, p := range pypiPackages {
		want, unlisted := independentPyPI(t, zip, p[0], p[1])
		var got []string
		for _, id := range advisoriesOf(rep, p[0]) {
			if !unlisted[id] {
				got = append(got, id)
			}
		}
		total += len(got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s %s:\n got %v\nwant %v", p[0], p[1], got, want)
		}
	}
	if total < 30 {
		t.Errorf("only %d advisories matched", total)
	}
}

func TestAlpineSharedData(t *testing.T) {
	db, _ := sharedDB(t)
	s := &sbom.SBOM{Distro: &sbom.Distro{ID: "alpine", VersionID: "3.11.5"}, Packages: []sbom.Package{
		{Type: sbom.TypeAPK, Name: "libcrypto1.1", Version: "1.1.1d-r2", SourceName: "openssl", ID: "libcrypto"},
		{Type: sbom.TypeAPK, Name: "libcrypto1.1", Version: "1.1.1d-r3", SourceName: "openssl", ID: "fixed"},
	}}
	rep, err := Match(context.Background(), db, s)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range rep.Findings {
		got[f.Package.ID+" "+f.ID] = true
	}
	// The secdb of the snapshot fixes CVE-2019-1551 in 1.1.1d-r3.
	if !got["libcrypto CVE-2019-1551"] {
		t.Errorf("CVE-2019-1551 not found for openssl 1.1.1d-r2: %v", brief(rep))
	}
	for k := range got {
		if strings.HasPrefix(k, "fixed ") {
			t.Errorf("fixed version reported: %s", k)
		}
	}
}
