package sign

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/match"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/shipshape-dev/shipshape/source"
	"github.com/sigstore/cosign/v2/pkg/cosign/bundle"
	"github.com/sigstore/cosign/v2/pkg/oci"
	"github.com/sigstore/cosign/v2/pkg/oci/static"
)

const (
	sigSuffix = ".sig"
	attSuffix = ".att"

	refNameAnnotation = "org.opencontainers.image.ref.name"
	// cosign's own OCI layouts (cosign save) mark manifests with this
	// annotation; cosign verify --local-image reads it.
	cosignKindAnnotation = "kind"
	cosignKindSigs       = "dev.cosignproject.cosign/sigs"
	cosignKindAtts       = "dev.cosignproject.cosign/atts"
)

// store is where an image and its signatures live: a registry repository
// or an OCI layout.
type store interface {
	// subject is the manifest the reference names, a tag resolved.
	subject(ctx context.Context) (v1.Descriptor, error)
	// children lists the manifests of the index h.
	children(ctx context.Context, h v1.Hash) ([]v1.Descriptor, error)
	// read returns the image under tag, or nil when there is none.
	read(ctx context.Context, tag string) (v1.Image, error)
	// write stores img under tag, replacing what was there.
	write(ctx context.Context, tag string, img v1.Image) error
	// identity is the repository name payloads claim for digest h.
	identity(h v1.Hash) (name.Digest, string, error)
}

// tagFor is the tag cosign stores signatures (".sig") or attestations
// (".att") of the manifest h under.
func tagFor(h v1.Hash, suffix string) string {
	return h.Algorithm + "-" + h.Hex + suffix
}

func openStore(ref string, o *options) (store, error) {
	r, err := source.ParseRef(ref)
	if err != nil {
		return nil, fmt.Errorf("%w: %w (want registry:REF or oci-layout:DIR)", ErrInvalidReference, err)
	}
	switch r.Scheme {
	case source.SchemeRegistry:
		nr, err := name.ParseReference(r.Path)
		if err != nil {
			return nil, fmt.Errorf("%w: %q: %w", ErrInvalidReference, ref, err)
		}
		return &registryStore{ref: nr, o: o}, nil
	case source.SchemeOCILayout:
		p, err := layout.FromPath(r.Path)
		if err != nil {
			return nil, fmt.Errorf("%w: oci-layout %s: %w", ErrInvalidReference, r.Path, err)
		}
		return &layoutStore{path: p, dir: r.Path, sel: r.Selector}, nil
	}
	return nil, fmt.Errorf("%w: scheme %q in %q (want registry or oci-layout)", ErrInvalidReference, r.Scheme, ref)
}

type registryStore struct {
	ref name.Reference
	o   *options
}

func (r *registryStore) opts(ctx context.Context) []remote.Option {
	return append([]remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(r.o.keychain)}, r.o.remote...)
}

func (r *registryStore) subject(ctx context.Context) (v1.Descriptor, error) {
	var desc v1.Descriptor
	if d, err := remote.Head(r.ref, r.opts(ctx)...); err == nil {
		desc = *d
	} else {
		// Some registries answer HEAD badly; GET is authoritative.
		g, gerr := remote.Get(r.ref, r.opts(ctx)...)
		if gerr != nil {
			return v1.Descriptor{}, fmt.Errorf("resolving %s: %w", r.ref, gerr)
		}
		desc = g.Descriptor
	}
	// For a reference by digest, go-containerregistry rejects an answer
	// with another digest (HEAD) or content (GET).
	return desc, nil
}

func (r *registryStore) children(ctx context.Context, h v1.Hash) ([]v1.Descriptor, error) {
	idx, err := remote.Index(r.ref.Context().Digest(h.String()), r.opts(ctx)...)
	if err != nil {
		return nil, fmt.Errorf("reading index %s: %w", h, err)
	}
	m, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("reading index %s: %w", h, err)
	}
	return m.Manifests, nil
}

func (r *registryStore) read(ctx context.Context, tag string) (v1.Image, error) {
	img, err := remote.Image(r.ref.Context().Tag(tag), r.opts(ctx)...)
	var terr *transport.Error
	if errors.As(err, &terr) && terr.StatusCode == http.StatusNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s:%s: %w", r.ref.Context(), tag, err)
	}
	return img, nil
}

func (r *registryStore) write(ctx context.Context, tag string, img v1.Image) error {
	if err := remote.Write(r.ref.Context().Tag(tag), img, r.opts(ctx)...); err != nil {
		return fmt.Errorf("writing %s:%s: %w", r.ref.Context(), tag, err)
	}
	return nil
}

func (r *registryStore) identity(h v1.Hash) (name.Digest, string, error) {
	return r.ref.Context().Digest(h.String()), "", nil
}

type layoutStore struct {
	path layout.Path
	dir  string
	sel  string
}

func isSignatureManifest(d v1.Descriptor) bool {
	switch d.Annotations[cosignKindAnnotation] {
	case cosignKindSigs, cosignKindAtts:
		return true
	}
	n := d.Annotations[refNameAnnotation]
	return strings.HasPrefix(n, "sha256-") && (strings.HasSuffix(n, sigSuffix) || strings.HasSuffix(n, attSuffix))
}

func (l *layoutStore) manifests() ([]v1.Descriptor, error) {
	idx, err := l.path.ImageIndex()
	if err != nil {
		return nil, fmt.Errorf("oci-layout %s: %w", l.dir, err)
	}
	m, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("oci-layout %s: %w", l.dir, err)
	}
	return m.Manifests, nil
}

