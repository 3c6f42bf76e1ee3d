package ruby

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/lang"
)

func brief(ps []lang.Package) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name+"@"+p.Version+" "+strings.Join(p.Licenses, ",")+p.Props["gem:platform"])
	}
	return out
}

func TestGemspec(t *testing.T) {
	for _, tt := range []struct{ file, want string }{
		{"rake-13.0.6.gemspec", "rake@13.0.6 MIT"},
		{"abbrev-0.1.0.gemspec", "abbrev@0.1.0 Ruby,BSD-2-Clause"},
	} {
		f, err := os.Open("testdata/" + tt.file)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseGemspec(f)
		f.Close()
		if err != nil || len(got) != 1 || brief(got)[0] != tt.want {
			t.Errorf("%s: %q, %v", tt.file, brief(got), err)
		}
	}
	// Only the stub line.
	got, err := ParseGemspec(strings.NewReader("# stub: json 2.6.1 ruby lib\n"))
	if err != nil || brief(got)[0] != "json@2.6.1 " {
		t.Errorf("stub: %q %v", brief(got), err)
	}
	if _, err := ParseGemspec(strings.NewReader("puts 1")); !errors.Is(err, lang.ErrParse) {
		t.Errorf("err = %v", err)
	}
}

func TestGemfileLock(t *testing.T) {
	f, err := os.Open("testdata/Gemfile.lock")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ParseGemfileLock(f)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"actionpack@7.0.4 ", "nokogiri@1.15.4 x86_64-linux", "racc@1.7.1 ", "rack@2.2.8 ", "rails@7.1.0.alpha "}
	if !reflect.DeepEqual(brief(got), want) {
		t.Errorf("got %q, want %q", brief(got), want)
	}
}

func FuzzRuby(f *testing.F) {
	b, _ := os.ReadFile("testdata/Gemfile.lock")
	f.Add(string(b))
	b, _ = os.ReadFile("testdata/rake-13.0.6.gemspec")
	f.Add(string(b))
	f.Fuzz(func(t *testing.T, s string) {
		ParseGemspec(strings.NewReader(s))
		ParseGemfileLock(strings.NewReader(s))
	})
}

func BenchmarkGemspec(b *testing.B) {
	data, _ := os.ReadFile("testdata/rake-13.0.6.gemspec")
	for b.Loop() {
		ParseGemspec(strings.NewReader(string(data)))
	}
}
