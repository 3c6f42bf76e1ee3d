package layer

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"strconv"

	"github.com/shipshape-dev/shipshape/result"
)

// CacheSchema is the version of the layer records a Cache holds; it is
// part of every key, so records of another version are never read.
const CacheSchema = 1

// Cache keeps what walking one layer produced, by a key that names the
// layer's content (its DiffID), the visitors and the walk's budgets. A
// layer found there is not read at all. Get returns false for a missing
// or damaged record; Put may fail, which costs only the next walk's time.
type Cache interface {
	Get(key string) ([]byte, bool)
	Put(key string, record []byte) error
}

// StoredError is an error as a cache record keeps it: its message and
// which of a list of sentinels it wraps.
type StoredError struct {
	Msg string
	Is  []uint16
}

// StoreError records err against sentinels; nil for a nil err.
func StoreError(err error, sentinels []error) *StoredError {
	if err == nil {
		return nil
	}
	s := &StoredError{Msg: err.Error()}
	for i, t := range sentinels {
		if errors.Is(err, t) {
			s.Is = append(s.Is, uint16(i))
		}
	}
	return s
}

// Err returns the error s recorded: same message, and errors.Is matches
// the same sentinels (the list must be the one s was stored with).
func (s *StoredError) Err(sentinels []error) error {
	if s == nil {
		return nil
	}
	e := &cachedError{msg: s.Msg}
	for _, i := range s.Is {
		if int(i) < len(sentinels) {
			e.is = append(e.is, sentinels[i])
		}
	}
	return e
}

// cachedError is an error read back from a cache record.
type cachedError struct {
	msg string
	is  []error
}

func (e *cachedError) Error() string { return e.msg }

func (e *cachedError) Is(target error) bool {
	for _, s := range e.is {
		if s == target {
			return true
		}
	}
	return false
}

// Sentinels are the walker's own errors: first in every record's
// sentinel list, and to be added to a Cacheable's own when its values
// hold errors the walker's readers returned.
func Sentinels() []error {
	return []error{ErrBadPath, ErrPathEscapes, ErrFileTooLarge, ErrSymlinkLoop, ErrBudget, ErrIntegrity, ErrLayer, ErrReread}
}

// layerCache is a walk's view of its Cache: nil when the walk cannot use
// one.
type layerCache struct {
	c         Cache
	codecs    []codec
	prefix    []byte // hashed before the DiffID
	sentinels []error
}

func newLayerCache(visitors []*visitor, opts options) *layerCache {
	if opts.Cache == nil {
		return nil
	}
	lc := &layerCache{c: opts.Cache, sentinels: Sentinels()}
	key := fmt.Appendf(nil, "shipshape layer cache %d\nfile %d\nlayer %d %d\npath %d\n", CacheSchema,
		opts.maxFileBytes(), orDefault(opts.MaxLayerBytes, DefaultMaxLayerBytes),
		orDefault(opts.MaxLayerEntries, DefaultMaxLayerEntries), orDefault(opts.MaxPathLen, MaxPathLen))
	for _, v := range visitors {
		c := v.codec
		if c == nil {
			return nil
		}
		k := c.CacheKey()
		if k == "" {
			return nil
		}
		key = append(key, "visitor "...)
		key = strconv.AppendQuote(key, k)
		key = append(key, '\n')
		lc.codecs = append(lc.codecs, c)
		lc.sentinels = append(lc.sentinels, c.Sentinels()...)
	}
	lc.prefix = key
	return lc
}

// key is the cache key of a layer.
func (lc *layerCache) key(diffID string) string {
	h := sha256.New()
	h.Write(lc.prefix)
	h.Write([]byte(diffID))
	return hex.EncodeToString(h.Sum(nil))
}

// get returns layer idx's result from the cache, or nil when it is not
// there or its record does not decode (then the layer is read, and the
// record replaced).
func (lc *layerCache) get(key string, idx int, l layerSource) *layerResult {
	b, ok := lc.c.Get(key)
	if !ok {
		return nil
	}
	lr, err := lc.decode(b, idx, l)
	if err != nil {
		return nil
	}
	return lr
}

// put stores a walked layer; a value that does not encode, or a store
// that fails, leaves the layer out of the cache.
func (lc *layerCache) put(key string, lr *layerResult) {
	b, err := lc.encode(lr)
	if err != nil {
		return
	}
	_ = lc.c.Put(key, b)
}

// cacheable reports whether a walked layer may be stored: read whole, its
// content matching its DiffID, with no error of the layer itself (an
// unreadable stream may read fine the next time).
func cacheable(lr *layerResult) bool {
	if !lr.stat.Verified {
		return false
	}
	for _, e := range lr.errs {
		if e.Path == "" {
			return false
		}
	}
	return true
}

// record is the stored form of a layerResult.
type record struct {
	Entries, Bytes int64
	Paths          []string // entry paths, then link targets, by index
	Sizes          []int64
	Modes          []uint32
	IDs            []int32 // uid, gid pairs
	Links          []int32 // index into Paths of each entry's link, or -1
	Hard           []bool
	Whiteouts      []string
	Opaques        []string
	Files          []storedVisit
	Values         [][]byte // by visitor: the values of its files that have one
	Errs           []storedFileError
}

type storedVisit struct {
	Visitor int
	Header  storedHeader
	Nil     bool
	Err     *StoredError
}

type storedHeader struct {
	Path, Linkname string
	Mode           uint32
	Size           int64
	HardLink       bool
	UID, GID       int
}