func (l *layoutStore) subject(context.Context) (v1.Descriptor, error) {
	ms, err := l.manifests()
	if err != nil {
		return v1.Descriptor{}, err
	}
	var found []v1.Descriptor
	for _, d := range ms {
		if isSignatureManifest(d) {
			continue
		}
		switch {
		case l.sel == "",
			strings.HasPrefix(l.sel, "sha256:") && d.Digest.String() == l.sel,
			d.Annotations[refNameAnnotation] == l.sel:
			found = append(found, d)
		}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	what := "manifests"
	if l.sel != "" {
		what = fmt.Sprintf("manifests named %q", l.sel)
	}
	return v1.Descriptor{}, fmt.Errorf("%w: oci-layout %s holds %d %s; select one with :NAME or @sha256:…",
		ErrInvalidReference, l.dir, len(found), what)
}

func (l *layoutStore) children(_ context.Context, h v1.Hash) ([]v1.Descriptor, error) {
	idx, err := l.path.ImageIndex()
	if err == nil {
		idx, err = idx.ImageIndex(h)
	}
	if err != nil {
		return nil, fmt.Errorf("oci-layout %s: index %s: %w", l.dir, h, err)
	}
	m, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("oci-layout %s: index %s: %w", l.dir, h, err)
	}
	return m.Manifests, nil
}

func (l *layoutStore) read(_ context.Context, tag string) (v1.Image, error) {
	ms, err := l.manifests()
	if err != nil {
		return nil, err
	}
	for _, d := range ms {
		if d.Annotations[refNameAnnotation] == tag {
			idx, err := l.path.ImageIndex()
			if err != nil {
				return nil, fmt.Errorf("oci-layout %s: %w", l.dir, err)
			}
			img, err := idx.Image(d.Digest)
			if err != nil {
				return nil, fmt.Errorf("oci-layout %s: %s: %w", l.dir, tag, err)
			}
			return img, nil
		}
	}
	return nil, nil
}

func (l *layoutStore) write(_ context.Context, tag string, img v1.Image) error {
	kind := cosignKindSigs
	if strings.HasSuffix(tag, attSuffix) {
		kind = cosignKindAtts
	}
	err := l.path.ReplaceImage(img, match.Annotation(refNameAnnotation, tag),
		layout.WithAnnotations(map[string]string{refNameAnnotation: tag, cosignKindAnnotation: kind}))
	if err != nil {
		return fmt.Errorf("oci-layout %s: writing %s: %w", l.dir, tag, err)
	}
	return nil
}

func (l *layoutStore) identity(h v1.Hash) (name.Digest, string, error) {
	// A layout has no repository; payloads claim the layout's name for
	// the manifest, or the directory's.
	claimed := filepath.Base(l.dir)
	if l.sel != "" && !strings.HasPrefix(l.sel, "sha256:") {
		claimed = l.sel
	}
	d, err := name.NewDigest("localhost/oci-layout@" + h.String())
	if err != nil {
		return name.Digest{}, "", fmt.Errorf("%w: %w", ErrInvalidReference, err)
	}
	return d, claimed, nil
}

// storedSignatures reads the signature layers of a .sig or .att image as
// cosign's oci.Signature values.
type storedSignatures struct {
	v1.Image
	max int64
}

func (s storedSignatures) Get() ([]oci.Signature, error) {
	m, err := s.Manifest()
	if err != nil {
		return nil, err
	}
	out := make([]oci.Signature, 0, len(m.Layers))
	for _, d := range m.Layers {
		if d.Size > s.max {
			return nil, fmt.Errorf("%w: signature layer %s is %d bytes (cap %d)", ErrInvalidPayload, d.Digest, d.Size, s.max)
		}
		l, err := s.LayerByDigest(d.Digest)
		if err != nil {
			return nil, err
		}
		rc, err := l.Uncompressed()
		if err != nil {
			return nil, err
		}
		payload, err := io.ReadAll(io.LimitReader(rc, s.max+1))
		rc.Close()
		if err != nil {
			return nil, err
		}
		if int64(len(payload)) > s.max {
			return nil, fmt.Errorf("%w: signature layer %s exceeds %d bytes", ErrInvalidPayload, d.Digest, s.max)
		}
		ann := make(map[string]string, len(d.Annotations))
		for k, v := range d.Annotations {
			if k != static.SignatureAnnotationKey {
				ann[k] = v
			}
		}
		sopts := []static.Option{static.WithAnnotations(ann), static.WithLayerMediaType(d.MediaType)}
		if c := d.Annotations[static.CertificateAnnotationKey]; c != "" {
			sopts = append(sopts, static.WithCertChain([]byte(c), []byte(d.Annotations[static.ChainAnnotationKey])))
		}
		if b := d.Annotations[static.BundleAnnotationKey]; b != "" {
			var rb bundle.RekorBundle
			if err := json.Unmarshal([]byte(b), &rb); err != nil {
				return nil, fmt.Errorf("%w: bundle annotation of %s: %w", ErrInvalidBundle, d.Digest, err)
			}
			sopts = append(sopts, static.WithBundle(&rb))
		}
		sig, err := static.NewSignature(payload, d.Annotations[static.SignatureAnnotationKey], sopts...)
		if err != nil {
			return nil, err
		}
		out = append(out, sig)
	}
	return out, nil
}
