package rpmsqlite

import (
	"context"
	"errors"
	"os"
	"sort"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/pkgdb/rpm"
)

func TestBlobs(t *testing.T) {
	data, err := os.ReadFile("../testdata/rpmdb.sqlite")
	if err != nil {
		t.Fatal(err)
	}
	pkgs, errs := rpm.Parse(context.Background(), data, Blobs)
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, p := range pkgs {
		got = append(got, p.Name+" "+p.EVR()+" "+p.Arch+" "+p.License)
	}
	sort.Strings(got)
	want := []string{"demotool 1:2.0-1.el9 x86_64 GPL-2.0-or-later AND MIT", "libdemo 1.2.3-4.el9 x86_64 MIT"}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestNotADatabase(t *testing.T) {
	data := append([]byte("SQLite format 3\x00"), make([]byte, 100)...)
	if _, err := Blobs(context.Background(), data); !errors.Is(err, rpm.ErrDatabase) {
		t.Errorf("err = %v", err)
	}
}

func BenchmarkBlobs(b *testing.B) {
	data, err := os.ReadFile("../testdata/rpmdb.sqlite")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Blobs(context.Background(), data); err != nil {
			b.Fatal(err)
		}
	}
}
