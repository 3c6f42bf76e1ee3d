package shipshape_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"sync/atomic"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/internal/testkit"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/secrets"
)

// countingLayer counts how often its content is opened.
type countingLayer struct {
	v1.Layer
	opens *atomic.Int32
}

func (l *countingLayer) Uncompressed() (io.ReadCloser, error) {
	l.opens.Add(1)
	return l.Layer.Uncompressed()
}

// counting returns img with layer reads counted in opens.
func counting(t *testing.T, img v1.Image, opens *atomic.Int32) v1.Image {
	t.Helper()
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	layers := make([]v1.Layer, len(ls))
	for i, l := range ls {
		layers[i] = &countingLayer{Layer: l, opens: opens}
	}
	return &layeredImage{Image: img, layers: layers}
}

// inspectImage has packages, a secret deleted by a later layer, a live
// one, a setuid file and a root user.
func inspectImage(t *testing.T) v1.Image {
	t.Helper()
	img := testkit.Image(t,
		testkit.Layer(t,
			testkit.File("etc/os-release", "ID=debian\nVERSION_ID=12\n"),
			testkit.File("var/lib/dpkg/status", "Package: curl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 7.88.1-10\n"),
			testkit.File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
			testkit.Entry{Name: "usr/bin/su", Body: "\x7fELF", Mode: 0o4755},
			testkit.File("app/.env", "STRIPE_KEY=sk_live_"+"4eC39HqLyjWDarjtT1zdp7dc\n"),
		),
		testkit.Layer(t,
			testkit.Whiteout("app/.env"),
			testkit.File("srv/config.yaml", "github_token: ghp_"+"wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx\n"),
			testkit.File("usr/lib/python3/dist-packages/requests-2.25.1.dist-info/METADATA", "Metadata-Version: 2.1\nName: requests\nVersion: 2.25.1\n"),
		),
	)
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.Config.Env = []string{"PATH=/usr/bin", "DB_PASSWORD=hunter22"}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestInspectMatchesTheParts: one shared walk gives exactly what the three
// separate calls give, and opens each layer once.
func TestInspectMatchesTheParts(t *testing.T) {
	ctx := context.Background()
	img := inspectImage(t)
	clock := scan.WithClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
	checker, err := scan.NewChecker(clock)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := secrets.New()
	if err != nil {
		t.Fatal(err)
	}

	got, err := shipshape.Inspect(ctx, img, shipshape.WithChecker(checker), shipshape.WithSecretScanner(sc), shipshape.WithImageName("app", ""))
	if err != nil {
		t.Fatal(err)
	}
	wantSBOM, err := sbom.FromImage(ctx, img, sbom.WithName("app"))
	if err != nil {
		t.Fatal(err)
	}
	wantSecrets, err := sc.ScanImage(ctx, img, "app")
	if err != nil {
		t.Fatal(err)
	}
	wantHardening, err := checker.Check(ctx, img, "")
	if err != nil {
		t.Fatal(err)
	}
	if g, w := asJSON(t, got.SBOM), asJSON(t, wantSBOM); g != w {
		t.Errorf("SBOM differs:\n%s\nwant\n%s", g, w)
	}
	if g, w := asJSON(t, got.Secrets), asJSON(t, wantSecrets); g != w {
		t.Errorf("secrets differ:\n%s\nwant\n%s", g, w)
	}
	if g, w := asJSON(t, got.Hardening), asJSON(t, wantHardening); g != w {
		t.Errorf("hardening differs:\n%s\nwant\n%s", g, w)
	}
	if len(got.SBOM.Packages) < 2 || len(got.Secrets.Findings) < 3 || len(got.Hardening.Findings) < 2 {
		t.Errorf("too little found: %d packages, %d secrets, %d hardening findings", len(got.SBOM.Packages), len(got.Secrets.Findings), len(got.Hardening.Findings))
	}
}

func TestInspectReadsEachLayerOnce(t *testing.T) {
	img := inspectImage(t)
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var opens atomic.Int32
	in, err := shipshape.Inspect(context.Background(), counting(t, img, &opens))
	if err != nil {
		t.Fatal(err)
	}
	if n := opens.Load(); n != int32(len(ls)) {
		t.Errorf("%d layer reads for %d layers", n, len(ls))
	}
	if in.SBOM == nil || in.Secrets == nil || in.Hardening == nil {
		t.Fatalf("parts missing: %+v", in)
	}
	in, err = shipshape.Inspect(context.Background(), img, shipshape.WithoutSecrets(), shipshape.WithoutHardening())
	if err != nil || in.Secrets != nil || in.Hardening != nil || in.SBOM == nil {
		t.Errorf("SBOM only: %v %+v", err, in)
	}
	if _, err := shipshape.Inspect(context.Background(), img, shipshape.WithChecker(nil)); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("nil checker: %v", err)
	}
}

// layeredImage is img with its layers replaced (same content).
type layeredImage struct {
	v1.Image
	layers []v1.Layer
}

func (l *layeredImage) Layers() ([]v1.Layer, error) { return l.layers, nil }
