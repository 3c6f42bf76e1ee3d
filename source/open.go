package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/shipshape-dev/shipshape/result"
)

// Source is an opened image or directory tree: what the checks read.
type Source struct {
	// Ref is the reference it was opened by; its Scheme is empty for a
	// source made with Image or FS.
	Ref Ref
	// Name is how results name the source: the registry reference, the
	// name recorded in an archive or layout, or the path.
	Name string
	// Image is the image; nil for a directory.
	Image v1.Image
	// FS is the directory tree, confined to its root (symlinks are never
	// followed out of it); nil for an image.
	FS fs.FS
	// Digest is the image's manifest digest when the image has a manifest
	// a registry would serve; empty for docker-archive and directories.
	Digest string
	// Reference is the registry reference the image was pulled by
	// ("ghcr.io/org/app:1.2"); empty for images from files.
	Reference string
	// ManifestCostly says that asking the image for its manifest (and so
	// for its digest or its layers' blob digests) costs a compression of
	// every layer: docker-archive images, whose layers are stored
	// uncompressed and whose archive holds no registry manifest.
	ManifestCostly bool

	closers []io.Closer
}

// FromImage makes a Source of an image the caller already holds, named
// name. Nothing is read: the walk of the image (package layer) reads its
// manifest for the digests. Set ManifestCostly on the result for an image
// whose manifest costs a compression of every layer.
func FromImage(img v1.Image, name string) (*Source, error) {
	if img == nil {
		return nil, fmt.Errorf("%w: nil image", result.ErrInvalidOption)
	}
	return &Source{Name: name, Image: img}, nil
}

// FromFS makes a Source of a directory tree the caller already holds,
// named name. Use an fs.FS that does not follow symlinks out of the tree
// (os.Root.FS does not; os.DirFS does).
func FromFS(fsys fs.FS, name string) (*Source, error) {
	if fsys == nil {
		return nil, fmt.Errorf("%w: nil file system", result.ErrInvalidOption)
	}
	return &Source{Name: name, FS: fsys}, nil
}

// Close releases the files the source holds open.
func (s *Source) Close() error {
	var errs []error
	for _, c := range s.closers {
		errs = append(errs, c.Close())
	}
	s.closers = nil
	return errors.Join(errs...)
}

// OpenOption configures Open.
type OpenOption func(*openOptions) error

type openOptions struct {
	platform *v1.Platform
	keychain authn.Keychain
	remote   []remote.Option
	insecure bool
}

// WithPlatform selects the image of a multi-platform index:
// "os/arch[/variant]", e.g. "linux/arm64/v8". The default is linux/amd64.
func WithPlatform(p string) OpenOption {
	return func(o *openOptions) error {
		pl, err := v1.ParsePlatform(p)
		if err != nil || pl.OS == "" || pl.Architecture == "" {
			return fmt.Errorf("%w: platform %q, want os/arch[/variant]", result.ErrInvalidOption, p)
		}
		o.platform = pl
		return nil
	}
}

// WithKeychain sets the credentials for registries; the default is
// authn.DefaultKeychain (Docker's config and credential helpers).
func WithKeychain(k authn.Keychain) OpenOption {
	return func(o *openOptions) error {
		if k == nil {
			return fmt.Errorf("%w: nil keychain", result.ErrInvalidOption)
		}
		o.keychain = k
		return nil
	}
}

// WithRemoteOptions passes further options (a transport, a user agent) to
// go-containerregistry's remote package.
func WithRemoteOptions(opts ...remote.Option) OpenOption {
	return func(o *openOptions) error {
		o.remote = append(o.remote, opts...)
		return nil
	}
}

// WithInsecureRegistryUnsafe lets registry references use plain HTTP.
// Loopback and private addresses use it anyway.
func WithInsecureRegistryUnsafe() OpenOption {
	return func(o *openOptions) error {
		o.insecure = true
		return nil
	}
}

var defaultPlatform = v1.Platform{OS: "linux", Architecture: "amd64"}

// Open opens an image or directory named with a scheme:
//
//	registry:REF          an image in a registry (the network is used)
//	docker-archive:PATH   the output of docker save
//	oci-layout:DIR        an OCI image layout directory
//	oci-archive:PATH      a tar of an OCI image layout
//	dir:PATH              a root filesystem or source tree on disk
//
// oci-layout and oci-archive accept a suffix selecting one image of
// several: ":NAME" (the org.opencontainers.image.ref.name annotation) or
// "@sha256:…" (see ParseRef). Multi-platform indexes resolve to the
// platform set with WithPlatform. Close the source when done.
func Open(ctx context.Context, ref string, opts ...OpenOption) (*Source, error) {
	r, err := ParseRef(ref)
	if err != nil {
		return nil, err
	}
	return OpenRef(ctx, r, opts...)
}

