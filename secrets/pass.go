package secrets

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"sort"
	"strings"
	"sync"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/result"
)

// ConfigFile is the File of findings in an image's configuration:
// "image config/env", "image config/labels", "image config/history".
const ConfigFile = "image config"

// ScanImage scans every file of every layer of img, each layer read once
// and layers in parallel, including files that a later layer deletes or
// replaces (Finding.Visible is false for those: the secret still ships
// with the image), and the image configuration: environment, labels and
// the build history, where build arguments leak. name is how the report
// names the image; opts tune the read (package layer). Damaged layers and
// files are per-file errors in the report; ScanImage fails when the
// image's config or layer list cannot be read (layer.ErrImage), or ctx is
// done.
func (s *Scanner) ScanImage(ctx context.Context, img v1.Image, name string, opts ...layer.Option) (*Report, error) {
	w, err := layer.New(img, opts...)
	if err != nil {
		return nil, err
	}
	return s.run(ctx, w, name)
}

// ScanFS scans every regular file of a directory tree, files in
// parallel. Binary files are skipped unless WithBinaryFiles, every .git
// directory always, and with WithGitignore what git ignores. name is how
// the report names the tree; opts tune the read (package layer). Symlinks
// are not followed. Unreadable files and directories are per-file errors
// in the report; ScanFS fails only when ctx is done.
func (s *Scanner) ScanFS(ctx context.Context, fsys fs.FS, name string, opts ...layer.Option) (*Report, error) {
	w, err := layer.NewFS(fsys, opts...)
	if err != nil {
		return nil, err
	}
	return s.run(ctx, w, name)
}

func (s *Scanner) run(ctx context.Context, w *layer.Walker, name string) (*Report, error) {
	p := s.NewPass(w, name)
	res, err := w.Run(ctx)
	if err != nil {
		return nil, err
	}
	return p.Report(res), nil
}

// Pass is the scanner's share of a walk shared with other visitors (see
// package layer, and the root package's Inspect): NewPass adds the
// scanner to the walker, and Report turns the walk's result into the
// report. For an image it also scans the config (ConfigFindings).
type Pass struct {
	s    *Scanner
	name string
	cfg  *v1.ConfigFile // nil for a tree
	id   string
	v    *visitor
	slot layer.Slot[*visitValue]

	configOnce sync.Once
	config     []Finding
}

// NewPass adds the scanner to w. name is how the report names the image
// or tree.
func (s *Scanner) NewPass(w *layer.Walker, name string) *Pass {
	p := &Pass{s: s, name: name, cfg: w.Config(), id: w.ImageID(), v: &visitor{s: s}}
	if p.cfg == nil {
		p.v.tree = &treeIgnore{s: s, fsys: w.FS(), files: map[string]*ignoreFile{}, dirs: map[string]bool{}}
	}
	p.slot = layer.Add[*visitValue](w, p.v)
	return p
}

// ConfigFindings returns the secrets in the image's configuration
// (environment, labels, history), scanned once however often it is
// asked; nil for a tree. Report includes them.
func (p *Pass) ConfigFindings() []Finding {
	if p.cfg == nil {
		return nil
	}
	p.configOnce.Do(func() { p.config = p.s.scanConfig(p.cfg) })
	return append([]Finding(nil), p.config...)
}

// Report makes the report from the result of the walk the pass was added
// to. WithOwners classifies the findings by who installed their files.
func (p *Pass) Report(res *layer.Result, opts ...ReportOption) *Report {
	var o reportOptions
	for _, opt := range opts {
		opt(&o)
	}
	s := p.s
	var at []classed
	rep := &Report{SchemaVersion: ReportSchemaVersion, Findings: []Finding{}}
	if p.cfg != nil {
		rep.Source = Source{Type: SourceImage, Name: p.name, ImageID: p.id}
	} else {
		rep.Source = Source{Type: SourceDirectory, Name: p.name}
	}
	for f := range p.slot.All(res) {
		from := len(rep.Findings)
		rep.Findings = append(rep.Findings, p.v.findings(&f, res)...)
		if to := len(rep.Findings); to > from && f.Value != nil {
			at = append(at, classed{path: f.Header.Path, sums: f.Value.sums, from: from, to: to})
		}
		if f.Value != nil {
			rep.Stats.Bytes += f.Value.bytes
			if f.Value.binary {
				rep.Stats.Skipped++
				continue
			}
		}
		rep.Stats.Files++
		if f.Err != nil {
			rep.Errors = append(rep.Errors, result.FileError{Layer: res.DiffID(f.Header.Layer), Path: f.Header.Path, Err: f.Err})
		}
	}
	if p.v.tree != nil {
		// Files of the tree the scanner left out: ignored, allowlisted.
		_ = res.View.Walk(func(h *layer.Header) error {
			if h.Mode.IsRegular() && !p.v.Wants(h) && !p.v.tree.inGit(h.Path) {
				rep.Stats.Skipped++
			}
			return nil
		})
	}
	rep.Errors = append(rep.Errors, res.Errors...)
	if o.owners != nil {
		classify(rep.Findings, at, o.owners)
	}
	rep.Findings = append(rep.Findings, p.ConfigFindings()...)
	s.finish(rep)
	layerIndex := map[string]int{}
	for i, l := range res.Layers {
		layerIndex[l.DiffID] = i
	}
	sort.SliceStable(rep.Errors, func(i, j int) bool {
		return layerIndex[rep.Errors[i].Layer] < layerIndex[rep.Errors[j].Layer]
	})
	return rep
}

