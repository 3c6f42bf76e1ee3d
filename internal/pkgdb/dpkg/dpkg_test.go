package dpkg

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/pkgdb"
)

func TestParse(t *testing.T) {
	f, err := os.Open("testdata/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pkgs, errs := Parse(f)
	var got []string
	for _, p := range pkgs {
		got = append(got, fmt.Sprintf("%s %s %s src=%s@%s installed=%v", p.Name, p.Version, p.Architecture, p.SourceName, p.SourceVersion, p.Installed()))
	}
	want := []string{
		"bash 5.2.15-2+b13 amd64 src=bash@5.2.15-2 installed=true",
		"libc6 2.36-9+deb12u14 amd64 src=glibc@2.36-9+deb12u14 installed=true",
		"libgcc-s1 12.2.0-14+deb12u1 amd64 src=gcc-12@12.2.0-14+deb12u1 installed=true",
		"tzdata 2026f-0+deb12u1 all src=tzdata@2026f-0+deb12u1 installed=true",
		"login 1:4.13+dfsg1-1+b1 amd64 src=shadow@1:4.13+dfsg1-1+b1 installed=true",
		"oldpkg 1.0-1 amd64 src=oldpkg@1.0-1 installed=false",
		"after-damage 0.1-1 all src=upstream-name@0.1-0.1 installed=true",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("packages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(errs) != 2 || !errors.Is(errs[0], ErrStanza) || !strings.Contains(errs[0].Error(), "no Version") ||
		!strings.Contains(errs[1].Error(), "not a field") {
		t.Errorf("errors = %v", errs)
	}
	// Depends and Pre-Depends, alternatives and qualifiers, in file order.
	bash := pkgs[0]
	if want := [][]string{{"base-files"}, {"debianutils"}, {"libc6"}, {"libtinfo6"}}; !reflect.DeepEqual(bash.Depends, want) {
		t.Errorf("bash depends = %v, want %v", bash.Depends, want)
	}
	if pkgs[3].Provides[0] != "tzdata-bookworm" || !reflect.DeepEqual(pkgs[3].Depends, [][]string{{"debconf", "debconf-2.0"}}) {
		t.Errorf("tzdata = %+v", pkgs[3])
	}
}

func TestParseDepends(t *testing.T) {
	got := ParseDepends("libc6 (>= 2.34), python3:any (>= 3.11~), a | b [amd64] | c <!nocheck>, , libfoo:amd64")
	want := [][]string{{"libc6"}, {"python3"}, {"a", "b", "c"}, {"libfoo"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestStatusWithoutStatusField(t *testing.T) {
	// distroless status.d files carry no Status field: installed.
	pkgs, errs := Parse(strings.NewReader("Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n"))
	if len(errs) != 0 || len(pkgs) != 1 || !pkgs[0].Installed() {
		t.Errorf("pkgs %+v errs %v", pkgs, errs)
	}
}

func TestLicenses(t *testing.T) {
	for _, tt := range []struct {
		file string
		want []string
	}{
		{"testdata/bash.copyright", []string{"BSD-4-clause-UC", "BSD-4-clause-UC and MIT-like", "GFDL-NIV-1.3", "GPL-2+", "GPL-3+", "GPL-3+ with Bison exception", "Latex2e", "MIT-like", "permissive"}},
		{"testdata/libc6.copyright", []string{"GPL-2", "LGPL-2.1"}},
	} {
		f, err := os.Open(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Licenses(f)
		f.Close()
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %q, %v; want %q", tt.file, got, err, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	b, err := os.ReadFile("testdata/status")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte("Package: a\nVersion: 1\n\n \n:\nPackage:\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		pkgs, _ := Parse(strings.NewReader(string(b)))
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" || p.SourceName == "" || p.SourceVersion == "" {
				t.Fatalf("incomplete package %+v", p)
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("testdata/status")
	if err != nil {
		b.Fatal(err)
	}
	big := strings.Repeat(string(data)+"\n", 100) // ~800 packages, a large image's status
	b.SetBytes(int64(len(big)))
	for b.Loop() {
		Parse(strings.NewReader(big))
	}
}

func BenchmarkLicenses(b *testing.B) {
	data, err := os.ReadFile("testdata/libc6.copyright")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		Licenses(strings.NewReader(string(data)))
	}
}

// A paragraph of millions of one-byte lines: the errors are capped and the
// paragraph's lines bounded, so memory does not grow with the input.
func TestParseHostileParagraph(t *testing.T) {
	in := strings.Repeat("a\n", 5<<20)
	pkgs, errs := Parse(strings.NewReader(in))
	if len(pkgs) != 0 || len(errs) > pkgdb.MaxErrors+1 || !errors.Is(errs[len(errs)-1], pkgdb.ErrTooManyErrors) {
		t.Errorf("%d packages, %d errors, last %v", len(pkgs), len(errs), errs[len(errs)-1])
	}
}
