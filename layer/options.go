package layer

import (
	"fmt"
	"runtime"

	"github.com/shipshape-dev/shipshape/result"
)

// Option configures a Walker (New, NewFS).
type Option func(*options) error

// options tune a walk. The zero value is usable.
type options struct {
	// Concurrency bounds how many layers (or files of a tree) are read at
	// once; 0 means GOMAXPROCS.
	Concurrency int
	// MaxFileBytes bounds how much of one file a visitor may read; 0
	// means DefaultMaxFileBytes. A visitor may ask for less (Budgeted).
	MaxFileBytes int64
	// The budgets of Limits; 0 means the Default values.
	MaxLayerBytes   int64
	MaxImageBytes   int64
	MaxLayerEntries int
	MaxImageEntries int
	MaxSymlinkHops  int
	MaxPathLen      int
	// Progress, when set, is called as the walk advances.
	Progress func(Progress)
	// SkipVerify leaves out the check of each layer's content against its
	// DiffID.
	SkipVerify bool
	// Cache, when set, keeps each layer's result.
	Cache Cache
	// noManifest leaves the image's manifest unread.
	noManifest bool
}

// Default budgets. The entry budgets keep the final-filesystem index and
// the per-layer records well under a gigabyte.
const (
	DefaultMaxFileBytes    = 512 << 20
	DefaultMaxLayerBytes   = 32 << 30
	DefaultMaxImageBytes   = 128 << 30
	DefaultMaxLayerEntries = 3_000_000
	DefaultMaxImageEntries = 5_000_000
)

func orDefault[T int | int64](v, d T) T {
	if v > 0 {
		return v
	}
	return d
}

func (o options) concurrency() int {
	if o.Concurrency > 0 {
		return o.Concurrency
	}
	return runtime.GOMAXPROCS(0)
}

func (o options) maxFileBytes() int64 {
	if o.MaxFileBytes > 0 {
		return o.MaxFileBytes
	}
	return DefaultMaxFileBytes
}

func newOptions(opts []Option) (options, error) {
	var o options
	for _, opt := range opts {
		if opt == nil {
			return o, fmt.Errorf("%w: nil layer option", result.ErrInvalidOption)
		}
		if err := opt(&o); err != nil {
			return o, err
		}
	}
	return o, nil
}

// Limits bound what reading one image may cost. A zero field keeps its
// default. Past a limit the layer's walk stops with a per-layer error
// wrapping ErrBudget, and everything read until then is kept.
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
	// MaxSymlinkHops bounds the symbolic links followed to resolve one
	// path of the image (default 40, as Linux); MaxPathLen the length of
	// an entry name (default and ceiling 4096, Linux's PATH_MAX).
	MaxSymlinkHops, MaxPathLen int
}

// WithLimits sets the budgets of Limits; zero fields keep their
// defaults.
func WithLimits(l Limits) Option {
	return func(o *options) error {
		if l.MaxLayerBytes < 0 || l.MaxImageBytes < 0 || l.MaxLayerEntries < 0 || l.MaxImageEntries < 0 ||
			l.MaxSymlinkHops < 0 || l.MaxPathLen < 0 || l.MaxPathLen > MaxPathLen {
			return fmt.Errorf("%w: limit out of range in %+v", result.ErrInvalidOption, l)
		}
		o.MaxLayerBytes, o.MaxImageBytes = l.MaxLayerBytes, l.MaxImageBytes
		o.MaxLayerEntries, o.MaxImageEntries = l.MaxLayerEntries, l.MaxImageEntries
		o.MaxSymlinkHops, o.MaxPathLen = l.MaxSymlinkHops, l.MaxPathLen
		return nil
	}
}

// WithConcurrency bounds how many layers (or, for a directory tree,
// files) are read at once. The default is GOMAXPROCS.
func WithConcurrency(n int) Option {
	return func(o *options) error {
		if n < 1 {
			return fmt.Errorf("%w: concurrency %d, want at least 1", result.ErrInvalidOption, n)
		}
		o.Concurrency = n
		return nil
	}
}

// WithMaxFileBytes bounds how much of one file any visitor may read
// (default 512 MiB); past it the visitor's reader fails with
// ErrFileTooLarge. A visitor may ask for less for its own files
// (Budgeted).
func WithMaxFileBytes(n int64) Option {
	return func(o *options) error {
		if n < 1 {
			return fmt.Errorf("%w: max file bytes %d, want at least 1", result.ErrInvalidOption, n)
		}
		o.MaxFileBytes = n
		return nil
	}
}

// WithProgress has fn called as the layers are read: every few hundred
// milliseconds and when a layer is done, one call at a time, never after
// Run returns. The library prints nothing itself.
func WithProgress(fn func(Progress)) Option {
	return func(o *options) error {
		if fn == nil {
			return fmt.Errorf("%w: nil progress function", result.ErrInvalidOption)
		}
		o.Progress = fn
		return nil
	}
}

// WithCache keeps each layer's result in c, by the layer's diff_id, the
// visitors and the budgets: a layer found there is not read (see package
// layercache for one on disk). Only layers read whole and verified
// against their diff_id are stored; a walk whose visitors are not all
// Cacheable does not use it. Directory trees are never cached.
func WithCache(c Cache) Option {
	return func(o *options) error {
		if c == nil {
			return fmt.Errorf("%w: nil layer cache", result.ErrInvalidOption)
		}
		o.Cache = c
		return nil
	}
}

// WithoutVerificationUnsafe skips checking each layer's content against
// its diff_id. By default a layer that does not match is reported (an
// error wrapping ErrIntegrity) and marked Untrusted, and what was found
// in it is still returned.
func WithoutVerificationUnsafe() Option {
	return func(o *options) error {
		o.SkipVerify = true
		return nil
	}
}

// WithoutManifest leaves the image's manifest unread: no image digest
// and no layer blob digests are recorded. Use it for images whose
// manifest costs a compression of every layer, such as
// go-containerregistry's tarball images of uncompressed layers
// (docker save); source.Source says so in ManifestCostly.
func WithoutManifest() Option {
	return func(o *options) error {
		o.noManifest = true
		return nil
	}
}
