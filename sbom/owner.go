package sbom

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"path"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/pkgdb"
	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/result"
)

// FileOwner is the package that installed a file, as the catalogers
// found it.
type FileOwner struct {
	// Package is the package's ID in the SBOM, and PURL its package URL.
	Package string `json:"package"`
	PURL    string `json:"purl,omitempty"`
	// Class is result.ClassVendor for a file an operating-system package
	// installed, result.ClassThirdParty for a file inside a language
	// package's directory (node_modules/x, site-packages/x, a gem, a
	// Composer or Go vendor directory).
	Class result.Class `json:"class"`
	// Digests are the file's checksums as the package database recorded
	// them ("md5:<hex>", "sha1:<hex>", "sha256:<hex>"): a file whose
	// content has one of them is the package's as shipped. Empty when the
	// database records none (language packages, some OS packages).
	Digests []string `json:"digests,omitempty"`
}

// FileOwners returns, for those of paths (clean, relative to the image
// root) that a package installed, the package and what its database
// recorded of the file, from the walk the last SBOM call assembled. A
// file an OS package lists is the OS package's, whoever else claims its
// directory; other files belong to the language package whose directory
// holds them (the deepest). Paths of neither are not in the map. Before
// SBOM was called it returns nil.
func (p *Pass) FileOwners(paths []string) map[string]FileOwner {
	a := p.last
	if a == nil || len(paths) == 0 {
		return nil
	}
	out := map[string]FileOwner{}
	wanted := map[string]bool{}
	for _, q := range paths {
		wanted[q] = true
		if pk := a.owner(q); pk != nil {
			out[q] = FileOwner{Package: pk.ID, PURL: pk.PURL, Class: result.ClassVendor}
		}
	}
	// The checksums of the OS-owned files asked about.
	owners := map[string]bool{}
	for _, o := range out {
		owners[o.Package] = true
	}
	dirs := map[string]string{}
	for _, fl := range a.fileLists {
		if fl.digests == nil || !owners[fl.pkg.ID] {
			continue
		}
		fl.digests(func(f, digest string) {
			c := a.canonical(f, dirs)
			if !wanted[c] {
				return
			}
			if o, ok := out[c]; ok && o.Package == fl.pkg.ID {
				o.Digests = append(o.Digests, digest)
				out[c] = o
			}
		})
	}
	roots := a.languageRoots()
	for _, q := range paths {
		if _, ok := out[q]; ok {
			continue
		}
		if pk := roots.owner(q); pk != nil {
			out[q] = FileOwner{Package: pk.ID, PURL: pk.PURL, Class: result.ClassThirdParty}
		} else if packageManagerDir(q) {
			out[q] = FileOwner{Class: result.ClassThirdParty}
		}
	}
	return out
}

// packageManagerDirs are directories that only package managers fill:
// a file in one is a third party's, even when the catalogers found no
// package there (a partial install, a cache).
var packageManagerDirs = []string{"node_modules/", "site-packages/", "dist-packages/", ".m2/repository/",
	"share/maven-repo/", "go/pkg/mod/", ".cargo/registry/", "vendor/bundle/", ".yarn/cache/", ".pnpm-store/"}

// packageManagerDir reports a path inside one of packageManagerDirs.
func packageManagerDir(p string) bool {
	for _, d := range packageManagerDirs {
		if strings.HasPrefix(p, d) || strings.Contains(p, "/"+d) {
			return true
		}
	}
	return false
}

// rootSet maps the directories (and single files) of language packages
// to the packages.
type rootSet struct {
	dirs  map[string]*pkg // "dir/" → package
	files map[string]*pkg // a file a package's record lists
}

// owner returns the package of the deepest directory holding p, or of p
// itself.
func (r rootSet) owner(p string) *pkg {
	if pk, ok := r.files[p]; ok {
		return pk
	}
	for i := len(p) - 1; i > 0; i-- {
		if p[i] == '/' {
			if pk, ok := r.dirs[p[:i+1]]; ok {
				return pk
			}
		}
	}
	return nil
}

