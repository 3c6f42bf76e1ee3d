package sbom

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape/internal/testkit"
	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/layer/layertest"
)

// hostileBase is the good part of every hostile image: a Debian release
// and a dpkg database whose two packages must still be found.
func hostileBase(t *testing.T) []v1.Layer {
	return []v1.Layer{layertest.Layer(t,
		layertest.File("etc/os-release", "ID=debian\nVERSION_ID=12\n"),
		layertest.File("var/lib/dpkg/status", stanza("good-one", "1.0", "amd64", "", "")+stanza("good-two", "2.0", "all", "", "")),
	)}
}

func wantGoodPackages(t *testing.T, s *SBOM) {
	t.Helper()
	found := 0
	for _, p := range s.Packages {
		if p.Name == "good-one" || p.Name == "good-two" {
			found++
		}
	}
	if found != 2 {
		t.Errorf("the good packages were not all found: %v", brief(s))
	}
}

type hostileCase struct {
	name  string
	layer layertest.StreamLayer
	opts  []Option
	// check inspects the result beyond the good packages.
	check func(t *testing.T, s *SBOM)
}

func runHostile(t *testing.T, tc hostileCase) {
	img := layertest.StreamImage(t, hostileBase(t), tc.layer)
	var s *SBOM
	var err error
	start := time.Now()
	peak := testkit.PeakHeap(func() {
		s, err = FromImage(context.Background(), img, append([]Option{WithLayerOptions(layer.WithoutManifest())}, tc.opts...)...)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %.1fs, peak heap %d MiB, %d packages, errors %v", tc.name, time.Since(start).Seconds(), peak>>20, len(s.Packages), s.Errors)
	wantGoodPackages(t, s)
	if tc.check != nil {
		tc.check(t, s)
	}
	if peak > 1<<30 {
		t.Errorf("peak heap %d MiB", peak>>20)
	}
}

// wantLayerErr checks that exactly the generated layer (and no file of the
// good one) has errors, that they wrap each of want, and that the
// generated layer is marked untrusted: its diff_id is made up.
func wantLayerErr(want ...error) func(t *testing.T, s *SBOM) {
	return func(t *testing.T, s *SBOM) {
		t.Helper()
		for _, w := range want {
			found := false
			for _, e := range s.Errors {
				found = found || errors.Is(e.Err, w)
			}
			if !found {
				t.Errorf("no error wrapping %v in %v", w, s.Errors)
			}
		}
		for _, e := range s.Errors {
			if e.Layer == s.Source.Layers[0].DiffID {
				t.Errorf("error in the good layer: %v", e)
			}
			if !errors.Is(e.Err, layer.ErrIntegrity) && !errors.Is(e.Err, layer.ErrBudget) && !errors.Is(e.Err, layer.ErrFileTooLarge) {
				t.Errorf("unexpected error %v", e)
			}
		}
	}
}

// TestHostileBudgets runs each attack scaled down, against budgets set
// low, so that it is quick under the race detector too.
func TestHostileBudgets(t *testing.T) {
	for _, tc := range []hostileCase{
		{name: "entries per layer", layer: layertest.ManyFiles(5000), opts: []Option{WithLayerOptions(layer.WithLimits(layer.Limits{MaxLayerEntries: 1000}))},
			check: wantLayerErr(layer.ErrBudget)},
		{name: "entries per image", layer: layertest.ManyFiles(5000), opts: []Option{WithLayerOptions(layer.WithLimits(layer.Limits{MaxImageEntries: 1000})), WithLayerOptions(layer.WithConcurrency(1))}, // the good layer first
			check: wantLayerErr(layer.ErrBudget)},
		{name: "gzip bomb against the layer budget", layer: layertest.StreamLayer{Open: layertest.GzipZeroBomb(t, "bomb.bin", 1<<30)},
			opts: []Option{WithLayerOptions(layer.WithLimits(layer.Limits{MaxLayerBytes: 64 << 20}))}, check: wantLayerErr(layer.ErrBudget)},
		{name: "gzip bomb against the image budget", layer: layertest.StreamLayer{Open: layertest.GzipZeroBomb(t, "bomb.bin", 1<<30)},
			opts: []Option{WithLayerOptions(layer.WithLimits(layer.Limits{MaxImageBytes: 64 << 20})), WithLayerOptions(layer.WithConcurrency(1))}, check: wantLayerErr(layer.ErrBudget)},
		{name: "20 MB package.json", layer: layertest.BigFile("usr/lib/node_modules/evil/package.json", 20<<20, `{"name":"evil","version":"1.0.0","description":"`, 'a', `"}`),
			check: func(t *testing.T, s *SBOM) {
				wantLayerErr(layer.ErrFileTooLarge, layer.ErrIntegrity)(t, s)
				for _, e := range s.Errors {
					if errors.Is(e.Err, layer.ErrFileTooLarge) && (e.Path != "usr/lib/node_modules/evil/package.json" || !strings.Contains(e.Error(), "8388608")) {
						t.Errorf("budget error does not name the file and budget: %v", e)
					}
				}
			}},
		{name: "manifest budget set by the caller", layer: layertest.BigFile("usr/lib/python3/dist-packages/evil-1.0.dist-info/METADATA", 3<<20, "Metadata-Version: 2.1\nName: evil\nVersion: 1.0\nSummary: ", 'x', ""),
			opts: []Option{WithLimits(Limits{MaxManifestBytes: 1 << 20})}, check: wantLayerErr(layer.ErrFileTooLarge)},
		{name: "sparse ELF", layer: layertest.StreamLayer{Open: func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(layertest.SparseTar(t, "usr/bin/evil", 5<<30, []byte("\x7fELF\x02\x01\x01")))), nil
		}}, check: wantLayerErr(layer.ErrIntegrity)},
	} {
		t.Run(tc.name, func(t *testing.T) { runHostile(t, tc) })
	}
}

