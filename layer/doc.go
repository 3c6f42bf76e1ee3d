// Package layer reads a container image's layers, or a directory tree,
// once, and offers every entry to the visitors that asked for it: the
// one-pass walk that shipshape's SBOM catalogers, secret scanner and
// hardening checks share, open to callers' own visitors.
//
// A Walker is made for an image (New) or a tree (NewFS). Visitors are
// added with Add, which returns a typed Slot; Run reads every layer once,
// streamed (nothing is extracted to disk), layers in parallel, and
// returns a Result: the final filesystem (View, after whiteouts, opaque
// directories, overwrites and hard links), the per-file and per-layer
// errors, and each visitor's values, read back through its slot.
//
//	w, err := layer.New(img)
//	licences := layer.Add(w, licenceFinder{}) // a Visitor[string]
//	p, err := sbom.NewPass(w)                 // the SBOM's catalogers join the same read
//	res, err := w.Run(ctx)
//	for _, f := range licences.Files(res) { … f.Header.Path, f.Value … }
//	inventory := p.SBOM(ctx, res)
//
// A visitor says which files it wants (Wants, called for every regular
// file and hard link, cheap) and reads them (Visit). It sees every layer's
// version of a path, also those a later layer deletes or replaces;
// Result.View says which one the final filesystem shows. A file several
// visitors want is read once for all of them.
//
// The walk defends itself against images nobody vetted: budgets bound the
// decompressed bytes and entries of a layer and of the image, what any
// visitor may read of one file, symlink hops and path length (Limits,
// WithMaxFileBytes); names that climb out of the root are refused; each
// layer's content is checked against its diff_id (ErrIntegrity). Past a
// budget, a per-layer or per-file error says which one, and what was read
// stays. Result.Incomplete lists what makes the evidence partial.
//
// Optional interfaces tune a visitor for the advanced cases: a smaller
// per-file budget (Budgeted), hard links sharing a visit (Classifier),
// visits on other goroutines than the decompression (Detacher), the order
// in which visitors share one read of a file (WholeReader), random access
// to a file (ErrReread), and per-layer results kept across runs by the
// layer's diff_id (Cacheable, WithCache; package layercache keeps them on
// disk).
package layer
