package layer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/shipshape-dev/shipshape/result"
)

// walkFS walks a directory tree as if it were a single layer (index 0, no
// diffID). Files are visited concurrently, up to Options.Concurrency at once.
// Symlinks are recorded, never followed during the walk; only regular files
// are opened.
func walkFS(ctx context.Context, fsys fs.FS, visitors []*visitor, opts options) (*Result, error) {
	lr := &layerResult{}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(opts.concurrency())
	maxFile := opts.maxFileBytes()
	fail := func(p string, err error) {
		mu.Lock()
		lr.errs = append(lr.errs, result.FileError{Path: p, Err: err})
		mu.Unlock()
	}
	var want []int
	walkErr := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if cerr := gctx.Err(); cerr != nil {
			return cerr
		}
		if err != nil {
			fail(p, err)
			return nil // WalkDir skips an unreadable directory by itself
		}
		if p == "." {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			fail(p, err)
			return nil
		}
		e := entry{path: p, mode: info.Mode()}
		switch {
		case info.Mode().IsRegular():
			e.size = info.Size()
		case info.Mode()&fs.ModeSymlink != 0:
			link, err := fs.ReadLink(fsys, p)
			if err != nil {
				fail(p, err)
				return nil
			}
			e.link = link
		}
		mu.Lock()
		lr.entries = append(lr.entries, e)
		lr.stat.Entries++
		mu.Unlock()
		if !e.mode.IsRegular() {
			return nil
		}
		h := e.header(0)
		want = want[:0]
		for i, v := range visitors {
			if v.v.Wants(&h) {
				want = append(want, i)
			}
		}
		if len(want) == 0 {
			return nil
		}
		idxs := append([]int(nil), want...)
		g.Go(func() error {
			f, err := fsys.Open(p)
			if err != nil {
				fail(p, err)
				return nil
			}
			defer f.Close()
			cr := &countReader{r: f, ctx: gctx}
			vs := visitMany(gctx, visitors, idxs, h, cr, maxFile, nil)
			var again []int
			for _, v := range vs {
				if errors.Is(v.err, ErrReread) {
					again = append(again, v.visitor)
				}
			}
			if len(again) > 0 {
				vs = rereadFile(gctx, fsys, visitors, again, h, vs, maxFile)
			}
			mu.Lock()
			lr.files = append(lr.files, vs...)
			lr.stat.Bytes += cr.n
			mu.Unlock()
			return nil
		})
		return nil
	})
	gerr := g.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if walkErr != nil && !errors.Is(walkErr, context.Canceled) {
		return nil, fmt.Errorf("walking tree: %w", walkErr)
	}
	if gerr != nil {
		return nil, gerr
	}
	return assemble([]*layerResult{lr}, opts), nil
}

// rereadFile opens a file again for the visitors that asked for random
// access and replaces their visits.
func rereadFile(ctx context.Context, fsys fs.FS, visitors []*visitor, again []int, h Header, vs []visited, maxFile int64) []visited {
	var redo []visited
	if f, err := fsys.Open(h.Path); err != nil {
		for _, vi := range again {
			redo = append(redo, visited{visitor: vi, header: h, err: err})
		}
	} else {
		redo = visitRandom(ctx, visitors, again, h, f, maxFile)
		f.Close()
	}
	byVisitor := map[int]visited{}
	for _, v := range redo {
		byVisitor[v.visitor] = v
	}
	for i, v := range vs {
		if r, ok := byVisitor[v.visitor]; ok {
			vs[i] = r
		}
	}
	return vs
}