// languageRoots works out where each language package's files are: its
// manifest's directory for npm, the gem's directory, the files a Python
// distribution's RECORD lists, a Composer package's vendor directory, a
// vendored Go module.
func (a *assembly) languageRoots() rootSet {
	r := rootSet{dirs: map[string]*pkg{}, files: map[string]*pkg{}}
	add := func(dir string, pk *pkg) {
		if dir == "" || dir == "/" {
			return
		}
		if _, ok := r.dirs[dir]; !ok {
			r.dirs[dir] = pk
		}
	}
	for _, pk := range a.pkgs {
		loc := pk.Location
		if i := strings.Index(loc, "!/"); i >= 0 { // inside an archive: the archive
			r.files[loc[:i]] = pk
			continue
		}
		dir, base := parentAndBase(loc)
		switch pk.Type {
		case TypeNPM:
			if base == "package.json" && (strings.Contains(dir, "/node_modules/") || strings.HasPrefix(dir, "node_modules/")) {
				add(dir+"/", pk)
			}
		case TypeGem:
			if parent, specs := parentAndBase(dir); specs == "specifications" && strings.HasSuffix(base, ".gemspec") {
				add(joinDir(parent, "gems", strings.TrimSuffix(base, ".gemspec"))+"/", pk)
			}
		case TypePyPI:
			if strings.HasSuffix(dir, ".dist-info") || strings.HasSuffix(dir, ".egg-info") {
				add(dir+"/", pk)
				site, _ := parentAndBase(dir)
				for _, f := range a.records[dir] {
					if c, err := layer.CleanPath(joinDir(site, f)); err == nil && c != "" {
						if _, ok := r.files[c]; !ok {
							r.files[c] = pk
						}
					}
				}
			}
		case TypeComposer:
			if strings.HasSuffix(loc, "vendor/composer/installed.json") {
				add(joinDir(path.Dir(dir), pk.Name)+"/", pk)
			}
		case TypeGolang:
			if base == "go.mod" || base == "modules.txt" {
				root := dir
				if base == "modules.txt" {
					root = path.Dir(dir)
				}
				add(joinDir(root, "vendor", pk.Name)+"/", pk)
			}
		case TypeMaven:
			r.files[loc] = pk
		}
	}
	return r
}

func joinDir(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" && p != "." {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "/")
}

// recordCataloger reads the file lists of installed Python distributions
// (dist-info's RECORD, egg-info's installed-files.txt), which say which
// files of site-packages are whose. It finds no packages of its own.
type recordCataloger struct{}

func (recordCataloger) Wants(h *layer.Header) bool {
	dir, base := parentAndBase(h.Path)
	return (base == "RECORD" && strings.HasSuffix(dir, ".dist-info")) ||
		(base == "installed-files.txt" && strings.HasSuffix(dir, ".egg-info"))
}

// maxRecordEntries bounds one distribution's file list.
const maxRecordEntries = 200_000

// errRecord marks a distribution's file list that cannot be read whole.
var errRecord = errors.New("malformed distribution file list")

func (recordCataloger) Visit(_ context.Context, h *layer.Header, r io.Reader) (any, error) {
	var files []string
	if strings.HasSuffix(h.Path, "installed-files.txt") {
		// Paths relative to the egg-info directory.
		err := pkgdb.Lines(r, func(_ int, line []byte, lerr error) error {
			if lerr == nil && len(line) > 0 && len(files) < maxRecordEntries {
				files = append(files, path.Join(path.Base(path.Dir(h.Path)), string(line)))
			}
			return nil
		})
		return files, err
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord, cr.LazyQuotes, cr.ReuseRecord = -1, true, true
	for len(files) < maxRecordEntries {
		rec, err := cr.Read()
		if err == io.EOF {
			return files, nil
		}
		if err != nil {
			return files, errors.Join(errRecord, err)
		}
		if len(rec) > 0 && rec[0] != "" {
			files = append(files, rec[0])
		}
	}
	return files, errRecord
}

func (recordCataloger) catalog(a *assembly, vs []*layer.File[any]) {
	idx := indexFiles(vs)
	for _, p := range idx.paths() {
		v := a.visible(idx, p)
		if v == nil || v.Header.Path != p {
			continue
		}
		if v.Err != nil {
			a.fileErr(v, v.Err)
		}
		if files, ok := v.Value.([]string); ok {
			dir, _ := parentAndBase(p)
			if a.records == nil {
				a.records = map[string][]string{}
			}
			a.records[dir] = files
		}
	}
}
