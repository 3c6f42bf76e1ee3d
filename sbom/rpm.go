package sbom

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/pkgdb/rpm"
	"github.com/shipshape-dev/shipshape/internal/pkgdb/rpm/rpmsqlite"
	"github.com/shipshape-dev/shipshape/layer"
)

// rpmDirs are the database directories rpm has used: var/lib/rpm, and
// usr/lib/sysimage/rpm since Fedora 36 and openSUSE (var/lib/rpm is then a
// symlink to it).
var rpmDirs = []string{"var/lib/rpm", "usr/lib/sysimage/rpm"}

// rpmFiles are the database files, in the order rpm's backends prefer them.
var rpmFiles = []string{"rpmdb.sqlite", "Packages.db", "Packages"}

// rpmCataloger reads the rpm database in any of its formats.
type rpmCataloger struct{}

type rpmDB struct {
	pkgs []rpm.Package
	errs []error
}

func (rpmCataloger) Wants(h *layer.Header) bool {
	dir, base := parentAndBase(h.Path)
	if dir != rpmDirs[0] && dir != rpmDirs[1] {
		return false
	}
	return base == rpmFiles[0] || base == rpmFiles[1] || base == rpmFiles[2]
}

// Class implements layer.Classifier: every database file is parsed alike.
func (rpmCataloger) Class(*layer.Header) string { return "rpmdb" }

func (rpmCataloger) Visit(ctx context.Context, _ *layer.Header, r io.Reader) (any, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	pkgs, errs := rpm.Parse(ctx, data, rpmsqlite.Blobs)
	return rpmDB{pkgs: pkgs, errs: errs}, nil
}

func parentAndBase(p string) (string, string) {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i], p[i+1:]
	}
	return "", p
}

func rpmKey(p *rpm.Package) string { return p.Name + ":" + p.Arch + "=" + p.EVR() }

func rpmKeys(v *layer.File[any]) map[string]bool {
	db, ok := v.Value.(rpmDB)
	if !ok {
		return nil
	}
	ks := make(map[string]bool, len(db.pkgs))
	for i := range db.pkgs {
		ks[rpmKey(&db.pkgs[i])] = true
	}
	return ks
}

func (rpmCataloger) catalog(a *assembly, vs []*layer.File[any]) {
	idx := indexFiles(vs)
	doneDirs := map[string]bool{}
	for _, dir := range rpmDirs {
		for _, f := range rpmFiles {
			v := a.visible(idx, dir+"/"+f)
			if v == nil {
				continue
			}
			real, _ := parentAndBase(v.Header.Path)
			if doneDirs[real] {
				break
			}
			doneDirs[real] = true
			a.catalogRPM(idx, v)
			break
		}
	}
}

func (a *assembly) catalogRPM(idx files, v *layer.File[any]) {
	if v.Err != nil {
		a.fileErr(v, v.Err)
		return
	}
	db, ok := v.Value.(rpmDB)
	if !ok {
		a.fileErr(v, errUnexpected)
		return
	}
	for _, err := range db.errs {
		a.fileErr(v, fmt.Errorf("%w: %w", ErrDatabase, err))
	}
	layers := introduced(idx[v.Header.Path], v, rpmKeys)
	found := make([]*pkg, len(db.pkgs))
	provides := map[string]*pkg{}
	for i := range db.pkgs {
		rp := &db.pkgs[i]
		pk := &pkg{Package: Package{
			Name:       rp.Name,
			Version:    rp.EVR(),
			Type:       TypeRPM,
			Arch:       rp.Arch,
			Maintainer: rp.Vendor,
			Location:   v.Header.Path,
			Layer:      a.layerID(layers[rpmKey(rp)]),
		}}
		var extra map[string]string
		if rp.Epoch != nil {
			extra = map[string]string{"epoch": strconv.Itoa(*rp.Epoch)}
		}
		if n, ver, rel, ok := rp.SourceNVR(); ok {
			pk.SourceName, pk.SourceVersion = n, ver+"-"+rel
			if rp.Epoch != nil {
				pk.SourceVersion = strconv.Itoa(*rp.Epoch) + ":" + pk.SourceVersion
			}
		}
		version := rp.Version
		if rp.Release != "" {
			version += "-" + rp.Release
		}
		pk.PURL = osPURL(TypeRPM, purlNamespace(a.distro, ""), rp.Name, version, rp.Arch, a.distro, rp.SourceRPM, extra)
		if rp.License != "" {
			pk.Licenses = []string{rp.License}
		}
		found[i] = pk
		if len(rp.Files) > 0 {
			fl := fileList{pkg: pk, files: rp.Files}
			if files, digests, algo := rp.Files, rp.Digests, rp.DigestAlgo; len(digests) == len(files) && algo != "" {
				fl.digests = func(yield func(path, digest string)) {
					for i, d := range digests {
						if d != "" {
							yield(files[i], algo+":"+strings.ToLower(d))
						}
					}
				}
			}
			a.fileLists = append(a.fileLists, fl)
		}
		for _, p := range append([]string{rp.Name}, append(rp.Provides, rp.Files...)...) {
			if _, ok := provides[p]; !ok {
				provides[p] = pk
			}
		}
	}
	for i := range db.pkgs {
		for _, req := range db.pkgs[i].Requires {
			if dep, ok := provides[req]; ok && dep != found[i] {
				found[i].deps = append(found[i].deps, dep)
			}
		}
	}
	a.pkgs = append(a.pkgs, found...)
}