type storedFileError struct {
	Path string
	Err  *StoredError
}

// encode serialises a walked layer.
func (lc *layerCache) encode(lr *layerResult) ([]byte, error) {
	rec := record{Entries: int64(lr.stat.Entries), Bytes: lr.stat.Bytes, Whiteouts: lr.whiteouts, Opaques: lr.opaques}
	n := len(lr.entries)
	rec.Paths, rec.Sizes, rec.Modes = make([]string, n), make([]int64, n), make([]uint32, n)
	rec.IDs, rec.Links, rec.Hard = make([]int32, 2*n), make([]int32, n), make([]bool, n)
	for i, e := range lr.entries {
		rec.Paths[i], rec.Sizes[i], rec.Modes[i], rec.Hard[i] = e.path, e.size, uint32(e.mode), e.hard
		rec.IDs[2*i], rec.IDs[2*i+1] = e.uid, e.gid
		rec.Links[i] = -1
		if e.link != "" {
			rec.Links[i] = int32(len(rec.Paths))
			rec.Paths = append(rec.Paths, e.link)
		}
	}
	hs := make([][]*Header, len(lc.codecs))
	vs := make([][]any, len(lc.codecs))
	for i := range lr.files {
		f := &lr.files[i]
		h := &f.header
		rec.Files = append(rec.Files, storedVisit{Visitor: f.visitor, Err: StoreError(f.err, lc.sentinels), Nil: f.value == nil,
			Header: storedHeader{Path: h.Path, Linkname: h.Linkname, Mode: uint32(h.Mode), Size: h.Size, HardLink: h.HardLink, UID: h.UID, GID: h.GID}})
		if f.value != nil {
			hs[f.visitor] = append(hs[f.visitor], h)
			vs[f.visitor] = append(vs[f.visitor], f.value)
		}
	}
	rec.Values = make([][]byte, len(lc.codecs))
	for k, c := range lc.codecs {
		if len(vs[k]) == 0 {
			continue
		}
		b, err := c.EncodeValues(hs[k], vs[k])
		if err != nil {
			return nil, err
		}
		rec.Values[k] = b
	}
	for _, e := range lr.errs {
		rec.Errs = append(rec.Errs, storedFileError{Path: e.Path, Err: StoreError(e.Err, lc.sentinels)})
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&rec); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decode rebuilds layer idx's result from a record; any inconsistency is
// an error, and the layer is then read.
func (lc *layerCache) decode(b []byte, idx int, l layerSource) (*layerResult, error) {
	var rec record
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&rec); err != nil {
		return nil, err
	}
	n := len(rec.Sizes)
	if len(rec.Paths) < n || len(rec.Modes) != n || len(rec.IDs) != 2*n || len(rec.Links) != n || len(rec.Hard) != n {
		return nil, errors.New("inconsistent entry table")
	}
	lr := &layerResult{stat: Stat{DiffID: l.DiffID, Digest: l.Digest, Entries: int(rec.Entries), Bytes: rec.Bytes, Verified: true, Cached: true},
		whiteouts: rec.Whiteouts, opaques: rec.Opaques, entries: make([]entry, n)}
	for i := range lr.entries {
		e := entry{path: rec.Paths[i], size: rec.Sizes[i], mode: fs.FileMode(rec.Modes[i]), uid: rec.IDs[2*i], gid: rec.IDs[2*i+1], hard: rec.Hard[i]}
		if j := rec.Links[i]; j >= 0 {
			if int(j) >= len(rec.Paths) {
				return nil, errors.New("inconsistent entry table")
			}
			e.link = rec.Paths[j]
		}
		lr.entries[i] = e
	}
	if len(rec.Values) != len(lc.codecs) {
		return nil, errors.New("values of another set of visitors")
	}
	lr.files = make([]visited, len(rec.Files))
	hs := make([][]*Header, len(lc.codecs))
	at := make([][]int, len(lc.codecs)) // index in lr.files of each value
	for i, sv := range rec.Files {
		if sv.Visitor < 0 || sv.Visitor >= len(lc.codecs) {
			return nil, fmt.Errorf("visitor %d out of range", sv.Visitor)
		}
		sh := sv.Header
		lr.files[i] = visited{visitor: sv.Visitor, err: sv.Err.Err(lc.sentinels),
			header: Header{Path: sh.Path, Linkname: sh.Linkname, Mode: fs.FileMode(sh.Mode), Size: sh.Size, HardLink: sh.HardLink, UID: sh.UID, GID: sh.GID, Layer: idx}}
		if !sv.Nil {
			hs[sv.Visitor] = append(hs[sv.Visitor], &lr.files[i].header)
			at[sv.Visitor] = append(at[sv.Visitor], i)
		}
	}
	for k, c := range lc.codecs {
		if len(hs[k]) == 0 {
			continue
		}
		vals, err := c.DecodeValues(hs[k], rec.Values[k])
		if err != nil {
			return nil, err
		}
		if len(vals) != len(hs[k]) {
			return nil, fmt.Errorf("%d values for %d files", len(vals), len(hs[k]))
		}
		for j, v := range vals {
			lr.files[at[k][j]].value = v
		}
	}
	for _, e := range rec.Errs {
		lr.errs = append(lr.errs, result.FileError{Layer: l.DiffID, Path: e.Path, Err: e.Err.Err(lc.sentinels)})
	}
	return lr, nil
}
