package sign

import (
	"fmt"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/shipshape-dev/shipshape/result"
)

// Option configures Sign, Attest, Verify and VerifyAttestations. Each
// function reads the options that concern it and ignores the others.
type Option func(*options) error

type options struct {
	keychain    authn.Keychain
	remote      []remote.Option
	annotations map[string]string
	required    map[string]string
	platforms   bool
	replace     bool
	ignoreSCT   bool
	maxPayload  int64
}

const defaultMaxPayload = 64 << 20

func makeOptions(opts []Option) (*options, error) {
	o := &options{keychain: authn.DefaultKeychain, maxPayload: defaultMaxPayload}
	for _, opt := range opts {
		if opt == nil {
			return nil, fmt.Errorf("%w: nil Option", result.ErrInvalidOption)
		}
		if err := opt(o); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// WithKeychain sets the registry credentials (default: the Docker config,
// as authn.DefaultKeychain reads it).
func WithKeychain(k authn.Keychain) Option {
	return func(o *options) error {
		if k == nil {
			return fmt.Errorf("%w: nil keychain", result.ErrInvalidOption)
		}
		o.keychain = k
		return nil
	}
}

// WithRemoteOptions passes further options (a transport, a user agent) to
// go-containerregistry's remote package for registry references.
func WithRemoteOptions(opts ...remote.Option) Option {
	return func(o *options) error {
		o.remote = append(o.remote, opts...)
		return nil
	}
}

// WithAnnotations adds annotations to the signed payload (Sign): they are
// covered by the signature and can be required by WithRequiredAnnotations.
func WithAnnotations(a map[string]string) Option {
	return func(o *options) error {
		for k := range a {
			if k == "" {
				return fmt.Errorf("%w: empty annotation key", result.ErrInvalidOption)
			}
		}
		if o.annotations == nil {
			o.annotations = map[string]string{}
		}
		for k, v := range a {
			o.annotations[k] = v
		}
		return nil
	}
}

// WithRequiredAnnotations makes Verify accept only signatures whose signed
// payload carries every one of these annotations with the same value.
func WithRequiredAnnotations(a map[string]string) Option {
	return func(o *options) error {
		if o.required == nil {
			o.required = map[string]string{}
		}
		for k, v := range a {
			o.required[k] = v
		}
		return nil
	}
}

// WithPlatformImages makes Sign and Attest, given a multi-platform index,
// sign each platform image of the index as well as the index itself.
func WithPlatformImages() Option {
	return func(o *options) error {
		o.platforms = true
		return nil
	}
}

// WithMaxPayloadSize caps the bytes read for one signed payload or
// attestation envelope (default 64 MiB); larger ones are rejected.
func WithMaxPayloadSize(n int64) Option {
	return func(o *options) error {
		if n <= 0 {
			return fmt.Errorf("%w: payload size cap %d", result.ErrInvalidOption, n)
		}
		o.maxPayload = n
		return nil
	}
}

// WithReplace makes Attest replace the image's stored attestations of the
// same predicate type (whoever signed them) instead of adding one beside
// them, like cosign attest --replace.
func WithReplace() Option {
	return func(o *options) error {
		o.replace = true
		return nil
	}
}
