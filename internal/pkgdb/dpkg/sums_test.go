package dpkg

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestMD5Sums(t *testing.T) {
	sums, errs := MD5Sums(strings.NewReader("d41d8cd98f00b204e9800998ecf8427e  usr/bin/x\n" +
		"0123456789abcdef0123456789abcdef *usr/share/with space.txt\n" +
		"not a line\n" +
		"0123456789abcdef0123456789abcdeg  usr/bin/badhex\n" +
		"0123456789abcdef0123456789abcdef  ../../etc/shadow\n" +
		"0123456789abcdef0123456789abcdef  /usr/bin/abs\n\n"))
	var got []string
	for _, s := range sums {
		got = append(got, s.Path+"="+hex.EncodeToString(s.MD5[:]))
	}
	want := "usr/bin/x=d41d8cd98f00b204e9800998ecf8427e usr/share/with space.txt=0123456789abcdef0123456789abcdef usr/bin/abs=0123456789abcdef0123456789abcdef"
	if strings.Join(got, " ") != want {
		t.Errorf("sums %v", got)
	}
	if len(errs) != 3 {
		t.Fatalf("errors %v", errs)
	}
	for i, line := range []int{3, 4, 5} {
		if !errors.Is(errs[i], ErrSums) || !strings.Contains(errs[i].Error(), fmt.Sprintf("line %d", line)) {
			t.Errorf("error %d: %v", i, errs[i])
		}
	}
}

func TestMD5SumsBound(t *testing.T) {
	var b strings.Builder
	for i := 0; i < maxSums+10; i++ {
		fmt.Fprintf(&b, "0123456789abcdef0123456789abcdef  f%d\n", i)
	}
	sums, errs := MD5Sums(strings.NewReader(b.String()))
	if len(sums) != maxSums || len(errs) != 1 || !errors.Is(errs[0], ErrSums) {
		t.Errorf("%d sums, errors %v", len(sums), errs)
	}
}

func TestConffiles(t *testing.T) {
	pkgs, errs := Parse(strings.NewReader("Package: openssl\nVersion: 3.0.11-1\nStatus: install ok installed\n" +
		"Conffiles:\n /etc/ssl/openssl.cnf 8e9e40c2a43d7a1a63ab70d20a0e6c2c\n /etc/old.cnf 0123456789abcdef0123456789abcdef obsolete\n" +
		" /etc/new.cnf newconffile\n /etc/bad.cnf xyz\nDescription: x\n more text\n"))
	if len(pkgs) != 1 {
		t.Fatalf("packages %v %v", pkgs, errs)
	}
	cf := pkgs[0].Conffiles
	if len(cf) != 1 || cf[0].Path != "etc/ssl/openssl.cnf" || hex.EncodeToString(cf[0].MD5[:]) != "8e9e40c2a43d7a1a63ab70d20a0e6c2c" {
		t.Errorf("conffiles %+v", cf)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "bad.cnf") {
		t.Errorf("errors %v", errs)
	}
}

func FuzzMD5Sums(f *testing.F) {
	f.Add([]byte("d41d8cd98f00b204e9800998ecf8427e  usr/bin/x\n"))
	f.Add([]byte("d41d8cd98f00b204e9800998ecf8427e *../x\n\x00\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		sums, _ := MD5Sums(strings.NewReader(string(b)))
		for _, s := range sums {
			if s.Path == "" || strings.HasPrefix(s.Path, "/") || strings.Contains("/"+s.Path+"/", "/../") {
				t.Fatalf("path %q", s.Path)
			}
		}
	})
}
