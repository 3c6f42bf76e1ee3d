package walk

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/testkit"
)

// benchLayer is a layer shaped like a Debian root filesystem: 20,000 small
// files in nested directories and one package database a visitor wants.
func benchLayer(b *testing.B) []byte {
	b.Helper()
	var es []testkit.Entry
	for d := 0; d < 200; d++ {
		dir := fmt.Sprintf("usr/share/pkg%03d", d)
		es = append(es, testkit.Dir(dir))
		for f := 0; f < 100; f++ {
			es = append(es, testkit.File(fmt.Sprintf("%s/file%03d.txt", dir, f), "some content of a small file\n"))
		}
	}
	es = append(es, testkit.File("var/lib/dpkg/status", "Package: a\nVersion: 1\n"))
	return testkit.Tar(b, es...)
}

func BenchmarkLayers(b *testing.B) {
	raw := benchLayer(b)
	layer := Layer{DiffID: "sha256:bench", Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil }}
	v := wantPaths("var/lib/dpkg/status")
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Layers(context.Background(), []Layer{layer, layer}, []Visitor{v}, Options{})
		if err != nil || len(res.Files) != 2 {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolve(b *testing.B) {
	raw := testkit.Tar(b, testkit.File("usr/lib/os-release", "ID=x"), testkit.Symlink("etc/os-release", "../usr/lib/os-release"))
	res, err := Layers(context.Background(), []Layer{rawLayer(raw)}, nil, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := res.View.Resolve("etc/os-release"); err != nil {
			b.Fatal(err)
		}
	}
}
