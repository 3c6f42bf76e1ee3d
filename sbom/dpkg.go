package sbom

import (
	"context"
	"fmt"
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
		return strings.HasSuffix(rest, ".list") && !strings.Contains(rest, "/")
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
	case strings.HasPrefix(p, dpkgInfo):
		return "list"
	case strings.HasSuffix(p, md5sumsSuf):
		return "md5sums"
	}
	return "status"
}

func (dpkgCataloger) Visit(_ context.Context, h *layer.Header, r io.Reader) (any, error) {
	switch {
	case strings.HasSuffix(h.Path, copyrightSuf) && strings.HasPrefix(h.Path, docDir):
		return dpkg.Licenses(r)
	case strings.HasPrefix(h.Path, dpkgInfo):
		files, err := dpkg.FileList(r)
		return dpkgFiles(files), err
	case strings.HasSuffix(h.Path, md5sumsSuf):
		files, err := dpkg.MD5Sums(r)
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
			lists := []string{dpkgInfo + dp.Name + ".list", dpkgInfo + dp.Name + ":" + dp.Architecture + ".list"}
			if p != dpkgStatus {
				lists = []string{p + md5sumsSuf}
			}
			for _, l := range lists {
				if lv := a.visible(idx, l); lv != nil && lv.Err == nil {
					if files, ok := lv.Value.(dpkgFiles); ok {
						a.fileLists = append(a.fileLists, fileList{pkg: pk, files: files})
					}
					break
				}
			}
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