// tamperedLayer serves other content than the diff_id its image claims.
type tamperedLayer struct {
	v1.Layer
	content []byte
}

func (l *tamperedLayer) Uncompressed() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(l.content)), nil
}

// Compressed serves the content as stored too (a plain tar stream, which
// readers take as it is).
func (l *tamperedLayer) Compressed() (io.ReadCloser, error) { return l.Uncompressed() }

func TestLayerIntegrity(t *testing.T) {
	good := hostileBase(t)[0]
	evil := layertest.Tar(t, layertest.File("etc/os-release", "ID=debian\nVERSION_ID=12\n"),
		layertest.File("var/lib/dpkg/status", stanza("good-one", "1.0", "amd64", "", "")+stanza("good-two", "2.0", "all", "", "")+stanza("planted", "6.6.6", "all", "", "")))
	img := layertest.StreamImage(t, []v1.Layer{&tamperedLayer{Layer: good, content: evil}})
	s, err := FromImage(context.Background(), img, WithLayerOptions(layer.WithoutManifest()))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Source.Layers) != 1 || !s.Source.Layers[0].Untrusted {
		t.Errorf("layers %+v", s.Source.Layers)
	}
	if len(s.Errors) != 1 || !errors.Is(s.Errors[0].Err, layer.ErrIntegrity) || s.Errors[0].Layer != s.Source.Layers[0].DiffID {
		t.Errorf("errors %v", s.Errors)
	}
	if len(s.Packages) != 3 {
		t.Errorf("what the layer holds is still listed, marked by its layer: %v", brief(s))
	}
	// The untouched image verifies.
	s, err = FromImage(context.Background(), layertest.StreamImage(t, []v1.Layer{good}), WithLayerOptions(layer.WithoutManifest()))
	if err != nil || len(s.Errors) != 0 || s.Source.Layers[0].Untrusted {
		t.Errorf("good image: %v %v %+v", err, s.Errors, s.Source.Layers)
	}
	// Opting out leaves the check undone.
	s, err = FromImage(context.Background(), img, WithLayerOptions(layer.WithoutManifest()), WithLayerOptions(layer.WithoutVerificationUnsafe()))
	if err != nil || len(s.Errors) != 0 || s.Source.Layers[0].Untrusted {
		t.Errorf("skipped: %v %v %+v", err, s.Errors, s.Source.Layers)
	}
}

