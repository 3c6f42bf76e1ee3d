package layer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/shipshape-dev/shipshape/layer/layertest"
)

// memCache is a Cache in memory that counts what it serves.
type memCache struct {
	mu   sync.Mutex
	m    map[string][]byte
	hits int
}

func newMemCache() *memCache { return &memCache{m: map[string][]byte{}} }

func (c *memCache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[key]
	if ok {
		c.hits++
	}
	return b, ok
}

func (c *memCache) Put(key string, b []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[key] = append([]byte(nil), b...)
	return nil
}

var errOdd = errors.New("odd content")

// cachedCollect is collect with a codec; it fails with errOdd on files
// whose content is "odd", and its key is configurable.
type cachedCollect struct {
	collect
	key string
}

func (c *cachedCollect) Visit(ctx context.Context, h *Header, r io.Reader) (any, error) {
	v, err := c.collect.Visit(ctx, h, r)
	if err == nil && v == "odd" {
		return nil, fmt.Errorf("%s: %w", h.Path, errOdd)
	}
	return v, err
}
func (c *cachedCollect) CacheKey() string   { return c.key }
func (c *cachedCollect) Sentinels() []error { return []error{errOdd} }

// EncodeValues joins the strings with NULs.
func (c *cachedCollect) EncodeValues(_ []*Header, vs []any) ([]byte, error) {
	ss := make([]string, len(vs))
	for i, v := range vs {
		ss[i] = v.(string)
	}
	return []byte(strings.Join(ss, "\x00")), nil
}

func (c *cachedCollect) DecodeValues(hs []*Header, b []byte) ([]any, error) {
	var out []any
	for _, s := range strings.Split(string(b), "\x00") {
		out = append(out, s)
	}
	return out, nil
}

// counted wraps the layers' Open to count reads.
func counted(ls []layerSource, n *atomic.Int32) []layerSource {
	out := make([]layerSource, len(ls))
	for i, l := range ls {
		open := l.Open
		l.Open = func() (io.ReadCloser, error) { n.Add(1); return open() }
		out[i] = l
	}
	return out
}

