package layertest

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// StreamLayer is a layer generated on the fly, never held whole: Open
// returns its bytes as stored (gzip, or a plain tar stream) each time it
// is called. DiffID is what the config claims; when empty, a made-up
// digest is claimed, which the walker's integrity check will not match.
type StreamLayer struct {
	Open   func() (io.ReadCloser, error)
	DiffID string
}

// StreamImage is an image of generated layers on top of base (layers of
// ordinary bytes, whose digests are real). It never reads a generated
// layer to compute a digest.
func StreamImage(t testing.TB, base []v1.Layer, gen ...StreamLayer) v1.Image {
	t.Helper()
	img := &streamImage{layers: map[v1.Hash]partial.CompressedLayer{}}
	cf := &v1.ConfigFile{OS: "linux", Architecture: "amd64", Created: v1.Time{Time: epoch}, RootFS: v1.RootFS{Type: "layers"}}
	m := &v1.Manifest{SchemaVersion: 2, MediaType: types.OCIManifestSchema1}
	for _, l := range base {
		d, err := l.Digest()
		if err != nil {
			t.Fatal(err)
		}
		diff, err := l.DiffID()
		if err != nil {
			t.Fatal(err)
		}
		size, err := l.Size()
		if err != nil {
			t.Fatal(err)
		}
		img.layers[d] = l
		cf.RootFS.DiffIDs = append(cf.RootFS.DiffIDs, diff)
		m.Layers = append(m.Layers, v1.Descriptor{MediaType: types.OCILayer, Digest: d, Size: size})
	}
	for i, g := range gen {
		sum := sha256.Sum256([]byte(fmt.Sprintf("generated layer %d", i)))
		d := v1.Hash{Algorithm: "sha256", Hex: fmt.Sprintf("%x", sum)}
		diff := v1.Hash{Algorithm: "sha256", Hex: fmt.Sprintf("%x", sha256.Sum256(sum[:]))}
		if g.DiffID != "" {
			h, err := v1.NewHash(g.DiffID)
			if err != nil {
				t.Fatal(err)
			}
			diff = h
		}
		img.layers[d] = &streamLayer{digest: d, open: g.Open}
		cf.RootFS.DiffIDs = append(cf.RootFS.DiffIDs, diff)
		m.Layers = append(m.Layers, v1.Descriptor{MediaType: types.OCILayer, Digest: d, Size: 1})
	}
	var err error
	if img.config, err = json.Marshal(cf); err != nil {
		t.Fatal(err)
	}
	m.Config = v1.Descriptor{MediaType: types.OCIConfigJSON, Size: int64(len(img.config)), Digest: v1.Hash{Algorithm: "sha256", Hex: fmt.Sprintf("%x", sha256.Sum256(img.config))}}
	if img.manifest, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	out, err := partial.CompressedToImage(img)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

type streamImage struct {
	config, manifest []byte
	layers           map[v1.Hash]partial.CompressedLayer
}

func (s *streamImage) RawConfigFile() ([]byte, error) { return s.config, nil }
func (s *streamImage) MediaType() (types.MediaType, error) {
	return types.OCIManifestSchema1, nil
}
func (s *streamImage) RawManifest() ([]byte, error) { return s.manifest, nil }
func (s *streamImage) LayerByDigest(h v1.Hash) (partial.CompressedLayer, error) {
	if l, ok := s.layers[h]; ok {
		return l, nil
	}
	return nil, fmt.Errorf("no layer %s", h)
}

type streamLayer struct {
	digest v1.Hash
	open   func() (io.ReadCloser, error)
}

func (l *streamLayer) Digest() (v1.Hash, error)            { return l.digest, nil }
func (l *streamLayer) Compressed() (io.ReadCloser, error)  { return l.open() }
func (l *streamLayer) Size() (int64, error)                { return 1, nil }
func (l *streamLayer) MediaType() (types.MediaType, error) { return types.OCILayer, nil }

// TarStream returns an opener of a tar stream that write produces, piped
// as it is written: write adds entries to tw and returns; the stream ends
// with the archive's end marker.
func TarStream(write func(tw *tar.Writer) error) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) {
		pr, pw := io.Pipe()
		go func() {
			bw := bufio.NewWriterSize(pw, 1<<20)
			tw := tar.NewWriter(bw)
			err := write(tw)
			if err == nil {
				err = tw.Close()
			}
			if err == nil {
				err = bw.Flush()
			}
			pw.CloseWithError(err)
		}()
		return pr, nil
	}
}

