package source

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// maxMetadataBlob bounds index, manifest and config blobs read into memory.
const maxMetadataBlob = 64 << 20

// tarFile reads the files of a tar in place: the tar is indexed once and
// files are read as sections of it, so nothing is extracted. It backs
// oci-archive (a tar of an OCI image layout) and docker-archive.
type tarFile struct {
	f     *os.File
	path  string
	blobs map[string]section // clean names: "index.json", "blobs/sha256/<hex>"
	links map[string]string  // clean name → clean target (old docker save links repeated layers)
}

type section struct{ off, size int64 }

// offsetReader tracks how far into the file the tar reader stands. It is a
// Seeker so that archive/tar skips file contents instead of reading them.
type offsetReader struct {
	f *os.File
	n int64
}

func (o *offsetReader) Read(p []byte) (int, error) {
	n, err := o.f.Read(p)
	o.n += int64(n)
	return n, err
}

func (o *offsetReader) Seek(off int64, whence int) (int64, error) {
	n, err := o.f.Seek(off, whence)
	if err == nil {
		o.n = n
	}
	return n, err
}

func isOCIArchive(p string) bool {
	a, err := newOCIArchive(p)
	if err != nil {
		return false
	}
	a.f.Close()
	return true
}

func cleanTarName(n string) string { return strings.TrimPrefix(path.Clean("/"+n), "/") }

func newOCIArchive(p string) (*tarFile, error) {
	a, err := indexTar(p)
	if err != nil {
		return nil, err
	}
	if _, ok := a.blobs["index.json"]; !ok {
		a.f.Close()
		return nil, fmt.Errorf("%w: %s has no index.json", ErrArchive, p)
	}
	return a, nil
}

// indexTar records where each regular file's data lies in the tar at p.
func indexTar(p string) (*tarFile, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	a := &tarFile{f: f, path: p, blobs: map[string]section{}, links: map[string]string{}}
	or := &offsetReader{f: f}
	tr := tar.NewReader(or)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%w: %s: %w", ErrArchive, p, err)
		}
		switch h.Typeflag {
		case tar.TypeReg, '\x00':
		case tar.TypeSymlink:
			target := h.Linkname
			if !strings.HasPrefix(target, "/") {
				target = path.Join(path.Dir(cleanTarName(h.Name)), target)
			}
			a.links[cleanTarName(h.Name)] = cleanTarName(target)
			continue
		case tar.TypeLink:
			a.links[cleanTarName(h.Name)] = cleanTarName(h.Linkname)
			continue
		default:
			continue
		}
		// archive/tar reads headers in whole blocks and no further, so the
		// entry's data starts where the reader stands.
		a.blobs[cleanTarName(h.Name)] = section{off: or.n, size: h.Size}
	}
	return a, nil
}

func (a *tarFile) open(name string) (io.ReadCloser, int64, error) {
	for hops := 0; hops < 8; hops++ {
		target, ok := a.links[name]
		if !ok {
			break
		}
		name = target
	}
	s, ok := a.blobs[name]
	if !ok {
		return nil, 0, fmt.Errorf("%w: %s: missing %s", ErrArchive, a.path, name)
	}
	return io.NopCloser(io.NewSectionReader(a.f, s.off, s.size)), s.size, nil
}

func (a *tarFile) readSmall(name string) ([]byte, error) {
	rc, size, err := a.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if size > maxMetadataBlob {
		return nil, fmt.Errorf("%w: %s: %s is %d bytes", ErrArchive, a.path, name, size)
	}
	return io.ReadAll(rc)
}

func blobName(h v1.Hash) string { return "blobs/" + h.Algorithm + "/" + h.Hex }

// archiveIndex is one image index inside the archive.
type archiveIndex struct {
	a   *tarFile
	raw []byte
}

func (x *archiveIndex) IndexManifest() (*v1.IndexManifest, error) {
	return v1.ParseIndexManifest(bytes.NewReader(x.raw))
}

func (x *archiveIndex) Image(h v1.Hash) (v1.Image, error) {
	raw, err := x.a.readSmall(blobName(h))
	if err != nil {
		return nil, err
	}
	var m v1.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%w: manifest %s: %w", ErrArchive, h, err)
	}
	return partial.CompressedToImage(&archiveImage{a: x.a, raw: raw, manifest: &m})
}

func (x *archiveIndex) Child(h v1.Hash) (indexSource, error) {
	raw, err := x.a.readSmall(blobName(h))
	if err != nil {
		return nil, err
	}
	return &archiveIndex{a: x.a, raw: raw}, nil
}

// archiveImage implements partial.CompressedImageCore over the archive.
type archiveImage struct {
	a        *tarFile
	raw      []byte
	manifest *v1.Manifest
}

func (i *archiveImage) RawConfigFile() ([]byte, error) {
	return i.a.readSmall(blobName(i.manifest.Config.Digest))
}

func (i *archiveImage) MediaType() (types.MediaType, error) {
	if i.manifest.MediaType != "" {
		return i.manifest.MediaType, nil
	}
	return types.OCIManifestSchema1, nil
}

func (i *archiveImage) RawManifest() ([]byte, error) { return i.raw, nil }

func (i *archiveImage) LayerByDigest(h v1.Hash) (partial.CompressedLayer, error) {
	for _, d := range i.manifest.Layers {
		if d.Digest == h {
			return &archiveLayer{a: i.a, desc: d}, nil
		}
	}
	if i.manifest.Config.Digest == h {
		return &archiveLayer{a: i.a, desc: i.manifest.Config}, nil
	}
	return nil, fmt.Errorf("%w: %s: no layer %s", ErrArchive, i.a.path, h)
}

type archiveLayer struct {
	a    *tarFile
	desc v1.Descriptor
}

func (l *archiveLayer) Digest() (v1.Hash, error)            { return l.desc.Digest, nil }
func (l *archiveLayer) Size() (int64, error)                { return l.desc.Size, nil }
func (l *archiveLayer) MediaType() (types.MediaType, error) { return l.desc.MediaType, nil }
func (l *archiveLayer) Compressed() (io.ReadCloser, error) {
	rc, _, err := l.a.open(blobName(l.desc.Digest))
	return rc, err
}

func openOCIArchive(p, sel string, o *openOptions) (*Source, error) {
	a, err := newOCIArchive(p)
	if err != nil {
		return nil, fmt.Errorf("oci-archive %s: %w", p, err)
	}
	raw, err := a.readSmall("index.json")
	if err != nil {
		a.f.Close()
		return nil, err
	}
	img, desc, err := selectImage(&archiveIndex{a: a, raw: raw}, sel, *o.platform)
	if err == nil {
		img, err = wrapFast(img, compressedBlob)
	}
	if err != nil {
		a.f.Close()
		return nil, fmt.Errorf("oci-archive %s: %w", p, err)
	}
	return &Source{Name: refName(desc, p), Image: img, Digest: desc.Digest.String(), closers: []io.Closer{a.f}}, nil
}
