package sbom

import (
	"fmt"

	"github.com/shipshape-dev/shipshape/internal/walk"
	"github.com/shipshape-dev/shipshape/layercache"
	"github.com/shipshape-dev/shipshape/result"
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
	limits       Limits
	skipVerify   bool
	progress     func(Progress)
	cache        layercache.Store
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
	return walk.Options{Concurrency: o.concurrency, MaxFileBytes: o.maxFileBytes,
		MaxLayerBytes: o.limits.MaxLayerBytes, MaxImageBytes: o.limits.MaxImageBytes,
		MaxLayerEntries: o.limits.MaxLayerEntries, MaxImageEntries: o.limits.MaxImageEntries,
		MaxSymlinkHops: o.limits.MaxSymlinkHops, MaxPathLen: o.limits.MaxPathLen,
		SkipVerify: o.skipVerify, Progress: o.progress, Cache: o.cache}
}

// WithLayerCache keeps each layer's findings in c (see package
// layercache): a layer of an image scanned before, in this image or
// another, is not read again. Only images use it, not FromFS.
func WithLayerCache(c layercache.Store) Option {
	return func(o *options) error {
		if c == nil {
			return fmt.Errorf("%w: nil layer cache", result.ErrInvalidOption)
		}
		o.cache = c
		return nil
	}
}

// Progress is how far reading an image has come: layers done out of all,
// and the decompressed bytes read so far (the total is not known before
// the end).
type Progress = walk.Progress

// WithProgress has fn called as the layers are read: every few hundred
// milliseconds and when a layer is done, one call at a time, never after
// FromImage returns. The library prints nothing itself.
func WithProgress(fn func(Progress)) Option {
	return func(o *options) error {
		o.progress = fn
		return nil
	}
}

// Limits bound what reading one image may cost. A zero field keeps its
// default. Past a limit the layer's walk stops with a per-layer error
// wrapping ErrBudget, and everything read until then is kept; a file past
// its read budget is a per-file error wrapping ErrFileTooLarge.
type Limits struct {
	// MaxLayerBytes bounds the decompressed bytes read from one layer
	// (default 32 GiB) and MaxImageBytes from all layers (128 GiB): a
	// decompression bomb stops there.
	MaxLayerBytes, MaxImageBytes int64
	// MaxLayerEntries bounds the tar entries of one layer (default
	// 3,000,000) and MaxImageEntries of all layers (5,000,000), which
	// bounds the memory of the final-filesystem index. Layers are read
	// concurrently: which of them crosses an image budget first depends
	// on timing, unless WithConcurrency(1) reads them bottom first.
	MaxLayerEntries, MaxImageEntries int
	// MaxManifestBytes bounds what a cataloger reads of one manifest,
	// lockfile or text package database (default 64 MiB; package.json
	// and gemspec files 8 MiB). Binaries, archives and rpm databases are
	// bounded by WithMaxFileBytes only.
	MaxManifestBytes int64
	// MaxSymlinkHops bounds the symbolic links followed to resolve one
	// path of the image (default 40, as Linux); MaxPathLen the length of
	// an entry name (default and ceiling 4096, Linux's PATH_MAX).
	MaxSymlinkHops, MaxPathLen int
	// MaxArchiveDepth bounds how deep Java archives inside archives are
	// opened (default 4) and MaxArchiveBytes what one archive may expand
	// to, nested ones included (default 512 MiB): a 42.zip-style jar
	// stops there with an error naming the inner path.
	MaxArchiveDepth int
	MaxArchiveBytes int64
}

// WithLimits sets the budgets of Limits; zero fields keep their defaults.
func WithLimits(l Limits) Option {
	return func(o *options) error {
		if l.MaxLayerBytes < 0 || l.MaxImageBytes < 0 || l.MaxLayerEntries < 0 || l.MaxImageEntries < 0 || l.MaxManifestBytes < 0 ||
			l.MaxSymlinkHops < 0 || l.MaxPathLen < 0 || l.MaxArchiveDepth < 0 || l.MaxArchiveBytes < 0 {
			return fmt.Errorf("%w: negative limit in %+v", result.ErrInvalidOption, l)
		}
		o.limits = l
		return nil
	}
}

// WithoutLayerVerification skips checking each layer's content against
// its diff_id. By default a layer that does not match is reported (an
// error wrapping ErrIntegrity) and marked Untrusted in Source.Layers, and
// its packages are still listed.
func WithoutLayerVerification() Option {
	return func(o *options) error {
		o.skipVerify = true
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
			return fmt.Errorf("%w: concurrency %d, want at least 1", result.ErrInvalidOption, n)
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
			return fmt.Errorf("%w: max file bytes %d, want at least 1", result.ErrInvalidOption, n)
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
