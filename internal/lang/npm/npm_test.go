package npm

import (
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/lang"
)

func brief(ps []lang.Package) []string {
	var out []string
	for _, p := range ps {
		s := p.Name + "@" + p.Version
		if p.Dev {
			s += " dev"
		}
		if len(p.Licenses) > 0 {
			s += " " + strings.Join(p.Licenses, ",")
		}
		out = append(out, s)
	}
	return out
}

func TestPackageJSON(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{`{"name": "express", "version": "4.18.2", "license": "MIT"}`, []string{"express@4.18.2 MIT"}},
		{`{"name": "@babel/core", "version": "7.23.3", "license": {"type": "MIT", "url": "x"}}`, []string{"@babel/core@7.23.3 MIT"}},
		{`{"name": "old", "version": "1.0.0", "licenses": [{"type": "MIT"}, {"type": "Apache-2.0"}]}`, []string{"old@1.0.0 MIT,Apache-2.0"}},
		{`{"name": "dual", "version": "1.0.0", "license": "(MIT OR Apache-2.0)"}`, []string{"dual@1.0.0 (MIT OR Apache-2.0)"}},
		// An entry-point manifest without a version is still inventory.
		{`{"name": "web-streams-polyfill-es2018", "main": "../dist/polyfill.es2018"}`, []string{"web-streams-polyfill-es2018@"}},
		{`{"version": "1.0.0"}`, nil},
	} {
		got, err := ParsePackageJSON(strings.NewReader(tt.in))
		if err != nil || !reflect.DeepEqual(brief(got), tt.want) {
			t.Errorf("%s: %q, %v; want %q", tt.in, brief(got), err, tt.want)
		}
	}
	if _, err := ParsePackageJSON(strings.NewReader("{")); !errors.Is(err, lang.ErrParse) {
		t.Errorf("err = %v", err)
	}
}

func TestLockFiles(t *testing.T) {
	for _, tt := range []struct {
		file  string
		parse func(io.Reader) ([]lang.Package, error)
		want  []string
	}{
		{"package-lock-v3.json", ParsePackageLock, []string{"@babel/core@7.23.3 dev MIT", "debug@2.6.9 MIT", "express@4.18.2 MIT", "real-name@1.0.0"}},
		{"package-lock-v1.json", ParsePackageLock, []string{"lodash@4.17.20", "mocha@10.2.0 dev", "ms@2.1.3 dev"}},
		{"yarn-classic.lock", ParseYarnLock, []string{"@babel/code-frame@7.12.13", "lodash@4.17.21", "string-width@4.2.3"}},
		{"yarn-berry.lock", ParseYarnLock, []string{"@babel/code-frame@7.22.13", "lodash@4.17.21"}},
		{"pnpm-v5.yaml", ParsePnpmLock, []string{"@types/node@20.10.0 dev", "loose-envify@1.4.0", "react@18.2.0"}},
		{"pnpm-v9.yaml", ParsePnpmLock, []string{"@babel/core@7.23.3", "react-dom@18.2.0"}},
	} {
		f, err := os.Open("testdata/" + tt.file)
		if err != nil {
			t.Fatal(err)
		}
		got, err := tt.parse(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		if !reflect.DeepEqual(brief(got), tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.file, brief(got), tt.want)
		}
	}
}

func FuzzParsers(f *testing.F) {
	for _, name := range []string{"package-lock-v3.json", "yarn-classic.lock", "yarn-berry.lock", "pnpm-v9.yaml"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, s string) {
		ParsePackageJSON(strings.NewReader(s))
		ParsePackageLock(strings.NewReader(s))
		ParseYarnLock(strings.NewReader(s))
		ParsePnpmLock(strings.NewReader(s))
	})
}

func BenchmarkPackageJSON(b *testing.B) {
	const in = `{"name": "express", "version": "4.18.2", "license": "MIT", "dependencies": {"a": "1", "b": "2"}, "description": "Fast, unopinionated, minimalist web framework"}`
	for b.Loop() {
		ParsePackageJSON(strings.NewReader(in))
	}
}
