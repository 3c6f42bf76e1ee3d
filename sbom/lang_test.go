package sbom

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape/internal/lang/golang"
	"github.com/shipshape-dev/shipshape/internal/testkit"
	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/layer/layertest"
)

func jar(t *testing.T, entries ...[2]string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e[1]))
	}
	zw.Close()
	return buf.String()
}

func pomProperties(g, a, v string) [2]string {
	return [2]string{"META-INF/maven/" + g + "/" + a + "/pom.properties", "groupId=" + g + "\nartifactId=" + a + "\nversion=" + v + "\n"}
}

// appImage is a Debian image with an application layer holding packages of
// every ecosystem shipshape reads in images.
func appImage(t *testing.T) v1.Image {
	t.Helper()
	auditable, err := os.ReadFile("testdata/hello-auditable")
	if err != nil {
		t.Fatal(err)
	}
	base := layertest.Layer(t,
		layertest.File("etc/os-release", "ID=debian\nVERSION_ID=12\n"),
		layertest.File("var/lib/dpkg/status", stanza("python3-six", "1.16.0-4", "all", "six", "")),
		layertest.File("var/lib/dpkg/info/python3-six.list", "/.\n/usr\n/usr/lib/python3/dist-packages\n/usr/lib/python3/dist-packages/six-1.16.0.egg-info\n/usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO\n"),
		layertest.File("usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO", "Metadata-Version: 1.2\nName: six\nVersion: 1.16.0\nLicense: MIT\n"),
	)
	app := layertest.Layer(t,
		layertest.File("usr/local/bin/app", string(testkit.GoBinary(t, "linux", "amd64"))),
		layertest.File("usr/local/bin/hello", string(auditable)),
		layertest.File("usr/local/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\nLicense: Apache 2.0\n"),
		layertest.File("app/package.json", `{"name": "my-app", "version": "1.0.0"}`),
		layertest.File("app/package-lock.json", `{"lockfileVersion": 3, "packages": {"node_modules/left-pad": {"version": "1.3.0"}}}`),
		layertest.File("app/node_modules/express/package.json", `{"name": "express", "version": "4.18.2", "license": "MIT"}`),
		layertest.File("app/node_modules/express/node_modules/debug/package.json", `{"name": "debug", "version": "2.6.9", "license": "MIT"}`),
		layertest.File("app/node_modules/@babel/core/package.json", `{"name": "@babel/core", "version": "7.23.3", "license": "MIT"}`),
		layertest.File("opt/app.war", jar(t, pomProperties("com.example", "app", "1.0.0"),
			[2]string{"WEB-INF/lib/log4j-core-2.14.1.jar", jar(t, pomProperties("org.apache.logging.log4j", "log4j-core", "2.14.1"))})),
		layertest.File("usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec", "Gem::Specification.new do |s|\n  s.name = \"rake\".freeze\n  s.version = \"13.0.6\"\n  s.licenses = [\"MIT\".freeze]\nend\n"),
		layertest.File("usr/lib/ruby/gems/3.1.0/gems/rake-13.0.6/Gemfile.lock", "GEM\n  specs:\n    minitest (5.20.0)\n"),
		layertest.File("var/www/vendor/composer/installed.json", `{"packages": [{"name": "guzzlehttp/guzzle", "version": "7.8.0", "license": ["MIT"]}]}`),
		layertest.File("app/MyApp.deps.json", `{"libraries": {"MyApp/1.0.0": {"type": "project"}, "Newtonsoft.Json/13.0.1": {"type": "package"}}}`),
	)
	return layertest.Image(t, base, app)
}

// langBrief lists packages as "type name version location [owned]".
func langBrief(s *SBOM) []string {
	owners := map[string]string{}
	for _, p := range s.Packages {
		owners[p.ID] = p.Name
	}
	var out []string
	for _, p := range s.Packages {
		line := p.Type + " " + p.Name + " " + p.Version + " " + p.Location
		if p.OwnedBy != "" {
			line += " owned-by=" + owners[p.OwnedBy]
		}
		out = append(out, line)
	}
	sort.Strings(out)
	return out
}

