package harden

import (
	"context"
	"fmt"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/shipshape-dev/shipshape/layer/layertest"
)

// BenchmarkCheck runs every default check over an image of three layers
// and 30,000 entries; BenchmarkCheckFloor walks the same layers with no
// check, so the difference is what the checks cost.
func BenchmarkCheck(b *testing.B) {
	img := benchImage(b)
	c, err := New()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := c.Check(context.Background(), img, "registry.example/app:1.0"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckFloor(b *testing.B) {
	img := benchImage(b)
	c, err := New(WithChecks(WorldWritableCheck()))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := c.Check(context.Background(), img, ""); err != nil {
			b.Fatal(err)
		}
	}
}

func benchImage(b *testing.B) v1.Image {
	b.Helper()
	var layers []v1.Layer
	for l := 0; l < 3; l++ {
		var es []layertest.Entry
		for i := 0; i < 10000; i++ {
			name := fmt.Sprintf("usr/lib/l%d/d%03d/f%05d", l, i%500, i)
			switch i % 1000 {
			case 1:
				name += ".pem"
			case 2:
				name = fmt.Sprintf("var/lib/apt/lists/l%d_%d", l, i)
			}
			es = append(es, layertest.Entry{Name: name, Body: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", Mode: 0o644})
		}
		layers = append(layers, layertest.Layer(b, es...))
	}
	return layertest.Image(b, layers...)
}
