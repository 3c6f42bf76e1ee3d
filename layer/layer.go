package layer

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"strings"
	"sync"

	"github.com/shipshape-dev/shipshape/result"
)

// entry is the compact record of one tar entry kept for the squash.
type entry struct {
	path     string
	link     string
	size     int64
	mode     fs.FileMode
	uid, gid int32
	hard     bool
}

func (e *entry) header(layer int) Header {
	return Header{Path: e.path, Mode: e.mode, Size: e.size, Linkname: e.link, HardLink: e.hard, UID: int(e.uid), GID: int(e.gid), Layer: layer}
}

// layerResult is everything one layer contributes; it depends only on the
// layer's content and the visitors, so it can be computed independently.
type layerResult struct {
	stat      Stat
	entries   []entry  // in tar order; a later duplicate wins
	whiteouts []string // paths hidden in lower layers, with everything below
	opaques   []string // directories whose lower-layer content is hidden
	files     []visited
	errs      []result.FileError
}

// Whiteout markers (OCI image spec, "Representing Changes").
const (
	whiteoutPrefix = ".wh."
	whiteoutMeta   = ".wh..wh."
	whiteoutOpaque = ".wh..wh..opq"
)

// maxPooledReplay bounds the replay buffers kept for the next file.
const maxPooledReplay = 1 << 20

// largeFanOut is the size above which a file wanted by several visitors is
// streamed to them through pipes instead of being buffered once.
const largeFanOut = 16 << 20

type visitKey struct {
	visitor int
	path    string
}

// pendingLink is a visit left for the second read of a layer: a hard
// link whose target the visitor did not see, or a file the visitor asked
// to have again with random access (reread).
type pendingLink struct {
	visitor int
	target  string
	link    Header
	reread  bool
}

// layerWalker holds the state of one pass over one layer.
type layerWalker struct {
	ctx      context.Context
	idx      int
	layer    layerSource
	visitors []*visitor
	maxFile  int64
	lr       *layerResult
	// regular maps a path to the index in lr.entries of the latest
	// regular file there; it is built at the first hard link, which is
	// the only entry that needs it.
	regular map[string]int
	visited map[visitKey]int // (visitor, path) -> index in lr.files
	pending []pendingLink
	want    []int
	opts    options
	shared  *imageBudget
	// cut is set when the first pass stopped before the layer's end.
	cut bool
	// sparse counts the bytes visitors read from sparse entries, whose
	// holes archive/tar makes up without reading the stream.
	sparse int64

	// Detached visits (see Detacher): pendingSlot maps a place in
	// lr.files to the visit that will fill it; lateLinks a hard link's
	// visit to its target's; done holds the finished visits (under mu).
	pendingSlot map[int]int
	lateLinks   map[int]int
	nextID      int
	inflight    sync.WaitGroup
	mu          sync.Mutex
	done        map[int]visitResult
}

func walkLayer(ctx context.Context, idx int, l layerSource, visitors []*visitor, opts options, shared *imageBudget) (*layerResult, error) {
	w := &layerWalker{
		ctx: ctx, idx: idx, layer: l, visitors: visitors, maxFile: opts.maxFileBytes(), opts: opts, shared: shared,
		lr:      &layerResult{stat: Stat{DiffID: l.DiffID, Digest: l.Digest}},
		visited: map[visitKey]int{},
	}
	defer w.inflight.Wait() // no detached visit outlives the walk of its layer
	if err := w.pass(); err != nil {
		return nil, err
	}
	w.settle()
	if len(w.pending) > 0 {
		if err := w.secondPass(); err != nil {
			return nil, err
		}
	}
	return w.lr, nil
}

func (w *layerWalker) layerErr(err error) {
	w.lr.errs = append(w.lr.errs, result.FileError{Layer: w.layer.DiffID, Err: err})
}

func (w *layerWalker) entryErr(path string, err error) {
	w.lr.errs = append(w.lr.errs, result.FileError{Layer: w.layer.DiffID, Path: path, Err: err})
}