// OpenRef opens a parsed reference (see Open).
func OpenRef(ctx context.Context, r Ref, opts ...OpenOption) (*Source, error) {
	o := &openOptions{keychain: authn.DefaultKeychain}
	for _, opt := range opts {
		if err := opt(o); err != nil {
			return nil, err
		}
	}
	if o.platform == nil {
		p := defaultPlatform
		o.platform = &p
	}
	var s *Source
	var err error
	switch r.Scheme {
	case SchemeRegistry:
		s, err = openRegistry(ctx, r.Path, o)
	case SchemeDockerArchive:
		s, err = openDockerArchive(r.Path)
	case SchemeOCILayout:
		s, err = openOCILayout(r.Path, r.Selector, o)
	case SchemeOCIArchive:
		s, err = openOCIArchive(r.Path, r.Selector, o)
	case SchemeDir:
		s, err = openDir(r.Path)
	default:
		return nil, fmt.Errorf("%w: %q (want registry, docker-archive, oci-layout, oci-archive or dir)", ErrUnknownScheme, r.Scheme)
	}
	if err != nil {
		return nil, err
	}
	s.Ref = r
	return s, nil
}

func openRegistry(ctx context.Context, ref string, o *openOptions) (*Source, error) {
	var nopts []name.Option
	if o.insecure {
		nopts = append(nopts, name.Insecure)
	}
	r, err := name.ParseReference(ref, nopts...)
	if err != nil {
		return nil, fmt.Errorf("registry reference %q: %w", ref, err)
	}
	ropts := append([]remote.Option{
		remote.WithContext(ctx),
		remote.WithAuthFromKeychain(o.keychain),
	}, o.remote...)
	desc, err := remote.Get(r, ropts...)
	if err != nil {
		return nil, fmt.Errorf("registry image %s: %w", ref, err)
	}
	var img v1.Image
	if desc.MediaType.IsIndex() {
		idx, ierr := desc.ImageIndex()
		if ierr == nil {
			img, _, ierr = selectImage(ggcrIndex{idx}, "", *o.platform)
		}
		err = ierr
	} else {
		img, err = desc.Image()
	}
	if err != nil {
		return nil, fmt.Errorf("registry image %s: %w", ref, err)
	}
	d, err := img.Digest()
	if err != nil {
		return nil, fmt.Errorf("registry image %s: %w", ref, err)
	}
	if img, err = wrapFast(img, compressedBlob); err != nil {
		return nil, fmt.Errorf("registry image %s: %w", ref, err)
	}
	return &Source{Name: ref, Reference: ref, Image: img, Digest: d.String()}, nil
}

func openDockerArchive(path string) (*Source, error) {
	opener := func() (io.ReadCloser, error) { return os.Open(path) }
	m, err := tarball.LoadManifest(opener)
	if err != nil {
		return nil, fmt.Errorf("docker-archive %s: %w", path, err)
	}
	if len(m) != 1 {
		var tags []string
		for _, d := range m {
			tags = append(tags, d.RepoTags...)
		}
		return nil, fmt.Errorf("%w: docker-archive %s holds %d images (%s); save one image per archive",
			ErrNoMatchingImage, path, len(m), strings.Join(tags, ", "))
	}
	img, err := tarball.Image(opener, nil)
	if err != nil {
		return nil, fmt.Errorf("docker-archive %s: %w", path, err)
	}
	// Read layer files in place from an index of the tar, whether docker
	// save stored them compressed or not.
	a, err := indexTar(path)
	if err != nil {
		return nil, fmt.Errorf("docker-archive %s: %w", path, err)
	}
	layerFiles := m[0].Layers
	img, err = wrapFast(img, func(i int, l v1.Layer) func() (io.ReadCloser, error) {
		if i >= len(layerFiles) {
			return l.Uncompressed
		}
		name := cleanTarName(layerFiles[i])
		return func() (io.ReadCloser, error) {
			rc, _, err := a.open(name)
			return rc, err
		}
	})
	if err != nil {
		a.f.Close()
		return nil, fmt.Errorf("docker-archive %s: %w", path, err)
	}
	s := &Source{Name: path, Image: img, ManifestCostly: true, closers: []io.Closer{a.f}}
	if len(m[0].RepoTags) > 0 {
		s.Name = m[0].RepoTags[0]
	}
	return s, nil
}

