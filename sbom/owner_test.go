package sbom

import (
	"context"
	"errors"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/shipshape-dev/shipshape/layercache"

	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/layer/layertest"
	"github.com/shipshape-dev/shipshape/result"
)

// TestFileOwners: which package's directory holds a file, for every
// kind of language package the catalogers find, and OS packages first.
func TestFileOwners(t *testing.T) {
	img := layertest.Image(t, layertest.Layer(t,
		layertest.File("etc/os-release", "ID=debian\nVERSION_ID=12\n"),
		layertest.File("var/lib/dpkg/status", "Package: node-x\nStatus: install ok installed\nArchitecture: all\nVersion: 1\n"),
		layertest.File("var/lib/dpkg/info/node-x.list", "/usr/share/nodejs/x/package.json\n/usr/share/nodejs/x/index.js\n"),
		layertest.File("var/lib/dpkg/info/node-x.md5sums", "0123456789abcdef0123456789abcdef  usr/share/nodejs/x/index.js\n"),
		layertest.File("usr/share/nodejs/x/package.json", `{"name":"x","version":"1.0.0"}`),
		layertest.File("app/node_modules/a/package.json", `{"name":"a","version":"1.0.0"}`),
		layertest.File("app/node_modules/a/node_modules/b/package.json", `{"name":"b","version":"2.0.0"}`),
		layertest.File("usr/lib/ruby/gems/3.1.0/specifications/rack-2.2.4.gemspec", "Gem::Specification.new do |s|\n  s.name = \"rack\"\n  s.version = \"2.2.4\"\nend\n"),
		layertest.File("var/www/vendor/composer/installed.json", `{"packages":[{"name":"monolog/monolog","version":"3.5.0"}]}`),
	))
	w, err := layer.New(img)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPass(w)
	if err != nil {
		t.Fatal(err)
	}
	res, err := w.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if p.FileOwners([]string{"x"}) != nil {
		t.Error("owners before SBOM")
	}
	s := p.SBOM(context.Background(), res)
	if len(s.Errors) != 0 {
		t.Fatal(s.Errors)
	}
	got := p.FileOwners([]string{
		"usr/share/nodejs/x/index.js", "app/node_modules/a/lib/x.js", "app/node_modules/a/node_modules/b/README.md",
		"usr/lib/ruby/gems/3.1.0/gems/rack-2.2.4/lib/rack.rb", "var/www/vendor/monolog/monolog/src/Logger.php",
		"app/node_modules/.cache/stray.js", "app/main.js",
	})
	for path, want := range map[string]struct {
		class result.Class
		purl  string
		sums  int
	}{
		"usr/share/nodejs/x/index.js":                         {result.ClassVendor, "pkg:deb/debian/node-x@1?arch=all&distro=debian-12", 1},
		"app/node_modules/a/lib/x.js":                         {result.ClassThirdParty, "pkg:npm/a@1.0.0", 0},
		"app/node_modules/a/node_modules/b/README.md":         {result.ClassThirdParty, "pkg:npm/b@2.0.0", 0},
		"usr/lib/ruby/gems/3.1.0/gems/rack-2.2.4/lib/rack.rb": {result.ClassThirdParty, "pkg:gem/rack@2.2.4", 0},
		"var/www/vendor/monolog/monolog/src/Logger.php":       {result.ClassThirdParty, "pkg:composer/monolog/monolog@3.5.0", 0},
		"app/node_modules/.cache/stray.js":                    {result.ClassThirdParty, "", 0},
	} {
		o, ok := got[path]
		if !ok || o.Class != want.class || o.PURL != want.purl || len(o.Digests) != want.sums {
			t.Errorf("%s: %+v %v, want %+v", path, o, ok, want)
		}
	}
	if _, ok := got["app/main.js"]; ok || len(got) != 6 {
		t.Errorf("owners %v", got)
	}
}

// TestFileOwnersTree: in a source tree, a Go module's vendored files
// are the module's.
func TestFileOwnersTree(t *testing.T) {
	tree := fstest.MapFS{
		"go.mod": {Data: []byte("module example.com/app\n\ngo 1.22\n\nrequire golang.org/x/text v0.3.7\n")},
	}
	w, err := layer.NewFS(tree)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := NewPass(w)
	res, err := w.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p.SBOM(context.Background(), res)
	o := p.FileOwners([]string{"vendor/golang.org/x/text/unicode/norm/tables.go"})["vendor/golang.org/x/text/unicode/norm/tables.go"]
	if o.Class != result.ClassThirdParty || o.PURL != "pkg:golang/golang.org/x/text@v0.3.7" {
		t.Errorf("vendored file: %+v", o)
	}
}

// TestWithCatalogers: a subset of catalogers finds only its packages,
// two subsets sharing a layer cache do not read each other's records,
// and a name that is no cataloger is refused.
func TestWithCatalogers(t *testing.T) {
	ctx := context.Background()
	img := layertest.Image(t, layertest.Layer(t,
		layertest.File("etc/os-release", "ID=debian\nVERSION_ID=12\n"),
		layertest.File("var/lib/dpkg/status", "Package: base-files\nStatus: install ok installed\nArchitecture: amd64\nVersion: 12.4\n"),
		layertest.File("lib/apk/db/installed", "P:musl\nV:1.2.4-r2\nA:x86_64\n\n"),
		layertest.File("app/node_modules/a/package.json", `{"name":"a","version":"1.0.0"}`),
	))
	cache, err := layercache.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	names := func(s *SBOM) []string {
		var out []string
		for _, p := range s.Packages {
			out = append(out, p.Type+"/"+p.Name)
		}
		slices.Sort(out)
		return out
	}
	for _, tt := range []struct {
		only []string
		want []string
	}{
		{[]string{"dpkg"}, []string{"deb/base-files"}},
		{[]string{"apk"}, []string{"apk/musl"}},
		{[]string{"npm"}, []string{"npm/a"}},
		{[]string{"dpkg", "npm"}, []string{"deb/base-files", "npm/a"}},
		{nil, []string{"apk/musl", "deb/base-files", "npm/a"}},
	} {
		for run := range 2 { // the second run reads the cache
			opts := []Option{WithLayerOptions(layer.WithCache(cache))}
			if tt.only != nil {
				opts = append(opts, WithCatalogers(tt.only...))
			}
			s, err := FromImage(ctx, img, opts...)
			if err != nil {
				t.Fatal(err)
			}
			if got := names(s); !slices.Equal(got, tt.want) {
				t.Errorf("%v run %d: packages %v, want %v", tt.only, run, got, tt.want)
			}
			if s.Distro == nil || s.Distro.ID != "debian" {
				t.Errorf("%v: distro %+v, want debian always read", tt.only, s.Distro)
			}
		}
	}
	for _, bad := range [][]string{{}, {"dpkg", "deb"}, {"Python"}} {
		if _, err := FromImage(ctx, img, WithCatalogers(bad...)); !errors.Is(err, result.ErrInvalidOption) {
			t.Errorf("WithCatalogers(%q): err %v, want ErrInvalidOption", bad, err)
		}
	}
}
