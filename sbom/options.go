package sbom

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/result"
)

// Option configures FromImage, FromFS and NewPass.
type Option func(*options) error

type options struct {
	name      string
	reference string
	limits    Limits
	layerOpts []layer.Option
	only      map[string]bool
}

func newOptions(opts []Option) (*options, error) {
	o := &options{}
	for _, opt := range opts {
		if opt == nil {
			return nil, fmt.Errorf("%w: nil sbom option", result.ErrInvalidOption)
		}
		if err := opt(o); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// WithLayerOptions tunes how FromImage and FromFS read the image or tree
// (package layer): budgets, concurrency, progress, a layer cache,
// verification.
func WithLayerOptions(opts ...layer.Option) Option {
	return func(o *options) error {
		o.layerOpts = append(o.layerOpts, opts...)
		return nil
	}
}

// Limits bound what the catalogers read, beyond the walk's own budgets
// (layer.Limits, layer.WithMaxFileBytes). A zero field keeps its default.
// A file past its budget is a per-file error wrapping
// layer.ErrFileTooLarge; an archive past its expansion budget one naming
// the inner path.
type Limits struct {
	// MaxManifestBytes bounds what a cataloger reads of one manifest,
	// lockfile or text package database (default 64 MiB; package.json
	// and gemspec files 8 MiB). Binaries, archives and rpm databases are
	// bounded by the walk's per-file budget only.
	MaxManifestBytes int64
	// MaxArchiveDepth bounds how deep Java archives inside archives are
	// opened (default 4) and MaxArchiveBytes what one archive may expand
	// to, nested ones included (default 512 MiB): a 42.zip-style jar
	// stops there with an error naming the inner path.
	MaxArchiveDepth int
	MaxArchiveBytes int64
	// MaxArchiveMemory bounds the bytes of compressed nested archives
	// held in memory at once while one archive is read (default
	// 128 MiB). Nested archives stored uncompressed, as Spring Boot and
	// most build tools write them, are read in place and cost nothing
	// here; a compressed one must be inflated whole, and one that would
	// take the held bytes past the budget is skipped with an error naming
	// it and this budget.
	MaxArchiveMemory int64
}

// WithLimits sets the budgets of Limits; zero fields keep their defaults.
func WithLimits(l Limits) Option {
	return func(o *options) error {
		if l.MaxManifestBytes < 0 || l.MaxArchiveDepth < 0 || l.MaxArchiveBytes < 0 || l.MaxArchiveMemory < 0 {
			return fmt.Errorf("%w: negative limit in %+v", result.ErrInvalidOption, l)
		}
		o.limits = l
		return nil
	}
}

// WithName sets the name recorded as the SBOM's source: the image
// reference (e.g. "docker.io/library/debian:12") or the directory path.
func WithName(name string) Option {
	return func(o *options) error {
		o.name = name
		return nil
	}
}

// WithReference records the registry reference the image was read from,
// which the image's pkg:oci purl uses for its repository_url and tag.
// source.Open's sources carry it for registry: references.
func WithReference(ref string) Option {
	return func(o *options) error {
		o.reference = ref
		return nil
	}
}

// WithCatalogers runs only the named catalogers: "dpkg", "apk", "rpm"
// (operating-system package databases), "binary" (Go build information
// and cargo-auditable sections in executables), "go" (go.mod and
// vendored modules), "python", "npm", "java", "ruby", "rust" (Cargo.lock),
// "php", "dotnet". The distribution is always read. The default is every
// cataloger. A caller that wants only who owns which file (see
// Pass.FileOwners) can leave out "binary" and "java", which read whole
// executables and archives.
func WithCatalogers(names ...string) Option {
	return func(o *options) error {
		if len(names) == 0 {
			return fmt.Errorf("%w: no cataloger named", result.ErrInvalidOption)
		}
		o.only = map[string]bool{}
		for _, n := range names {
			if !slices.Contains(catalogerNames, n) {
				return fmt.Errorf("%w: cataloger %q (want one of %s)", result.ErrInvalidOption, n, strings.Join(catalogerNames, ", "))
			}
			o.only[n] = true
		}
		return nil
	}
}