// TestCancelReleasesEverything cancels a walk in the middle of a layer
// that never ends and checks that it returns promptly and leaves no
// goroutine and no open file behind.
func TestCancelReleasesEverything(t *testing.T) {
	goroutines := runtime.NumGoroutine()
	fds := openFiles(t)
	var closed atomic.Int32
	endless := layertest.StreamLayer{Open: func() (io.ReadCloser, error) {
		f, err := os.Open(os.DevNull) // an open file the walk must close
		if err != nil {
			return nil, err
		}
		return &closeCounter{Reader: layertest.TarStreamReader(layertest.ManyFiles(1 << 30).Open), f: f, closed: &closed}, nil
	}}
	img := layertest.StreamImage(t, hostileBase(t), endless, endless)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, err := FromImage(ctx, img, WithLayerOptions(layer.WithoutManifest()))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("cancel took %v", d)
	}
	if n := closed.Load(); n != 2 {
		t.Errorf("%d of 2 layer readers closed", n)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > goroutines && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > goroutines {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines left over (%d before):\n%s", n-goroutines, goroutines, buf[:runtime.Stack(buf, true)])
	}
	if n := openFiles(t); n > fds {
		t.Errorf("%d files left open", n-fds)
	}
}

type closeCounter struct {
	io.Reader
	f      *os.File
	closed *atomic.Int32
}

func (c *closeCounter) Close() error {
	c.closed.Add(1)
	if cl, ok := c.Reader.(io.Closer); ok {
		cl.Close()
	}
	return c.f.Close()
}

// openFiles counts this process's open file descriptors (Linux).
func openFiles(t *testing.T) int {
	es, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd here")
	}
	return len(es)
}

// nestedJar is a jar holding a jar holding … depth levels, the innermost
// with a pom.properties.
func nestedJar(t *testing.T, depth int) []byte {
	t.Helper()
	inner := []byte(nil)
	for d := depth; d >= 0; d-- {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		if d == depth {
			w, _ := zw.Create("META-INF/maven/org.example/deep/pom.properties")
			io.WriteString(w, "groupId=org.example\nartifactId=deep\nversion=1.0\n")
		} else {
			w, _ := zw.Create(fmt.Sprintf("lib/level%d.jar", d+1))
			w.Write(inner)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		inner = buf.Bytes()
	}
	return inner
}

func TestNestedArchiveBudget(t *testing.T) {
	jar := nestedJar(t, 6)
	img := layertest.Image(t, append(hostileBase(t), layertest.Layer(t, layertest.File("app/app.jar", string(jar))))...)
	s, err := FromImage(context.Background(), img, WithLayerOptions(layer.WithoutManifest()))
	if err != nil {
		t.Fatal(err)
	}
	wantGoodPackages(t, s)
	if len(s.Errors) != 1 || !strings.Contains(s.Errors[0].Error(), "nested deeper than 4") || s.Errors[0].Path != "app/app.jar" {
		t.Errorf("errors %v", s.Errors)
	}
	s, err = FromImage(context.Background(), img, WithLayerOptions(layer.WithoutManifest()), WithLimits(Limits{MaxArchiveDepth: 8}))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range s.Packages {
		found = found || p.Name == "deep"
	}
	if len(s.Errors) != 0 || !found {
		t.Errorf("depth 8: errors %v, packages %v", s.Errors, brief(s))
	}
}