// scanConfig scans the environment, labels and history of an image
// configuration, each as a file of one entry per line.
func (s *Scanner) scanConfig(cf *v1.ConfigFile) []Finding {
	oneLine := strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")
	var env, labels, history []string
	for _, e := range cf.Config.Env {
		env = append(env, oneLine.Replace(e))
	}
	keys := make([]string, 0, len(cf.Config.Labels))
	for k := range cf.Config.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		labels = append(labels, oneLine.Replace(k+"="+cf.Config.Labels[k]))
	}
	for _, h := range cf.History {
		history = append(history, oneLine.Replace(h.CreatedBy))
	}
	var out []Finding
	for _, part := range []struct {
		name  string
		lines []string
	}{{"env", env}, {"labels", labels}, {"history", history}} {
		if len(part.lines) > 0 {
			out = append(out, s.ScanBytes(ConfigFile+"/"+part.name, []byte(strings.Join(part.lines, "\n")+"\n"))...)
		}
	}
	return out
}

// visitor is the scanner as a layer visitor.
type visitor struct {
	s *Scanner
	// tree, for a directory tree, holds its .gitignore files.
	tree *treeIgnore
}

// visitValue is what one visit found. Secrets are kept in clear (in
// memory only) so that a hard link, which shares its target's visit, gets
// fingerprints of its own path.
type visitValue struct {
	matches []visitMatch
	bytes   int64
	binary  bool
	// sums are the file's checksums, taken when it holds a finding, for
	// telling a package's unchanged file (see WithOwners).
	sums *fileSums
}

type visitMatch struct {
	finding Finding
	secret  string
	// cached says the match came from the layer cache: finding holds the
	// fingerprint and the redacted secret, and secret is empty.
	cached bool
}

// Wants reports whether the visitor reads a file. In an image: every
// regular file not excluded by a global path allowlist, nor (unless
// WithSystemDocs) a system documentation directory. In a tree: every
// file not allowlisted, not in a .git directory, and (WithGitignore) not
// ignored by git.
func (v *visitor) Wants(h *layer.Header) bool {
	if v.s.skipFile(h.Path) {
		return false
	}
	if v.tree != nil {
		return !v.tree.inGit(h.Path) && !(v.s.gitignore && v.tree.ignored(h.Path))
	}
	return v.s.sysDocs || !systemDocs(h.Path)
}

// systemDocs reports the directories WithSystemDocs opts back in.
func systemDocs(p string) bool {
	rest, ok := strings.CutPrefix(p, "usr/")
	if !ok {
		return false
	}
	if strings.HasPrefix(rest, "include/") {
		return true
	}
	rest, ok = strings.CutPrefix(rest, "share/")
	if !ok {
		return false
	}
	for _, d := range [...]string{"doc/", "man/", "info/", "locale/", "i18n/", "zoneinfo/"} {
		if strings.HasPrefix(rest, d) {
			return true
		}
	}
	return false
}

// MaxBytes is the scanner's per-file budget, which holds in a walk shared
// with visitors that read more (see layer.Budgeted).
func (v *visitor) MaxBytes(*layer.Header) int64 { return v.s.maxFile }

// Detach lets the walker scan small files on other goroutines than the
// one decompressing the layer (see layer.Detacher): scanning overlaps with
// reading.
func (v *visitor) Detach(*layer.Header) bool { return true }

// Class puts every file in one class: a hard link shares its target's
// visit (see layer.Classifier).
func (v *visitor) Class(*layer.Header) string { return "" }

