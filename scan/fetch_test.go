package scan

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
)

// bucket serves <Ecosystem>/all.zip archives with ETags, like the OSV
// bucket.
type bucket struct {
	mu       sync.Mutex
	archives map[string][]byte // ecosystem → zip
	etags    map[string]string
	requests []string
}

func (b *bucket) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	defer b.mu.Unlock()
	eco, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/"), "/all.zip")
	data, found := b.archives[eco]
	if !ok || !found {
		http.NotFound(w, r)
		return
	}
	etag := b.etags[eco]
	if r.Header.Get("If-None-Match") == etag {
		b.requests = append(b.requests, eco+" 304")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	b.requests = append(b.requests, eco+" 200")
	w.Header().Set("ETag", etag)
	w.Write(data)
}

func (b *bucket) set(eco, etag string, data []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.archives[eco], b.etags[eco] = data, etag
}

// zipOf packs testdata/osv files into an all.zip.
func zipOf(t *testing.T, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join("testdata/osv", f))
		if err != nil {
			t.Fatal(err)
		}
		w, _ := zw.Create(f)
		w.Write(b)
	}
	zw.Close()
	return buf.Bytes()
}

// fetchFixture serves one Go and one PyPI record and returns the bucket,
// the cache directory and a FetchDB call against them.
func fetchFixture(t *testing.T) (*bucket, string, func(ecos ...string) (*FetchResult, error)) {
	b := &bucket{archives: map[string][]byte{}, etags: map[string]string{}}
	b.set("Go", `"go-1"`, zipOf(t, "GO-TEST-0001.json"))
	b.set("PyPI", `"pypi-1"`, zipOf(t, "PYSEC-TEST-1.json"))
	srv := httptest.NewServer(b)
	t.Cleanup(srv.Close)
	cache := t.TempDir()
	return b, cache, func(ecos ...string) (*FetchResult, error) {
		return FetchDB(context.Background(), WithBaseURL(srv.URL), WithFetchCacheDir(cache), WithEcosystems(ecos...))
	}
}

func TestFetchDB(t *testing.T) {
	b, cache, fetch := fetchFixture(t)

	res, err := fetch("Go", "PyPI")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Updated, []string{"Go", "PyPI"}) || res.Info.Advisories != 2 {
		t.Errorf("first fetch: %+v", res)
	}
	// Unchanged on the server: conditional requests, nothing rebuilt.
	res, err = fetch("Go", "PyPI")
	if err != nil || !reflect.DeepEqual(res.NotModified, []string{"Go", "PyPI"}) || len(res.Updated) != 0 || res.Info.Advisories != 2 {
		t.Errorf("second fetch: %+v, %v", res, err)
	}
	// A new Go archive.
	b.set("Go", `"go-2"`, zipOf(t, "GO-TEST-0001.json", "GO-TEST-0002.json"))
	res, err = fetch("Go", "PyPI")
	if err != nil || !reflect.DeepEqual(res.Updated, []string{"Go"}) || res.Info.Advisories != 3 {
		t.Errorf("third fetch: %+v, %v", res, err)
	}
	// A damaged PyPI archive: an error, and the store keeps what it had.
	damaged := zipOf(t, "PYSEC-TEST-1.json")
	damaged = append([]byte(nil), damaged[:len(damaged)/2]...)
	b.set("PyPI", `"pypi-2"`, damaged)
	if _, err := fetch("PyPI"); !errors.Is(err, ErrFetch) {
		t.Errorf("damaged archive: %v", err)
	}
	db, err := OpenDB(context.Background(), StorePath(cache))
	if err != nil {
		t.Fatal(err)
	}
	if db.Info().Advisories != 3 {
		t.Errorf("store after a failed fetch: %+v", db.Info())
	}
	db.Close()
	if _, err := fetch("Nope"); !errors.Is(err, ErrFetch) {
		t.Errorf("missing ecosystem: %v", err)
	}
	if _, err := FetchDB(context.Background(), WithEcosystems("../etc")); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("bad ecosystem name: %v", err)
	}
	if len(b.requests) < 6 || b.requests[2] != "Go 304" {
		t.Errorf("requests = %v", b.requests)
	}
}

