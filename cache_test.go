package shipshape_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/klauspost/compress/zstd"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/layer/layertest"
	"github.com/shipshape-dev/shipshape/layercache"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/secrets"
)

const shadowHash = "$6$salt$0123456789abcdefghijKLMNOPqrstuvwxyz"

// TestInspectLayerCache: with a layer cache, a rescan reads no layer and
// a sibling image only its own layer, and both find exactly what a scan
// without the cache finds. The cache holds neither secrets nor password
// hashes in clear.
func TestInspectLayerCache(t *testing.T) {
	ctx := context.Background()
	base := inspectImage(t)
	accounts := layertest.Layer(t,
		layertest.File("etc/shadow", "root:"+shadowHash+":19000:0:99999:7:::\nnopass::19000:0:99999:7:::\n"),
		layertest.File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnopass:x:1000:1000::/home/nopass:/bin/sh\n"),
	)
	sibling, err := mutate.AppendLayers(base, accounts)
	if err != nil {
		t.Fatal(err)
	}
	clock := harden.WithClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
	checker, err := harden.New(clock)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := secrets.New()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cache, err := layercache.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	inspect := func(img v1.Image, opts ...shipshape.Option) *policy.Input {
		t.Helper()
		in, err := shipshape.Inspect(ctx, imageSource(t, img), append([]shipshape.Option{shipshape.WithChecker(checker),
			shipshape.WithSecretScanner(sc)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		return in.Evidence
	}
	same := func(what string, got, want *policy.Input) {
		t.Helper()
		for _, part := range []struct {
			name      string
			got, want any
		}{{"SBOM", got.SBOM, want.SBOM}, {"secrets", got.Secrets, want.Secrets}, {"hardening", got.Hardening, want.Hardening}} {
			if g, w := asJSON(t, part.got), asJSON(t, part.want); g != w {
				t.Errorf("%s: %s differ:\n%s\nwant\n%s", what, part.name, g, w)
			}
		}
	}
	tests := []struct {
		name  string
		img   v1.Image
		reads int32
	}{
		{name: "first scan", img: base, reads: 2},
		{name: "rescan", img: base, reads: 0},
		{name: "sibling image", img: sibling, reads: 1},
		{name: "sibling rescan", img: sibling, reads: 0},
	}
	for _, tt := range tests {
		var opens atomic.Int32
		got := inspect(counting(t, tt.img, &opens), shipshape.WithLayerOptions(layer.WithCache(cache)))
		if n := opens.Load(); n != tt.reads {
			t.Errorf("%s: %d layer reads, want %d", tt.name, n, tt.reads)
		}
		same(tt.name, got, inspect(tt.img))
	}
	in := inspect(sibling, shipshape.WithLayerOptions(layer.WithCache(cache)))
	if len(in.Secrets.Findings) < 3 {
		t.Errorf("secrets through the cache: %+v", in.Secrets.Findings)
	}
	var empty bool
	for _, f := range in.Hardening.Findings {
		empty = empty || (f.ID == "empty-password" && f.Evidence.User == "nopass")
	}
	if !empty {
		t.Errorf("empty password of nopass not found through the cache: %+v", in.Hardening.Findings)
	}

	// Nothing on disk shows a secret or a password hash.
	dec, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	records := 0
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rec") {
			return err
		}
		records++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		plain, err := dec.DecodeAll(b[48:], nil)
		if err != nil {
			return err
		}
		for _, s := range []string{"4eC39HqLyjWDarjtT1zdp7dc", "wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx", shadowHash, "0123456789abcdefghij"} {
			if strings.Contains(string(plain), s) {
				t.Errorf("record %s holds %q in clear", filepath.Base(p), s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if records != 3 {
		t.Errorf("%d records, want 3 (one per distinct layer)", records)
	}
	// A scanner that reveals secrets does not use the cache.
	reveal, err := secrets.New(secrets.WithRevealSecretsUnsafe())
	if err != nil {
		t.Fatal(err)
	}
	var opens atomic.Int32
	if _, err := shipshape.Inspect(ctx, imageSource(t, counting(t, base, &opens)), shipshape.WithSecretScanner(reveal), shipshape.WithLayerOptions(layer.WithCache(cache))); err != nil {
		t.Fatal(err)
	}
	if opens.Load() != 2 {
		t.Errorf("revealing scanner: %d layer reads, want 2", opens.Load())
	}
}
