package layercache

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/testkit"
	"github.com/shipshape-dev/shipshape/result"
)

func open(t *testing.T, opts ...Option) *Cache {
	t.Helper()
	c, err := Open(t.TempDir(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRoundTrip(t *testing.T) {
	c := open(t)
	rec := bytes.Repeat([]byte("packages and paths "), 1000)
	if _, ok := c.Get("k"); ok {
		t.Fatal("hit in an empty cache")
	}
	if err := c.Put("k", rec); err != nil {
		t.Fatal(err)
	}
	got, ok := c.Get("k")
	if !ok || !bytes.Equal(got, rec) {
		t.Fatalf("Get = %d bytes, %v", len(got), ok)
	}
	// Any string is a key; keys never name a path.
	if err := c.Put("../../escape", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if got, ok := c.Get("../../escape"); !ok || string(got) != "x" {
		t.Errorf("odd key: %q, %v", got, ok)
	}
	if _, err := os.Stat(filepath.Join(c.Dir(), "..", "..", "escape")); err == nil {
		t.Error("a key became a path")
	}
	if s := c.Stats(); s.Hits != 2 || s.Misses != 1 || s.Stored != 2 {
		t.Errorf("stats = %+v", s)
	}
	// Another process (another Cache on the same directory) sees it.
	c2, err := Open(c.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c2.Get("k"); !ok {
		t.Error("record not found by a second Cache")
	}
}

// TestDamagedRecords: whatever happened to a file, Get never returns
// content that is not what Put stored, and removes the file.
func TestDamagedRecords(t *testing.T) {
	rec := bytes.Repeat([]byte("record "), 500)
	tests := []struct {
		name   string
		damage func(b []byte) []byte
	}{
		{name: "flipped payload byte", damage: func(b []byte) []byte { b[len(b)-3] ^= 0x40; return b }},
		{name: "flipped checksum byte", damage: func(b []byte) []byte { b[20] ^= 1; return b }},
		{name: "truncated", damage: func(b []byte) []byte { return b[:len(b)/2] }},
		{name: "header only", damage: func(b []byte) []byte { return b[:headerSize] }},
		{name: "empty", damage: func([]byte) []byte { return nil }},
		{name: "other schema", damage: func(b []byte) []byte { b[7]++; return b }},
		{name: "not a record", damage: func(b []byte) []byte { return bytes.Repeat([]byte{0xff}, len(b)) }},
		{name: "appended bytes", damage: func(b []byte) []byte { return append(b, 0) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := open(t)
			if err := c.Put("k", rec); err != nil {
				t.Fatal(err)
			}
			p := c.path("k")
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, tt.damage(b), 0o600); err != nil {
				t.Fatal(err)
			}
			if got, ok := c.Get("k"); ok {
				t.Fatalf("damaged record served (%d bytes)", len(got))
			}
			if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("damaged record left in place: %v", err)
			}
			if s := c.Stats(); s.Damaged != 1 {
				t.Errorf("stats = %+v", s)
			}
			// The next Put replaces it.
			if err := c.Put("k", rec); err != nil {
				t.Fatal(err)
			}
			if got, ok := c.Get("k"); !ok || !bytes.Equal(got, rec) {
				t.Error("record not replaced")
			}
		})
	}
}

// TestEviction: past the bound, the least recently used records go.
func TestEviction(t *testing.T) {
	rec := func(i int) []byte { // incompressible, about 2 KB
		var b []byte
		sum := sha256.Sum256([]byte(fmt.Sprint(i)))
		for len(b) < 2000 {
			b = append(b, sum[:]...)
			sum = sha256.Sum256(sum[:])
		}
		return b
	}
	c := open(t, WithMaxBytes(12_000))
	for i := range 4 {
		if err := c.Put(fmt.Sprint(i), rec(i)); err != nil {
			t.Fatal(err)
		}
	}
	// Make the ages unambiguous: 0 oldest … 3 newest, then use 0.
	base := time.Now().Add(-time.Hour)
	for i := range 4 {
		at := base.Add(time.Duration(i) * time.Minute)
		if err := os.Chtimes(c.path(fmt.Sprint(i)), at, at); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := c.Get("0"); !ok {
		t.Fatal("record 0 missing before eviction")
	}
	size := func() (n int64) {
		recs, err := c.records()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			n += r.size
		}
		return n
	}
	for i := 4; size() <= 12_000; i++ {
		if i > 100 {
			t.Fatal("the records never reached the bound")
		}
		at := base.Add(time.Duration(i) * time.Minute)
		if err := c.Put(fmt.Sprint(i), rec(i)); err != nil {
			t.Fatal(err)
		}
		_ = os.Chtimes(c.path(fmt.Sprint(i)), at, at)
		if c.Stats().Evicted > 0 {
			break
		}
	}
	if c.Stats().Evicted == 0 {
		t.Fatal("nothing evicted")
	}
	if n := size(); n > 12_000 {
		t.Errorf("%d bytes on disk, bound 12000", n)
	}
	if _, ok := c.Get("1"); ok {
		t.Error("record 1, the least recently used, survived")
	}
	if _, ok := c.Get("0"); !ok {
		t.Error("record 0, used last, was evicted")
	}
}

func TestConcurrent(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	for w := range 4 {
		c, err := Open(dir, WithMaxBytes(1<<20))
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				k := fmt.Sprint(i % 7)
				want := bytes.Repeat([]byte(k), 100+i%7)
				if got, ok := c.Get(k); ok && !bytes.Equal(got, want) {
					t.Errorf("worker %d: record %s = %q", w, k, got)
				}
				if err := c.Put(k, want); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}

func TestOptions(t *testing.T) {
	if _, err := Open(t.TempDir(), WithMaxBytes(0)); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("WithMaxBytes(0): %v", err)
	}
	if _, err := Open(""); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("empty dir: %v", err)
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(file); !errors.Is(err, ErrCache) {
		t.Errorf("dir is a file: %v", err)
	}
	t.Setenv("XDG_CACHE_HOME", "/somewhere")
	t.Setenv("HOME", "/home/u")
	if d, err := DefaultDir(); err != nil || (d != "/somewhere/shipshape/layers" && d != "/home/u/Library/Caches/shipshape/layers") {
		t.Errorf("DefaultDir = %q, %v", d, err)
	}
}

func FuzzRecord(f *testing.F) {
	c, err := Open(f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	if err := c.Put("k", []byte("seed record")); err != nil {
		f.Fatal(err)
	}
	seed, err := os.ReadFile(c.path("k"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = c.open(b)
	})
}

// TestDefaultDirWithoutHome: a user with no cache directory still gets a
// layer cache, in a private directory under os.TempDir().
func TestDefaultDirWithoutHome(t *testing.T) {
	tmp := testkit.NoUserCacheDir(t)
	dir, err := DefaultDir()
	if want := filepath.Join(tmp, "shipshape-"+strconv.Itoa(os.Getuid()), "layers"); err != nil || dir != want {
		t.Fatalf("DefaultDir() = %q, %v; want %s", dir, err, want)
	}
	c, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Put("k", []byte("record")); err != nil {
		t.Fatal(err)
	}
	if b, ok := c.Get("k"); !ok || string(b) != "record" {
		t.Errorf("Get = %q, %v", b, ok)
	}
}