func TestLanguagesInImage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go binary")
	}
	img := appImage(t)
	s, err := FromImage(context.Background(), img, WithName("example.com/app:1"))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Errors) != 0 {
		t.Errorf("errors: %v", s.Errors)
	}
	stdlib := golang.StdlibVersion(runtime.Version())
	want := []string{
		"cargo cc 1.0.83 usr/local/bin/hello",
		"cargo hello 0.1.0 usr/local/bin/hello",
		"cargo mygit 0.2.0 usr/local/bin/hello",
		"cargo serde 1.0.193 usr/local/bin/hello",
		"composer guzzlehttp/guzzle 7.8.0 var/www/vendor/composer/installed.json",
		"deb python3-six 1.16.0-4 var/lib/dpkg/status",
		"gem rake 13.0.6 usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec",
		"golang example.com/shipshape/testbin (devel) usr/local/bin/app",
		"golang golang.org/x/sync v0.22.0 usr/local/bin/app",
		"golang stdlib " + stdlib + " usr/local/bin/app",
		"maven app 1.0.0 opt/app.war",
		"maven log4j-core 2.14.1 opt/app.war!/WEB-INF/lib/log4j-core-2.14.1.jar",
		"npm @babel/core 7.23.3 app/node_modules/@babel/core/package.json",
		"npm debug 2.6.9 app/node_modules/express/node_modules/debug/package.json",
		"npm express 4.18.2 app/node_modules/express/package.json",
		"npm my-app 1.0.0 app/package.json",
		"nuget Newtonsoft.Json 13.0.1 app/MyApp.deps.json",
		"pypi requests 2.31.0 usr/local/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA",
		"pypi six 1.16.0 usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO owned-by=python3-six",
	}
	if got := langBrief(s); !reflect.DeepEqual(got, want) {
		t.Errorf("packages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	ids := diffIDs(t, img)
	for _, p := range s.Packages {
		wantLayer := ids[1]
		if p.Type == TypeDeb || p.Name == "six" {
			wantLayer = ids[0]
		}
		if p.Layer != wantLayer {
			t.Errorf("%s in layer %s", p.Name, p.Layer)
		}
		if p.Type == TypeGolang && p.Name == "golang.org/x/sync" && p.PURL != "pkg:golang/golang.org/x/sync@v0.22.0" {
			t.Errorf("purl %s", p.PURL)
		}
		if p.Name == "log4j-core" && p.PURL != "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1" {
			t.Errorf("purl %s", p.PURL)
		}
		if p.Name == "@babel/core" && p.PURL != "pkg:npm/%40babel/core@7.23.3" {
			t.Errorf("purl %s", p.PURL)
		}
	}
}

// writeTree writes files under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, body := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLanguagesInSourceTree(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"go.mod":                                 "module example.com/app\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n",
		"go.sum":                                 "github.com/google/uuid v1.6.0 h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=\ngithub.com/google/uuid v1.6.0/go.mod h1:TIyPZe4MgqvfeYDBFedMoGGpEw/LqOeaOT+nhxU+yHo=\n",
		"requirements.txt":                       "requests==2.31.0\nflask>=2\n",
		"web/package.json":                       `{"name": "web", "version": "1.0.0"}`,
		"web/package-lock.json":                  `{"lockfileVersion": 3, "packages": {"": {"name": "web"}, "node_modules/left-pad": {"version": "1.3.0"}}}`,
		"web/node_modules/left-pad/package.json": `{"name": "left-pad", "version": "1.3.0"}`,
		"web/node_modules/left-pad/package-lock.json": `{"lockfileVersion": 3, "packages": {"node_modules/x": {"version": "9.9.9"}}}`,
		"rust/Cargo.lock":           "[[package]]\nname = \"serde\"\nversion = \"1.0.193\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
		"ruby/Gemfile.lock":         "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (2.2.8)\n",
		"php/composer.lock":         `{"packages": [{"name": "psr/log", "version": "3.0.0"}]}`,
		"java/pom.xml":              "<project><dependencies><dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.13.2</version><scope>test</scope></dependency></dependencies></project>",
		"dotnet/packages.lock.json": `{"version": 1, "dependencies": {"net8.0": {"Serilog": {"type": "Direct", "resolved": "3.1.1"}}}}`,
	})
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	s, err := FromFS(context.Background(), root.FS())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"cargo serde 1.0.193 rust/Cargo.lock",
		"composer psr/log 3.0.0 php/composer.lock",
		"gem rack 2.2.8 ruby/Gemfile.lock",
		"golang github.com/google/uuid v1.6.0 go.mod",
		"maven junit 4.13.2 java/pom.xml",
		"npm left-pad 1.3.0 web/node_modules/left-pad/package.json",
		"npm left-pad 1.3.0 web/package-lock.json",
		"nuget Serilog 3.1.1 dotnet/packages.lock.json",
		"pypi requests 2.31.0 requirements.txt",
	}
	if got := langBrief(s); !reflect.DeepEqual(got, want) {
		t.Errorf("packages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, p := range s.Packages {
		if p.Name == "github.com/google/uuid" && p.Properties["golang:h1"] != "h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=" {
			t.Errorf("go.sum checksum not applied: %v", p.Properties)
		}
		if p.Name == "junit" && !p.Dev {
			t.Error("junit is a test dependency")
		}
	}
}

func TestLanguageGoldenAndRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go binary")
	}
	s, err := FromImage(context.Background(), appImage(t), WithName("example.com/app:1"))
	if err != nil {
		t.Fatal(err)
	}
	// The Go toolchain's version and the binary's bytes vary with the Go
	// that runs the test; keep the golden file about the rest.
	var keep []Package
	for _, p := range s.Packages {
		if p.Type != TypeGolang {
			keep = append(keep, p)
		}
	}
	s.Packages = keep
	var buf bytes.Buffer
	if err := Encode(&buf, s, FormatCycloneDXJSON, WithTimestamp(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)),
		WithSerialNumber("urn:uuid:00000000-0000-4000-8000-000000000001")); err != nil {
		t.Fatal(err)
	}
	back, err := Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Packages, s.Packages) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", back.Packages, s.Packages)
	}
	// Layer and image digests depend on the binaries the test builds: the
	// golden CycloneDX document is written without them (TestLanguagesInImage
	// checks the layers).
	for i := range s.Packages {
		s.Packages[i].Layer = ""
	}
	s.Source = Source{Type: SourceImage, Name: "example.com/app:1"}
	buf.Reset()
	if err := Encode(&buf, s, FormatCycloneDXJSON, WithTimestamp(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)),
		WithSerialNumber("urn:uuid:00000000-0000-4000-8000-000000000001")); err != nil {
		t.Fatal(err)
	}
	golden(t, "languages.cyclonedx-json", buf.Bytes())
}

func TestLanguageOwnershipAPK(t *testing.T) {
	img := layertest.Image(t, layertest.Layer(t,
		layertest.File("etc/alpine-release", "3.19.0\n"),
		layertest.File("lib/apk/db/installed", "P:py3-six\nV:1.16.0-r9\nA:noarch\nF:usr/lib/python3.11/site-packages/six-1.16.0.dist-info\nR:METADATA\n\n"),
		layertest.File("usr/lib/python3.11/site-packages/six-1.16.0.dist-info/METADATA", "Name: six\nVersion: 1.16.0\n"),
		layertest.File("usr/lib/python3.11/site-packages/other-1.0.dist-info/METADATA", "Name: other\nVersion: 1.0\n"),
	))
	s, err := FromImage(context.Background(), img, WithLayerOptions(layer.WithoutManifest()))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"apk py3-six 1.16.0-r9 lib/apk/db/installed",
		"pypi other 1.0 usr/lib/python3.11/site-packages/other-1.0.dist-info/METADATA",
		"pypi six 1.16.0 usr/lib/python3.11/site-packages/six-1.16.0.dist-info/METADATA owned-by=py3-six",
	}
	if got := langBrief(s); !reflect.DeepEqual(got, want) {
		t.Errorf("packages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLanguageBadInput(t *testing.T) {
	img := layertest.Image(t, layertest.Layer(t,
		layertest.File("app/node_modules/bad/package.json", `{"name": "bad", "version":`),
		layertest.File("app/node_modules/good/package.json", `{"name": "good", "version": "1.0.0"}`),
		layertest.File("opt/broken.jar", "PK\x03\x04 not really a zip"),
		layertest.File("usr/lib/python3/site-packages/x-1.dist-info/METADATA", "no headers here"),
	))
	s, err := FromImage(context.Background(), img, WithLayerOptions(layer.WithoutManifest()))
	if err != nil {
		t.Fatal(err)
	}
	if got := langBrief(s); !reflect.DeepEqual(got, []string{"npm good 1.0.0 app/node_modules/good/package.json"}) {
		t.Errorf("packages = %q", got)
	}
	var paths []string
	for _, e := range s.Errors {
		paths = append(paths, e.Path)
	}
	sort.Strings(paths)
	want := []string{"app/node_modules/bad/package.json", "opt/broken.jar", "usr/lib/python3/site-packages/x-1.dist-info/METADATA"}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("errors on %q, want %q: %v", paths, want, s.Errors)
	}
}

// openCounter is a layer whose reads are counted.
type openCounter struct {
	v1.Layer
	opens *int
}

func (l openCounter) Uncompressed() (io.ReadCloser, error) {
	*l.opens++
	return l.Layer.Uncompressed()
}

// TestRandomAccessBinaryReadOnce: a cargo-auditable binary needs its
// section table; one small enough is parsed from the copy kept as it
// streamed by, without a second read of its layer. A larger one (padded
// past maxKept) is still read, on a second pass.
func TestRandomAccessBinaryReadOnce(t *testing.T) {
	auditable, err := os.ReadFile("testdata/hello-auditable")
	if err != nil {
		t.Fatal(err)
	}
	padded := string(auditable) + strings.Repeat("\x00", maxKept)
	for _, tt := range []struct {
		name  string
		body  string
		reads int
	}{{"small", string(auditable), 1}, {"over maxKept", padded, 2}} {
		t.Run(tt.name, func(t *testing.T) {
			opens := 0
			layer := openCounter{Layer: layertest.Layer(t, layertest.File("usr/local/bin/hello", tt.body)), opens: &opens}
			s, err := FromImage(context.Background(), layertest.Image(t, layer))
			if err != nil {
				t.Fatal(err)
			}
			rust := 0
			for _, p := range s.Packages {
				if p.Type == TypeCargo {
					rust++
				}
			}
			if rust == 0 || len(s.Errors) != 0 {
				t.Errorf("%d cargo packages, errors %v", rust, s.Errors)
			}
			if opens != tt.reads {
				t.Errorf("layer read %d times, want %d", opens, tt.reads)
			}
		})
	}
}