// pass reads the layer once. It returns an error only when ctx is done.
func (w *layerWalker) pass() error {
	rc, err := w.layer.Open()
	if err != nil {
		w.layerErr(fmt.Errorf("%w: %w", ErrLayer, err))
		return nil
	}
	defer rc.Close()
	cr := &countReader{r: rc, ctx: w.ctx, max: orDefault(w.opts.MaxLayerBytes, DefaultMaxLayerBytes),
		shared: w.shared, maxShared: orDefault(w.opts.MaxImageBytes, DefaultMaxImageBytes)}
	verify := !w.opts.SkipVerify && wellFormedSHA256(w.layer.DiffID)
	if verify {
		cr.hash = sha256.New()
	}
	maxEntries := orDefault(w.opts.MaxLayerEntries, DefaultMaxLayerEntries)
	maxImageEntries := int64(orDefault(w.opts.MaxImageEntries, DefaultMaxImageEntries))
	tr := tar.NewReader(cr)
	var dataEnd int64 // end of the last entry's padded data
	complete := false
	for {
		hdr, err := tr.Next()
		if err == io.EOF && !cr.ended(dataEnd) {
			err = fmt.Errorf("%w: no end-of-archive marker", io.ErrUnexpectedEOF)
		}
		if err == io.EOF {
			complete = true
			break
		}
		if err != nil {
			if cerr := w.ctx.Err(); cerr != nil {
				return cerr
			}
			w.layerErr(fmt.Errorf("%w after %d entries: %w", ErrLayer, w.lr.stat.Entries, err))
			w.cut = true
			break
		}
		if w.lr.stat.Entries >= maxEntries {
			w.layerErr(fmt.Errorf("%w: more than %d entries in the layer; the rest of it is not read", ErrBudget, maxEntries))
			w.cut = true
			break
		}
		if w.shared.entries.Add(1) > maxImageEntries {
			w.layerErr(fmt.Errorf("%w: more than %d entries in the image; the rest of this layer is not read", ErrBudget, maxImageEntries))
			w.cut = true
			break
		}
		w.lr.stat.Entries++
		// The entry's data starts where the reader stands; its padded end
		// is where the next header block, or the end marker, must begin.
		dataEnd = cr.n + (hdr.Size+blockSize-1)/blockSize*blockSize
		if sparse(hdr) {
			dataEnd = -1 // Size is the logical size, not what the archive holds
			cr.keepTail = true
		}
		w.entry(hdr, tr)
		if err := w.ctx.Err(); err != nil {
			return err
		}
	}
	if complete && verify {
		// The hash covers the whole stream: what follows the end marker too.
		if _, err := io.Copy(io.Discard, cr); err != nil {
			if cerr := w.ctx.Err(); cerr != nil {
				return cerr
			}
			w.layerErr(fmt.Errorf("%w: after the end of the archive: %w", ErrLayer, err))
		} else if got := "sha256:" + hex.EncodeToString(cr.hash.Sum(nil)); got != w.layer.DiffID {
			w.layerErr(fmt.Errorf("%w: the layer's content is %s; what was found in it is untrusted", ErrIntegrity, got))
			w.lr.stat.Untrusted = true
		} else {
			w.lr.stat.Verified = true
		}
	}
	w.lr.stat.Bytes = cr.n
	return nil
}