// GzipZeroBomb returns an opener of a gzip stream holding a tar archive
// with one file, name, of size bytes of zeros, built by repeating one
// small compressed member: the stream is about a thousandth of size and
// nothing of size is ever held.
func GzipZeroBomb(t testing.TB, name string, size int64) func() (io.ReadCloser, error) {
	t.Helper()
	const chunk = 64 << 20
	var hdr bytes.Buffer
	tw := tar.NewWriter(&hdr)
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: size, Typeflag: tar.TypeReg, ModTime: epoch}); err != nil {
		t.Fatal(err)
	}
	// Only the header blocks (a PAX record block first, past 8 GiB) are
	// written yet: the data and end marker follow from the repeats.
	head := gzipOf(t, hdr.Bytes())
	zeros := gzipOf(t, make([]byte, chunk))
	rest := size % chunk
	pad := (512 - size%512) % 512
	tail := gzipOf(t, make([]byte, rest+pad+1024))
	n := size / chunk
	return func() (io.ReadCloser, error) {
		parts := []io.Reader{bytes.NewReader(head)}
		return io.NopCloser(io.MultiReader(append(parts, &repeatReader{b: zeros, n: n}, bytes.NewReader(tail))...)), nil
	}
}

func gzipOf(t testing.TB, b []byte) []byte { return gzipLevel(t, b, gzip.BestCompression) }

// repeatReader yields b n times.
type repeatReader struct {
	b   []byte
	n   int64
	off int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := copy(p, r.b[r.off:])
	r.off += k
	if r.off == len(r.b) {
		r.off = 0
		r.n--
	}
	return k, nil
}

// SparseTar returns a tar stream (uncompressed) holding one regular file
// of logical size size in the PAX 1.0 sparse format: all holes but for
// data at the very end. Go's tar writer does not write sparse files, so
// the blocks are built here.
func SparseTar(t testing.TB, name string, size int64, data []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	sparseMap := fmt.Sprintf("1\n%d\n%d\n", size-int64(len(data)), len(data))
	mapBlock := make([]byte, (len(sparseMap)+511)/512*512)
	copy(mapBlock, sparseMap)
	body := append(mapBlock, data...)
	records := ""
	for _, kv := range [][2]string{
		{"GNU.sparse.major", "1"}, {"GNU.sparse.minor", "0"}, {"GNU.sparse.name", name}, {"GNU.sparse.realsize", fmt.Sprint(size)},
	} {
		rec := " " + kv[0] + "=" + kv[1] + "\n"
		n := len(rec)
		for {
			l := len(fmt.Sprint(n)) + len(rec)
			if l == n {
				break
			}
			n = l
		}
		records += fmt.Sprint(n) + rec
	}
	out.Write(rawHeader("PaxHeaders/"+name, int64(len(records)), 'x'))
	out.Write(padBlock([]byte(records)))
	out.Write(rawHeader("GNUSparseFile.0/"+name, int64(len(body)), '0'))
	out.Write(padBlock(body))
	out.Write(make([]byte, 1024))
	return out.Bytes()
}

func padBlock(b []byte) []byte {
	return append(b, make([]byte, (512-len(b)%512)%512)...)
}

// rawHeader builds a ustar header block.
func rawHeader(name string, size int64, typ byte) []byte {
	h := make([]byte, 512)
	copy(h[0:100], name)
	copy(h[100:108], "0000644\x00")
	copy(h[108:116], "0000000\x00")
	copy(h[116:124], "0000000\x00")
	copy(h[124:136], fmt.Sprintf("%011o\x00", size))
	copy(h[136:148], fmt.Sprintf("%011o\x00", epoch.Unix()))
	h[156] = typ
	copy(h[257:263], "ustar\x00")
	copy(h[263:265], "00")
	copy(h[148:156], "        ")
	var sum int64
	for _, c := range h {
		sum += int64(c)
	}
	copy(h[148:156], fmt.Sprintf("%06o\x00 ", sum))
	return h
}

// TarStreamReader opens a stream opener and returns its reader, for
// wrapping; an error becomes the reader's error.
func TarStreamReader(open func() (io.ReadCloser, error)) io.ReadCloser {
	rc, err := open()
	if err != nil {
		pr, pw := io.Pipe()
		pw.CloseWithError(err)
		return pr
	}
	return rc
}
