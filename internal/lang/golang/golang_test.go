package golang

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/lang"
	"github.com/shipshape-dev/shipshape/internal/testkit"
)

func buildBinary(t testing.TB, goos, goarch string, flags ...string) []byte {
	t.Helper()
	return testkit.GoBinary(t, goos, goarch, flags...)
}

func summary(ps []lang.Package) map[string]string {
	m := map[string]string{}
	for _, p := range ps {
		m[p.Name] = p.Version
	}
	return m
}

func TestBinaries(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	stdlib := StdlibVersion(runtime.Version())
	for _, tt := range []struct {
		name, goos, goarch string
		flags              []string
		magic              string
	}{
		{"elf", "linux", "amd64", nil, "\x7fELF"},
		{"stripped pie", "linux", "amd64", []string{"-buildmode=pie", "-ldflags=-s -w", "-trimpath"}, "\x7fELF"},
		{"mach-o arm64", "darwin", "arm64", nil, "\xcf\xfa\xed\xfe"},
		{"pe", "windows", "amd64", nil, "MZ"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := buildBinary(t, tt.goos, tt.goarch, tt.flags...)
			if !bytes.HasPrefix(b, []byte(tt.magic)) || !IsExecutable(b) {
				t.Fatalf("not a %s binary", tt.name)
			}
			want := map[string]string{"example.com/shipshape/testbin": "(devel)", "golang.org/x/sync": "v0.22.0", "stdlib": stdlib}
			streamed, err := Scan(bytes.NewReader(b), make([]byte, 64<<10))
			if err != nil {
				t.Fatal(err)
			}
			if got := summary(streamed); !mapsEqual(got, want) {
				t.Errorf("streamed: %v, want %v", got, want)
			}
			random, err := ParseBinaryAt(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if got := summary(random); !mapsEqual(got, want) {
				t.Errorf("random access: %v, want %v", got, want)
			}
			for _, p := range streamed {
				if p.Props[PropMain] == "true" && (p.Props["golang:GOOS"] != tt.goos || p.Props["golang:GOARCH"] != tt.goarch) {
					t.Errorf("main module settings: %v", p.Props)
				}
				if p.Name == "golang.org/x/sync" && p.Props[PropSum] == "" {
					t.Errorf("no checksum for %s", p.Name)
				}
			}
		})
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestScanSmallChunks(t *testing.T) {
	// The magic and the module information straddle chunk boundaries.
	if testing.Short() {
		t.Skip("builds binaries")
	}
	b := buildBinary(t, "linux", "amd64")
	for _, size := range []int{1024, 4096, 65536 + 7} {
		got, err := Scan(bytes.NewReader(b), make([]byte, size))
		if err != nil || summary(got)["golang.org/x/sync"] != "v0.22.0" {
			t.Errorf("chunk %d: %v, %v", size, summary(got), err)
		}
	}
}

func TestScanFormats(t *testing.T) {
	hdr := func(ptr, flags byte) []byte {
		h := append([]byte(nil), goMagic...)
		return append(h, ptr, flags)
	}
	pad := func(b []byte, n int) []byte { return append(b, make([]byte, n)...) }
	for _, tt := range []struct {
		name string
		in   []byte
		err  error
		pkgs int
	}{
		{"not an executable's content", []byte("hello"), nil, 0},
		// Pre-1.18 pointer format: needs random access.
		{"pointer format", pad(hdr(8, 0), 300), ErrNeedRandomAccess, 0},
		// The magic as a string in some program's data, not a header.
		{"magic in data", pad(hdr(3, 2), 300), nil, 0},
		{"cargo-auditable marker", []byte("\x7fELF....dep-v0\x00..."), ErrNeedRandomAccess, 0},
		{"audit name as data, not a section name", []byte("\x7fELF....dep-v0..."), nil, 0},
		// A Go program that mentions the section wins as Go.
		{"go binary naming the section", append([]byte("\x7fELF .dep-v0\x00"), append(pad(hdr(8, 2), 16), append([]byte{8}, "go1.21.5\x00"...)...)...), nil, 1},
		// Inline format without module information (GOPATH builds): stdlib only.
		{"inline without modules", append(pad(hdr(8, 2), 16), append([]byte{8}, "go1.21.5\x00"...)...), nil, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := append(tt.in, make([]byte, 400)...)
			pkgs, err := Scan(bytes.NewReader(in), nil)
			if !errors.Is(err, tt.err) || len(pkgs) != tt.pkgs {
				t.Errorf("pkgs %v err %v", pkgs, err)
			}
		})
	}
}

func TestStdlibVersion(t *testing.T) {
	for in, want := range map[string]string{
		"go1.21.5": "1.21.5", "go1.21": "1.21.0", "go1": "1.0.0", "go1.22rc1": "1.22.0-rc.1",
		"go1.20beta2": "1.20.0-beta.2", "go1.20.3 X:boringcrypto": "1.20.3", "devel go1.23-abc": "", "": "",
	} {
		if got := StdlibVersion(in); got != want {
			t.Errorf("StdlibVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGoMod(t *testing.T) {
	mod := `module example.com/app

go 1.22

require (
	github.com/a/b v1.2.3
	github.com/c/d v0.1.0 // indirect
	github.com/e/f v1.0.0
	github.com/g/h v2.0.0+incompatible
)

replace github.com/e/f => github.com/fork/f v1.0.1
replace github.com/a/b v1.2.3 => ../local/b
`
	pkgs, err := ParseGoMod("go.mod", strings.NewReader(mod))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range pkgs {
		got[p.Name+"@"+p.Version] = p.Props[PropReplace] + p.Props[PropReplaces] + p.Props[PropIndirect]
	}
	want := map[string]string{
		"github.com/a/b@v1.2.3":              "../local/b",
		"github.com/c/d@v0.1.0":              "true",
		"github.com/fork/f@v1.0.1":           "github.com/e/f@v1.0.0",
		"github.com/g/h@v2.0.0+incompatible": "",
	}
	if !mapsEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if _, err := ParseGoMod("go.mod", strings.NewReader("module x\nrequire (\n")); !errors.Is(err, lang.ErrParse) {
		t.Errorf("broken go.mod: %v", err)
	}
	sums, err := ParseGoSum(strings.NewReader("github.com/a/b v1.2.3 h1:abc=\ngithub.com/a/b v1.2.3/go.mod h1:def=\n"))
	if err != nil || len(sums) != 1 || sums["github.com/a/b@v1.2.3"] != "h1:abc=" {
		t.Errorf("sums = %v, %v", sums, err)
	}
}

func FuzzScan(f *testing.F) {
	f.Add([]byte("\x7fELF"))
	f.Add(append(append([]byte("\x7fELF"), goMagic...), 8, 2, 8, 'g', 'o', '1', '.', '2', '1', '.', '0', 200, 1))
	f.Fuzz(func(t *testing.T, b []byte) {
		Scan(bytes.NewReader(b), make([]byte, 1024))
	})
}

func FuzzGoMod(f *testing.F) {
	f.Add("module x\nrequire a.b/c v1.0.0\nreplace a.b/c => d.e/f v1.0.1\n")
	f.Fuzz(func(t *testing.T, s string) {
		ParseGoMod("go.mod", strings.NewReader(s))
	})
}

func BenchmarkScan(b *testing.B) {
	bin := buildBinary(b, "linux", "amd64")
	b.SetBytes(int64(len(bin)))
	scratch := make([]byte, 64<<10)
	for b.Loop() {
		if _, err := Scan(bytes.NewReader(bin), scratch); err != nil {
			b.Fatal(err)
		}
	}
}
