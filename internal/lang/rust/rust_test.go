package rust

import (
	"bytes"
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
		s := p.Name + "@" + p.Version
		for _, k := range []string{"cargo:root", "cargo:kind", "cargo:source"} {
			if v := p.Props[k]; v != "" {
				s += " " + k[len("cargo:"):] + "=" + v
			}
		}
		out = append(out, s)
	}
	return out
}

func TestAuditable(t *testing.T) {
	b, err := os.ReadFile("testdata/hello-auditable")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseAuditableAt(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"cc@1.0.83 kind=build", "hello@0.1.0 root=true source=local", "mygit@0.2.0 source=git", "serde@1.0.193"}
	if !reflect.DeepEqual(brief(got), want) {
		t.Errorf("got %q, want %q", brief(got), want)
	}
	// An ordinary ELF without the section, and garbage.
	for _, in := range [][]byte{b[:4096], []byte("\x7fELF garbage"), []byte("MZ"), nil} {
		if got, err := ParseAuditableAt(bytes.NewReader(in)); err != nil || got != nil {
			t.Errorf("%.8q: %v %v", in, got, err)
		}
	}
}

func TestCargoLock(t *testing.T) {
	f, err := os.Open("testdata/Cargo.lock")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ParseCargoLock(f)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"autocfg@1.1.0", "forked@0.3.0 source=git+https://github.com/me/forked?branch=main#0123456789abcdef", "serde@1.0.193"}
	if !reflect.DeepEqual(brief(got), want) {
		t.Errorf("got %q, want %q", brief(got), want)
	}
	if _, err := ParseCargoLock(strings.NewReader("[[package]\n")); !errors.Is(err, lang.ErrParse) {
		t.Errorf("err = %v", err)
	}
}

func FuzzAuditable(f *testing.F) {
	b, err := os.ReadFile("testdata/hello-auditable")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		ParseAuditableAt(bytes.NewReader(b))
	})
}

func FuzzCargoLock(f *testing.F) {
	f.Add("[[package]]\nname = \"a\"\nversion = \"1\"\nsource = \"registry+x\"\n")
	f.Fuzz(func(t *testing.T, s string) {
		ParseCargoLock(strings.NewReader(s))
	})
}
