package shipshape_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/layer/layertest"
	"github.com/shipshape-dev/shipshape/layercache"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/source"
)

// benchInspectImage is 3 layers of 2,000 text files (about 24 MB) with a
// dpkg database.
func benchInspectImage(b *testing.B) v1.Image {
	b.Helper()
	body := strings.Repeat("the quick brown fox jumps over the lazy dog; config value = 42\n", 64)
	var layers []v1.Layer
	for l := 0; l < 3; l++ {
		es := []layertest.Entry{layertest.File(fmt.Sprintf("var/lib/dpkg/status.d/p%d", l), fmt.Sprintf("Package: p%d\nStatus: install ok installed\nVersion: 1.0\nArchitecture: all\n", l))}
		for i := 0; i < 2000; i++ {
			es = append(es, layertest.File(fmt.Sprintf("usr/share/l%d/f%04d.txt", l, i), body))
		}
		layers = append(layers, layertest.Layer(b, es...))
	}
	return layertest.Image(b, layers...)
}

// BenchmarkInspect reads the image once for the SBOM, secrets and
// hardening; BenchmarkInspectSBOMOnly is the SBOM alone, the baseline of
// the one-pass goal (at most 1.3×).
func BenchmarkInspect(b *testing.B) {
	src, err := source.FromImage(benchInspectImage(b), "bench")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := shipshape.Inspect(context.Background(), src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkInspectSBOMOnly(b *testing.B) {
	img := benchInspectImage(b)
	for b.Loop() {
		if _, err := sbom.FromImage(context.Background(), img); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInspectLayerCache shows what the layer cache saves: the first
// scan (empty cache: every layer read, and stored), a rescan of the same
// image (no layer read), and a sibling image, which shares the first's
// layers and adds one of its own (only that one read). Set
// SHIPSHAPE_BENCH_IMAGE to a docker-archive (from
// ../shared/bench/build-images.sh) to measure a real image instead of the
// generated one.
func BenchmarkInspectLayerCache(b *testing.B) {
	ctx := context.Background()
	img := benchInspectImage(b)
	if p := os.Getenv("SHIPSHAPE_BENCH_IMAGE"); p != "" {
		src, err := source.Open(ctx, "docker-archive:"+p)
		if err != nil {
			b.Fatal(err)
		}
		defer src.Close()
		img = src.Image
	}
	extra := layertest.Layer(b, layertest.File("app/config.yaml", "listen: 8080\n"),
		layertest.File("usr/lib/python3/dist-packages/flask-3.0.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: flask\nVersion: 3.0.0\n"))
	sibling, err := mutate.AppendLayers(img, extra)
	if err != nil {
		b.Fatal(err)
	}
	inspect := func(img v1.Image, c *layercache.Cache) {
		opts := []shipshape.Option{}
		if c != nil {
			opts = append(opts, shipshape.WithLayerOptions(layer.WithCache(c)))
		}
		src := &source.Source{Name: "bench", Image: img, ManifestCostly: os.Getenv("SHIPSHAPE_BENCH_IMAGE") != ""}
		if _, err := shipshape.Inspect(ctx, src, opts...); err != nil {
			b.Fatal(err)
		}
	}
	open := func() *layercache.Cache {
		c, err := layercache.Open(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	b.Run("no-cache", func(b *testing.B) {
		for b.Loop() {
			inspect(img, nil)
		}
	})
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			c := open()
			b.StartTimer()
			inspect(img, c)
		}
	})
	b.Run("rescan", func(b *testing.B) {
		c := open()
		inspect(img, c)
		for b.Loop() {
			inspect(img, c)
		}
	})
	b.Run("sibling", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			c := open()
			inspect(img, c)
			b.StartTimer()
			inspect(sibling, c)
		}
	})
}
