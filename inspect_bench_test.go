package shipshape_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/internal/testkit"
	"github.com/shipshape-dev/shipshape/sbom"
)

// benchInspectImage is 3 layers of 2,000 text files (about 24 MB) with a
// dpkg database.
func benchInspectImage(b *testing.B) v1.Image {
	b.Helper()
	body := strings.Repeat("the quick brown fox jumps over the lazy dog; config value = 42\n", 64)
	var layers []v1.Layer
	for l := 0; l < 3; l++ {
		es := []testkit.Entry{testkit.File(fmt.Sprintf("var/lib/dpkg/status.d/p%d", l), fmt.Sprintf("Package: p%d\nStatus: install ok installed\nVersion: 1.0\nArchitecture: all\n", l))}
		for i := 0; i < 2000; i++ {
			es = append(es, testkit.File(fmt.Sprintf("usr/share/l%d/f%04d.txt", l, i), body))
		}
		layers = append(layers, testkit.Layer(b, es...))
	}
	return testkit.Image(b, layers...)
}

// BenchmarkInspect reads the image once for the SBOM, secrets and
// hardening; BenchmarkInspectSBOMOnly is the SBOM alone, the baseline of
// the one-pass goal (at most 1.3×).
func BenchmarkInspect(b *testing.B) {
	img := benchInspectImage(b)
	for b.Loop() {
		if _, err := shipshape.Inspect(context.Background(), img); err != nil {
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
