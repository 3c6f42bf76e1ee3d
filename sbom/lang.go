package sbom

import (
	"context"
	"errors"
	"io"

	"github.com/shipshape-dev/shipshape/internal/lang"
	"github.com/shipshape-dev/shipshape/layer"
)

// langCataloger catalogs one kind of language-ecosystem file. Each file
// declares its packages by itself, so a package is reported once per file
// (per location), from the version of the file the final filesystem shows.
type langCataloger struct {
	wants func(h *layer.Header) bool
	parse func(ctx context.Context, h *layer.Header, r io.Reader) ([]lang.Package, error)
	// sidecar, when set, is the name of a file that completes the package
	// file beside it (go.sum for go.mod): it must be wanted too, is kept
	// as bytes, and applySidecar adds what it says to the packages.
	sidecar      string
	applySidecar func(pkgs []lang.Package, sidecar []byte)
	// classify names the kind of file, when one cataloger parses several
	// kinds (see layer.Classifier); nil means one kind.
	classify func(h *layer.Header) string
	// large says the files are large by nature (binaries): only the
	// per-file budget bounds them, not the manifest budget.
	large bool
}

// Class implements layer.Classifier.
func (c langCataloger) Class(h *layer.Header) string {
	switch {
	case c.isSidecar(h.Path):
		return "sidecar"
	case c.classify != nil:
		return c.classify(h)
	}
	return "file"
}

// maxSidecar bounds a sidecar file kept in memory.
const maxSidecar = 16 << 20

// langFile is what a language cataloger's visit yields: the packages and,
// for a file that was partly understood, the error; or a sidecar's bytes.
type langFile struct {
	pkgs    []lang.Package
	err     error
	sidecar []byte
}

func (c langCataloger) Wants(h *layer.Header) bool { return c.wants(h) }

func (c langCataloger) Visit(ctx context.Context, h *layer.Header, r io.Reader) (any, error) {
	if c.isSidecar(h.Path) {
		b, err := io.ReadAll(io.LimitReader(r, maxSidecar))
		return langFile{sidecar: b, err: err}, nil
	}
	pkgs, err := c.parse(ctx, h, r)
	if errors.Is(err, layer.ErrReread) {
		return nil, err // the walker hands the file over again, with ReadAt
	}
	return langFile{pkgs: pkgs, err: err}, nil
}

func (c langCataloger) isSidecar(p string) bool {
	if c.sidecar == "" {
		return false
	}
	_, base := parentAndBase(p)
	return base == c.sidecar
}

func langKeys(v *layer.File[any]) map[string]bool {
	f, ok := v.Value.(langFile)
	if !ok {
		return nil
	}
	ks := make(map[string]bool, len(f.pkgs))
	for i := range f.pkgs {
		ks[f.pkgs[i].Key()] = true
	}
	return ks
}

func (c langCataloger) catalog(a *assembly, vs []*layer.File[any]) {
	idx := indexFiles(vs)
	for _, p := range idx.paths() {
		if c.isSidecar(p) {
			continue
		}
		versions := idx[p]
		var vis *layer.File[any]
		for i := len(versions) - 1; i >= 0; i-- {
			if a.res.View.Visible(p, versions[i].Header.Layer) {
				vis = versions[i]
				break
			}
		}
		if vis == nil {
			continue // deleted or replaced by an upper layer
		}
		if vis.Err != nil {
			a.fileErr(vis, vis.Err)
			continue
		}
		f, ok := vis.Value.(langFile)
		if !ok {
			a.fileErr(vis, errUnexpected)
			continue
		}
		if f.err != nil {
			a.fileErr(vis, f.err)
		}
		if len(f.pkgs) == 0 {
			continue
		}
		if c.sidecar != "" {
			dir, _ := parentAndBase(p)
			side := c.sidecar
			if dir != "" {
				side = dir + "/" + side
			}
			if sv := a.visible(idx, side); sv != nil && sv.Err == nil {
				if sf, ok := sv.Value.(langFile); ok && sf.err == nil {
					c.applySidecar(f.pkgs, sf.sidecar)
				}
			}
		}
		layers := introduced(versions, vis, langKeys)
		owner := a.owner(p)
		for i := range f.pkgs {
			lp := &f.pkgs[i]
			loc := p
			if lp.Inner != "" {
				loc += "!/" + lp.Inner
			}
			a.pkgs = append(a.pkgs, &pkg{
				Package: Package{
					Name:       lp.Name,
					Version:    lp.Version,
					Type:       lp.Type,
					PURL:       langPURL(lp),
					Licenses:   lp.Licenses,
					Location:   loc,
					Layer:      a.layerID(layers[lp.Key()]),
					Dev:        lp.Dev,
					Properties: lp.Props,
				},
				owner: owner,
			})
		}
	}
}
