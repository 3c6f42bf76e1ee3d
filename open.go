package shipshape

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/secrets"
)

// Schemes Open understands, as they appear before the first colon.
const (
	SchemeRegistry      = "registry"
	SchemeDockerArchive = "docker-archive"
	SchemeOCILayout     = "oci-layout"
	SchemeOCIArchive    = "oci-archive"
	SchemeDir           = "dir"
)

// Target is an opened image or directory tree.
type Target struct {
	// Scheme is one of the Scheme constants.
	Scheme string
	// Name is how results name the target: the image reference, the tag
	// recorded in an archive, or the path.
	Name string
	// Image is the image; nil for a directory.
	Image v1.Image
	// FS is the directory tree, confined to its root (symlinks are never
	// followed out of it); nil for an image.
	FS fs.FS
	// Digest is the image's manifest digest when the image has a manifest
	// a registry would serve; empty for docker-archive and directories.
	Digest string

	closers []io.Closer
}

// Close releases the files the target holds open.
func (t *Target) Close() error {
	var errs []error
	for _, c := range t.closers {
		errs = append(errs, c.Close())
	}
	t.closers = nil
	return errors.Join(errs...)
}

// SBOM inventories the target with sbom.FromImage or sbom.FromFS, naming it
// and recording its digest. opts come after those defaults and can override
// them.
func (t *Target) SBOM(ctx context.Context, opts ...sbom.Option) (*sbom.SBOM, error) {
	base := []sbom.Option{sbom.WithName(t.Name)}
	if t.Scheme == SchemeRegistry {
		base = append(base, sbom.WithReference(t.Name))
	}
	if t.Image != nil {
		base = append(base, sbom.WithDigest(t.Digest))
		return sbom.FromImage(ctx, t.Image, append(base, opts...)...)
	}
	return sbom.FromFS(ctx, t.FS, append(base, opts...)...)
}

// Secrets scans the target with s: every layer and the config of an
// image (secrets.Scanner.ScanImage), or every file of a directory
// (ScanFS), naming the report after the target.
func (t *Target) Secrets(ctx context.Context, s *secrets.Scanner) (*secrets.Report, error) {
	if t.Image != nil {
		return s.ScanImage(ctx, t.Image, t.Name)
	}
	return s.ScanFS(ctx, t.FS, t.Name)
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
// several: ":TAG" (the org.opencontainers.image.ref.name annotation) or
// "@sha256:…". Multi-platform indexes resolve to the platform set with
// WithPlatform. Close the target when done.
func Open(ctx context.Context, ref string, opts ...OpenOption) (*Target, error) {
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
	scheme, rest, ok := strings.Cut(ref, ":")
	if !ok || rest == "" {
		return nil, fmt.Errorf("%w: %q; %s", ErrNoScheme, ref, suggestScheme(ref))
	}
	switch scheme {
	case SchemeRegistry:
		return openRegistry(ctx, rest, o)
	case SchemeDockerArchive:
		return openDockerArchive(rest)
	case SchemeOCILayout:
		return openOCILayout(rest, o)
	case SchemeOCIArchive:
		return openOCIArchive(rest, o)
	case SchemeDir:
		return openDir(rest)
	}
	return nil, fmt.Errorf("%w: %q in %q (want registry, docker-archive, oci-layout, oci-archive or dir); %s",
		ErrUnknownScheme, scheme, ref, suggestScheme(ref))
}

// suggestScheme says which scheme a schemeless reference probably needs.
func suggestScheme(ref string) string {
	fi, err := os.Stat(ref)
	switch {
	case err == nil && fi.IsDir():
		if _, err := os.Stat(filepath.Join(ref, "index.json")); err == nil {
			return fmt.Sprintf("it is an OCI layout: oci-layout:%s", ref)
		}
		return fmt.Sprintf("it is a directory: dir:%s", ref)
	case err == nil:
		if isOCIArchive(ref) {
			return fmt.Sprintf("it is an OCI archive: oci-archive:%s", ref)
		}
		return fmt.Sprintf("it is a file: docker-archive:%s (docker save) or oci-archive:%s", ref, ref)
	}
	return fmt.Sprintf("for an image in a registry write registry:%s", ref)
}

func openRegistry(ctx context.Context, ref string, o *openOptions) (*Target, error) {
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
	return &Target{Scheme: SchemeRegistry, Name: ref, Image: img, Digest: d.String()}, nil
}

func openDockerArchive(path string) (*Target, error) {
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
	t := &Target{Scheme: SchemeDockerArchive, Name: path, Image: img, closers: []io.Closer{a.f}}
	if len(m[0].RepoTags) > 0 {
		t.Name = m[0].RepoTags[0]
	}
	return t, nil
}

func openOCILayout(spec string, o *openOptions) (*Target, error) {
	dir, sel := splitSelector(spec)
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
	return &Target{Scheme: SchemeOCILayout, Name: refName(desc, dir), Image: img, Digest: desc.Digest.String()}, nil
}

func openDir(path string) (*Target, error) {
	root, err := os.OpenRoot(path)
	if err != nil {
		return nil, fmt.Errorf("dir %s: %w", path, err)
	}
	return &Target{Scheme: SchemeDir, Name: path, FS: root.FS(), closers: []io.Closer{root}}, nil
}

// splitSelector splits "DIR:TAG" or "DIR@sha256:…" when DIR exists and the
// whole string does not.
func splitSelector(spec string) (path, sel string) {
	if _, err := os.Stat(spec); err == nil {
		return spec, ""
	}
	if i := strings.LastIndex(spec, "@sha256:"); i > 0 {
		return spec[:i], spec[i+1:]
	}
	if i := strings.LastIndexByte(spec, ':'); i > 0 {
		if _, err := os.Stat(spec[:i]); err == nil {
			return spec[:i], spec[i+1:]
		}
	}
	return spec, ""
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