func TestLoadDB(t *testing.T) {
	cache := t.TempDir()
	raw := t.TempDir()
	os.WriteFile(filepath.Join(raw, "a.json"), mustRead(t, "testdata/osv/GO-TEST-0001.json"), 0o644)
	db, err := LoadDB(context.Background(), raw, WithCacheDir(cache))
	if err != nil {
		t.Fatal(err)
	}
	if db.Info().Advisories != 1 {
		t.Errorf("info = %+v", db.Info())
	}
	db.Close()
	// The input changes: the store is rebuilt.
	os.WriteFile(filepath.Join(raw, "b.json"), mustRead(t, "testdata/osv/GO-TEST-0002.json"), 0o644)
	db, err = LoadDB(context.Background(), raw, WithCacheDir(cache))
	if err != nil || db.Info().Advisories != 2 {
		t.Fatalf("rebuilt: %v", err)
	}
	db.Close()
	entries, _ := os.ReadDir(cache)
	if len(entries) != 1 {
		t.Errorf("cache holds %d entries", len(entries))
	}
	// A built store opens as it is.
	stores, _ := filepath.Glob(filepath.Join(cache, "*.db"))
	if db, err := LoadDB(context.Background(), stores[0]); err != nil {
		t.Error(err)
	} else {
		db.Close()
	}
	if _, err := LoadDB(context.Background(), filepath.Join(raw, "missing")); !errors.Is(err, ErrDB) {
		t.Errorf("missing: %v", err)
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEcosystems(t *testing.T) {
	s := testSBOM()
	if got := Ecosystems(s); !reflect.DeepEqual(got, []string{"Debian", "Go", "PyPI", "npm"}) {
		t.Errorf("got %v", got)
	}
	if got := Ecosystems(&sbom.SBOM{}); len(got) != 0 {
		t.Errorf("empty: %v", got)
	}
}

// TestFetchDBRecovers: the store follows the archives on disk, whatever
// happened on earlier runs: a failed ecosystem does not hold back the
// others, an unreadable store is rebuilt, and FetchDB's own bookkeeping is
// not read as OSV data.
func TestFetchDBRecovers(t *testing.T) {
	b, cache, fetchEcos := fetchFixture(t)
	fetch := func() (*FetchResult, error) { return fetchEcos("Go", "PyPI") }
	res, err := fetch()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Info.Sources {
		if s.Skipped != 0 {
			t.Errorf("source %s: %d records skipped", s.Name, s.Skipped)
		}
	}
	// New Go data while PyPI is broken: the error, and the Go update.
	b.set("Go", `"go-2"`, zipOf(t, "GO-TEST-0001.json", "GO-TEST-0002.json"))
	good := b.archives["PyPI"]
	b.set("PyPI", `"pypi-1-broken"`, good[:len(good)/2])
	res, err = fetch()
	if !errors.Is(err, ErrFetch) || res.Info.Advisories != 3 {
		t.Errorf("partial failure: %v, %d advisories, want the error and 3", err, res.Info.Advisories)
	}
	// PyPI back as it was: 304 everywhere, the store has everything.
	b.set("PyPI", `"pypi-1"`, good)
	res, err = fetch()
	if err != nil || res.Info.Advisories != 3 {
		t.Errorf("after recovery: %v, %+v", err, res)
	}
	// A damaged store (or one of an older schema) is rebuilt.
	if err := os.WriteFile(StorePath(cache), []byte("not a store"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = fetch()
	if err != nil || res.Info.Advisories != 3 {
		t.Errorf("unreadable store: %v, %+v", err, res)
	}
}
