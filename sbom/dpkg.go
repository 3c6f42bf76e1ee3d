package sbom

import (
	"context"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"io"
	"sort"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/pkgdb/dpkg"
	"github.com/shipshape-dev/shipshape/layer"
)

const (
	dpkgStatus   = "var/lib/dpkg/status"
	dpkgStatusD  = "var/lib/dpkg/status.d/" // distroless: one file per package
	dpkgInfo     = "var/lib/dpkg/info/"     // <package>[:arch].list: the files of each package
	docDir       = "usr/share/doc/"
	copyrightSuf = "/copyright"
	md5sumsSuf   = ".md5sums"
)

// dpkgCataloger reads dpkg's status file, distroless status.d files, the
// copyright files that name the packages' licences, and the file lists
// (info/*.list, or status.d/*.md5sums) that say which files each package
// installed.
type dpkgCataloger struct{}

// dpkgFiles is a package's file list.
type dpkgFiles []string

// dpkgSums is a package's md5sums file. Under info/, where the .list
// file has the paths, only a hash of each path is kept with its digest
// (keys, sorted): 24 bytes a file instead of the path's string, for the
// hundred thousand files of a large image. A distroless status.d's
// md5sums is also the file list: its paths are kept (sums).
type dpkgSums struct {
	sums []dpkg.FileSum
	keys []pathSum
	errs []error
}

// pathSum is a file's MD5 under a hash of its path as dpkg recorded it.
type pathSum struct {
	Key uint64
	MD5 [16]byte
}

// pathKey hashes a recorded path (FNV-1a: stable across runs, for the
// layer cache).
func pathKey(p string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(strings.TrimPrefix(p, "/")))
	return h.Sum64()
}

// lookup returns the digest recorded for the path f, if any.
func (d *dpkgSums) lookup(f string) ([16]byte, bool) {
	k := pathKey(f)
	i := sort.Search(len(d.keys), func(i int) bool { return d.keys[i].Key >= k })
	if i < len(d.keys) && d.keys[i].Key == k {
		return d.keys[i].MD5, true
	}
	return [16]byte{}, false
}

type dpkgDB struct {
	pkgs []dpkg.Package
	errs []error
}

func (dpkgCataloger) Wants(h *layer.Header) bool {
	p := h.Path
	switch {
	case p == dpkgStatus:
		return true
	case strings.HasPrefix(p, dpkgStatusD):
		rest := p[len(dpkgStatusD):]
		return rest != "" && !strings.Contains(rest, "/")
	case strings.HasPrefix(p, dpkgInfo):
		rest := p[len(dpkgInfo):]
		return (strings.HasSuffix(rest, ".list") || strings.HasSuffix(rest, md5sumsSuf)) && !strings.Contains(rest, "/")
	case strings.HasPrefix(p, docDir) && strings.HasSuffix(p, copyrightSuf):
		mid := p[len(docDir) : len(p)-len(copyrightSuf)]
		return mid != "" && !strings.Contains(mid, "/")
	}
	return false
}

// Class implements layer.Classifier: the kinds of files dpkg keeps are
// parsed differently.
func (dpkgCataloger) Class(h *layer.Header) string {
	switch p := h.Path; {
	case strings.HasPrefix(p, docDir):
		return "copyright"
	case strings.HasSuffix(p, md5sumsSuf):
		return "md5sums"
	case strings.HasPrefix(p, dpkgInfo):
		return "list"
	}
	return "status"
}

func (dpkgCataloger) Visit(_ context.Context, h *layer.Header, r io.Reader) (any, error) {
	switch {
	case strings.HasSuffix(h.Path, copyrightSuf) && strings.HasPrefix(h.Path, docDir):
		return dpkg.Licenses(r)
	case strings.HasSuffix(h.Path, md5sumsSuf):
		sums, errs := dpkg.MD5Sums(r)
		if strings.HasPrefix(h.Path, dpkgStatusD) {
			return dpkgSums{sums: sums, errs: errs}, nil
		}
		keys := make([]pathSum, len(sums))
		for i := range sums {
			keys[i] = pathSum{Key: pathKey(sums[i].Path), MD5: sums[i].MD5}
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i].Key < keys[j].Key })
		return dpkgSums{keys: keys, errs: errs}, nil
	case strings.HasPrefix(h.Path, dpkgInfo):
		files, err := dpkg.FileList(r)
		return dpkgFiles(files), err
	}
	pkgs, errs := dpkg.Parse(r)
	return dpkgDB{pkgs: pkgs, errs: errs}, nil
}

func dpkgKey(p *dpkg.Package) string { return p.Name + ":" + p.Architecture + "=" + p.Version }

func dpkgKeys(v *layer.File[any]) map[string]bool {
	db, ok := v.Value.(dpkgDB)
	if !ok {
		return nil
	}
	ks := make(map[string]bool, len(db.pkgs))
	for i := range db.pkgs {
		if db.pkgs[i].Installed() {
			ks[dpkgKey(&db.pkgs[i])] = true
		}
	}
	return ks
}

