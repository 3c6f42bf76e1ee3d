package layer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
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

// Visitor asks for files and reads them. Wants is called for every
// regular file and hard link in every layer and must be cheap. Visit is
// called for the wanted ones; it may run concurrently for files of
// different layers, so a visitor must not share mutable state between
// visits. The reader fails with ErrFileTooLarge past the per-file budget.
// When the walker holds the whole file in memory (small files several
// visitors share or that are visited off the decompressing goroutine),
// the reader also implements io.ReaderAt and io.Seeker, which a visitor
// may use to look at the file again after reading it.
// The value Visit returns comes back, typed, from the Slot that Add gave
// for the visitor; the zero value of T means "no value".
//
// A visitor may implement the optional interfaces of this package to
// tune how it is read: Budgeted, Classifier, Detacher, WholeReader and
// Cacheable.
type Visitor[T any] interface {
	Wants(h *Header) bool
	Visit(ctx context.Context, h *Header, r io.Reader) (T, error)
}

// File is what one visitor made of one file: the value its Visit
// returned, or the error (a budget, a broken stream, the visitor's own).
type File[T any] struct {
	Header Header
	Value  T
	Err    error
}

// Slot is the handle Add returns for a visitor: it reads that visitor's
// values out of a walk's Result, typed.
type Slot[T any] struct {
	w *Walker
	i int // index in w.visitors
}

// Add adds v to the walk and returns the slot its values come back
// through. Add is not safe for concurrent use, nor during Run.
func Add[T any](w *Walker, v Visitor[T]) Slot[T] {
	w.visitors = append(w.visitors, newVisitor(v))
	return Slot[T]{w: w, i: len(w.visitors) - 1}
}

// Files returns the files the slot's visitor visited in the walk that
// made res, sorted by path, then layer (bottom first). A path that
// several layers hold is there once per layer: use res.View.Visible to
// tell the one the final filesystem shows. It returns nil for a result
// of another walker, or of a run before the visitor was added.
func (s Slot[T]) Files(res *Result) []File[T] {
	lo, hi := s.span(res)
	if lo == hi {
		return nil
	}
	out := make([]File[T], 0, hi-lo)
	for f := range s.All(res) {
		out = append(out, f)
	}
	return out
}

// All yields what Files returns, one file at a time, without building
// the list: for a visitor of every file of a large image, the list is a
// copy of the walk's record of every file.
func (s Slot[T]) All(res *Result) iter.Seq[File[T]] {
	return func(yield func(File[T]) bool) {
		lo, hi := s.span(res)
		for k := lo; k < hi; k++ {
			f := &res.files[k]
			v, _ := f.value.(T)
			if !yield(File[T]{Header: f.header, Value: v, Err: f.err}) {
				return
			}
		}
	}
}

// span is where the slot's visitor's files are in res.files.
func (s Slot[T]) span(res *Result) (lo, hi int) {
	if res == nil || s.w == nil || res.walker != s.w || s.i >= len(res.order) {
		return 0, 0
	}
	vi := res.order[s.i]
	lo = sort.Search(len(res.files), func(k int) bool { return res.files[k].visitor >= vi })
	hi = sort.Search(len(res.files), func(k int) bool { return res.files[k].visitor > vi })
	return lo, hi
}

// Stat describes one layer of a walk: its identity, and, in a Result,
// what reading it found.
type Stat struct {
	// DiffID and Digest identify the layer ("sha256:…"); Digest is the
	// blob's digest as stored, empty when the manifest was not read
	// (WithoutManifest). Both are empty for a directory tree.
	DiffID, Digest string
	// Entries is the number of tar entries read, Bytes the uncompressed
	// bytes of tar stream consumed.
	Entries int
	Bytes   int64
	// Verified says the layer's content matched its DiffID; Untrusted
	// that it did not (an ErrIntegrity error says so too). Neither is set
	// when the check was skipped or the layer could not be read whole.
	Verified, Untrusted bool
	// Cached says the layer was not read: its result came from the walk's
	// Cache, stored when it was read whole and verified.
	Cached bool
}

// Result is everything a walk produced. The visitors' values are read
// through their slots (Slot.Files).
type Result struct {
	// Layers are the layers read, bottom first (one, without a DiffID,
	// for a directory tree).
	Layers []Stat
	// View is the final filesystem.
	View *View
	// Errors are per-entry and per-layer problems, sorted by layer and
	// path. A per-layer error (empty Path) wraps ErrLayer, ErrBudget or
	// ErrIntegrity.
	Errors []result.FileError

	walker *Walker
	order  []int     // slot index -> visitor index in files
	files  []visited // sorted by visitor, path and layer
}

// DiffID returns the diff_id of layer i (Header.Layer), or "" for a
// directory tree or an index out of range.
func (r *Result) DiffID(i int) string {
	if i < 0 || i >= len(r.Layers) {
		return ""
	}
	return r.Layers[i].DiffID
}

// Incomplete returns the per-layer errors that make the walk's evidence
// partial: layers cut short by a budget or a broken stream, and layers
// whose content did not match their diff_id. A gate that judges an image
// by what was read should fail closed when this is not empty.
func (r *Result) Incomplete() []result.FileError {
	var out []result.FileError
	for _, e := range r.Errors {
		if e.Path == "" && (errors.Is(e.Err, ErrIntegrity) || errors.Is(e.Err, ErrBudget) || errors.Is(e.Err, ErrLayer)) {
			out = append(out, e)
		}
	}
	return out
}

// visited is the outcome of one visit, as the engine keeps it.
type visited struct {
	visitor int // index in the walk's visitor list
	header  Header
	value   any
	err     error
}

// layerSource is one layer to walk.
type layerSource struct {
	// DiffID and Digest identify the layer in results ("sha256:…").
	DiffID, Digest string
	// Open returns the layer's uncompressed tar stream. It may be called
	// more than once (a second read resolves hard links whose target a
	// visitor did not see in the first).
	Open func() (io.ReadCloser, error)
}

// walkLayers walks the layers, bottom first in the slice, concurrently,
// and returns the visited files and the squashed view. It fails only when
// ctx is done; unreadable layers and entries are reported in
// Result.Errors.
func walkLayers(ctx context.Context, layers []layerSource, visitors []*visitor, opts options) (*Result, error) {
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
func assemble(results []*layerResult, opts options) *Result {
	res := &Result{View: squash(results, orDefault(opts.MaxSymlinkHops, MaxSymlinkHops))}
	for _, lr := range results {
		res.Layers = append(res.Layers, lr.stat)
		res.files = append(res.files, lr.files...)
		res.Errors = append(res.Errors, lr.errs...)
	}
	sort.SliceStable(res.files, func(i, j int) bool {
		a, b := &res.files[i], &res.files[j]
		if a.visitor != b.visitor {
			return a.visitor < b.visitor
		}
		if a.header.Path != b.header.Path {
			return a.header.Path < b.header.Path
		}
		return a.header.Layer < b.header.Layer
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
