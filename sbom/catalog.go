package sbom

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape/internal/lang/java"
	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/result"
)

// FromImage inventories img. Every layer is read once, concurrently and
// streaming. It fails only when the image's config cannot be read
// (layer.ErrImage) or ctx is done; damaged layers and files are reported
// in SBOM.Errors. WithLayerOptions tunes the read (budgets, concurrency,
// progress, a layer cache).
func FromImage(ctx context.Context, img v1.Image, opts ...Option) (*SBOM, error) {
	o, err := newOptions(opts)
	if err != nil {
		return nil, err
	}
	w, err := layer.New(img, o.layerOpts...)
	if err != nil {
		return nil, err
	}
	return runPass(ctx, w, o)
}

// FromFS inventories a directory tree, such as a root filesystem or a
// source checkout, where lock files and manifests describe the build. Use
// an fs.FS that does not follow symlinks out of the tree (os.Root.FS does
// not; os.DirFS does).
func FromFS(ctx context.Context, fsys fs.FS, opts ...Option) (*SBOM, error) {
	o, err := newOptions(opts)
	if err != nil {
		return nil, err
	}
	w, err := layer.NewFS(fsys, o.layerOpts...)
	if err != nil {
		return nil, err
	}
	return runPass(ctx, w, o)
}

func runPass(ctx context.Context, w *layer.Walker, o *options) (*SBOM, error) {
	p := newPass(w, o)
	res, err := w.Run(ctx)
	if err != nil {
		return nil, err
	}
	return p.SBOM(ctx, res), nil
}

// Pass is the SBOM's share of a walk shared with other visitors (see
// package layer, and the root package's Inspect): NewPass adds the
// catalogers to the walker, and SBOM turns the walk's result into the
// inventory.
type Pass struct {
	src   Source
	cats  []cataloger
	slots []layer.Slot[any]
	// last is the assembly of the last SBOM call, for FileOwners.
	last *assembly
}

// NewPass adds the catalogers to w: the image catalogers for an image's
// walker, the source-tree ones (lock files, manifests) for a directory's.
// WithLayerOptions does not apply: the walker has its options.
func NewPass(w *layer.Walker, opts ...Option) (*Pass, error) {
	o, err := newOptions(opts)
	if err != nil {
		return nil, err
	}
	if len(o.layerOpts) > 0 {
		return nil, fmt.Errorf("%w: WithLayerOptions applies to FromImage and FromFS; give NewPass's walker its options", result.ErrInvalidOption)
	}
	return newPass(w, o), nil
}

func newPass(w *layer.Walker, o *options) *Pass {
	image := w.Config() != nil
	cats, index := defaultCatalogers(image, o.limits, o.only)
	p := &Pass{cats: cats}
	if image {
		p.src = Source{Type: SourceImage, Name: o.name, Reference: o.reference, ImageID: w.ImageID(),
			Digest: w.Digest(), Platform: platform(w.Config())}
		for _, l := range w.Layers() {
			p.src.Layers = append(p.src.Layers, Layer{DiffID: l.DiffID, Digest: l.Digest})
		}
	} else {
		p.src = Source{Type: SourceDirectory, Name: o.name}
	}
	for i, c := range p.cats {
		b := &budgeted{Visitor: c, limits: o.limits, index: index[i], image: image}
		b.class, _ = c.(layer.Classifier)
		p.slots = append(p.slots, layer.Add[any](w, b))
	}
	return p
}

// SBOM assembles the inventory from the result of the walk the pass's
// catalogers were added to.
func (p *Pass) SBOM(ctx context.Context, res *layer.Result) *SBOM {
	src := p.src
	src.Layers = append([]Layer(nil), p.src.Layers...)
	s, a := assemble(ctx, src, res, p.cats, p.slots)
	p.last = a
	return s
}

