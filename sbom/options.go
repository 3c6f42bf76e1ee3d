package sbom

import (
	"fmt"

	"github.com/shipshape-dev/shipshape/internal/walk"
)

// Option configures FromImage and FromFS.
type Option func(*options) error

type options struct {
	name         string
	concurrency  int
	maxFileBytes int64
	digest       string
	digestSet    bool
	reference    string
}

func newOptions(opts []Option) (*options, error) {
	o := &options{}
	for _, opt := range opts {
		if err := opt(o); err != nil {
			return nil, err
		}
	}
	return o, nil
}

func (o *options) walk() walk.Options {
	return walk.Options{Concurrency: o.concurrency, MaxFileBytes: o.maxFileBytes}
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
// shipshape.Open's targets set it for registry: references.
func WithReference(ref string) Option {
	return func(o *options) error {
		o.reference = ref
		return nil
	}
}

// WithConcurrency bounds how many layers (or, for a directory, files) are
// read at once. The default is GOMAXPROCS.
func WithConcurrency(n int) Option {
	return func(o *options) error {
		if n < 1 {
			return fmt.Errorf("%w: concurrency %d, want at least 1", ErrInvalidOption, n)
		}
		o.concurrency = n
		return nil
	}
}

// WithMaxFileBytes bounds how much of one file (a package database, a
// manifest) is read; a larger file yields a per-file error wrapping
// ErrFileTooLarge. The default is 512 MiB.
func WithMaxFileBytes(n int64) Option {
	return func(o *options) error {
		if n < 1 {
			return fmt.Errorf("%w: max file bytes %d, want at least 1", ErrInvalidOption, n)
		}
		o.maxFileBytes = n
		return nil
	}
}

// WithDigest records d as the image's manifest digest instead of asking the
// image. By default FromImage reads the image's manifest, which is free for
// images from a registry or an OCI layout but, for a docker-archive with
// uncompressed layers, means compressing every layer: pass WithDigest("")
// there to record no digest. Layer digests are recorded only when the
// manifest is read.
func WithDigest(d string) Option {
	return func(o *options) error {
		o.digest, o.digestSet = d, true
		return nil
	}
}
