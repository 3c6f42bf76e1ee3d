package layer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
)

// maxDetached bounds the files copied for a detached visit.
const maxDetached = 1 << 20

// detachPool runs the detached visits of one walk.
type detachPool struct {
	jobs chan detachJob
	wg   sync.WaitGroup
}

// startDetachPool starts n workers, or returns nil when no visitor
// detaches.
func startDetachPool(ctx context.Context, visitors []*visitor, n int) *detachPool {
	any := false
	for _, v := range visitors {
		any = any || v.detach != nil
	}
	if !any {
		return nil
	}
	p := &detachPool{jobs: make(chan detachJob, 4*n)}
	for range n {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for j := range p.jobs {
				j.run(ctx)
			}
		}()
	}
	return p
}

// stop ends the workers once every job has run.
func (p *detachPool) stop() {
	if p != nil {
		close(p.jobs)
		p.wg.Wait()
	}
}

// sharedBuf is a file's copy, shared by its detached visits and returned
// to the pool by the last one.
type sharedBuf struct {
	b    *[]byte
	refs atomic.Int32
	pool *sync.Pool
}

func (s *sharedBuf) release() {
	if s.refs.Add(-1) == 0 {
		if cap(*s.b) <= maxPooledReplay {
			s.pool.Put(s.b)
		}
	}
}

// detachJob is one detached visit.
type detachJob struct {
	w   *layerWalker
	id  int
	vi  int
	h   Header
	buf *sharedBuf
}

func (j detachJob) run(ctx context.Context) {
	w := j.w
	v := visitOne(ctx, w.visitors, j.vi, j.h, bytes.NewReader(*j.buf.b), w.maxFile)
	if errors.Is(v.err, ErrReread) {
		v.err = fmt.Errorf("a detached visit asked for random access: %w", v.err)
	}
	j.buf.release()
	w.mu.Lock()
	w.done[j.id] = visitResult{value: v.value, err: v.err}
	w.mu.Unlock()
	w.inflight.Done()
}

// visitResult is what a detached visit leaves for its layer to settle:
// the header is already in the place taken for it.
type visitResult struct {
	value any
	err   error
}

// detached returns the visitors of want that detach h's visit.
func (w *layerWalker) detached(want []int, h *Header) []int {
	var out []int
	for _, vi := range want {
		if d := w.visitors[vi].detach; d != nil && d.Detach(h) {
			out = append(out, vi)
		}
	}
	return out
}

// offerDetached reads a small file whole and visits it: in place for
// the visitors that do not detach, on the pool for those that do. Their
// places in the layer's files are taken now, in walk order, and filled
// when the layer settles.
func (w *layerWalker) offerDetached(h Header, r io.Reader, want, det []int) {
	b := w.shared.replayBufs.Get().(*[]byte)
	if cap(*b) < int(h.Size) {
		*b = make([]byte, h.Size)
	}
	*b = (*b)[:h.Size]
	n, err := io.ReadFull(r, *b)
	if err != nil {
		// The stream broke inside the file: every visitor sees that in
		// place, as it would have without detaching.
		data := append([]byte(nil), (*b)[:n]...)
		w.shared.replayBufs.Put(b)
		w.offerInPlace(h, io.MultiReader(bytes.NewReader(data), errReader{err}), want)
		return
	}
	sb := &sharedBuf{b: b, pool: &w.shared.replayBufs}
	sb.refs.Store(1)
	for _, vi := range want {
		if !slices.Contains(det, vi) {
			w.offerInPlace(h, bytes.NewReader(*b), []int{vi})
		}
	}
	if w.done == nil {
		w.done = map[int]visitResult{}
		w.pendingSlot = map[int]int{}
		w.lateLinks = map[int]int{}
	}
	for _, vi := range det {
		slot := w.record(visited{visitor: vi, header: h})
		id := w.nextID
		w.nextID++
		w.pendingSlot[slot] = id
		sb.refs.Add(1)
		w.inflight.Add(1)
		w.shared.detach.jobs <- detachJob{w: w, id: id, vi: vi, h: h, buf: sb}
	}
	sb.release()
}

// settle waits for the layer's detached visits and puts their results in
// the places taken for them (unless a later entry of the same path took
// the place since), and gives hard links to such files their target's
// result.
func (w *layerWalker) settle() {
	w.inflight.Wait()
	for slot, id := range w.pendingSlot {
		src := id
		if s, ok := w.lateLinks[id]; ok {
			src = s
		}
		v := w.done[src]
		w.lr.files[slot].value, w.lr.files[slot].err = v.value, v.err
	}
	w.pendingSlot = nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
