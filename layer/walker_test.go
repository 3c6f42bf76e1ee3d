package layer_test

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/layer/layertest"
	"github.com/shipshape-dev/shipshape/result"
)

// lengths wants .txt files and returns their length; an empty file is
// the zero value, which means "no value".
type lengths struct{}

func (lengths) Wants(h *layer.Header) bool { return strings.HasSuffix(h.Path, ".txt") }
func (lengths) Visit(_ context.Context, _ *layer.Header, r io.Reader) (int, error) {
	b, err := io.ReadAll(r)
	return len(b), err
}

// firstLine is a visitor of another value type, over the same files.
type firstLine struct{}

func (firstLine) Wants(h *layer.Header) bool { return strings.HasSuffix(h.Path, ".txt") }
func (firstLine) Visit(_ context.Context, _ *layer.Header, r io.Reader) (*string, error) {
	b, err := io.ReadAll(r)
	s, _, _ := strings.Cut(string(b), "\n")
	return &s, err
}

func twoLayers(t *testing.T) v1.Image {
	t.Helper()
	return layertest.Image(t,
		layertest.Layer(t, layertest.File("a.txt", "hello\nworld\n"), layertest.File("b.txt", ""), layertest.File("c.bin", "x")),
		layertest.Layer(t, layertest.File("a.txt", "bye\n"), layertest.Whiteout("b.txt")),
	)
}

func TestSlotsAreTyped(t *testing.T) {
	img := twoLayers(t)
	w, err := layer.New(img)
	if err != nil {
		t.Fatal(err)
	}
	ls := layer.Add(w, lengths{})
	fl := layer.Add(w, firstLine{})
	res, err := w.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range ls.Files(res) {
		got = append(got, f.Header.Path+"@"+string(rune('0'+f.Header.Layer))+"="+string(rune('0'+f.Value)))
	}
	// Sorted by path, then layer; b.txt, empty, has the zero value.
	if want := "a.txt@0=<,a.txt@1=4,b.txt@0=0"; strings.Join(got, ",") != want {
		t.Errorf("lengths = %v, want %s", got, want)
	}
	// All yields the same files in the same order, and stops when asked.
	var all []string
	for f := range ls.All(res) {
		all = append(all, f.Header.Path+"@"+string(rune('0'+f.Header.Layer))+"="+string(rune('0'+f.Value)))
	}
	if !slices.Equal(all, got) {
		t.Errorf("All = %v, Files = %v", all, got)
	}
	n := 0
	for range ls.All(res) {
		n++
		break
	}
	if n != 1 {
		t.Errorf("All went on after break: %d", n)
	}
	lines := fl.Files(res)
	if len(lines) != 3 || *lines[0].Value != "hello" || *lines[1].Value != "bye" || *lines[2].Value != "" {
		t.Errorf("first lines = %+v", lines)
	}
	if res.View.Visible("a.txt", 0) || !res.View.Visible("a.txt", 1) || res.View.Visible("b.txt", 0) {
		t.Error("visibility")
	}
	if res.DiffID(1) != res.Layers[1].DiffID || res.DiffID(2) != "" || res.DiffID(-1) != "" {
		t.Error("DiffID")
	}
	if !res.Layers[0].Verified || len(res.Incomplete()) != 0 {
		t.Errorf("layers %+v", res.Layers)
	}
	// A slot reads only results of its own walker.
	other, err := layer.New(img)
	if err != nil {
		t.Fatal(err)
	}
	res2, err := other.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if ls.Files(res2) != nil || ls.Files(nil) != nil || slices.Collect(ls.All(res2)) != nil {
		t.Error("a slot read another walker's result")
	}
	// A second run reads anew and agrees.
	again, err := w.Run(context.Background())
	if err != nil || len(ls.Files(again)) != 3 {
		t.Errorf("second run: %v", err)
	}
}

// orderLog records, per file, the order in which visitors read it.
type orderLog struct {
	mu  sync.Mutex
	log []string
}

type ordered struct {
	name string
	log  *orderLog
}

func (o ordered) Wants(h *layer.Header) bool { return h.Path == "shared.txt" }
func (o ordered) Visit(_ context.Context, _ *layer.Header, r io.Reader) (bool, error) {
	o.log.mu.Lock()
	o.log.log = append(o.log.log, o.name)
	o.log.mu.Unlock()
	_, err := io.Copy(io.Discard, r)
	return true, err
}

type wholeOrdered struct{ ordered }

func (wholeOrdered) ReadsWhole() bool { return true }

// TestWholeReadersGoLast: whatever the order of Add, a visitor that
// reads files whole reads a shared file after those that may stop early.
func TestWholeReadersGoLast(t *testing.T) {
	img := layertest.Image(t, layertest.Layer(t, layertest.File("shared.txt", strings.Repeat("x", 1000))))
	log := &orderLog{}
	w, err := layer.New(img)
	if err != nil {
		t.Fatal(err)
	}
	whole := layer.Add[bool](w, wholeOrdered{ordered{name: "whole", log: log}})
	early := layer.Add[bool](w, ordered{name: "early", log: log})
	res, err := w.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(log.log, ",") != "early,whole" {
		t.Errorf("order %v", log.log)
	}
	if len(whole.Files(res)) != 1 || len(early.Files(res)) != 1 || !whole.Files(res)[0].Value {
		t.Error("values lost in the reordering")
	}
}

