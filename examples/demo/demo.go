// Package demo bundles shipshape's demo images, so that the quickstart runs
// offline on a fresh clone. The OCI archive is built by ./gen from the
// package-database files in ./src; see gen's documentation for what the
// images hold.
package demo

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed demo.oci.tar
var archive []byte

//go:embed osv
var osvData embed.FS

// Tags of the two images in the archive.
const (
	TagDebian = "debian"
	TagAlpine = "alpine"
)

// Archive returns a copy of the OCI archive.
func Archive() []byte { return append([]byte(nil), archive...) }

// Write writes the archive into dir as demo.oci.tar and returns its path.
// Open it with source.Open(ctx, "oci-archive:"+path+":"+TagDebian).
func Write(dir string) (string, error) {
	p := filepath.Join(dir, "demo.oci.tar")
	return p, os.WriteFile(p, archive, 0o644)
}

// WriteOSV writes the demo's vulnerability data (OSV JSON records of the
// advisories that concern the demo images, see osv/README.md) into dir/osv
// and returns that directory, ready for scan.LoadDB.
func WriteOSV(dir string) (string, error) {
	err := fs.WalkDir(osvData, "osv", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := osvData.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	return filepath.Join(dir, "osv"), err
}
