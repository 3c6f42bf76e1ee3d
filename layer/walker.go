package layer

import (
	"context"
	"fmt"
	"io/fs"
	"slices"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape/result"
)

// Walker reads an image's layers, or a directory tree, once for every
// visitor added to it (Add). New reads the image's config, layer list and
// manifest once; Run reads the layers.
type Walker struct {
	opts     options
	fsys     fs.FS
	cfg      *v1.ConfigFile
	imageID  string
	digest   string
	layers   []layerSource
	visitors []*visitor
}

// New makes a walker of img's layers. It reads the image's config, its
// layer list and (unless WithoutManifest) its manifest, and fails with
// an error wrapping ErrImage when one of them cannot be read.
func New(img v1.Image, opts ...Option) (*Walker, error) {
	o, err := newOptions(opts)
	if err != nil {
		return nil, err
	}
	if img == nil {
		return nil, fmt.Errorf("%w: nil image", result.ErrInvalidOption)
	}
	w := &Walker{opts: o}
	id, err := img.ConfigName()
	if err != nil {
		return nil, fmt.Errorf("%w: config: %w", ErrImage, err)
	}
	w.imageID = id.String()
	if w.cfg, err = img.ConfigFile(); err != nil {
		return nil, fmt.Errorf("%w: config: %w", ErrImage, err)
	}
	if w.cfg == nil {
		return nil, fmt.Errorf("%w: config: empty", ErrImage)
	}
	ls, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("%w: layers: %w", ErrImage, err)
	}
	var digests []string
	if !o.noManifest {
		m, err := img.Manifest()
		if err != nil {
			return nil, fmt.Errorf("%w: manifest: %w", ErrImage, err)
		}
		d, err := img.Digest()
		if err != nil {
			return nil, fmt.Errorf("%w: manifest: %w", ErrImage, err)
		}
		w.digest = d.String()
		if len(m.Layers) == len(ls) {
			for _, l := range m.Layers {
				digests = append(digests, l.Digest.String())
			}
		}
	}
	w.layers = make([]layerSource, len(ls))
	for i, l := range ls {
		var diffID string
		if i < len(w.cfg.RootFS.DiffIDs) {
			diffID = w.cfg.RootFS.DiffIDs[i].String()
		} else {
			h, err := l.DiffID()
			if err != nil {
				return nil, fmt.Errorf("%w: layer %d: %w", ErrImage, i, err)
			}
			diffID = h.String()
		}
		w.layers[i] = layerSource{DiffID: diffID, Open: l.Uncompressed}
		if digests != nil {
			w.layers[i].Digest = digests[i]
		}
	}
	return w, nil
}

// NewFS makes a walker of a directory tree, walked as if it were one
// layer (index 0, no diff_id); files are read concurrently. Symlinks are
// recorded, never followed during the walk; only regular files are
// opened. Use an fs.FS that does not follow symlinks out of the tree
// (os.Root.FS does not; os.DirFS does). WithCache does not apply.
func NewFS(fsys fs.FS, opts ...Option) (*Walker, error) {
	o, err := newOptions(opts)
	if err != nil {
		return nil, err
	}
	if fsys == nil {
		return nil, fmt.Errorf("%w: nil file system", result.ErrInvalidOption)
	}
	return &Walker{opts: o, fsys: fsys}, nil
}

// Config returns the image's config; nil for a directory tree.
func (w *Walker) Config() *v1.ConfigFile { return w.cfg }

// ImageID returns the digest of the image's config ("sha256:…"); empty
// for a directory tree.
func (w *Walker) ImageID() string { return w.imageID }

// Digest returns the image's manifest digest; empty for a directory tree
// and with WithoutManifest.
func (w *Walker) Digest() string { return w.digest }

// FS returns the directory tree of a walker made with NewFS; nil for an
// image.
func (w *Walker) FS() fs.FS { return w.fsys }

// Layers returns the image's layers, bottom first, as Run will read them
// (their identity only); nil for a directory tree.
func (w *Walker) Layers() []Stat {
	if w.fsys != nil {
		return nil
	}
	out := make([]Stat, len(w.layers))
	for i, l := range w.layers {
		out[i] = Stat{DiffID: l.DiffID, Digest: l.Digest}
	}
	return out
}

// Run reads every layer once, concurrently, offering each entry to the
// visitors that want it, and returns what they made of the files with
// the final filesystem. It fails only when ctx is done; unreadable layers
// and entries are reported in Result.Errors, and what was read stays.
// Run may be called again; each call reads the layers anew.
//
// When several visitors want one file it is read once for all of them:
// the ones that may stop early first, the WholeReaders last.
func (w *Walker) Run(ctx context.Context) (*Result, error) {
	order := make([]int, len(w.visitors)) // slot index -> engine index
	engine := make([]*visitor, 0, len(w.visitors))
	for _, whole := range []bool{false, true} {
		for i, v := range w.visitors {
			if v.whole == whole {
				order[i] = len(engine)
				engine = append(engine, v)
			}
		}
	}
	var res *Result
	var err error
	if w.fsys != nil {
		opts := w.opts
		opts.Cache = nil
		res, err = walkFS(ctx, w.fsys, engine, opts)
	} else {
		res, err = walkLayers(ctx, w.layers, engine, w.opts)
	}
	if err != nil {
		return nil, err
	}
	res.walker, res.order = w, slices.Clip(order)
	return res, nil
}