func TestCacheServesLayers(t *testing.T) {
	F, H, S, W := layertest.File, layertest.Hardlink, layertest.Symlink, layertest.Whiteout
	base := layertest.Layer(t, layertest.Dir("etc"), F("etc/a", "A"), F("etc/odd", "odd"), S("etc/s", "a"), H("etc/h", "etc/a"),
		F("../escape", "x"), F("big", "0123456789abcdef"))
	top := layertest.Layer(t, W("etc/a"), F("etc/b", "B"))
	ctx := context.Background()
	cache := newMemCache()
	opts := options{Cache: cache, MaxFileBytes: 8}
	v := func() []Visitor[any] { return []Visitor[any]{&cachedCollect{key: "v1"}} }

	var reads atomic.Int32
	first, err := testWalk(ctx, counted(layersOf(t, base, top), &reads), v(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if reads.Load() < 2 || len(cache.m) != 2 { // the hard link is visited from a second read
		t.Fatalf("first walk: %d reads, %d records", reads.Load(), len(cache.m))
	}
	reads.Store(0)
	second, err := testWalk(ctx, counted(layersOf(t, base, top), &reads), v(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if reads.Load() != 0 || cache.hits != 2 {
		t.Fatalf("second walk: %d reads, %d hits; want 0 and 2", reads.Load(), cache.hits)
	}
	for i, l := range second.Layers {
		if !l.Cached || !l.Verified || l.Entries != first.Layers[i].Entries || l.Bytes != first.Layers[i].Bytes {
			t.Errorf("layer %d stat = %+v, first walk %+v", i, l, first.Layers[i])
		}
	}
	if got, want := values(second), values(first); !reflect.DeepEqual(got, want) {
		t.Errorf("values = %v, want %v", got, want)
	}
	if got, want := visible(second.View), visible(first.View); !reflect.DeepEqual(got, want) {
		t.Errorf("view = %v, want %v", got, want)
	}
	if h, err := second.View.Resolve("etc/s"); err == nil {
		t.Errorf("etc/s resolves to %v after the whiteout of its target", h)
	}
	if len(second.Errors) != len(first.Errors) || len(first.Errors) == 0 {
		t.Fatalf("errors = %v, first walk %v", second.Errors, first.Errors)
	}
	for i, e := range second.Errors {
		f := first.Errors[i]
		if e.Layer != f.Layer || e.Path != f.Path || e.Err.Error() != f.Err.Error() {
			t.Errorf("error %d = %v, first walk %v", i, e, f)
		}
		for _, s := range Sentinels() {
			if errors.Is(e.Err, s) != errors.Is(f.Err, s) {
				t.Errorf("error %v: errors.Is(%v) changed through the cache", e, s)
			}
		}
	}
	// The visit errors keep their sentinels: the visitor's and the walker's.
	var odd, tooBig bool
	for _, f := range second.files {
		odd = odd || errors.Is(f.err, errOdd)
		tooBig = tooBig || errors.Is(f.err, ErrFileTooLarge)
		if f.header.Path == "etc/h" && (!f.header.HardLink || f.header.Layer != 0) {
			t.Errorf("hard link header = %+v", f.header)
		}
	}
	if !odd || !tooBig {
		t.Errorf("cached visit errors lost their sentinels (odd %v, too large %v)", odd, tooBig)
	}
}

func TestCacheKeys(t *testing.T) {
	layer := layertest.Layer(t, layertest.File("a", "A"))
	ctx := context.Background()
	tests := []struct {
		name     string
		visitors []Visitor[any]
		opts     options
		reads    int32
	}{
		{name: "same visitors and budgets", visitors: []Visitor[any]{&cachedCollect{key: "v1"}}, reads: 0},
		{name: "other visitor key", visitors: []Visitor[any]{&cachedCollect{key: "v2"}}, reads: 1},
		{name: "other file budget", visitors: []Visitor[any]{&cachedCollect{key: "v1"}}, opts: options{MaxFileBytes: 99}, reads: 1},
		{name: "a visitor without codec", visitors: []Visitor[any]{&cachedCollect{key: "v1"}, &collect{}}, reads: 1},
		{name: "a visitor that refuses", visitors: []Visitor[any]{&cachedCollect{key: ""}}, reads: 1},
		{name: "two visitors", visitors: []Visitor[any]{&cachedCollect{key: "v1"}, &cachedCollect{key: "v1"}}, reads: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cache := newMemCache()
			if _, err := testWalk(ctx, layersOf(t, layer), []Visitor[any]{&cachedCollect{key: "v1"}}, options{Cache: cache}); err != nil {
				t.Fatal(err)
			}
			var reads atomic.Int32
			tt.opts.Cache = cache
			res, err := testWalk(ctx, counted(layersOf(t, layer), &reads), tt.visitors, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if reads.Load() != tt.reads {
				t.Errorf("%d reads, want %d", reads.Load(), tt.reads)
			}
			if len(res.files) != len(tt.visitors) {
				t.Errorf("files = %v", values(res))
			}
		})
	}
}

// TestCacheStoresOnlyWholeVerifiedLayers: a layer that was cut, failed
// its check against the DiffID, or had no DiffID to check is read again
// the next time.
func TestCacheStoresOnlyWholeVerifiedLayers(t *testing.T) {
	good := layertest.Tar(t, layertest.File("a", "1"), layertest.File("b", "2"))
	sum := layersOf(t, layertest.LayerFromTar(t, good))[0].DiffID
	tests := []struct {
		name  string
		layer layerSource
		opts  options
	}{
		{name: "truncated", layer: layerSource{DiffID: sum, Open: rawLayer(good[:1100]).Open}},
		{name: "content of another diff_id", layer: layerSource{DiffID: "sha256:" + fmt.Sprintf("%064x", 1), Open: rawLayer(good).Open}},
		{name: "verification skipped", layer: layerSource{DiffID: sum, Open: rawLayer(good).Open}, opts: options{SkipVerify: true}},
		{name: "entry budget", layer: layerSource{DiffID: sum, Open: rawLayer(good).Open}, opts: options{MaxLayerEntries: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cache := newMemCache()
			tt.opts.Cache = cache
			if _, err := testWalk(context.Background(), []layerSource{tt.layer}, []Visitor[any]{&cachedCollect{key: "v1"}}, tt.opts); err != nil {
				t.Fatal(err)
			}
			if len(cache.m) != 0 {
				t.Errorf("stored %d records", len(cache.m))
			}
		})
	}
}

// TestCacheDamagedRecord: a record that does not decode is not trusted;
// the layer is read and the record replaced.
func TestCacheDamagedRecord(t *testing.T) {
	layer := layertest.Layer(t, layertest.File("a", "A"))
	ctx := context.Background()
	cache := newMemCache()
	vs := []Visitor[any]{&cachedCollect{key: "v1"}}
	if _, err := testWalk(ctx, layersOf(t, layer), vs, options{Cache: cache}); err != nil {
		t.Fatal(err)
	}
	var key string
	for k, b := range cache.m {
		key = k
		cache.m[k] = b[:len(b)/2]
	}
	var reads atomic.Int32
	res, err := testWalk(ctx, counted(layersOf(t, layer), &reads), vs, options{Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	if reads.Load() != 1 || res.Layers[0].Cached {
		t.Errorf("damaged record: %d reads, stat %+v", reads.Load(), res.Layers[0])
	}
	if got := values(res); !reflect.DeepEqual(got, []string{"a@0=A"}) {
		t.Errorf("values = %v", got)
	}
	if _, err := (&layerCache{codecs: []codec{&cachedCollect{}}}).decode(cache.m[key], 0, layerSource{}); err != nil {
		t.Errorf("record not replaced: %v", err)
	}
}

func FuzzCacheRecord(f *testing.F) {
	lc := &layerCache{codecs: []codec{&cachedCollect{key: "v1"}}, sentinels: Sentinels()}
	lr := &layerResult{stat: Stat{Verified: true}, entries: []entry{{path: "a", link: "b"}},
		files: []visited{{header: Header{Path: "a"}, value: "x"}}}
	b, err := lc.encode(lr)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = lc.decode(b, 0, layerSource{})
	})
}