// Visit scans one file.
func (v *visitor) Visit(ctx context.Context, h *layer.Header, r io.Reader) (*visitValue, error) {
	f := v.s.newFileScan(h.Path)
	f.keepClear = true
	// The file's checksums are wanted when it holds a finding: a file in
	// memory is hashed after the scan if so, a file of a tree read again;
	// a file streamed from a layer (over 1 MiB, or sparse) is hashed as it
	// streams by.
	ra, inMemory := r.(io.ReadSeeker)
	var tee *teeSummer
	if !inMemory && v.tree == nil {
		tee = &teeSummer{r: r, sum: newSummer()}
		r = tee
	}
	fds, n, err := v.s.scanStream(ctx, f, r, true, h.Size)
	val := &visitValue{bytes: n}
	if errors.Is(err, errBinary) {
		val.binary = true
		return val, nil
	}
	for i := range fds {
		val.matches = append(val.matches, visitMatch{finding: fds[i], secret: fds[i].Secret})
	}
	if len(fds) > 0 {
		switch {
		case inMemory:
			if _, serr := ra.Seek(0, io.SeekStart); serr == nil {
				val.sums, _ = sumsOf(ra)
			}
		case v.tree != nil:
			val.sums = sumsOfFile(v.tree.fsys, h.Path, v.s.maxFile)
		case err == nil:
			// Whatever the scan left unread counts in the checksum too.
			if _, cerr := io.Copy(io.Discard, tee); cerr == nil {
				val.sums = tee.sum.sums()
			}
		}
	}
	return val, err
}

// findings turns a visit into findings with the visited path, the
// layer's diffID and whether the final filesystem shows that file.
func (v *visitor) findings(f *layer.File[*visitValue], res *layer.Result) []Finding {
	val := f.Value
	if val == nil {
		return nil
	}
	layer := res.DiffID(f.Header.Layer)
	visible := res.View == nil || res.View.Visible(f.Header.Path, f.Header.Layer)
	out := make([]Finding, 0, len(val.matches))
	for _, m := range val.matches {
		fd := m.finding
		fd.File, fd.Layer, fd.Visible = f.Header.Path, layer, visible
		if m.cached {
			out = append(out, fd) // fingerprinted and redacted when stored
			continue
		}
		fd.Fingerprint = Fingerprint(fd.RuleID, fd.File, m.secret)
		fd.Secret = m.secret
		if !v.s.reveal {
			fd.Secret = Redact(m.secret)
		}
		out = append(out, fd)
	}
	return out
}

// treeIgnore decides, file by file, what git ignores in a tree: the
// .gitignore files of a path's directories (and .git/info/exclude at the
// root) are read when a file below them is first asked about.
type treeIgnore struct {
	s     *Scanner
	fsys  fs.FS
	mu    sync.Mutex
	files map[string]*ignoreFile // by directory; nil entry: none there
	dirs  map[string]bool        // directory → ignored
}

// inGit reports a path inside a .git directory, which is never scanned.
func (t *treeIgnore) inGit(p string) bool {
	return strings.HasPrefix(p, ".git/") || strings.Contains(p, "/.git/")
}

// ignored reports whether git ignores the file p: one of its directories
// is ignored (git cannot re-include what is below it), or p itself.
func (t *treeIgnore) ignored(p string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := 0; i < len(p); i++ {
		if p[i] == '/' && t.dirIgnored(p[:i]) {
			return true
		}
	}
	return t.set(p).ignored(p, false)
}

// dirIgnored reports, and remembers, whether the directory d is ignored;
// its ancestors are asked first by the caller.
func (t *treeIgnore) dirIgnored(d string) bool {
	ig, ok := t.dirs[d]
	if !ok {
		ig = t.set(d).ignored(d, true)
		t.dirs[d] = ig
	}
	return ig
}

// set returns the ignore files that apply to p, reading the ones not yet
// read.
func (t *treeIgnore) set(p string) *ignoreSet {
	dirs := []string{""}
	for i := 0; i < len(p); i++ {
		if p[i] == '/' {
			dirs = append(dirs, p[:i])
		}
	}
	for _, d := range dirs {
		if _, ok := t.files[d]; ok {
			continue
		}
		var f *ignoreFile
		if b, err := readSmall(t.fsys, joinPath(d, ".gitignore")); err == nil {
			f = parseIgnore(d, b)
		}
		if d == "" {
			if b, err := readSmall(t.fsys, ".git/info/exclude"); err == nil {
				ex := parseIgnore("", b)
				if f != nil { // .gitignore wins over info/exclude
					ex.patterns = append(ex.patterns, f.patterns...)
				}
				f = ex
			}
		}
		t.files[d] = f
	}
	return &ignoreSet{files: t.files}
}

func joinPath(dir, base string) string {
	if dir == "" {
		return base
	}
	return dir + "/" + base
}