func platform(cf *v1.ConfigFile) string {
	if cf.OS == "" && cf.Architecture == "" {
		return ""
	}
	p := cf.OS + "/" + cf.Architecture
	if cf.Variant != "" {
		p += "/" + cf.Variant
	}
	return p
}

// cataloger finds one kind of package database: as a layer.Visitor it
// asks for and parses the database files; catalog then turns the visible
// ones into packages.
type cataloger interface {
	layer.Visitor[any]
	catalog(a *assembly, files []*layer.File[any])
}

// defaultCatalogers lists the catalogers. The distribution comes first
// because package URLs need it, the OS package databases before the
// language catalogers because their file lists tell who owns what.
// image says whether the source is an image (as opposed to a source
// tree), which decides how package.json files are read. index holds each
// returned cataloger's place in the full list, which names it in
// layer-cache keys whichever subset only picks.
func defaultCatalogers(image bool, lim Limits, only map[string]bool) (cats []cataloger, index []int) {
	all := []struct {
		name string
		c    func() cataloger
	}{
		{"", func() cataloger { return distroCataloger{} }},
		{"dpkg", func() cataloger { return dpkgCataloger{} }},
		{"apk", func() cataloger { return apkCataloger{} }},
		{"rpm", func() cataloger { return rpmCataloger{} }},
		{"binary", func() cataloger { return binaryCataloger() }},
		{"go", func() cataloger { return goSourceCataloger(image) }},
		{"python", func() cataloger { return pythonCataloger(image) }},
		{"npm", func() cataloger { return npmCataloger(image) }},
		{"java", func() cataloger { return javaCataloger(image, lim) }},
		{"ruby", func() cataloger { return rubyCataloger(image) }},
		{"rust", func() cataloger { return rustCataloger(image) }},
		{"php", func() cataloger { return phpCataloger(image) }},
		{"dotnet", func() cataloger { return dotnetCataloger(image) }},
		{"python", func() cataloger { return recordCataloger{} }},
	}
	for i, c := range all {
		if c.name == "" || only == nil || only[c.name] {
			cats = append(cats, c.c())
			index = append(index, i)
		}
	}
	return cats, index
}

// catalogerNames are the names WithCatalogers takes.
var catalogerNames = []string{"dpkg", "apk", "rpm", "binary", "go", "python", "npm", "java", "ruby", "rust", "php", "dotnet"}

// Default manifest budgets: a package.json or gemspec is a few kilobytes,
// a lockfile or dpkg status a few megabytes.
const (
	defaultMaxManifest = 64 << 20
	maxSmallManifest   = 8 << 20
)

// budgeted is a cataloger as the walker sees it, with the read budget of
// each file it wants (see layer.Budgeted). Catalogers parse what they
// read to its end (layer.WholeReader).
type budgeted struct {
	layer.Visitor[any]
	class  layer.Classifier
	limits Limits
	// index and image name the cataloger in layer-cache keys.
	index int
	image bool
}

// Class forwards the cataloger's classes; a cataloger without classes
// shares no value between paths, as the walker does for such visitors.
func (b *budgeted) Class(h *layer.Header) string {
	if b.class != nil {
		return b.class.Class(h)
	}
	return "\x00" + h.Path
}

// ReadsWhole says catalogers read the files they want to the end: in a
// shared walk they read a file after the visitors that may stop early.
func (b *budgeted) ReadsWhole() bool { return true }

// MaxBytes is the manifest budget, except for the files that are large by
// nature: binaries, Java archives and rpm databases, which only the
// per-file budget bounds.
func (b *budgeted) MaxBytes(h *layer.Header) int64 {
	switch c := b.Visitor.(type) {
	case rpmCataloger:
		return 0
	case langCataloger:
		if c.large {
			return 0
		}
	}
	_, base := parentAndBase(h.Path)
	if java.IsArchive(base) {
		return 0
	}
	max := b.limits.MaxManifestBytes
	if max == 0 {
		max = defaultMaxManifest
	}
	if base == "package.json" || strings.HasSuffix(base, ".gemspec") {
		return min(max, maxSmallManifest)
	}
	return max
}