// entry records one tar entry and offers it to the visitors.
func (w *layerWalker) entry(hdr *tar.Header, tr io.Reader) {
	if max := w.opts.MaxPathLen; max > 0 && len(hdr.Name) > max {
		w.entryErr(hdr.Name[:max]+"…", fmt.Errorf("%w: name of %d bytes, over the %d-byte budget", ErrBadPath, len(hdr.Name), max))
		return
	}
	p, err := CleanPath(hdr.Name)
	if err != nil {
		w.entryErr(hdr.Name, err)
		return
	}
	if p == "" {
		return // the root directory itself
	}
	if base := baseName(p); strings.HasPrefix(base, whiteoutPrefix) {
		w.whiteout(p, base)
		return
	}
	e := entry{path: p, size: hdr.Size, mode: hdr.FileInfo().Mode(), uid: int32(hdr.Uid), gid: int32(hdr.Gid)}
	switch hdr.Typeflag {
	case tar.TypeReg, '\x00', tar.TypeGNUSparse, tar.TypeCont:
		e.mode &^= fs.ModeType
		if w.regular != nil {
			w.regular[p] = len(w.lr.entries)
		}
		w.lr.entries = append(w.lr.entries, e)
		sp := sparse(hdr)
		if sp {
			// Holes cost no stream bytes; what visitors read of them counts.
			tr = &sparseBudget{r: tr, w: w}
		}
		w.offer(e.header(w.idx), tr, sp)
	case tar.TypeLink:
		target, err := CleanPath(hdr.Linkname)
		if err != nil {
			w.entryErr(p, fmt.Errorf("hard link target: %w", err))
			return
		}
		e.hard, e.link, e.size = true, w.linkTarget(target), 0
		e.mode &^= fs.ModeType
		if ti, ok := w.regularIndex()[target]; ok {
			t := w.lr.entries[ti]
			e.size, e.mode, e.uid, e.gid = t.size, t.mode, t.uid, t.gid
		}
		w.regular[p] = len(w.lr.entries)
		w.lr.entries = append(w.lr.entries, e)
		w.offerLink(e.header(w.idx))
	case tar.TypeSymlink:
		e.link, e.size = hdr.Linkname, 0
		w.lr.entries = append(w.lr.entries, e)
	case tar.TypeDir, tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		e.size = 0
		if w.regular != nil {
			delete(w.regular, p)
		}
		w.lr.entries = append(w.lr.entries, e)
	default:
		// Unknown or vendor types (e.g. Solaris extended attributes) carry no
		// file of the final filesystem.
	}
}

func (w *layerWalker) whiteout(p, base string) {
	dir := parentDir(p)
	switch {
	case base == whiteoutOpaque:
		w.lr.opaques = append(w.lr.opaques, dir)
	case strings.HasPrefix(base, whiteoutMeta):
		// Other AUFS metadata (.wh..wh.plnk, .wh..wh.aufs): not files.
	default:
		name := base[len(whiteoutPrefix):]
		if name == "" || name == "." || name == ".." {
			w.entryErr(p, fmt.Errorf("%w: whiteout names no file", ErrBadPath))
			return
		}
		if dir != "" {
			name = dir + "/" + name
		}
		w.lr.whiteouts = append(w.lr.whiteouts, name)
	}
}

// wanting fills w.want with the visitors that want h.
func (w *layerWalker) wanting(h *Header) []int {
	w.want = w.want[:0]
	for i, v := range w.visitors {
		if v.v.Wants(h) {
			w.want = append(w.want, i)
		}
	}
	return w.want
}

// record stores a visit, replacing an earlier visit of the same path in
// this layer (a later tar entry overrides an earlier one).
// It returns the visit's place in lr.files.
func (w *layerWalker) record(v visited) int {
	k := visitKey{v.visitor, v.header.Path}
	if i, ok := w.visited[k]; ok {
		w.lr.files[i] = v
		delete(w.pendingSlot, i) // a detached visit of the earlier entry no longer counts
		return i
	}
	w.visited[k] = len(w.lr.files)
	w.lr.files = append(w.lr.files, v)
	return len(w.lr.files) - 1
}

func (w *layerWalker) offer(h Header, r io.Reader, sparse bool) {
	want := w.wanting(&h)
	if len(want) == 0 {
		return
	}
	if w.shared.detach != nil && !sparse && h.Size <= maxDetached {
		if det := w.detached(want, &h); len(det) > 0 {
			w.offerDetached(h, r, want, det)
			return
		}
	}
	w.offerInPlace(h, r, want)
}

