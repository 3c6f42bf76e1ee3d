package rpm

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"os"
	"reflect"
	"sort"
	"testing"
)

type summary struct {
	Name, EVR, Arch, Source, License string
	Requires                         bool
	Files                            []string
}

func summarize(pkgs []Package) []summary {
	var out []summary
	for _, p := range pkgs {
		s := summary{Name: p.Name, EVR: p.EVR(), Arch: p.Arch, Source: p.SourceRPM, License: p.License, Files: p.Files}
		for _, r := range p.Requires {
			if r == "libdemo" {
				s.Requires = true
			}
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name > out[j].Name })
	return out
}

var wantFixture = []summary{
	{Name: "libdemo", EVR: "1.2.3-4.el9", Arch: "x86_64", Source: "libdemo-1.2.3-4.el9.src.rpm", License: "MIT", Files: []string{"/usr/share/libdemo/README"}},
	{Name: "demotool", EVR: "1:2.0-1.el9", Arch: "x86_64", Source: "demotool-2.0-1.el9.src.rpm", License: "GPL-2.0-or-later AND MIT", Requires: true, Files: []string{"/usr/share/demotool/README"}},
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ndbFromBlobs lays header blobs out in the NDB format: header, one slot
// page, then the blobs in 16-byte blocks.
func ndbFromBlobs(blobs [][]byte) []byte {
	le := binary.LittleEndian
	out := make([]byte, ndbSlotPageSize)
	le.PutUint32(out[0:], ndbHeaderMagic)
	le.PutUint32(out[12:], 1)
	for off := 32; off < ndbSlotPageSize; off += ndbSlotSize {
		le.PutUint32(out[off:], ndbSlotMagic)
	}
	for i, b := range blobs {
		blk := len(out) / ndbBlockSize
		slot := 32 + i*ndbSlotSize
		le.PutUint32(out[slot+4:], uint32(i+1))
		le.PutUint32(out[slot+8:], uint32(blk))
		h := make([]byte, 16)
		le.PutUint32(h[0:], ndbBlobMagic)
		le.PutUint32(h[4:], uint32(i+1))
		le.PutUint32(h[12:], uint32(len(b)))
		out = append(out, h...)
		out = append(out, b...)
		for len(out)%ndbBlockSize != 0 {
			out = append(out, 0)
		}
	}
	return out
}

// fixtureBlobs returns the header blobs of the Berkeley DB fixture.
func fixtureBlobs(t testing.TB) [][]byte {
	t.Helper()
	blobs, errs := bdbBlobs(readFixture(t, "Packages"))
	if len(errs) != 0 || len(blobs) != 2 {
		t.Fatalf("fixture: %d blobs, %v", len(blobs), errs)
	}
	return blobs
}

func TestParseFormats(t *testing.T) {
	blobs := fixtureBlobs(t)
	for _, tt := range []struct {
		name   string
		data   []byte
		format Format
	}{
		{"bdb", readFixture(t, "Packages"), FormatBDB},
		{"ndb", ndbFromBlobs(blobs), FormatNDB},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if f, err := Detect(tt.data); err != nil || f != tt.format {
				t.Fatalf("Detect = %v, %v", f, err)
			}
			pkgs, errs := Parse(context.Background(), tt.data, nil)
			if len(errs) != 0 {
				t.Fatalf("errors: %v", errs)
			}
			if got := summarize(pkgs); !reflect.DeepEqual(got, wantFixture) {
				t.Errorf("packages:\n got %+v\nwant %+v", got, wantFixture)
			}
		})
	}
}

func TestSourceNVR(t *testing.T) {
	for _, tt := range []struct{ in, n, v, r string }{
		{"openssl-3.0.7-24.el9.src.rpm", "openssl", "3.0.7", "24.el9"},
		{"python3.11-3.11.5-1.fc39.src.rpm", "python3.11", "3.11.5", "1.fc39"},
		{"kernel-rt-5.14.0-1.nosrc.rpm", "kernel-rt", "5.14.0", "1"},
	} {
		p := Package{SourceRPM: tt.in}
		n, v, r, ok := p.SourceNVR()
		if !ok || n != tt.n || v != tt.v || r != tt.r {
			t.Errorf("SourceNVR(%q) = %q %q %q %v", tt.in, n, v, r, ok)
		}
	}
	if _, _, _, ok := (&Package{SourceRPM: "garbage"}).SourceNVR(); ok {
		t.Error("garbage parsed")
	}
}

func TestDamaged(t *testing.T) {
	blobs := fixtureBlobs(t)
	// One header cut short: the other package is still found.
	bad := append([]byte(nil), blobs[0][:40]...)
	pkgs, errs := Parse(context.Background(), ndbFromBlobs([][]byte{bad, blobs[1]}), nil)
	other, err := ParseHeader(blobs[1])
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 1 || pkgs[0].Name != other.Name || len(errs) != 1 || !errors.Is(errs[0], ErrHeader) {
		t.Errorf("pkgs %v errs %v", summarize(pkgs), errs)
	}

	// Damaged BDB overflow chain: reported, not a crash.
	bdb := readFixture(t, "Packages")
	cut := bdb[:len(bdb)-4096]
	_, errs = Parse(context.Background(), cut, nil)
	if len(errs) == 0 {
		t.Error("truncated bdb: no error")
	}

	// Not a database at all.
	if _, errs := Parse(context.Background(), []byte("hello"), nil); len(errs) != 1 || !errors.Is(errs[0], ErrFormat) {
		t.Errorf("errs = %v", errs)
	}
	// SQLite without a reader.
	if _, errs := Parse(context.Background(), append([]byte("SQLite format 3\x00"), make([]byte, 100)...), nil); len(errs) != 1 || !errors.Is(errs[0], ErrFormat) {
		t.Errorf("errs = %v", errs)
	}
}

func FuzzParseHeader(f *testing.F) {
	for _, b := range fixtureBlobs(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseHeader(b)
		if err == nil && p.Name == "" {
			t.Fatal("parsed without a name")
		}
	})
}

func FuzzParseDB(f *testing.F) {
	f.Add(readFixture(f, "Packages"))
	f.Add(ndbFromBlobs(fixtureBlobs(f)))
	f.Fuzz(func(t *testing.T, b []byte) {
		Parse(context.Background(), b, nil)
	})
}

func BenchmarkParseBDB(b *testing.B) {
	data := readFixture(b, "Packages")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, errs := Parse(context.Background(), data, nil); len(errs) != 0 {
			b.Fatal(errs)
		}
	}
}

// TestDigests: the file digests of the fixture, built by rpm, are the
// SHA-256 of what the packages installed ("<name>\n").
func TestDigests(t *testing.T) {
	pkgs, errs := Parse(context.Background(), readFixture(t, "Packages"), nil)
	if len(errs) != 0 || len(pkgs) != 2 {
		t.Fatal(pkgs, errs)
	}
	for _, p := range pkgs {
		sum := sha256.Sum256([]byte(p.Name + "\n"))
		if p.DigestAlgo != "sha256" || len(p.Digests) != 1 || p.Digests[0] != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: %s %v", p.Name, p.DigestAlgo, p.Digests)
		}
	}
}