func (dpkgCataloger) catalog(a *assembly, vs []*layer.File[any]) {
	idx := indexFiles(vs)
	var dbs []string
	if _, ok := idx[dpkgStatus]; ok {
		dbs = append(dbs, dpkgStatus)
	}
	var statusD []string
	for p := range idx {
		if strings.HasPrefix(p, dpkgStatusD) && !strings.HasSuffix(p, md5sumsSuf) {
			statusD = append(statusD, p)
		}
	}
	sort.Strings(statusD)
	dbs = append(dbs, statusD...)

	var found []*pkg
	var raw []*dpkg.Package
	for _, p := range dbs {
		v := a.visible(idx, p)
		if v == nil || v.Header.Path != p {
			continue // deleted by an upper layer, or reached through a link handled elsewhere
		}
		if v.Err != nil {
			a.fileErr(v, v.Err)
			continue
		}
		db, ok := v.Value.(dpkgDB)
		if !ok {
			a.fileErr(v, errUnexpected)
			continue
		}
		for _, err := range db.errs {
			a.fileErr(v, fmt.Errorf("%w: %w", ErrDatabase, err))
		}
		layers := introduced(idx[p], v, dpkgKeys)
		for i := range db.pkgs {
			dp := &db.pkgs[i]
			if !dp.Installed() {
				continue
			}
			upstream := dp.SourceName
			if dp.SourceVersion != dp.Version {
				upstream += "@" + dp.SourceVersion
			}
			pk := &pkg{Package: Package{
				Name:          dp.Name,
				Version:       dp.Version,
				Type:          TypeDeb,
				Arch:          dp.Architecture,
				SourceName:    dp.SourceName,
				SourceVersion: dp.SourceVersion,
				Maintainer:    dp.Maintainer,
				Location:      p,
				Layer:         a.layerID(layers[dpkgKey(dp)]),
				PURL: osPURL(TypeDeb, purlNamespace(a.distro, "debian"), dp.Name, dp.Version, dp.Architecture,
					a.distro, upstream, nil),
			}}
			if cv := a.visible(idx, docDir+dp.Name+copyrightSuf); cv != nil && cv.Err == nil {
				if ls, _ := cv.Value.([]string); len(ls) > 0 {
					pk.Licenses = ls
				}
			}
			a.fileLists = append(a.fileLists, dpkgFileList(a, idx, pk, dp, p))
			found = append(found, pk)
			raw = append(raw, dp)
		}
	}
	// Dependencies: the first alternative of each group that is installed,
	// by name or through Provides.
	byName := map[string]*pkg{}
	for i, pk := range found {
		if _, ok := byName[pk.Name]; !ok {
			byName[pk.Name] = pk
		}
		for _, prov := range raw[i].Provides {
			if _, ok := byName[prov]; !ok {
				byName[prov] = pk
			}
		}
	}
	for i, pk := range found {
		for _, group := range raw[i].Depends {
			for _, alt := range group {
				if d, ok := byName[alt]; ok && d != pk {
					pk.deps = append(pk.deps, d)
					break
				}
			}
		}
	}
	a.pkgs = append(a.pkgs, found...)
}

// dpkgFileList is what dpkg recorded of a package's files: the paths
// (info/<package>.list, or the md5sums of a distroless status.d) and the
// checksums (info/<package>.md5sums and the status file's Conffiles).
func dpkgFileList(a *assembly, idx files, pk *pkg, dp *dpkg.Package, status string) fileList {
	fl := fileList{pkg: pk}
	names := []string{dp.Name, dp.Name + ":" + dp.Architecture}
	if status == dpkgStatus {
		for _, n := range names {
			if lv := a.visible(idx, dpkgInfo+n+".list"); lv != nil && lv.Err == nil {
				if files, ok := lv.Value.(dpkgFiles); ok {
					fl.files = files
					break
				}
			}
		}
	}
	md5sums := []string{dpkgInfo + names[0] + md5sumsSuf, dpkgInfo + names[1] + md5sumsSuf}
	if status != dpkgStatus {
		md5sums = []string{status + md5sumsSuf}
	}
	var sums *dpkgSums
	for _, l := range md5sums {
		sv := a.visible(idx, l)
		if sv == nil || sv.Err != nil {
			continue
		}
		if ds, ok := sv.Value.(dpkgSums); ok {
			sums = &ds
			for _, err := range ds.errs {
				a.fileErr(sv, fmt.Errorf("%w: %w", ErrDatabase, err))
			}
		}
		break
	}
	if fl.files == nil && sums != nil { // distroless: the md5sums are the file list
		for _, s := range sums.sums {
			fl.files = append(fl.files, s.Path)
		}
	}
	conf := dp.Conffiles
	if sums == nil && len(conf) == 0 {
		return fl
	}
	files := fl.files
	fl.digests = func(yield func(path, digest string)) {
		if sums != nil {
			for i := range sums.sums {
				yield(sums.sums[i].Path, "md5:"+hex.EncodeToString(sums.sums[i].MD5[:]))
			}
			if len(sums.keys) > 0 {
				for _, f := range files {
					if sum, ok := sums.lookup(f); ok {
						yield(f, "md5:"+hex.EncodeToString(sum[:]))
					}
				}
			}
		}
		for i := range conf {
			yield(conf[i].Path, "md5:"+hex.EncodeToString(conf[i].MD5[:]))
		}
	}
	return fl
}
