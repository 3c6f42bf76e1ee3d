package layercache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/shipshape-dev/shipshape/internal/cachedir"
	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/result"
)

// Cache implements layer.Cache.
var _ layer.Cache = (*Cache)(nil)

// Schema is the version of the file format; files of another version are
// treated as missing (and replaced).
const Schema = 1

// DefaultMaxBytes bounds the cache's size on disk unless WithMaxBytes
// says otherwise.
const DefaultMaxBytes = 2 << 30

// maxRecord bounds one record, compressed and decompressed: a file past
// it is damaged, not a reason to allocate.
const maxRecord = 1 << 30

var magic = [4]byte{'S', 'S', 'L', 'C'}

// headerSize is magic, schema (uint32), payload length (uint64) and the
// payload's SHA-256.
const headerSize = 4 + 4 + 8 + sha256.Size

// Cache is a layer cache in a directory. Its methods are safe for
// concurrent use, also by several processes sharing the directory.
type Cache struct {
	dir string
	max int64
	enc *zstd.Encoder
	dec *zstd.Decoder

	mu    sync.Mutex
	size  int64 // bytes on disk, once sized
	sized bool

	hits, misses, damaged, stored, evicted atomic.Int64
}

// Stats counts what a Cache did since Open.
type Stats struct {
	// Hits and Misses count Get calls; Damaged the records Get found
	// corrupt, truncated or of another schema (counted as misses too).
	Hits, Misses, Damaged int64
	// Stored counts records Put wrote, Evicted those removed to stay under
	// the size bound.
	Stored, Evicted int64
}

// Option configures Open.
type Option func(*options) error

type options struct {
	max int64
}

// WithMaxBytes bounds the cache's size on disk (default DefaultMaxBytes):
// past it, the least recently used records are removed.
func WithMaxBytes(n int64) Option {
	return func(o *options) error {
		if n <= 0 {
			return fmt.Errorf("%w: cache size %d, want more than 0", result.ErrInvalidOption, n)
		}
		o.max = n
		return nil
	}
}

// DefaultDir is os.UserCacheDir()/shipshape/layers; for a user with no
// cache directory (no $HOME, no $XDG_CACHE_HOME) shipshape-<uid>/layers
// under os.TempDir(), in a directory of the user's own (mode 0700) — as
// scan.DefaultCacheDir does for the vulnerability store.
func DefaultDir() (string, error) {
	d, err := cachedir.Dir("layers")
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrCache, err)
	}
	return d, nil
}

// Open opens the cache in dir, creating the directory (mode 0700) if
// needed.
func Open(dir string, opts ...Option) (*Cache, error) {
	o := options{max: DefaultMaxBytes}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	if dir == "" {
		return nil, fmt.Errorf("%w: empty cache directory", result.ErrInvalidOption)
	}
	if err := os.MkdirAll(filepath.Join(dir, fmt.Sprintf("v%d", Schema)), 0o700); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCache, err)
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCache, err)
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderMaxMemory(maxRecord), zstd.WithDecoderConcurrency(0))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCache, err)
	}
	return &Cache{dir: dir, max: o.max, enc: enc, dec: dec}, nil
}

// Dir returns the cache's directory.
func (c *Cache) Dir() string { return c.dir }

// Stats returns the counters.
func (c *Cache) Stats() Stats {
	return Stats{Hits: c.hits.Load(), Misses: c.misses.Load(), Damaged: c.damaged.Load(),
		Stored: c.stored.Load(), Evicted: c.evicted.Load()}
}

// path is where key's record lives: keys are hashed, so any string is a
// safe key.
func (c *Cache) path(key string) string {
	sum := sha256.Sum256([]byte(key))
	name := hex.EncodeToString(sum[:])
	return filepath.Join(c.dir, fmt.Sprintf("v%d", Schema), name[:2], name+".rec")
}

// Get returns key's record. A record that is damaged (checksum, length,
// schema, compression) is removed and reported missing.
func (c *Cache) Get(key string) ([]byte, bool) {
	p := c.path(key)
	b, err := readFile(p)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			c.drop(p)
		}
		c.misses.Add(1)
		return nil, false
	}
	rec, err := c.open(b)
	if err != nil {
		c.drop(p)
		c.misses.Add(1)
		return nil, false
	}
	now := time.Now()
	_ = os.Chtimes(p, now, now) // least recently used goes first
	c.hits.Add(1)
	return rec, true
}

