package sbom

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/layer/layertest"
	"github.com/shipshape-dev/shipshape/layercache"
)

// TestLayerCacheSameSBOM: an SBOM made from cached layers is the SBOM
// made by reading them — packages, licences, layers, errors and the
// sentinels the errors match — and the rescan reads no layer.
func TestLayerCacheSameSBOM(t *testing.T) {
	apkDB, err := os.ReadFile("testdata/apk-installed")
	if err != nil {
		t.Fatal(err)
	}
	rpmDB, err := os.ReadFile("testdata/rpmdb.sqlite")
	if err != nil {
		t.Fatal(err)
	}
	images := []struct {
		name string
		img  func(t *testing.T) v1.Image
		opts []Option
	}{
		{name: "debian", img: debianImage},
		{name: "alpine with damaged records", img: func(t *testing.T) v1.Image {
			return layertest.Image(t, layertest.Layer(t, layertest.File("etc/alpine-release", "3.19.1\n"), layertest.File("lib/apk/db/installed", string(apkDB))))
		}},
		{name: "rpm", img: func(t *testing.T) v1.Image {
			return layertest.Image(t, layertest.Layer(t, layertest.File("etc/os-release", "ID=\"rhel\"\nVERSION_ID=\"9.4\"\n"),
				layertest.File("var/lib/rpm/rpmdb.sqlite", string(rpmDB))))
		}},
		{name: "damaged stanza and a file over budget", img: func(t *testing.T) v1.Image {
			return layertest.Image(t, layertest.Layer(t, layertest.File("etc/os-release", "ID=debian\nVERSION_ID=12\n"),
				layertest.File("var/lib/dpkg/status", stanza("ok", "1.0", "amd64", "", "")+"Package: no-version\nStatus: install ok installed\n\n"),
				layertest.File("usr/lib/python3/dist-packages/big-1.0.dist-info/METADATA", "Name: big\nVersion: 1.0\n"+strings.Repeat("x", 5000))))
		}, opts: []Option{WithLayerOptions(layer.WithMaxFileBytes(2000))}},
		{name: "languages", img: appImage},
	}
	sentinels := []error{ErrDatabase, layer.ErrFileTooLarge, layer.ErrLayer, layer.ErrBudget, layer.ErrIntegrity}
	for _, tt := range images {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "languages" && testing.Short() {
				t.Skip("builds a Go binary")
			}
			ctx := context.Background()
			img := tt.img(t)
			want, err := FromImage(ctx, img, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			cache, err := layercache.Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			layers := len(want.Source.Layers)
			for run, wantHits := range []int64{0, int64(layers)} {
				got, err := FromImage(ctx, img, append(tt.opts, WithLayerOptions(layer.WithCache(cache)))...)
				if err != nil {
					t.Fatal(err)
				}
				if s := cache.Stats(); s.Hits != wantHits || s.Stored != int64(layers) {
					t.Fatalf("run %d: cache stats %+v, want %d hits and %d records", run, s, wantHits, layers)
				}
				var a, b bytes.Buffer
				if err := Encode(&a, want, FormatJSON); err != nil {
					t.Fatal(err)
				}
				if err := Encode(&b, got, FormatJSON); err != nil {
					t.Fatal(err)
				}
				if a.String() != b.String() {
					t.Errorf("run %d: SBOM differs:\n got %s\nwant %s", run, b.String(), a.String())
				}
				if len(got.Errors) != len(want.Errors) {
					t.Fatalf("run %d: errors = %v, want %v", run, got.Errors, want.Errors)
				}
				for i, e := range got.Errors {
					for _, s := range sentinels {
						if errors.Is(e.Err, s) != errors.Is(want.Errors[i].Err, s) {
							t.Errorf("run %d: error %v: errors.Is(%v) = %v through the cache", run, e, s, !errors.Is(want.Errors[i].Err, s))
						}
					}
				}
			}
		})
	}
}
