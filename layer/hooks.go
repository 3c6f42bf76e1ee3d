package layer

import (
	"context"
	"io"
	"reflect"
)

// The optional interfaces below are for visitors that need more than
// Wants and Visit: most visitors implement none of them. They are
// detected once, when the visitor is added to a walk.

// Budgeted is implemented by visitors that read some files with a smaller
// budget than the walk's (WithMaxFileBytes): a manifest parser has no
// business reading 500 MB. MaxBytes returns that budget for h, or 0 for
// the walk's own. Past it the visitor's reader fails with
// ErrFileTooLarge.
type Budgeted interface {
	MaxBytes(h *Header) int64
}

// Classifier is implemented by visitors whose Visit reads files of
// different kinds differently, by path. A hard link then reuses the value
// its target produced only when both are of the same class; otherwise the
// link is visited on its own, from a second read of the layer. Visitors
// that do not implement it never share values between paths.
type Classifier interface {
	Class(h *Header) string
}

// Detacher is implemented by visitors whose visits may run on other
// goroutines than the one reading the layer, from a copy of the file, so
// that they overlap with decompression: the walk then keeps more than one
// core busy even when one layer holds most of the image. Detach reports
// whether the visit of h may; files over 1 MiB, sparse files and hard
// links are always visited in place. Such a Visit must be safe for
// concurrent use with any other visit, and must not return ErrReread (it
// already has the whole file).
type Detacher interface {
	Detach(h *Header) bool
}

// WholeReader is implemented by visitors that read the files they want to
// their end (parsers of binaries and archives), as opposed to those that
// often stop early (a scanner that gives up on a binary's first bytes).
// When several visitors want one file, the walker hands it to the whole
// readers last, so that what it keeps of the file for the later visitors
// is only what the early stoppers read.
type WholeReader interface {
	ReadsWhole() bool
}

// Cacheable is implemented by visitors whose values may be kept in a
// Cache (WithCache). A walk uses its cache only when every visitor is
// Cacheable with a non-empty key.
type Cacheable[T any] interface {
	// CacheKey names the visitor's configuration and the version of its
	// code: it must change whenever either changes what Visit returns. ""
	// means the visitor's values must not be cached.
	CacheKey() string
	// Sentinels lists the errors, returned by Visit or held in its values,
	// that callers test for with errors.Is: a cached error still matches
	// them (see StoredError).
	Sentinels() []error
	// EncodeValues serialises the values Visit returned for the files
	// hs of one layer, in one piece; what must not be stored in clear (a
	// secret, a password hash) is left out. DecodeValues reverses it and
	// must return as many values as headers.
	EncodeValues(hs []*Header, vs []T) ([]byte, error)
	DecodeValues(hs []*Header, b []byte) ([]T, error)
}

// visitor is a visitor as the engine sees it: values as any, its
// optional interfaces found once.
type visitor struct {
	v      Visitor[any]
	budget Budgeted
	class  Classifier
	detach Detacher
	whole  bool
	codec  codec
}

// codec is a Cacheable with its values as any.
type codec interface {
	CacheKey() string
	Sentinels() []error
	EncodeValues(hs []*Header, vs []any) ([]byte, error)
	DecodeValues(hs []*Header, b []byte) ([]any, error)
}

// newVisitor wraps a typed visitor for the engine.
func newVisitor[T any](v Visitor[T]) *visitor {
	out := &visitor{}
	if av, ok := any(v).(Visitor[any]); ok {
		out.v = av
	} else {
		out.v = typed[T]{v}
	}
	out.budget, _ = v.(Budgeted)
	out.class, _ = v.(Classifier)
	out.detach, _ = v.(Detacher)
	if w, ok := v.(WholeReader); ok {
		out.whole = w.ReadsWhole()
	}
	if c, ok := any(v).(codec); ok {
		out.codec = c
	} else if c, ok := v.(Cacheable[T]); ok {
		out.codec = typedCodec[T]{c}
	}
	return out
}

// typed adapts a Visitor[T] to the engine's Visitor[any]; a zero value
// becomes nil, "no value".
type typed[T any] struct{ v Visitor[T] }

func (t typed[T]) Wants(h *Header) bool { return t.v.Wants(h) }

func (t typed[T]) Visit(ctx context.Context, h *Header, r io.Reader) (any, error) {
	val, err := t.v.Visit(ctx, h, r)
	if isZero(val) {
		return nil, err
	}
	return val, err
}

// isZero reports the zero value of T, whatever T is.
func isZero[T any](v T) bool {
	switch x := any(v).(type) {
	case nil:
		return true
	case []byte:
		return x == nil
	case string:
		return x == ""
	}
	return reflect.ValueOf(v).IsZero()
}

// typedCodec adapts a Cacheable[T] to codec.
type typedCodec[T any] struct{ c Cacheable[T] }

func (t typedCodec[T]) CacheKey() string   { return t.c.CacheKey() }
func (t typedCodec[T]) Sentinels() []error { return t.c.Sentinels() }

func (t typedCodec[T]) EncodeValues(hs []*Header, vs []any) ([]byte, error) {
	ts := make([]T, len(vs))
	for i, v := range vs {
		ts[i], _ = v.(T)
	}
	return t.c.EncodeValues(hs, ts)
}

func (t typedCodec[T]) DecodeValues(hs []*Header, b []byte) ([]any, error) {
	ts, err := t.c.DecodeValues(hs, b)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(ts))
	for i, v := range ts {
		if !isZero(v) {
			out[i] = v
		}
	}
	return out, nil
}