func TestWalkerImageFacts(t *testing.T) {
	img := twoLayers(t)
	w, err := layer.New(img)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := img.Digest()
	id, _ := img.ConfigName()
	m, _ := img.Manifest()
	if w.Digest() != d.String() || w.ImageID() != id.String() || w.Config() == nil || w.FS() != nil {
		t.Errorf("facts %s %s", w.Digest(), w.ImageID())
	}
	if ls := w.Layers(); len(ls) != 2 || ls[1].Digest != m.Layers[1].Digest.String() || ls[1].DiffID == "" {
		t.Errorf("layers %+v", ls)
	}
	w, err = layer.New(img, layer.WithoutManifest())
	if err != nil {
		t.Fatal(err)
	}
	if ls := w.Layers(); w.Digest() != "" || ls[0].Digest != "" || ls[0].DiffID == "" {
		t.Errorf("without the manifest: %s %+v", w.Digest(), ls)
	}
}

// brokenConfig is an image whose config cannot be read.
type brokenConfig struct{ v1.Image }

func (brokenConfig) ConfigName() (v1.Hash, error)        { return v1.Hash{}, errors.New("no config") }
func (brokenConfig) ConfigFile() (*v1.ConfigFile, error) { return nil, errors.New("no config") }

func TestWalkerErrors(t *testing.T) {
	img := twoLayers(t)
	if _, err := layer.New(brokenConfig{img}); !errors.Is(err, layer.ErrImage) {
		t.Errorf("broken config: %v", err)
	}
	for name, opt := range map[string]layer.Option{
		"concurrency": layer.WithConcurrency(0),
		"file bytes":  layer.WithMaxFileBytes(-1),
		"limits":      layer.WithLimits(layer.Limits{MaxLayerEntries: -1}),
		"path length": layer.WithLimits(layer.Limits{MaxPathLen: layer.MaxPathLen + 1}),
		"progress":    layer.WithProgress(nil),
		"cache":       layer.WithCache(nil),
	} {
		if _, err := layer.New(img, opt); !errors.Is(err, result.ErrInvalidOption) {
			t.Errorf("%s: %v", name, err)
		}
		if _, err := layer.NewFS(fstest.MapFS{}, opt); !errors.Is(err, result.ErrInvalidOption) {
			t.Errorf("%s (tree): %v", name, err)
		}
	}
	if _, err := layer.New(nil); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("nil image: %v", err)
	}
	if _, err := layer.NewFS(nil); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("nil tree: %v", err)
	}
}

func TestIncomplete(t *testing.T) {
	img := layertest.Image(t, layertest.Layer(t, layertest.File("a.txt", "hello")))
	w, err := layer.New(img, layer.WithLimits(layer.Limits{MaxLayerEntries: 0, MaxLayerBytes: 100}))
	if err != nil {
		t.Fatal(err)
	}
	res, err := w.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	inc := res.Incomplete()
	if len(inc) != 1 || !errors.Is(inc[0].Err, layer.ErrBudget) || inc[0].Layer != res.Layers[0].DiffID {
		t.Errorf("incomplete %v", inc)
	}
}

func TestNewFS(t *testing.T) {
	tree := fstest.MapFS{"d/a.txt": {Data: []byte("12345")}, "d/b.md": {Data: []byte("x")}}
	w, err := layer.NewFS(tree)
	if err != nil {
		t.Fatal(err)
	}
	ls := layer.Add(w, lengths{})
	res, err := w.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fs := ls.Files(res)
	if len(fs) != 1 || fs[0].Value != 5 || fs[0].Header.Path != "d/a.txt" || w.Config() != nil || w.Layers() != nil || res.DiffID(0) != "" {
		t.Errorf("tree: %+v", fs)
	}
}

// memCache is a layer.Cache in memory.
type memCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (c *memCache) Get(k string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[k]
	return b, ok
}

func (c *memCache) Put(k string, b []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = b
	return nil
}

// cachedLengths is lengths with a typed codec.
type cachedLengths struct {
	lengths
	visits *atomic.Int32
}

func (c cachedLengths) Visit(ctx context.Context, h *layer.Header, r io.Reader) (int, error) {
	c.visits.Add(1)
	return c.lengths.Visit(ctx, h, r)
}
func (cachedLengths) CacheKey() string   { return "lengths/1" }
func (cachedLengths) Sentinels() []error { return layer.Sentinels() }
func (cachedLengths) EncodeValues(_ []*layer.Header, vs []int) ([]byte, error) {
	b := make([]byte, len(vs))
	for i, v := range vs {
		b[i] = byte(v)
	}
	return b, nil
}
func (cachedLengths) DecodeValues(_ []*layer.Header, b []byte) ([]int, error) {
	out := make([]int, len(b))
	for i, v := range b {
		out[i] = int(v)
	}
	return out, nil
}

// TestTypedCache: a typed Cacheable visitor's values come back from the
// cache, and the layers are not read again.
func TestTypedCache(t *testing.T) {
	img := twoLayers(t)
	cache := &memCache{m: map[string][]byte{}}
	var visits atomic.Int32
	run := func() []layer.File[int] {
		w, err := layer.New(img, layer.WithCache(cache))
		if err != nil {
			t.Fatal(err)
		}
		s := layer.Add[int](w, cachedLengths{visits: &visits})
		res, err := w.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return s.Files(res)
	}
	first := run()
	n := visits.Load()
	second := run()
	if visits.Load() != n || n == 0 {
		t.Errorf("visits %d then %d: the cache was not used", n, visits.Load())
	}
	if len(first) != len(second) {
		t.Fatalf("%v vs %v", first, second)
	}
	for i := range first {
		if first[i].Value != second[i].Value || first[i].Header.Path != second[i].Header.Path {
			t.Errorf("%d: %+v vs %+v", i, first[i], second[i])
		}
	}
}