// offerInPlace visits a file on the walk's goroutine.
func (w *layerWalker) offerInPlace(h Header, r io.Reader, want []int) {
	for _, v := range visitMany(w.ctx, w.visitors, want, h, r, w.maxFile, &w.shared.replayBufs) {
		if errors.Is(v.err, ErrReread) {
			w.pending = append(w.pending, pendingLink{visitor: v.visitor, target: h.Path, link: h, reread: true})
			continue
		}
		w.record(v)
	}
}

// offerLink gives a hard link the value its target produced for the same
// visitor, or queues it for a second read of the layer.
func (w *layerWalker) offerLink(h Header) {
	for _, vi := range w.wanting(&h) {
		if i, ok := w.visited[visitKey{vi, h.Linkname}]; ok && sameClass(w.visitors[vi], &h, &w.lr.files[i].header) {
			v := w.lr.files[i]
			v.header = h
			src, pend := w.pendingSlot[i]
			slot := w.record(v)
			if pend {
				// The target's visit is detached and may not be done: the
				// link takes its result when the layer settles.
				id := w.nextID
				w.nextID++
				w.pendingSlot[slot], w.lateLinks[id] = id, src
			}
			continue
		}
		w.pending = append(w.pending, pendingLink{visitor: vi, target: h.Linkname, link: h})
	}
}

// sameClass reports whether a visitor reads the files at a and b the same
// way, so that the value of one stands for the other.
func sameClass(v *visitor, a, b *Header) bool {
	c, ok := v.class, v.class != nil
	return ok && c.Class(a) == c.Class(b)
}

// linkTarget follows a chain of hard links within the layer to the
// regular file that holds the data.
func (w *layerWalker) linkTarget(target string) string {
	reg := w.regularIndex()
	for hops := 0; hops < MaxSymlinkHops; hops++ {
		i, ok := reg[target]
		if !ok || !w.lr.entries[i].hard {
			return target
		}
		target = w.lr.entries[i].link
	}
	return target
}

// regularIndex returns the map of regular files, building it from the
// entries recorded so far on first use.
func (w *layerWalker) regularIndex() map[string]int {
	if w.regular == nil {
		w.regular = map[string]int{}
		for i := range w.lr.entries {
			e := &w.lr.entries[i]
			switch {
			case e.mode.Type() == 0:
				w.regular[e.path] = i
			case e.mode&fs.ModeSymlink == 0:
				delete(w.regular, e.path)
			}
		}
	}
	return w.regular
}

// secondPass reads the layer again for the visits left pending: hard
// links' targets for visitors that wanted the link but not the target, and
// files visitors want with random access.
func (w *layerWalker) secondPass() error {
	byTarget := map[string][]pendingLink{}
	for _, p := range w.pending {
		byTarget[p.target] = append(byTarget[p.target], p)
	}
	if w.cut {
		// The first pass stopped at a budget or a broken stream: what it
		// did not reach is not read now either.
		for _, p := range w.pending {
			w.record(visited{visitor: p.visitor, header: p.link, err: fmt.Errorf("second read: %s: the layer was not read whole", p.target)})
		}
		return nil
	}
	rc, err := w.layer.Open()
	if err != nil {
		w.layerErr(fmt.Errorf("%w: second read: %w", ErrLayer, err))
		return nil
	}
	defer rc.Close()
	// The same budgets hold, counted against the image total too: the
	// second read is work as much as the first.
	cr := &countReader{r: rc, ctx: w.ctx, max: orDefault(w.opts.MaxLayerBytes, DefaultMaxLayerBytes),
		shared: w.shared, maxShared: orDefault(w.opts.MaxImageBytes, DefaultMaxImageBytes)}
	verify := !w.opts.SkipVerify && wellFormedSHA256(w.layer.DiffID)
	if verify {
		// What the second read hands to visitors is checked too: a source
		// need not serve the same bytes twice.
		cr.hash = sha256.New()
	}
	tr := tar.NewReader(cr)
	defer func() {
		if !verify || w.ctx.Err() != nil {
			return
		}
		if _, err := io.Copy(io.Discard, cr); err != nil {
			return // reported as a budget or stream error by the first pass
		}
		if got := "sha256:" + hex.EncodeToString(cr.hash.Sum(nil)); got != w.layer.DiffID {
			w.layerErr(fmt.Errorf("%w: the second read of the layer gave %s; what was found in it is untrusted", ErrIntegrity, got))
			w.lr.stat.Verified, w.lr.stat.Untrusted = false, true
		}
	}()
	for len(byTarget) > 0 {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if cerr := w.ctx.Err(); cerr != nil {
				return cerr
			}
			break // already reported by the first pass
		}
		switch hdr.Typeflag {
		case tar.TypeReg, '\x00', tar.TypeGNUSparse, tar.TypeCont:
		default:
			continue
		}
		p, err := CleanPath(hdr.Name)
		if err != nil {
			continue
		}
		pend, ok := byTarget[p]
		if !ok {
			continue
		}
		delete(byTarget, p)
		w.visitPending(pend, hdr.Size, tr)
	}
	for _, pend := range byTarget {
		for _, l := range pend {
			w.record(visited{visitor: l.visitor, header: l.link, err: fmt.Errorf("second read: %s: %w", l.target, fs.ErrNotExist)})
		}
	}
	return nil
}

