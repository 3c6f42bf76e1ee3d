package source_test

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/shipshape-dev/shipshape/layer/layertest"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/source"
)

func demoImage(t *testing.T, pkgName, arch string) v1.Image {
	t.Helper()
	img := layertest.Image(t, layertest.Layer(t,
		layertest.File("etc/os-release", "ID=debian\nVERSION_ID=12\n"),
		layertest.File("var/lib/dpkg/status", "Package: "+pkgName+"\nStatus: install ok installed\nArchitecture: "+arch+"\nVersion: 1.0-1\n"),
	))
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.Architecture = arch
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// packages opens ref and returns the names of the packages found.
func packages(t *testing.T, ref string, opts ...source.OpenOption) (*source.Source, []string) {
	t.Helper()
	tg, err := source.Open(context.Background(), ref, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tg.Close() })
	s, err := inventory(tg)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Errors) != 0 {
		t.Fatal(s.Errors)
	}
	var names []string
	for _, p := range s.Packages {
		names = append(names, p.Name)
	}
	return tg, names
}

// inventory lists the packages of an opened source.
func inventory(src *source.Source) (*sbom.SBOM, error) {
	if src.Image != nil {
		return sbom.FromImage(context.Background(), src.Image, sbom.WithName(src.Name))
	}
	return sbom.FromFS(context.Background(), src.FS, sbom.WithName(src.Name))
}

func TestOpenRegistry(t *testing.T) {
	srv := httptest.NewServer(registry.New())
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")

	single := demoImage(t, "single", "amd64")
	ref, err := name.ParseReference(host + "/app:1")
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, single); err != nil {
		t.Fatal(err)
	}
	tg, names := packages(t, "registry:"+host+"/app:1")
	want, _ := single.Digest()
	if strings.Join(names, ",") != "single" || tg.Digest != want.String() || tg.Name != host+"/app:1" {
		t.Errorf("names %v, target %+v", names, tg)
	}

	// A multi-platform index resolves to the requested platform.
	idx := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: demoImage(t, "on-amd64", "amd64"), Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
		mutate.IndexAddendum{Add: demoImage(t, "on-arm64", "arm64"), Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64"}}},
	)
	iref, _ := name.ParseReference(host + "/multi:1")
	if err := remote.WriteIndex(iref, idx); err != nil {
		t.Fatal(err)
	}
	if _, names := packages(t, "registry:"+host+"/multi:1"); strings.Join(names, ",") != "on-amd64" {
		t.Errorf("default platform: %v", names)
	}
	if _, names := packages(t, "registry:"+host+"/multi:1", source.WithPlatform("linux/arm64")); strings.Join(names, ",") != "on-arm64" {
		t.Errorf("arm64: %v", names)
	}
	// The index says arm64 without a variant; v8 is the same platform.
	if _, names := packages(t, "registry:"+host+"/multi:1", source.WithPlatform("linux/arm64/v8")); strings.Join(names, ",") != "on-arm64" {
		t.Errorf("registry arm64/v8: %v", names)
	}
	if _, names := packages(t, "oci-archive:"+tarDir(t, layoutWithIndex(t, idx)), source.WithPlatform("linux/arm64/v8")); strings.Join(names, ",") != "on-arm64" {
		t.Errorf("arm64/v8: %v", names)
	}
	if _, err := source.Open(context.Background(), "registry:"+host+"/missing:1"); err == nil {
		t.Error("missing image opened")
	}
}

// layoutWithIndex writes an OCI layout holding idx.
func layoutWithIndex(t *testing.T, idx v1.ImageIndex) string {
	t.Helper()
	dir := t.TempDir()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendIndex(idx); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestOpenDockerArchive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "image.tar")
	tag, _ := name.NewTag("example.com/app:2")
	if err := tarball.WriteToFile(path, tag, demoImage(t, "from-archive", "amd64")); err != nil {
		t.Fatal(err)
	}
	tg, names := packages(t, "docker-archive:"+path)
	if strings.Join(names, ",") != "from-archive" || tg.Name != "example.com/app:2" || tg.Digest != "" {
		t.Errorf("names %v, target %+v", names, tg)
	}
}