// assembly is the state shared by the catalogers after the walk.
type assembly struct {
	ctx    context.Context
	res    *layer.Result
	layers []string // diffIDs by layer index
	distro *Distro
	pkgs   []*pkg
	errs   []result.FileError

	// fileLists are the OS packages' file lists, turned into owned (path →
	// owning package) on the first ownership question.
	fileLists []fileList
	owned     map[string]*pkg
	// records are the file lists of Python distributions, by dist-info
	// or egg-info directory (relative to the directory above it).
	records map[string][]string
}

// fileList is the list of files one OS package installed, as its database
// writes them (absolute or relative, possibly through symlinked
// directories such as /lib on /usr-merged systems).
type fileList struct {
	pkg   *pkg
	files []string
	// digests, when the database records checksums, yields each
	// checksummed file with its checksum ("md5:<hex>", "sha1:…",
	// "sha256:…"): called only when file owners are asked for.
	digests func(yield func(path, digest string))
}

// owner returns the OS package that installed the file at the clean path p,
// or nil.
func (a *assembly) owner(p string) *pkg {
	if a.owned == nil {
		a.owned = map[string]*pkg{}
		dirs := map[string]string{} // directory → its real path
		for _, fl := range a.fileLists {
			for _, f := range fl.files {
				c := a.canonical(f, dirs)
				if _, ok := a.owned[c]; !ok && c != "" {
					a.owned[c] = fl.pkg
				}
			}
		}
	}
	return a.owned[p]
}

// canonical turns a path from a package database into the real path of
// the image: leading slash dropped, symlinked parent directories resolved.
func (a *assembly) canonical(f string, dirs map[string]string) string {
	p, err := layer.CleanPath(f)
	if err != nil || p == "" {
		return ""
	}
	dir, base := parentAndBase(p)
	if dir == "" {
		return p
	}
	real, ok := dirs[dir]
	if !ok {
		real = dir
		if h, err := a.res.View.Resolve(dir); err == nil {
			real = h.Path
		}
		dirs[dir] = real
	}
	if real == "" {
		return base
	}
	return real + "/" + base
}

// pkg is a package being assembled, with its dependencies and owner as
// pointers until IDs are given.
type pkg struct {
	Package
	deps  []*pkg
	owner *pkg
}

func assemble(ctx context.Context, src Source, res *layer.Result, cats []cataloger, slots []layer.Slot[any]) (*SBOM, *assembly) {
	a := &assembly{ctx: ctx, res: res}
	for _, l := range res.Layers {
		a.layers = append(a.layers, l.DiffID)
	}
	for i, c := range cats {
		fs := slots[i].Files(res)
		vs := make([]*layer.File[any], len(fs))
		for k := range fs {
			vs[k] = &fs[k]
		}
		c.catalog(a, vs)
	}
	for i, l := range res.Layers {
		if l.Untrusted && i < len(src.Layers) {
			src.Layers[i].Untrusted = true
		}
	}
	s := &SBOM{SchemaVersion: SchemaVersion, Source: src, Distro: a.distro, Packages: a.finish()}
	s.Errors = append(s.Errors, res.Errors...)
	s.Errors = append(s.Errors, a.errs...)
	sortErrors(s.Errors, src.Layers)
	return s, a
}