// visitPending hands one file of the second pass to the visits waiting
// for it. The file is read once; each visit sees its own path's header.
// Links that a visitor reads the same way (same class) share one visit.
func (w *layerWalker) visitPending(pend []pendingLink, size int64, r io.Reader) {
	b, err := io.ReadAll(&budgetReader{r: r, left: w.maxFile, max: w.maxFile})
	type key struct {
		visitor int
		class   string
	}
	done := map[key]visited{}
	for _, l := range pend {
		h := l.link
		h.Size = size
		k := key{visitor: l.visitor, class: h.Path}
		if c := w.visitors[l.visitor].class; c != nil {
			k.class = c.Class(&h)
		}
		v, ok := done[k]
		switch {
		case ok:
		case err != nil:
			v = visited{visitor: l.visitor, err: err}
		case overBudget(w.visitors[l.visitor], &h, len(b)):
			v = visited{visitor: l.visitor, err: fmt.Errorf("%w (%d bytes)", ErrFileTooLarge, visitorBudget(w.visitors[l.visitor], &h))}
		default:
			hk := h
			val, verr := w.visitors[l.visitor].v.Visit(w.ctx, &hk, bytes.NewReader(b))
			if errors.Is(verr, ErrReread) {
				verr = fmt.Errorf("visitor asked again for random access: %w", verr)
			}
			v = visited{visitor: l.visitor, value: val, err: verr}
			done[k] = v
		}
		v.header = h
		w.record(v)
	}
}

// visitRandom reads the whole file (within the budget) and hands it to the
// visitors as a bytes.Reader, which has ReadAt and Size.
func visitRandom(ctx context.Context, visitors []*visitor, idxs []int, h Header, r io.Reader, maxFile int64) []visited {
	out := make([]visited, len(idxs))
	b, err := io.ReadAll(&budgetReader{r: r, left: maxFile, max: maxFile})
	for k, vi := range idxs {
		out[k] = visited{visitor: vi, header: h, err: err}
		if err != nil {
			continue
		}
		if overBudget(visitors[vi], &h, len(b)) {
			out[k].err = fmt.Errorf("%w (%d bytes)", ErrFileTooLarge, visitorBudget(visitors[vi], &h))
			continue
		}
		hk := h
		val, verr := visitors[vi].v.Visit(ctx, &hk, bytes.NewReader(b))
		if errors.Is(verr, ErrReread) {
			verr = fmt.Errorf("visitor asked again for random access: %w", verr)
		}
		out[k].value, out[k].err = val, verr
	}
	return out
}