func openOCILayout(dir, sel string, o *openOptions) (*Source, error) {
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return nil, fmt.Errorf("oci-layout %s: %w", dir, err)
	}
	img, desc, err := selectImage(ggcrIndex{idx}, sel, *o.platform)
	if err == nil {
		img, err = wrapFast(img, compressedBlob)
	}
	if err != nil {
		return nil, fmt.Errorf("oci-layout %s: %w", dir, err)
	}
	return &Source{Name: refName(desc, dir), Image: img, Digest: desc.Digest.String()}, nil
}

func openDir(path string) (*Source, error) {
	root, err := os.OpenRoot(path)
	if err != nil {
		return nil, fmt.Errorf("dir %s: %w", path, err)
	}
	return &Source{Name: path, FS: root.FS(), closers: []io.Closer{root}}, nil
}

const refNameAnnotation = "org.opencontainers.image.ref.name"

func refName(d v1.Descriptor, fallback string) string {
	if n := d.Annotations[refNameAnnotation]; n != "" {
		return n
	}
	return fallback
}

// indexSource is what image selection needs of an index.
type indexSource interface {
	IndexManifest() (*v1.IndexManifest, error)
	Image(v1.Hash) (v1.Image, error)
	Child(v1.Hash) (indexSource, error)
}

// ggcrIndex adapts a v1.ImageIndex.
type ggcrIndex struct{ v1.ImageIndex }

func (g ggcrIndex) Child(h v1.Hash) (indexSource, error) {
	c, err := g.ImageIndex.ImageIndex(h)
	if err != nil {
		return nil, err
	}
	return ggcrIndex{c}, nil
}

// selectImage picks one image from an index: by tag or digest when sel is
// set, else the only one, descending into nested indexes by platform.
func selectImage(idx indexSource, sel string, pl v1.Platform) (v1.Image, v1.Descriptor, error) {
	for depth := 0; depth < 8; depth++ {
		im, err := idx.IndexManifest()
		if err != nil {
			return nil, v1.Descriptor{}, err
		}
		d, err := pick(im.Manifests, sel, pl)
		if err != nil {
			return nil, v1.Descriptor{}, err
		}
		if d.MediaType.IsImage() || (!d.MediaType.IsIndex() && d.MediaType != "") {
			img, err := idx.Image(d.Digest)
			return img, *d, err
		}
		child, err := idx.Child(d.Digest)
		if err != nil {
			return nil, v1.Descriptor{}, err
		}
		idx, sel = child, ""
	}
	return nil, v1.Descriptor{}, fmt.Errorf("%w: indexes nested too deeply", ErrNoMatchingImage)
}

// variant is a platform's CPU variant with the defaults filled in.
func variant(arch, v string) string {
	if v != "" {
		return v
	}
	switch arch {
	case "arm64":
		return "v8"
	case "arm":
		return "v7"
	}
	return ""
}

func pick(ms []v1.Descriptor, sel string, pl v1.Platform) (*v1.Descriptor, error) {
	if sel != "" {
		for i := range ms {
			if ms[i].Digest.String() == sel || ms[i].Annotations[refNameAnnotation] == sel {
				return &ms[i], nil
			}
		}
		return nil, fmt.Errorf("%w: nothing tagged or with digest %q", ErrNoMatchingImage, sel)
	}
	if len(ms) == 1 {
		return &ms[0], nil
	}
	var match []*v1.Descriptor
	for i := range ms {
		if p := ms[i].Platform; p != nil && p.Satisfies(pl) {
			match = append(match, &ms[i])
		}
	}
	if len(match) == 0 {
		// Builders write arm64 without a variant and arm without v7:
		// compare variants the way containerd normalizes them.
		for i := range ms {
			if p := ms[i].Platform; p != nil && p.OS == pl.OS && p.Architecture == pl.Architecture &&
				variant(p.Architecture, p.Variant) == variant(pl.Architecture, pl.Variant) {
				match = append(match, &ms[i])
			}
		}
	}
	if len(match) == 1 {
		return match[0], nil
	}
	var names []string
	for _, m := range ms {
		n := m.Digest.String()
		if t := m.Annotations[refNameAnnotation]; t != "" {
			n = t
		}
		if m.Platform != nil {
			n += " (" + m.Platform.String() + ")"
		}
		names = append(names, n)
	}
	return nil, fmt.Errorf("%w: %d candidates for %s: %s; select one with :TAG or @DIGEST",
		ErrNoMatchingImage, len(ms), pl.String(), strings.Join(names, ", "))
}