// writeLayout writes an OCI layout with two tagged images.
func writeLayout(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"first", "second", "app:1.0"} {
		if err := p.AppendImage(demoImage(t, n, "amd64"), layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": n})); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestOpenOCILayout(t *testing.T) {
	dir := writeLayout(t)
	tg, names := packages(t, "oci-layout:"+dir+":second")
	if strings.Join(names, ",") != "second" || tg.Name != "second" || !strings.HasPrefix(tg.Digest, "sha256:") {
		t.Errorf("names %v, target %+v", names, tg)
	}
	if _, err := source.Open(context.Background(), "oci-layout:"+dir); !errors.Is(err, source.ErrNoMatchingImage) || !strings.Contains(err.Error(), "first") {
		t.Errorf("ambiguous layout: %v", err)
	}
	if _, err := source.Open(context.Background(), "oci-layout:"+dir+":third"); !errors.Is(err, source.ErrNoMatchingImage) {
		t.Errorf("unknown tag: %v", err)
	}
	// A name with a colon of its own, which sign always accepted and Open
	// did not (it split at the last colon).
	tg, names = packages(t, "oci-layout:"+dir+":app:1.0")
	if strings.Join(names, ",") != "app:1.0" || tg.Name != "app:1.0" || tg.Ref.Selector != "app:1.0" {
		t.Errorf("names %v, target %+v", names, tg)
	}
}

// tarDir writes dir as a tar file.
func tarDir(t *testing.T, dir string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "image.oci.tar")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	tw := tar.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(&tar.Header{Name: "./" + filepath.ToSlash(rel), Mode: 0o644, Size: fi.Size()}); err != nil {
			return err
		}
		src, err := os.Open(p)
		if err != nil {
			return err
		}
		defer src.Close()
		_, err = io.Copy(tw, src)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return out
}

func TestOpenOCIArchive(t *testing.T) {
	archive := tarDir(t, writeLayout(t))
	tg, names := packages(t, "oci-archive:"+archive+":first")
	if strings.Join(names, ",") != "first" || tg.Name != "first" {
		t.Errorf("names %v, target %+v", names, tg)
	}
	// A multi-platform index inside the archive.
	dir := t.TempDir()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	idx := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: demoImage(t, "on-amd64", "amd64"), Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
		mutate.IndexAddendum{Add: demoImage(t, "on-arm64", "arm64"), Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64"}}},
	)
	if err := p.AppendIndex(idx); err != nil {
		t.Fatal(err)
	}
	if _, names := packages(t, "oci-archive:"+tarDir(t, dir), source.WithPlatform("linux/arm64")); strings.Join(names, ",") != "on-arm64" {
		t.Errorf("arm64 from archive: %v", names)
	}
	// Not an archive.
	bad := filepath.Join(t.TempDir(), "bad.tar")
	os.WriteFile(bad, []byte("not a tar"), 0o644)
	if _, err := source.Open(context.Background(), "oci-archive:"+bad); !errors.Is(err, source.ErrArchive) {
		t.Errorf("bad archive: %v", err)
	}
}

func TestOpenDir(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "var/lib/dpkg"), 0o755)
	os.WriteFile(filepath.Join(dir, "var/lib/dpkg/status"), []byte("Package: on-disk\nStatus: install ok installed\nVersion: 1\nArchitecture: all\n"), 0o644)
	tg, names := packages(t, "dir:"+dir)
	if strings.Join(names, ",") != "on-disk" || tg.FS == nil || tg.Image != nil {
		t.Errorf("names %v, target %+v", names, tg)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "x.tar")
	os.WriteFile(file, []byte("x"), 0o644)
	for _, tt := range []struct {
		ref     string
		err     error
		suggest string
	}{
		{dir, source.ErrNoScheme, "dir:" + dir},
		{file, source.ErrNoScheme, "docker-archive:" + file},
		{"debian", source.ErrNoScheme, "registry:debian"},
		{"ftp:thing", source.ErrUnknownScheme, "registry:ftp:thing"},
	} {
		_, err := source.Open(context.Background(), tt.ref)
		if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.suggest) {
			t.Errorf("Open(%q) = %v, want %v suggesting %s", tt.ref, err, tt.err, tt.suggest)
		}
	}
	if _, err := source.Open(context.Background(), "registry:x", source.WithPlatform("nonsense")); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("bad platform: %v", err)
	}
}