// finish sorts the packages, gives them IDs and resolves dependencies.
func (a *assembly) finish() []Package {
	sort.SliceStable(a.pkgs, func(i, j int) bool { return lessPackage(&a.pkgs[i].Package, &a.pkgs[j].Package) })
	seen := map[string]int{}
	for _, p := range a.pkgs {
		seen[p.PURL]++
	}
	ids := map[string]bool{}
	for _, p := range a.pkgs {
		id := p.PURL
		if id == "" || seen[p.PURL] > 1 {
			id = p.PURL + "#" + p.Location
			if p.PURL == "" {
				id = p.Type + ":" + p.Name + "@" + p.Version + "#" + p.Location
			}
		}
		for n := 2; ids[id]; n++ {
			id = fmt.Sprintf("%s#%d", strings.TrimSuffix(id, fmt.Sprintf("#%d", n-1)), n)
		}
		ids[id] = true
		p.ID = id
	}
	out := make([]Package, len(a.pkgs))
	for i, p := range a.pkgs {
		for _, d := range p.deps {
			p.DependsOn = append(p.DependsOn, d.ID)
		}
		if p.owner != nil {
			p.OwnedBy = p.owner.ID
		}
		sort.Strings(p.DependsOn)
		p.DependsOn = dedupe(p.DependsOn)
		out[i] = p.Package
	}
	return out
}

func lessPackage(a, b *Package) bool {
	if a.Name != b.Name {
		return a.Name < b.Name
	}
	if a.Version != b.Version {
		return a.Version < b.Version
	}
	if a.Type != b.Type {
		return a.Type < b.Type
	}
	if a.Arch != b.Arch {
		return a.Arch < b.Arch
	}
	if a.Location != b.Location {
		return a.Location < b.Location
	}
	return a.Layer < b.Layer
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// sortErrors orders errors by layer (bottom first), then path.
func sortErrors(errs []result.FileError, layers []Layer) {
	order := map[string]int{}
	for i, l := range layers {
		order[l.DiffID] = i + 1
	}
	sort.SliceStable(errs, func(i, j int) bool {
		if oi, oj := order[errs[i].Layer], order[errs[j].Layer]; oi != oj {
			return oi < oj
		}
		return errs[i].Path < errs[j].Path
	})
}

// fileErr records a problem with a visited file.
func (a *assembly) fileErr(f *layer.File[any], err error) {
	a.errs = append(a.errs, result.FileError{Layer: a.layerID(f.Header.Layer), Path: f.Header.Path, Err: err})
}

func (a *assembly) layerID(i int) string {
	if i >= 0 && i < len(a.layers) {
		return a.layers[i]
	}
	return ""
}

// files indexes one cataloger's visited files by path, each path's
// versions ordered bottom layer first.
type files map[string][]*layer.File[any]

func indexFiles(vs []*layer.File[any]) files {
	idx := files{}
	for _, v := range vs {
		idx[v.Header.Path] = append(idx[v.Header.Path], v)
	}
	return idx
}

// paths returns the indexed paths, sorted.
func (f files) paths() []string {
	return slices.Sorted(maps.Keys(f))
}

// visible returns the version of the file at p that the final filesystem
// shows, following symlinks; nil when there is none.
func (a *assembly) visible(idx files, p string) *layer.File[any] {
	h, err := a.res.View.Resolve(p)
	if err != nil {
		return nil
	}
	for _, v := range idx[h.Path] {
		if v.Header.Layer == h.Layer {
			return v
		}
	}
	return nil
}

// introduced attributes the packages of the visible version of a file to
// the layer that brought them in: the lowest layer from which every later
// version of the file still lists the package unchanged. versions holds
// every version of the file, bottom layer first; keys returns the package
// keys (name, version, architecture) of one version.
func introduced(versions []*layer.File[any], visible *layer.File[any], keys func(*layer.File[any]) map[string]bool) map[string]int {
	layer := map[string]int{}
	alive := map[string]bool{}
	for k := range keys(visible) {
		layer[k], alive[k] = visible.Header.Layer, true
	}
	for i := len(versions) - 1; i >= 0 && len(alive) > 0; i-- {
		v := versions[i]
		if v.Header.Layer >= visible.Header.Layer {
			continue
		}
		ks := keys(v)
		for k := range alive {
			if ks[k] {
				layer[k] = v.Header.Layer
			} else {
				delete(alive, k)
			}
		}
	}
	return layer
}
