package apk

import (
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	f, err := os.Open("testdata/installed")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pkgs, errs := Parse(f)
	var got []string
	for _, p := range pkgs {
		got = append(got, p.Name+" "+p.Version+" "+p.Architecture+" origin="+p.Origin+" license="+p.License+
			" deps="+strings.Join(p.Depends, ",")+" provides="+strings.Join(p.Provides, ","))
	}
	want := []string{
		"musl 1.2.4-r2 x86_64 origin=musl license=MIT deps= provides=so:libc.musl-x86_64.so.1",
		"libcrypto3 3.1.4-r0 x86_64 origin=openssl license=Apache-2.0 deps=so:libc.musl-x86_64.so.1 provides=so:libcrypto.so.3",
		"libssl3 3.1.4-r0 x86_64 origin=openssl license=Apache-2.0 deps=so:libc.musl-x86_64.so.1,so:libcrypto.so.3 provides=so:libssl.so.3",
		"busybox 1.36.1-r5 x86_64 origin=busybox license=GPL-2.0-only deps=so:libc.musl-x86_64.so.1 provides=/bin/sh,cmd:busybox,cmd:sh",
		"ca-certificates-bundle 20230506-r0 x86_64 origin=ca-certificates license=MPL-2.0 AND MIT deps= provides=",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("packages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(errs) != 2 {
		t.Fatalf("errors = %v, want 2", errs)
	}
	for _, e := range errs {
		if !errors.Is(e, ErrRecord) {
			t.Errorf("error %v is not ErrRecord", e)
		}
	}
	if !strings.Contains(errs[0].Error(), "line 84") || !strings.Contains(errs[1].Error(), "not-a-field") {
		t.Errorf("errors do not say where: %v", errs)
	}
}

func TestParseEdgeCases(t *testing.T) {
	for _, tt := range []struct {
		name  string
		in    string
		pkgs  int
		nerrs int
	}{
		{"empty", "", 0, 0},
		{"crlf", "P:a\r\nV:1-r0\r\n\r\nP:b\r\nV:2-r0\r\n", 2, 0},
		{"no trailing newline", "P:a\nV:1-r0", 1, 0},
		{"long line skipped", "P:a\nT:" + strings.Repeat("x", 2<<20) + "\nV:1-r0\n", 1, 1},
		{"binary garbage", "\x00\x01\x02\n\xff\xfe", 0, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pkgs, errs := Parse(strings.NewReader(tt.in))
			if len(pkgs) != tt.pkgs || len(errs) != tt.nerrs {
				t.Errorf("got %d packages, errors %v", len(pkgs), errs)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	b, err := os.ReadFile("testdata/installed")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		pkgs, _ := Parse(strings.NewReader(string(b)))
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" || p.Origin == "" {
				t.Fatalf("incomplete package %+v", p)
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("testdata/installed")
	if err != nil {
		b.Fatal(err)
	}
	big := strings.Repeat(string(data)+"\n", 100)
	b.SetBytes(int64(len(big)))
	for b.Loop() {
		Parse(strings.NewReader(big))
	}
}

func TestChecksums(t *testing.T) {
	sum := sha1.Sum([]byte("hello\n"))
	z := "Q1" + base64.StdEncoding.EncodeToString(sum[:])
	pkgs, errs := Parse(strings.NewReader("P:musl\nV:1.2.5-r0\nF:lib\nR:ld-musl.so.1\nZ:" + z + "\nR:nosum\nR:bad\nZ:Q1notbase64!\n\n"))
	if len(pkgs) != 1 || len(pkgs[0].Files) != 3 || len(pkgs[0].SHA1s) != 3 {
		t.Fatalf("%+v %v", pkgs, errs)
	}
	if pkgs[0].SHA1s[0] != string(sum[:]) || pkgs[0].SHA1s[1] != "" || pkgs[0].SHA1s[2] != "" {
		t.Errorf("sums %q", pkgs[0].SHA1s)
	}
	if len(errs) != 1 || !errors.Is(errs[0], ErrRecord) {
		t.Errorf("errors %v", errs)
	}
}
