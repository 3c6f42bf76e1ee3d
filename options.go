package shipshape

import (
	"fmt"
	"time"

	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/secrets"
)

// Option configures Inspect and Check.
type Option func(*options) error

type options struct {
	layerOpts   []layer.Option
	sbomOpts    []sbom.Option
	noSBOM      bool
	secrets     *secrets.Scanner
	noSecrets   bool
	checker     *harden.Checker
	noHardening bool
	db          *scan.DB
	matchOpts   []scan.MatchOption
	signatures  []policy.SignatureEvidence
	now         func() time.Time
	visitors    []func(*layer.Walker)
}

func newOptions(opts []Option) (*options, error) {
	o := &options{}
	for _, opt := range opts {
		if opt == nil {
			return nil, fmt.Errorf("%w: nil option", result.ErrInvalidOption)
		}
		if err := opt(o); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// WithLayerOptions tunes the one read of the image or tree (package
// layer): budgets, concurrency, progress, verification, and a layer cache
// (layer.WithCache; package layercache keeps one on disk, so that layers
// read before are not read again).
func WithLayerOptions(opts ...layer.Option) Option {
	return func(o *options) error {
		o.layerOpts = append(o.layerOpts, opts...)
		return nil
	}
}

// WithSBOMOptions passes options to the SBOM's catalogers (sbom.Limits).
// The source's name and reference are set already.
func WithSBOMOptions(opts ...sbom.Option) Option {
	return func(o *options) error {
		o.sbomOpts = append(o.sbomOpts, opts...)
		return nil
	}
}

// WithSecretScanner sets the scanner of the secrets part; the default is
// secrets.New(). The default hardening checker shares it.
func WithSecretScanner(s *secrets.Scanner) Option {
	return func(o *options) error {
		if s == nil {
			return fmt.Errorf("%w: nil secret scanner", result.ErrInvalidOption)
		}
		o.secrets = s
		return nil
	}
}

// WithChecker sets the hardening checker; the default is harden.New()
// with the secret scanner of WithSecretScanner and the clock of
// WithClock.
func WithChecker(c *harden.Checker) Option {
	return func(o *options) error {
		if c == nil {
			return fmt.Errorf("%w: nil checker", result.ErrInvalidOption)
		}
		o.checker = c
		return nil
	}
}

// WithoutSBOM leaves the SBOM out (and so the vulnerability match).
func WithoutSBOM() Option {
	return func(o *options) error { o.noSBOM = true; return nil }
}

// WithoutSecrets leaves the secret scan out.
func WithoutSecrets() Option {
	return func(o *options) error { o.noSecrets = true; return nil }
}

// WithoutHardening leaves the hardening checks out.
func WithoutHardening() Option {
	return func(o *options) error { o.noHardening = true; return nil }
}

// WithDB matches the SBOM against the vulnerability data in db (see
// package scan), with opts (suppressions from VEX documents and ignore
// files, the data's maximum age). Without it the evidence holds no
// vulnerability report, and policy rules over vulnerabilities report
// missing evidence.
func WithDB(db *scan.DB, opts ...scan.MatchOption) Option {
	return func(o *options) error {
		if db == nil {
			return fmt.Errorf("%w: nil vulnerability database", result.ErrInvalidOption)
		}
		o.db, o.matchOpts = db, append(o.matchOpts, opts...)
		return nil
	}
}

// WithSignatures adds the outcome of verifying the image's signatures and
// attestations (the sign module's Verification.Evidence, or a file read
// with policy.ReadSignatureEvidence) to the evidence. Verification is not
// done here: the root module does not import sign.
func WithSignatures(ev ...policy.SignatureEvidence) Option {
	return func(o *options) error {
		o.signatures = append(o.signatures, ev...)
		return nil
	}
}

// WithClock sets the time everything is judged at: the policy's
// evaluation (policy.Input.Now), the age of the image and of the
// vulnerability data, the expiry of suppressions. The default is each
// part's own clock (time.Now unless configured).
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return fmt.Errorf("%w: nil clock", result.ErrInvalidOption)
		}
		o.now = now
		return nil
	}
}

// WithVisitors has add called with the walker before the read, to add
// the caller's own visitors (layer.Add) to the same single read of every
// layer. Read their values from Inspection.Walk with the slots Add
// returned.
func WithVisitors(add func(w *layer.Walker)) Option {
	return func(o *options) error {
		if add == nil {
			return fmt.Errorf("%w: nil visitor function", result.ErrInvalidOption)
		}
		o.visitors = append(o.visitors, add)
		return nil
	}
}
