package sbom

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/shipshape-dev/shipshape/internal/pkgdb/apk"
	"github.com/shipshape-dev/shipshape/layer"
)

// apkDBPaths are where apk keeps its database: lib/apk/db (and usr/lib/apk/db
// on /usr-merged systems, where lib may be a symlink to it).
var apkDBPaths = []string{"lib/apk/db/installed", "usr/lib/apk/db/installed"}

// apkCataloger reads apk's installed database.
type apkCataloger struct{}

type apkDB struct {
	pkgs []apk.Package
	errs []error
}

// Class implements layer.Classifier: both paths are the same database.
func (apkCataloger) Class(*layer.Header) string { return "installed" }

func (apkCataloger) Wants(h *layer.Header) bool {
	return h.Path == apkDBPaths[0] || h.Path == apkDBPaths[1]
}

func (apkCataloger) Visit(_ context.Context, _ *layer.Header, r io.Reader) (any, error) {
	pkgs, errs := apk.Parse(r)
	return apkDB{pkgs: pkgs, errs: errs}, nil
}

func apkKeys(v *layer.File[any]) map[string]bool {
	db, ok := v.Value.(apkDB)
	if !ok {
		return nil
	}
	ks := make(map[string]bool, len(db.pkgs))
	for _, p := range db.pkgs {
		ks[p.Name+":"+p.Architecture+"="+p.Version] = true
	}
	return ks
}

func (apkCataloger) catalog(a *assembly, vs []*layer.File[any]) {
	idx := indexFiles(vs)
	done := map[string]bool{}
	for _, p := range apkDBPaths {
		v := a.visible(idx, p)
		if v == nil || done[v.Header.Path] {
			continue
		}
		done[v.Header.Path] = true
		if v.Err != nil {
			a.fileErr(v, v.Err)
			continue
		}
		db, ok := v.Value.(apkDB)
		if !ok {
			a.fileErr(v, errUnexpected)
			continue
		}
		for _, err := range db.errs {
			a.fileErr(v, fmt.Errorf("%w: %w", ErrDatabase, err))
		}
		layers := introduced(idx[v.Header.Path], v, apkKeys)
		found := make([]*pkg, len(db.pkgs))
		provides := map[string]*pkg{}
		for i, ap := range db.pkgs {
			pk := &pkg{Package: Package{
				Name:          ap.Name,
				Version:       ap.Version,
				Type:          TypeAPK,
				Arch:          ap.Architecture,
				SourceName:    ap.Origin,
				SourceVersion: ap.Version,
				Maintainer:    ap.Maintainer,
				Location:      v.Header.Path,
				Layer:         a.layerID(layers[ap.Name+":"+ap.Architecture+"="+ap.Version]),
				PURL: osPURL(TypeAPK, purlNamespace(a.distro, "alpine"), ap.Name, ap.Version, ap.Architecture,
					a.distro, ap.Origin, nil),
			}}
			if ap.License != "" {
				pk.Licenses = []string{ap.License}
			}
			found[i] = pk
			if len(ap.Files) > 0 {
				fl := fileList{pkg: pk, files: ap.Files}
				if files, sums := ap.Files, ap.SHA1s; len(sums) == len(files) {
					fl.digests = func(yield func(path, digest string)) {
						for i, s := range sums {
							if s != "" {
								yield(files[i], "sha1:"+hex.EncodeToString([]byte(s)))
							}
						}
					}
				}
				a.fileLists = append(a.fileLists, fl)
			}
			if _, ok := provides[ap.Name]; !ok {
				provides[ap.Name] = pk
			}
			for _, p := range ap.Provides {
				if _, ok := provides[p]; !ok {
					provides[p] = pk
				}
			}
		}
		for i, ap := range db.pkgs {
			for _, d := range ap.Depends {
				if dep, ok := provides[d]; ok && dep != found[i] {
					found[i].deps = append(found[i].deps, dep)
				}
			}
		}
		a.pkgs = append(a.pkgs, found...)
	}
}
