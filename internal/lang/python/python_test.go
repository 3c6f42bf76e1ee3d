package python

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/lang"
)

func open(t testing.TB, name string) *os.File {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// brief is "name version [dev] licences".
func brief(ps []lang.Package) []string {
	var out []string
	for _, p := range ps {
		s := p.Name + " " + p.Version
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

func TestMetadata(t *testing.T) {
	for _, tt := range []struct{ file, want string }{
		{"METADATA", "flask-sqlalchemy 3.0.5 BSD License"},
		{"PKG-INFO", "six 1.16.0 MIT"},
	} {
		p, err := ParseMetadata(open(t, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		if got := brief([]lang.Package{p})[0]; got != tt.want {
			t.Errorf("%s: %q, want %q", tt.file, got, tt.want)
		}
	}
	p, err := ParseMetadata(strings.NewReader("Name: x\nVersion: 1\nLicense-Expression: MIT OR Apache-2.0\nLicense: ignored\n"))
	if err != nil || p.Licenses[0] != "MIT OR Apache-2.0" {
		t.Errorf("License-Expression: %v %v", p.Licenses, err)
	}
	if _, err := ParseMetadata(strings.NewReader("Summary: no name\n")); !errors.Is(err, lang.ErrParse) {
		t.Errorf("err = %v", err)
	}
}

func TestLockFiles(t *testing.T) {
	for _, tt := range []struct {
		file  string
		parse func(r *os.File) ([]lang.Package, error)
		want  []string
	}{
		{"requirements.txt", func(r *os.File) ([]lang.Package, error) { return ParseRequirements(r) },
			[]string{"charset-normalizer 3.3.2", "django 4.2.7", "requests 2.31.0", "urllib3 1.26.18"}},
		{"poetry.lock", func(r *os.File) ([]lang.Package, error) { return ParseTOMLLock(r) },
			[]string{"certifi 2023.11.17", "pytest 7.4.3 dev"}},
		{"uv.lock", func(r *os.File) ([]lang.Package, error) { return ParseTOMLLock(r) },
			[]string{"idna 3.6"}},
		{"Pipfile.lock", func(r *os.File) ([]lang.Package, error) { return ParsePipfileLock(r) },
			[]string{"idna 3.6", "pytest 7.4.3 dev", "requests 2.31.0"}},
	} {
		got, err := tt.parse(open(t, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(brief(got), tt.want) {
			t.Errorf("%s: %q, want %q", tt.file, brief(got), tt.want)
		}
	}
	for _, bad := range []func() error{
		func() error { _, err := ParseTOMLLock(strings.NewReader("[[package]\nname=")); return err },
		func() error { _, err := ParsePipfileLock(strings.NewReader("{")); return err },
	} {
		if err := bad(); !errors.Is(err, lang.ErrParse) {
			t.Errorf("malformed input: %v", err)
		}
	}
}

func TestNormalizeName(t *testing.T) {
	for in, want := range map[string]string{"Flask_SQLAlchemy": "flask-sqlalchemy", "zope.interface": "zope-interface", "A--b__C": "a-b-c"} {
		if got := NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q", in, got)
		}
	}
}

func FuzzMetadata(f *testing.F) {
	f.Add("Name: a\nVersion: 1\n\nbody")
	f.Fuzz(func(t *testing.T, s string) {
		if p, err := ParseMetadata(strings.NewReader(s)); err == nil && (p.Name == "" || p.Version == "") {
			t.Fatal("incomplete package")
		}
	})
}

func FuzzLocks(f *testing.F) {
	f.Add("[[package]]\nname='a'\nversion='1'\n")
	f.Add(`{"default":{"a":{"version":"==1"}}}`)
	f.Add("a==1\n")
	f.Fuzz(func(t *testing.T, s string) {
		ParseTOMLLock(strings.NewReader(s))
		ParsePipfileLock(strings.NewReader(s))
		ParseRequirements(strings.NewReader(s))
	})
}

func BenchmarkMetadata(b *testing.B) {
	data, err := os.ReadFile("testdata/METADATA")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		ParseMetadata(strings.NewReader(string(data)))
	}
}
