package shipshape_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/layer/layertest"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/secrets"
	"github.com/shipshape-dev/shipshape/source"
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
	img := layertest.Image(t,
		layertest.Layer(t,
			layertest.File("etc/os-release", "ID=debian\nVERSION_ID=12\n"),
			layertest.File("var/lib/dpkg/status", "Package: curl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 7.88.1-10\n"),
			layertest.File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
			layertest.Entry{Name: "usr/bin/su", Body: "\x7fELF", Mode: 0o4755},
			layertest.File("app/.env", "STRIPE_KEY=sk_live_"+"4eC39HqLyjWDarjtT1zdp7dc\n"),
		),
		layertest.Layer(t,
			layertest.Whiteout("app/.env"),
			layertest.File("srv/config.yaml", "github_token: ghp_"+"wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx\n"),
			layertest.File("usr/lib/python3/dist-packages/requests-2.25.1.dist-info/METADATA", "Metadata-Version: 2.1\nName: requests\nVersion: 2.25.1\n"),
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

// imageSource wraps a test image as a source named "app".
func imageSource(t *testing.T, img v1.Image) *source.Source {
	t.Helper()
	src, err := source.FromImage(img, "app")
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// TestInspectMatchesTheParts: one shared walk gives exactly what the
// three separate calls give, but for the config's credentials, which the
// secrets part reports and the hardening part leaves to it.
func TestInspectMatchesTheParts(t *testing.T) {
	ctx := context.Background()
	img := inspectImage(t)
	clock := harden.WithClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
	checker, err := harden.New(clock)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := secrets.New()
	if err != nil {
		t.Fatal(err)
	}

	in, err := shipshape.Inspect(ctx, imageSource(t, img), shipshape.WithChecker(checker), shipshape.WithSecretScanner(sc))
	if err != nil {
		t.Fatal(err)
	}
	got := in.Evidence
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
	// The standalone checker scans the config itself; in Inspect its
	// credentials are the secrets part's.
	var configSecrets int
	for _, f := range wantSecrets.Findings {
		if strings.HasPrefix(f.File, secrets.ConfigFile+"/") {
			configSecrets++
		}
	}
	var kept []harden.Finding
	dropped := 0
	for _, f := range wantHardening.Findings {
		if f.ID == "secret-in-config" && strings.Contains(f.Evidence.Detail, "matches secret rule") {
			dropped++
			continue
		}
		kept = append(kept, f)
	}
	if configSecrets == 0 || dropped != configSecrets {
		t.Fatalf("the test image should have credentials in its config that both find: %d secrets, %d hardening", configSecrets, dropped)
	}
	wantHardening.Findings = kept
	if g, w := asJSON(t, got.Hardening), asJSON(t, wantHardening); g != w {
		t.Errorf("hardening differs:\n%s\nwant\n%s", g, w)
	}
	if len(got.SBOM.Packages) < 2 || len(got.Secrets.Findings) < 3 || len(got.Hardening.Findings) < 2 {
		t.Errorf("too little found: %d packages, %d secrets, %d hardening findings", len(got.SBOM.Packages), len(got.Secrets.Findings), len(got.Hardening.Findings))
	}
	if got.Config == nil || got.Digest == "" || got.Name != "app" || !in.Complete() {
		t.Errorf("image facts: %+v", got)
	}
}

// TestInspectConfigSecretOnce: a credential in the image config is found
// once and reported once, in the secrets report; a credential-named
// variable no rule matches is still the hardening check's.
func TestInspectConfigSecretOnce(t *testing.T) {
	img := inspectImage(t)
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.Config.Env = []string{"PATH=/usr/bin", "GITHUB_TOKEN=ghp_" + "wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx", "APP_SECRET=plainvalue-not-a-key"}
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		t.Fatal(err)
	}
	in, err := shipshape.Inspect(context.Background(), imageSource(t, img))
	if err != nil {
		t.Fatal(err)
	}
	var inSecrets, inHardening []string
	for _, f := range in.Evidence.Secrets.Findings {
		if f.File == secrets.ConfigFile+"/env" {
			inSecrets = append(inSecrets, f.RuleID)
		}
	}
	for _, f := range in.Evidence.Hardening.Findings {
		if f.ID == "secret-in-config" {
			inHardening = append(inHardening, f.Evidence.EnvKey)
		}
	}
	if len(inSecrets) != 1 || inSecrets[0] != "github-pat" {
		t.Errorf("config secrets in the secrets report: %v", inSecrets)
	}
	if len(inHardening) != 1 || inHardening[0] != "APP_SECRET" {
		t.Errorf("secret-in-config findings: %v (the token is the secrets report's; APP_SECRET is no rule's)", inHardening)
	}
}

func TestInspectReadsEachLayerOnce(t *testing.T) {
	img := inspectImage(t)
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var opens atomic.Int32
	in, err := shipshape.Inspect(context.Background(), imageSource(t, counting(t, img, &opens)))
	if err != nil {
		t.Fatal(err)
	}
	if n := opens.Load(); n != int32(len(ls)) {
		t.Errorf("%d layer reads for %d layers", n, len(ls))
	}
	if ev := in.Evidence; ev.SBOM == nil || ev.Secrets == nil || ev.Hardening == nil || ev.Scan != nil {
		t.Fatalf("parts: %+v", ev)
	}
	in, err = shipshape.Inspect(context.Background(), imageSource(t, img), shipshape.WithoutSecrets(), shipshape.WithoutHardening())
	if err != nil || in.Evidence.Secrets != nil || in.Evidence.Hardening != nil || in.Evidence.SBOM == nil {
		t.Errorf("SBOM only: %v %+v", err, in)
	}
}

// TestInspectOptionErrors: an invalid option of any part, given through
// the facade, is one sentinel.
func TestInspectOptionErrors(t *testing.T) {
	src := imageSource(t, inspectImage(t))
	for name, opt := range map[string]shipshape.Option{
		"nil checker":       shipshape.WithChecker(nil),
		"nil scanner":       shipshape.WithSecretScanner(nil),
		"bad sbom limit":    shipshape.WithSBOMOptions(sbom.WithLimits(sbom.Limits{MaxArchiveDepth: -1})),
		"bad concurrency":   shipshape.WithLayerOptions(layer.WithConcurrency(0)),
		"nil clock":         shipshape.WithClock(nil),
		"nil visitor adder": shipshape.WithVisitors(nil),
	} {
		if _, err := shipshape.Inspect(context.Background(), src, opt); !errors.Is(err, result.ErrInvalidOption) {
			t.Errorf("%s: %v, want result.ErrInvalidOption", name, err)
		}
	}
	if _, err := shipshape.Inspect(context.Background(), &source.Source{}); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("empty source: %v", err)
	}
}

// TestInspectDirectory: a tree gets its SBOM and secrets from one walk;
// hardening does not apply.
func TestInspectDirectory(t *testing.T) {
	tree := fstest.MapFS{
		"go.mod":   {Data: []byte("module example.com/app\n\ngo 1.22\n\nrequire golang.org/x/text v0.3.7\n")},
		"app/.env": {Data: []byte("STRIPE_KEY=sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc\n")},
	}
	src, err := source.FromFS(tree, "repo")
	if err != nil {
		t.Fatal(err)
	}
	in, err := shipshape.Inspect(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	ev := in.Evidence
	if ev.Hardening != nil || ev.Config != nil || ev.SBOM == nil || ev.Secrets == nil {
		t.Fatalf("parts: %+v", ev)
	}
	if len(ev.SBOM.Packages) != 1 || ev.SBOM.Packages[0].Name != "golang.org/x/text" || ev.SBOM.Source.Type != sbom.SourceDirectory {
		t.Errorf("packages: %+v", ev.SBOM.Packages)
	}
	if len(ev.Secrets.Findings) != 1 || ev.Secrets.Findings[0].File != "app/.env" || ev.Secrets.Source.Name != "repo" {
		t.Errorf("secrets: %+v", ev.Secrets.Findings)
	}
}

// TestInspectLayerDigests: the SBOM of an opened layout records each
// layer's blob digest and the image digest, as sbom.FromImage does; and
// a docker-archive, whose manifest would cost a compression of every
// layer, records none and is not compressed.
func TestInspectLayerDigests(t *testing.T) {
	img := inspectImage(t)
	dir := t.TempDir()
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendImage(img, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": "app:1.0"})); err != nil {
		t.Fatal(err)
	}
	src, err := source.Open(context.Background(), "oci-layout:"+dir+":app:1.0")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	in, err := shipshape.Inspect(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	want, err := sbom.FromImage(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	got := in.Evidence.SBOM.Source
	if len(got.Layers) != 2 || got.Layers[0].Digest == "" || !reflect.DeepEqual(got.Layers, want.Source.Layers) || got.Digest != want.Source.Digest {
		t.Errorf("layers %+v digest %s\nwant %+v %s", got.Layers, got.Digest, want.Source.Layers, want.Source.Digest)
	}

	tarPath := filepath.Join(t.TempDir(), "image.tar")
	tag, _ := name.NewTag("example.com/app:1")
	if err := tarball.WriteToFile(tarPath, tag, img); err != nil {
		t.Fatal(err)
	}
	src, err = source.Open(context.Background(), "docker-archive:"+tarPath)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	in, err = shipshape.Inspect(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range in.Evidence.SBOM.Source.Layers {
		if l.DiffID == "" || l.Digest != "" {
			t.Errorf("docker-archive layer %+v", l)
		}
	}
}

// layeredImage is img with its layers replaced (same content).
type layeredImage struct {
	v1.Image
	layers []v1.Layer
}

func (l *layeredImage) Layers() ([]v1.Layer, error) { return l.layers, nil }
