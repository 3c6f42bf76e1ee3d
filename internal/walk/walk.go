package walk

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/shipshape-dev/shipshape/result"
)

// Header describes one entry of a layer or tree.
type Header struct {
	// Path is clean, slash-separated and relative to the root (see CleanPath).
	Path string
	// Mode holds the type bits (fs.ModeDir, fs.ModeSymlink, …), the
	// permission bits and setuid, setgid and sticky.
	Mode fs.FileMode
	// Size in bytes of a regular file (for a hard link: of its target).
	Size int64
	// Linkname is the target of a symlink as written in the layer, or the
	// clean path of a hard link's target.
	Linkname string
	// HardLink is true for a hard link entry.
	HardLink bool
	// UID and GID of the owner.
	UID, GID int
	// Layer is the index of the layer, 0 being the bottom one. Entries of a
	// directory tree are in layer 0.
	Layer int
}

// Visitor asks for files and reads them. Wants is called for every regular
// file and hard link in every layer and must be cheap. Visit is called for
// the wanted ones; it may run concurrently for files of different layers.
// The reader fails with ErrFileTooLarge past the per-file budget. The value
// Visit returns is handed back in Result.Files.
type Visitor interface {
	Wants(h *Header) bool
	Visit(ctx context.Context, h *Header, r io.Reader) (any, error)
}

// Classifier is implemented by visitors whose Visit reads files of
// different kinds differently, by path. A hard link then reuses the value
// its target produced only when both are of the same class; otherwise the
// link is visited on its own, from a second read of the layer. Visitors
// that do not implement it never share values between paths.
type Classifier interface {
	Class(h *Header) string
}

// Layer is one layer to walk.
type Layer struct {
	// DiffID and Digest identify the layer in results ("sha256:…").
	DiffID, Digest string
	// Open returns the layer's uncompressed tar stream. It may be called
	// more than once (a second read resolves hard links whose target a
	// visitor did not see in the first).
	Open func() (io.ReadCloser, error)
}

// Visited is the outcome of one Visit.
type Visited struct {
	// Visitor is the index of the visitor in the slice given to the walk.
	Visitor int
	Header  Header
	Value   any
	// Err is the error Visit returned, if any.
	Err error
}

// LayerStat summarises one walked layer.
type LayerStat struct {
	DiffID, Digest string
	// Entries is the number of tar entries read, Bytes the uncompressed
	// bytes of tar stream consumed.
	Entries int
	Bytes   int64
	// Verified says the layer's content matched its DiffID; Untrusted
	// that it did not (an ErrIntegrity error says so too). Neither is set
	// when the check was skipped or the layer could not be read whole.
	Verified, Untrusted bool
	// Cached says the layer was not read: its result came from
	// Options.Cache, stored when it was read whole and verified.
	Cached bool
}

// Result is everything a walk produced.
type Result struct {
	Layers []LayerStat
	// Files holds one element per visited file, sorted by visitor, path and
	// layer.
	Files []Visited
	// View is the final filesystem.
	View *View
	// Errors are per-entry and per-layer problems, sorted by layer and path.
	Errors []result.FileError
}

// Options tune a walk. The zero value is usable.
type Options struct {
	// Concurrency bounds how many layers are read at once; 0 means
	// GOMAXPROCS.
	Concurrency int
	// MaxFileBytes bounds how much of one file a visitor may read; 0 means
	// DefaultMaxFileBytes. A visitor may ask for less (see Budgeted).
	MaxFileBytes int64
	// MaxLayerBytes and MaxImageBytes bound the decompressed bytes read
	// from one layer and from all of them; MaxLayerEntries and
	// MaxImageEntries bound the tar entries. Past one, the layer's walk
	// stops with an error wrapping ErrBudget, and what was read stays.
	// 0 means the Default values.
	MaxLayerBytes   int64
	MaxImageBytes   int64
	MaxLayerEntries int
	MaxImageEntries int
	// MaxSymlinkHops bounds symlink resolution in the View (default
	// MaxSymlinkHops); MaxPathLen the length of entry names (default and
	// ceiling MaxPathLen).
	MaxSymlinkHops int
	MaxPathLen     int
	// Progress, when set, is called as the walk advances: every few
	// hundred milliseconds and when a layer is done, one call at a time.
	Progress func(Progress)
	// SkipVerify leaves out the check of each layer's content against its
	// DiffID.
	SkipVerify bool
	// Cache, when set, keeps each layer's result by its DiffID, the
	// visitors and the budgets above: a layer found there is not read.
	// Only layers read whole and verified against their DiffID are stored;
	// walks whose visitors are not all Cacheable do not use it.
	Cache Cache
}

// Default budgets. The entry budgets keep the final-filesystem index and
// the per-layer records well under a gigabyte.
const (
	DefaultMaxFileBytes    = 512 << 20
	DefaultMaxLayerBytes   = 32 << 30
	DefaultMaxImageBytes   = 128 << 30
	DefaultMaxLayerEntries = 3_000_000
	DefaultMaxImageEntries = 5_000_000
)

func orDefault[T int | int64](v, d T) T {
	if v > 0 {
		return v
	}
	return d
}

// Budgeted is implemented by visitors that read some files with a smaller
// budget than Options.MaxFileBytes: a manifest parser has no business
// reading 500 MB. MaxBytes returns that budget for h, or 0 for the
// walk's own.
type Budgeted interface {
	MaxBytes(h *Header) int64
}

