package sbom

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/shipshape-dev/shipshape/internal/lang"
	"github.com/shipshape-dev/shipshape/internal/lang/golang"
	"github.com/shipshape-dev/shipshape/internal/lang/rust"
	"github.com/shipshape-dev/shipshape/layer"
)

// Binaries smaller than minBinary cannot hold a Go runtime or a Rust
// program with an audit section. Binaries that need random access (old Go
// build information, cargo-auditable sections) are parsed from the copy
// kept while they streamed by when they are at most maxKept bytes, else
// read into memory on a second pass of their layer, up to maxBinary.
const (
	minBinary = 4 << 10
	maxKept   = 8 << 20
	maxBinary = 256 << 20
	scanChunk = 64 << 10
)

// binaryCataloger reads every executable (ELF, PE, Mach-O, whatever its
// name or mode) for Go build information and cargo-auditable dependency
// lists. Executables are streamed: Go build information since Go 1.18 is
// read on the way; the rare binaries that need their section table are
// asked for again with random access.
func binaryCataloger() langCataloger {
	pool := &sync.Pool{New: func() any { b := make([]byte, scanChunk); return &b }}
	kept := &sync.Pool{New: func() any { return new(bytes.Buffer) }}
	return langCataloger{
		large: true,
		wants: func(h *layer.Header) bool { return h.Size >= minBinary },
		parse: func(_ context.Context, h *layer.Header, r io.Reader) ([]lang.Package, error) {
			if ra, ok := r.(io.ReaderAt); ok {
				return parseBinaryAt(ra)
			}
			var head [4]byte
			if _, err := io.ReadFull(r, head[:]); err != nil || !golang.IsExecutable(head[:]) {
				return nil, nil
			}
			scratch := pool.Get().(*[]byte)
			defer pool.Put(scratch)
			src := io.MultiReader(bytes.NewReader(head[:]), r)
			// An executable small enough is kept as it streams by, so that
			// one needing random access is parsed from memory rather than
			// from a second read of its layer.
			var buf *bytes.Buffer
			if h.Size <= maxKept {
				buf = kept.Get().(*bytes.Buffer)
				buf.Reset()
				buf.Grow(int(h.Size))
				defer kept.Put(buf)
				src = io.TeeReader(src, buf)
			}
			pkgs, err := golang.Scan(src, *scratch)
			if !errors.Is(err, golang.ErrNeedRandomAccess) {
				return pkgs, err
			}
			if buf != nil {
				if _, err := io.Copy(buf, r); err != nil {
					return nil, err
				}
				return parseBinaryAt(bytes.NewReader(buf.Bytes()))
			}
			if h.Size > maxBinary {
				return nil, fmt.Errorf("%w: executable of %d bytes needs random access, over the %d-byte limit", layer.ErrFileTooLarge, h.Size, maxBinary)
			}
			return nil, layer.ErrReread
		},
	}
}

// parseBinaryAt reads Go build information, else a cargo-auditable
// section, with random access.
func parseBinaryAt(ra io.ReaderAt) ([]lang.Package, error) {
	pkgs, err := golang.ParseBinaryAt(ra)
	if err != nil || len(pkgs) > 0 {
		return pkgs, err
	}
	return rust.ParseAuditableAt(ra)
}

// goSourceCataloger reads go.mod files of source trees, with the
// checksums of the go.sum beside them. In images, Go modules are read
// from binaries; the go.mod files there are the module cache's.
func goSourceCataloger(image bool) langCataloger {
	return langCataloger{
		wants: func(h *layer.Header) bool {
			_, base := parentAndBase(h.Path)
			return !image && (base == "go.mod" || base == "go.sum")
		},
		parse: func(_ context.Context, h *layer.Header, r io.Reader) ([]lang.Package, error) {
			return golang.ParseGoMod(h.Path, r)
		},
		sidecar: "go.sum",
		applySidecar: func(pkgs []lang.Package, side []byte) {
			sums, err := golang.ParseGoSum(bytes.NewReader(side))
			if err != nil {
				return
			}
			for i := range pkgs {
				pkgs[i].SetProp(golang.PropSum, sums[pkgs[i].Name+"@"+pkgs[i].Version])
			}
		},
	}
}
