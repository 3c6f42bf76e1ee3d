package layer

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/shipshape-dev/shipshape/layer/layertest"
)

// benchLayer is a layer shaped like a Debian root filesystem: 20,000 small
// files in nested directories and one package database a visitor wants.
func benchLayer(b *testing.B) []byte {
	b.Helper()
	var es []layertest.Entry
	for d := 0; d < 200; d++ {
		dir := fmt.Sprintf("usr/share/pkg%03d", d)
		es = append(es, layertest.Dir(dir))
		for f := 0; f < 100; f++ {
			es = append(es, layertest.File(fmt.Sprintf("%s/file%03d.txt", dir, f), "some content of a small file\n"))
		}
	}
	es = append(es, layertest.File("var/lib/dpkg/status", "Package: a\nVersion: 1\n"))
	return layertest.Tar(b, es...)
}

func BenchmarkLayers(b *testing.B) {
	raw := benchLayer(b)
	layer := layerSource{DiffID: "sha256:bench", Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil }}
	v := wantPaths("var/lib/dpkg/status")
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := testWalk(context.Background(), []layerSource{layer, layer}, []Visitor[any]{v}, options{})
		if err != nil || len(res.files) != 2 {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolve(b *testing.B) {
	raw := layertest.Tar(b, layertest.File("usr/lib/os-release", "ID=x"), layertest.Symlink("etc/os-release", "../usr/lib/os-release"))
	res, err := testWalk(context.Background(), []layerSource{rawLayer(raw)}, nil, options{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := res.View.Resolve("etc/os-release"); err != nil {
			b.Fatal(err)
		}
	}
}