func (o Options) concurrency() int {
	if o.Concurrency > 0 {
		return o.Concurrency
	}
	return runtime.GOMAXPROCS(0)
}

func (o Options) maxFileBytes() int64 {
	if o.MaxFileBytes > 0 {
		return o.MaxFileBytes
	}
	return DefaultMaxFileBytes
}

// Layers walks the layers, bottom first in the slice, concurrently, and
// returns the visited files and the squashed view. It fails only when ctx
// is done; unreadable layers and entries are reported in Result.Errors.
func Layers(ctx context.Context, layers []Layer, visitors []Visitor, opts Options) (*Result, error) {
	results := make([]*layerResult, len(layers))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(opts.concurrency())
	shared := &imageBudget{}
	shared.replayBufs.New = func() any { b := make([]byte, 0, 64<<10); return &b }
	report := newReporter(opts.Progress, len(layers), shared)
	defer report.stop()
	lc := newLayerCache(visitors, opts)
	shared.detach = startDetachPool(gctx, visitors, opts.concurrency())
	defer shared.detach.stop()
	for i := range layers {
		g.Go(func() error {
			var key string
			if lc != nil && wellFormedSHA256(layers[i].DiffID) {
				key = lc.key(layers[i].DiffID)
				if lr := lc.get(key, i, layers[i]); lr != nil {
					shared.entries.Add(int64(lr.stat.Entries))
					results[i] = lr
					report.layerDone()
					return nil
				}
			}
			lr, err := walkLayer(gctx, i, layers[i], visitors, opts, shared)
			if err != nil {
				return err
			}
			if key != "" && cacheable(lr) {
				lc.put(key, lr)
			}
			results[i] = lr
			report.layerDone()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return assemble(results, opts), nil
}

// assemble merges per-layer results into a Result.
func assemble(results []*layerResult, opts Options) *Result {
	res := &Result{View: squash(results, orDefault(opts.MaxSymlinkHops, MaxSymlinkHops))}
	for _, lr := range results {
		res.Layers = append(res.Layers, lr.stat)
		res.Files = append(res.Files, lr.files...)
		res.Errors = append(res.Errors, lr.errs...)
	}
	sort.SliceStable(res.Files, func(i, j int) bool {
		a, b := &res.Files[i], &res.Files[j]
		if a.Visitor != b.Visitor {
			return a.Visitor < b.Visitor
		}
		if a.Header.Path != b.Header.Path {
			return a.Header.Path < b.Header.Path
		}
		return a.Header.Layer < b.Header.Layer
	})
	layerOrder := make(map[string]int, len(results))
	for i, lr := range results {
		layerOrder[lr.stat.DiffID] = i
	}
	sort.SliceStable(res.Errors, func(i, j int) bool {
		a, b := res.Errors[i], res.Errors[j]
		if la, lb := layerOrder[a.Layer], layerOrder[b.Layer]; la != lb {
			return la < lb
		}
		return a.Path < b.Path
	})
	return res
}

// budgetReader fails with ErrFileTooLarge once more than n bytes were read.
type budgetReader struct {
	r    io.Reader
	left int64
	max  int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// Anything more is over budget; probe with one byte.
		var one [1]byte
		n, err := b.r.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("%w (%d bytes)", ErrFileTooLarge, b.max)
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

// imageBudget counts what all layers of one walk have read, and lends
// the buffers that keep a file for the visitors after the first.
type imageBudget struct {
	bytes      atomic.Int64
	entries    atomic.Int64
	replayBufs sync.Pool // *[]byte
	detach     *detachPool
}

// Part returns the result as the visitors visitors[from:to] of the walk
// see it alone: their visits, renumbered from 0, with the same layers,
// view and errors. Several consumers of one shared walk each take their
// part.
func (r *Result) Part(from, to int) *Result {
	out := &Result{Layers: r.Layers, View: r.View, Errors: append([]result.FileError(nil), r.Errors...)}
	for _, f := range r.Files {
		if f.Visitor >= from && f.Visitor < to {
			f.Visitor -= from
			out.Files = append(out.Files, f)
		}
	}
	return out
}

// Progress is how far a walk has come.
type Progress struct {
	// Layers is the number of layers, LayersDone those read to the end.
	Layers, LayersDone int
	// Bytes counts the decompressed bytes read so far, all layers
	// together. The total is not known before the end.
	Bytes int64
}

// reporter calls a Progress callback from a ticker and at each layer's
// end, serialised.
type reporter struct {
	fn     func(Progress)
	layers int
	shared *imageBudget
	done   atomic.Int32
	mu     sync.Mutex
	quit   chan struct{}
	exited chan struct{}
}

func newReporter(fn func(Progress), layers int, shared *imageBudget) *reporter {
	r := &reporter{fn: fn, layers: layers, shared: shared}
	if fn == nil {
		return r
	}
	r.quit, r.exited = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(r.exited)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-r.quit:
				return
			case <-t.C:
				r.call()
			}
		}
	}()
	return r
}

func (r *reporter) call() {
	if r.fn == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fn(Progress{Layers: r.layers, LayersDone: int(r.done.Load()), Bytes: r.shared.bytes.Load()})
}

func (r *reporter) layerDone() {
	r.done.Add(1)
	r.call()
}

// stop ends the ticker and waits for it, so no call follows the walk.
func (r *reporter) stop() {
	if r.fn == nil {
		return
	}
	close(r.quit)
	<-r.exited
}
