// Package demo bundles shipshape's demo images, so that the quickstart runs
// offline on a fresh clone. The OCI archive is built by ./gen from the
// package-database files in ./src; see gen's documentation for what the
// images hold.
package demo

import (
	_ "embed"
	"os"
	"path/filepath"
)

//go:embed demo.oci.tar
var archive []byte

// Tags of the two images in the archive.
const (
	TagDebian = "debian"
	TagAlpine = "alpine"
)

// Archive returns a copy of the OCI archive.
func Archive() []byte { return append([]byte(nil), archive...) }

// Write writes the archive into dir as demo.oci.tar and returns its path.
// Open it with shipshape.Open(ctx, "oci-archive:"+path+":"+TagDebian).
func Write(dir string) (string, error) {
	p := filepath.Join(dir, "demo.oci.tar")
	return p, os.WriteFile(p, archive, 0o644)
}
