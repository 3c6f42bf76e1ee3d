package scan

import (
	"archive/zip"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/layer/layertest"
	"github.com/shipshape-dev/shipshape/sbom"
)

func integration(t *testing.T) {
	t.Helper()
	if os.Getenv("SHIPSHAPE_INTEGRATION") == "" {
		t.Skip("set SHIPSHAPE_INTEGRATION=1: fetches toolchains and modules through the Go module proxy")
	}
}

// buildWithToolchain builds a program importing vulnerable module
// versions with an old Go toolchain (GOTOOLCHAIN fetches it from the module
// proxy).
func buildWithToolchain(t *testing.T, toolchain string) []byte {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/shipshape/vulnerable\n\ngo 1.21\n\nrequire (\n\tgolang.org/x/text v0.3.7\n\tgolang.org/x/net v0.0.0-20220722155237-a158d28d115b\n)\n",
		"main.go": `package main

import (
	"fmt"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/text/language"
)

func main() {
	doc, _ := html.Parse(strings.NewReader("<p>hi</p>"))
	fmt.Println(doc.Type, language.English)
}
`,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := append(os.Environ(), "GOTOOLCHAIN="+toolchain, "GOFLAGS=-mod=mod -buildvcs=false", "GOWORK=off", "CGO_ENABLED=0")
	for _, args := range [][]string{{"mod", "tidy"}, {"build", "-trimpath", "-o", "bin"}} {
		cmd := exec.Command("go", args...)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Skipf("go %s with %s (needs the module proxy): %v\n%s", args[0], toolchain, err, out)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "bin"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGoBinariesOldToolchains builds real binaries with old toolchains and
// vulnerable dependencies, inventories them in an image, and checks that
// the findings are exactly the Go database's advisories whose ranges hold
// each module's version (and the toolchain's, for stdlib) by the
// independent reading.
func TestGoBinariesOldToolchains(t *testing.T) {
	integration(t)
	db, dir := sharedDB(t)
	zip := filepath.Join(dir, "osv", "Go", "all.zip")
	var files []layertest.Entry
	for _, tc := range []string{"go1.21.0", "go1.22.1"} {
		files = append(files, layertest.File("usr/local/bin/app-"+tc, string(buildWithToolchain(t, tc))))
	}
	img := layertest.Image(t, layertest.Layer(t, files...))
	s, err := sbom.FromImage(context.Background(), img, sbom.WithLayerOptions(layer.WithoutManifest()))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Match(context.Background(), db, s)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, p := range s.Packages {
		if p.Type != sbom.TypeGolang || p.Version == "(devel)" {
			continue
		}
		seen[p.Name+"@"+p.Version] = true
		want := independentGo(t, zip, p.Name, p.Version)
		got := advisoriesOf(rep, p.ID)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s %s in %s:\n got %v\nwant %v", p.Name, p.Version, p.Location, got, want)
		}
		if len(want) == 0 {
			t.Errorf("%s %s: the test expects a vulnerable version", p.Name, p.Version)
		}
	}
	for _, want := range []string{"stdlib@1.21.0", "stdlib@1.22.1", "golang.org/x/text@v0.3.7", "golang.org/x/net@v0.0.0-20220722155237-a158d28d115b"} {
		if !seen[want] {
			t.Errorf("%s not in the SBOM: %v", want, seen)
		}
	}
}

// wheel writes a minimal wheel (PEP 427) of a distribution name==version.
func wheel(t *testing.T, dir, name, version string) string {
	t.Helper()
	mod := strings.ToLower(strings.ReplaceAll(name, "-", "_"))
	path := filepath.Join(dir, fmt.Sprintf("%s-%s-py3-none-any.whl", mod, version))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	info := fmt.Sprintf("%s-%s.dist-info/", mod, version)
	for _, e := range [][2]string{
		{mod + "/__init__.py", "\n"},
		{info + "METADATA", fmt.Sprintf("Metadata-Version: 2.1\nName: %s\nVersion: %s\n", name, version)},
		{info + "WHEEL", "Wheel-Version: 1.0\nGenerator: shipshape-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
		{info + "RECORD", ""},
	} {
		w, err := zw.Create(e[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e[1]))
	}
	zw.Close()
	f.Close()
	return path
}

// TestPipInstalledPackages installs distributions with pip (offline, from
// wheels written by the test at real vulnerable versions) and checks the
// findings against the PyPI database's version lists.
func TestPipInstalledPackages(t *testing.T) {
	integration(t)
	if err := exec.Command("python3", "-m", "pip", "--version").Run(); err != nil {
		t.Skip("no pip")
	}
	db, dir := sharedDB(t)
	wheels, site := t.TempDir(), t.TempDir()
	args := []string{"-m", "pip", "install", "--no-index", "--no-deps", "--disable-pip-version-check", "--target", site}
	for _, p := range pypiPackages {
		args = append(args, wheel(t, wheels, p[0], p[1]))
	}
	if out, err := exec.Command("python3", args...).CombinedOutput(); err != nil {
		t.Fatalf("pip install: %v\n%s", err, out)
	}
	var files []layertest.Entry
	err := filepath.WalkDir(site, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(site, p)
		b, err := os.ReadFile(p)
		files = append(files, layertest.File("usr/local/lib/python3.11/site-packages/"+filepath.ToSlash(rel), string(b)))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := sbom.FromImage(context.Background(), layertest.Image(t, layertest.Layer(t, files...)), sbom.WithLayerOptions(layer.WithoutManifest()))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Match(context.Background(), db, s)
	if err != nil {
		t.Fatal(err)
	}
	zip := filepath.Join(dir, "osv", "PyPI", "all.zip")
	if len(s.Packages) != len(pypiPackages) {
		t.Fatalf("%d packages in the SBOM", len(s.Packages))
	}
	for _, p := range s.Packages {
		want, unlisted := independentPyPI(t, zip, p.Name, p.Version)
		var got []string
		for _, id := range advisoriesOf(rep, p.ID) {
			if !unlisted[id] {
				got = append(got, id)
			}
		}
		if !reflect.DeepEqual(got, want) || len(want) == 0 {
			t.Errorf("%s %s:\n got %v\nwant %v", p.Name, p.Version, got, want)
		}
	}
}