// visitMany hands one file to several visitors while reading it once.
// Each visitor reads through its own budget, so one that hits the budget
// does not cut the file short for the others.
// bufs, when set, lends the replay buffers.
func visitMany(ctx context.Context, visitors []*visitor, idxs []int, h Header, r io.Reader, maxFile int64, bufs *sync.Pool) []visited {
	out := make([]visited, len(idxs))
	visit := func(k int, rd io.Reader) {
		out[k] = visitOne(ctx, visitors, idxs[k], h, rd, maxFile)
	}
	switch {
	case len(idxs) == 1:
		visit(0, r)
	case h.Size <= largeFanOut:
		// Visitors run one after another; what one reads is kept so that
		// the next can read it again, and only as much as any of them read
		// is ever held.
		rp := &replay{src: r}
		if bufs != nil {
			b := bufs.Get().(*[]byte)
			rp.buf = (*b)[:0]
			defer func() {
				if cap(rp.buf) <= maxPooledReplay {
					*b = rp.buf[:0]
					bufs.Put(b)
				}
			}()
		}
		for k := range idxs {
			visit(k, &replayReader{rp: rp, last: k == len(idxs)-1})
		}
	default:
		pipeFanOut(idxs, r, visit)
	}
	return out
}

// visitOne is visitor vi's visit of h, reading r within its budget.
func visitOne(ctx context.Context, visitors []*visitor, vi int, h Header, r io.Reader, maxFile int64) visited {
	hk := h
	limit := maxFile
	if b := visitors[vi].budget; b != nil {
		if m := b.MaxBytes(&hk); m > 0 && m < limit {
			limit = m
		}
	}
	var rd io.Reader = &budgetReader{r: r, left: limit, max: limit}
	if br, ok := r.(*bytes.Reader); ok && br.Size() <= limit {
		// The file is in memory, within the budget: the visitor may also
		// read it with random access (see Visitor).
		rd = br
	}
	val, err := visitors[vi].v.Visit(ctx, &hk, rd)
	return visited{visitor: vi, header: h, value: val, err: err}
}

// replay records what is read from src for readers that come later.
type replay struct {
	src io.Reader
	buf []byte
	err error
}

type replayReader struct {
	rp   *replay
	off  int
	last bool // nobody reads after this one: nothing to keep
}

func (r *replayReader) Read(p []byte) (int, error) {
	rp := r.rp
	if r.off < len(rp.buf) {
		n := copy(p, rp.buf[r.off:])
		r.off += n
		return n, nil
	}
	if rp.err != nil {
		return 0, rp.err
	}
	n, err := rp.src.Read(p)
	if !r.last {
		rp.buf = append(rp.buf, p[:n]...)
	}
	r.off += n
	if err != nil {
		rp.err = err
	}
	return n, err
}

// errVisitorDone closes the read side of a pipe whose visitor returned.
var errVisitorDone = errors.New("visitor finished")

// pipeFanOut streams r to every visitor: the first reads through a tee, the
// others from pipes fed by it.
func pipeFanOut(idxs []int, r io.Reader, visit func(k int, rd io.Reader)) {
	mw := &dropWriter{}
	var wg sync.WaitGroup
	for k := 1; k < len(idxs); k++ {
		pr, pw := io.Pipe()
		mw.ws = append(mw.ws, pw)
		wg.Add(1)
		go func() {
			defer wg.Done()
			visit(k, pr)
			pr.CloseWithError(errVisitorDone)
		}()
	}
	tee := io.TeeReader(r, mw)
	visit(0, tee)
	_, err := io.Copy(io.Discard, tee)
	for _, pw := range mw.ws {
		if pw != nil {
			pw.CloseWithError(err) // nil closes with EOF
		}
	}
	wg.Wait()
}

// dropWriter writes to every pipe whose reader is still there.
type dropWriter struct{ ws []*io.PipeWriter }

func (d *dropWriter) Write(p []byte) (int, error) {
	for i, w := range d.ws {
		if w == nil {
			continue
		}
		if _, err := w.Write(p); err != nil {
			d.ws[i] = nil
		}
	}
	return len(p), nil
}