// readFile reads a record file of at most maxRecord bytes.
func readFile(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, headerSize+maxRecord+1))
	if err == nil && len(b) > headerSize+maxRecord {
		err = errors.New("record too large")
	}
	return b, err
}

// drop removes a damaged record.
func (c *Cache) drop(p string) {
	c.damaged.Add(1)
	if fi, err := os.Stat(p); err == nil && os.Remove(p) == nil {
		c.grow(-fi.Size())
	}
}

// open checks a record file and returns its content.
func (c *Cache) open(b []byte) ([]byte, error) {
	if len(b) < headerSize || !bytes.Equal(b[:4], magic[:]) {
		return nil, errors.New("not a record")
	}
	if v := binary.BigEndian.Uint32(b[4:8]); v != Schema {
		return nil, fmt.Errorf("schema %d", v)
	}
	n := binary.BigEndian.Uint64(b[8:16])
	payload := b[headerSize:]
	if uint64(len(payload)) != n {
		return nil, fmt.Errorf("%d bytes of payload, header says %d", len(payload), n)
	}
	if sum := sha256.Sum256(payload); !bytes.Equal(sum[:], b[16:headerSize]) {
		return nil, errors.New("checksum mismatch")
	}
	return c.dec.DecodeAll(payload, nil)
}

// Put stores record under key, replacing any record there, then evicts
// the least recently used records if the cache is past its bound.
func (c *Cache) Put(key string, record []byte) error {
	if len(record) > maxRecord {
		return fmt.Errorf("%w: record of %d bytes, over %d", ErrCache, len(record), maxRecord)
	}
	payload := c.enc.EncodeAll(record, nil)
	sum := sha256.Sum256(payload)
	buf := make([]byte, headerSize, headerSize+len(payload))
	copy(buf, magic[:])
	binary.BigEndian.PutUint32(buf[4:8], Schema)
	binary.BigEndian.PutUint64(buf[8:16], uint64(len(payload)))
	copy(buf[16:], sum[:])
	buf = append(buf, payload...)

	p := c.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return fmt.Errorf("%w: %w", ErrCache, err)
	}
	var old int64
	if fi, err := os.Stat(p); err == nil {
		old = fi.Size()
	}
	if err := writeAtomic(p, buf); err != nil {
		return fmt.Errorf("%w: %w", ErrCache, err)
	}
	c.stored.Add(1)
	c.grow(int64(len(buf)) - old)
	return nil
}

// writeAtomic writes b to a temporary file beside p and renames it to p.
func writeAtomic(p string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, p)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}

// grow accounts for n more bytes on disk and evicts past the bound. The
// first call sizes the directory.
func (c *Cache) grow(n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.sized {
		recs, _ := c.records()
		c.size = 0
		for _, r := range recs {
			c.size += r.size
		}
		c.sized = true
		n = 0 // the walk counted it
	}
	c.size += n
	if c.size > c.max {
		c.evict()
	}
}

type recordFile struct {
	path string
	size int64
	used time.Time
}

// records lists the record files.
func (c *Cache) records() ([]recordFile, error) {
	var out []recordFile
	root := filepath.Join(c.dir, fmt.Sprintf("v%d", Schema))
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // a directory removed under us, say
		}
		if d.IsDir() || !strings.HasSuffix(p, ".rec") {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		out = append(out, recordFile{path: p, size: fi.Size(), used: fi.ModTime()})
		return nil
	})
	return out, err
}

// evict removes least recently used records until the cache is at 90% of
// its bound. c.mu is held.
func (c *Cache) evict() {
	recs, _ := c.records()
	slices.SortFunc(recs, func(a, b recordFile) int { return a.used.Compare(b.used) })
	c.size = 0
	for _, r := range recs {
		c.size += r.size
	}
	target := c.max / 10 * 9
	for _, r := range recs {
		if c.size <= target {
			break
		}
		if os.Remove(r.path) == nil {
			c.size -= r.size
			c.evicted.Add(1)
		}
	}
}