// Old docker save writes a repeated layer once and links the second copy.
func TestOpenDockerArchiveLinkedLayer(t *testing.T) {
	layer := layertest.Tar(t, layertest.File("var/lib/dpkg/status", "Package: twice\nStatus: install ok installed\nVersion: 1\nArchitecture: all\n"))
	diff, _, err := v1.SHA256(bytes.NewReader(layer))
	if err != nil {
		t.Fatal(err)
	}
	cfg := `{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["` + diff.String() + `","` + diff.String() + `"]}}`
	manifest := `[{"Config":"cfg.json","RepoTags":["linked:1"],"Layers":["aaa/layer.tar","bbb/layer.tar"]}]`
	path := filepath.Join(t.TempDir(), "linked.tar")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	tw := tar.NewWriter(f)
	for _, e := range []struct {
		name, body, link string
	}{
		{name: "manifest.json", body: manifest},
		{name: "cfg.json", body: cfg},
		{name: "aaa/layer.tar", body: string(layer)},
		{name: "bbb/layer.tar", link: "../aaa/layer.tar"},
	} {
		h := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body)), Typeflag: tar.TypeReg}
		if e.link != "" {
			h.Typeflag, h.Linkname, h.Size = tar.TypeSymlink, e.link, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		io.WriteString(tw, e.body)
	}
	tw.Close()
	f.Close()
	tg, names := packages(t, "docker-archive:"+path)
	if strings.Join(names, ",") != "twice" || tg.Name != "linked:1" {
		t.Errorf("names %v, target %+v", names, tg)
	}
}

// TestBrokenLayout: a layout whose manifest names a missing layer blob,
// or whose config is not JSON, fails with an error naming the part.
func TestBrokenLayout(t *testing.T) {
	for _, tc := range []struct {
		name    string
		breakIt func(t *testing.T, img v1.Image, dir string) string // returns what the error must name
	}{
		{"missing layer", func(t *testing.T, img v1.Image, dir string) string {
			ls, _ := img.Layers()
			d, _ := ls[0].Digest()
			if err := os.Remove(filepath.Join(dir, "blobs", d.Algorithm, d.Hex)); err != nil {
				t.Fatal(err)
			}
			return d.Hex
		}},
		{"invalid config", func(t *testing.T, img v1.Image, dir string) string {
			d, _ := img.ConfigName()
			if err := os.WriteFile(filepath.Join(dir, "blobs", d.Algorithm, d.Hex), []byte("{not json"), 0o644); err != nil {
				t.Fatal(err)
			}
			return "config"
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p, err := layout.Write(dir, empty.Index)
			if err != nil {
				t.Fatal(err)
			}
			img := demoImage(t, "one", "amd64")
			if err := p.AppendImage(img); err != nil {
				t.Fatal(err)
			}
			want := tc.breakIt(t, img, dir)
			tg, err := source.Open(context.Background(), "oci-layout:"+dir)
			if err == nil {
				defer tg.Close()
				var s *sbom.SBOM
				s, err = inventory(tg)
				if err == nil {
					// A missing layer may also surface as a layer error.
					for _, e := range s.Errors {
						if strings.Contains(e.Error(), want) {
							return
						}
					}
					t.Fatalf("no error naming %s: %v", want, s.Errors)
				}
			}
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not name %s", err, want)
			}
		})
	}
}