// countReader counts bytes, hashes them when asked, stops when ctx is
// done, and fails past the layer's or the image's byte budget.
type countReader struct {
	r   io.Reader
	ctx context.Context
	n   int64
	// max bounds n; shared counts every layer's bytes, bounded by
	// maxShared. Zero max means no bound (second reads).
	max       int64
	shared    *imageBudget
	maxShared int64
	hash      hash.Hash
	// tail holds the last tailN (at most a block) bytes read, once
	// keepTail is set: after a sparse entry it tells whether the stream
	// ended on the zero block that marks the end.
	keepTail bool
	tail     [blockSize]byte
	tailN    int
}

const blockSize = 512

func (c *countReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.hash != nil {
		c.hash.Write(p[:n])
	}
	if c.keepTail && n > 0 {
		if n >= blockSize {
			copy(c.tail[:], p[n-blockSize:n])
		} else {
			copy(c.tail[:], c.tail[n:])
			copy(c.tail[blockSize-n:], p[:n])
		}
		c.tailN = min(blockSize, c.tailN+n)
	}
	if c.max > 0 {
		if c.n > c.max {
			return n, fmt.Errorf("%w: more than %d decompressed bytes in the layer", ErrBudget, c.max)
		}
		if c.shared != nil && c.shared.bytes.Add(int64(n)) > c.maxShared {
			return n, fmt.Errorf("%w: more than %d decompressed bytes in the image", ErrBudget, c.maxShared)
		}
	}
	return n, err
}

// ended reports whether a tar stream that archive/tar found at its end was
// whole: the reader went past the last entry's data by at least one block,
// which, since tar reported the end, was the zero block that marks it. A
// stream cut right after an entry's data (zero bytes of file data look the
// same as the marker) is not. An empty stream counts as an empty archive.
func (c *countReader) ended(dataEnd int64) bool {
	if dataEnd < 0 {
		// After a sparse entry, whose stored size is unknown here: the
		// last block read must be the zero block. (A stream cut after
		// data whose last block is all zeros still passes; sparse
		// archivers store zero blocks as holes, not data.)
		return c.n%blockSize == 0 && c.tailN == blockSize && c.tail == [blockSize]byte{}
	}
	return c.n == 0 || (c.n%blockSize == 0 && c.n >= dataEnd+blockSize)
}

// sparse reports a sparse file entry (old GNU format, or PAX 0.x/1.0).
func sparse(hdr *tar.Header) bool {
	if hdr.Typeflag == tar.TypeGNUSparse {
		return true
	}
	for k := range hdr.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return true
		}
	}
	return false
}

// wellFormedSHA256 reports a "sha256:" digest with 64 lower-case hex digits.
func wellFormedSHA256(d string) bool {
	h, ok := strings.CutPrefix(d, "sha256:")
	if !ok || len(h) != 64 {
		return false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// sparseBudget counts what visitors read from a sparse entry against the
// layer's and the image's byte budgets.
type sparseBudget struct {
	r io.Reader
	w *layerWalker
}

func (b *sparseBudget) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.w.sparse += int64(n)
	if max := orDefault(b.w.opts.MaxLayerBytes, DefaultMaxLayerBytes); b.w.sparse > max {
		return n, fmt.Errorf("%w: more than %d bytes read from sparse files in the layer", ErrBudget, max)
	}
	if max := orDefault(b.w.opts.MaxImageBytes, DefaultMaxImageBytes); b.w.shared.bytes.Add(int64(n)) > max {
		return n, fmt.Errorf("%w: more than %d decompressed bytes in the image", ErrBudget, max)
	}
	return n, err
}

// visitorBudget is a Budgeted visitor's own limit for h, or 0.
func visitorBudget(v *visitor, h *Header) int64 {
	if b := v.budget; b != nil {
		return b.MaxBytes(h)
	}
	return 0
}

// overBudget reports a file of n bytes over the visitor's own limit.
func overBudget(v *visitor, h *Header, n int) bool {
	m := visitorBudget(v, h)
	return m > 0 && int64(n) > m
}
