package shipshape

import (
	"context"
	"fmt"
	"slices"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape/internal/walk"
	"github.com/shipshape-dev/shipshape/layercache"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/secrets"
)

// Inspection is everything Inspect found in one image. A part that was
// not asked for is nil.
type Inspection struct {
	// SBOM lists the packages (sbom.FromImage).
	SBOM *sbom.SBOM
	// Secrets are the credentials in every layer, deleted files included,
	// and in the config (secrets.Scanner.ScanImage).
	Secrets *secrets.Report
	// Hardening holds the misconfigurations (scan.Checker.Check).
	Hardening *scan.HardeningReport
}

// InspectOption configures Inspect.
type InspectOption func(*inspectOptions) error

type inspectOptions struct {
	sbomOpts    []sbom.Option
	noSBOM      bool
	secrets     *secrets.Scanner
	noSecrets   bool
	checker     *scan.Checker
	noHardening bool
	name, ref   string
	progress    func(sbom.Progress)
	cache       layercache.Store
}

// WithSBOMOptions passes options to the SBOM part (name, digest, limits,
// concurrency): its walk budgets are the shared walk's.
func WithSBOMOptions(opts ...sbom.Option) InspectOption {
	return func(o *inspectOptions) error {
		o.sbomOpts = append(o.sbomOpts, opts...)
		return nil
	}
}

// WithProgress has fn called as the shared walk advances (see
// sbom.WithProgress).
func WithProgress(fn func(sbom.Progress)) InspectOption {
	return func(o *inspectOptions) error {
		o.sbomOpts = append(o.sbomOpts, sbom.WithProgress(fn))
		o.progress = fn
		return nil
	}
}

// WithLayerCache keeps what each layer yields to every part in c (see
// package layercache): the layers of an image inspected before, or shared
// with one, are not read again.
func WithLayerCache(c layercache.Store) InspectOption {
	return func(o *inspectOptions) error {
		if c == nil {
			return fmt.Errorf("%w: nil layer cache", result.ErrInvalidOption)
		}
		o.cache = c
		return nil
	}
}

// WithSecretScanner sets the scanner of the secrets part; the default is
// secrets.New().
func WithSecretScanner(s *secrets.Scanner) InspectOption {
	return func(o *inspectOptions) error {
		if s == nil {
			return fmt.Errorf("%w: nil secret scanner", result.ErrInvalidOption)
		}
		o.secrets = s
		return nil
	}
}

// WithChecker sets the hardening checker; the default is
// scan.NewChecker().
func WithChecker(c *scan.Checker) InspectOption {
	return func(o *inspectOptions) error {
		if c == nil {
			return fmt.Errorf("%w: nil checker", result.ErrInvalidOption)
		}
		o.checker = c
		return nil
	}
}

// WithoutSBOM, WithoutSecrets and WithoutHardening leave a part out.
func WithoutSBOM() InspectOption {
	return func(o *inspectOptions) error { o.noSBOM = true; return nil }
}

// WithoutSecrets leaves the secrets part out.
func WithoutSecrets() InspectOption {
	return func(o *inspectOptions) error { o.noSecrets = true; return nil }
}

// WithoutHardening leaves the hardening part out.
func WithoutHardening() InspectOption {
	return func(o *inspectOptions) error { o.noHardening = true; return nil }
}

// WithImageName names the image in the reports, and ref is the registry
// reference it was pulled by ("" if none) for the SBOM's purl and the
// hardening checks on tags. Target.Inspect sets both.
func WithImageName(name, ref string) InspectOption {
	return func(o *inspectOptions) error {
		o.name, o.ref = name, ref
		return nil
	}
}

// pass is one consumer of the shared walk.
type pass struct {
	visitors []walk.Visitor
	finish   func(res *walk.Result) error
}

// Inspect reads each layer of img once and returns its SBOM, its secrets
// (every layer, including files a later layer deletes, plus the config
// and history) and its hardening findings. It costs about one read of
// the image, not one per part: the parts' visitors share one walk, and a
// file several of them want is read once. Each report carries the
// per-file errors of the walk.
func Inspect(ctx context.Context, img v1.Image, opts ...InspectOption) (*Inspection, error) {
	var o inspectOptions
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	out := &Inspection{}
	var passes []pass
	var layers []walk.Layer
	walkOpts := walk.Options{}
	if !o.noSBOM {
		sopts := []sbom.Option{sbom.WithName(o.name)}
		if o.ref != "" {
			sopts = append(sopts, sbom.WithReference(o.ref))
		}
		p, err := sbom.NewImagePass(img, append(sopts, o.sbomOpts...)...)
		if err != nil {
			return nil, err
		}
		layers, walkOpts = p.Layers(), p.WalkOptions()
		passes = append(passes, pass{visitors: p.Visitors(), finish: func(res *walk.Result) error {
			out.SBOM = p.Finish(ctx, res)
			return nil
		}})
	}
	s := o.secrets
	if s == nil && (!o.noSecrets || (!o.noHardening && o.checker == nil)) {
		// One compiled rule set serves the secrets part and the default
		// checker's redaction and secret-in-config check.
		var err error
		if s, err = secrets.New(); err != nil {
			return nil, err
		}
	}
	if !o.noSecrets {
		p, err := s.NewImagePass(img, o.name)
		if err != nil {
			return nil, err
		}
		if layers == nil {
			layers = p.Layers()
		}
		passes = append(passes, pass{visitors: p.Visitors(), finish: func(res *walk.Result) error {
			out.Secrets = p.Finish(res)
			return nil
		}})
	}
	if !o.noHardening {
		c := o.checker
		if c == nil {
			var err error
			if c, err = scan.NewChecker(scan.WithSecretScanner(s)); err != nil {
				return nil, err
			}
		}
		p, err := c.NewPass(img, o.ref)
		if err != nil {
			return nil, err
		}
		if layers == nil {
			layers = p.Layers() // the SBOM's carry the layers' digests too
		}
		passes = append(passes, pass{visitors: p.Visitors(), finish: func(res *walk.Result) (err error) {
			out.Hardening, err = p.Finish(ctx, res)
			return err
		}})
	}
	if walkOpts.Progress == nil {
		walkOpts.Progress = o.progress // the SBOM part, which carries it, was left out
	}
	if o.cache != nil {
		walkOpts.Cache = o.cache
	}
	// The walker hands a file wanted by several visitors to them in
	// order, keeping what the earlier ones read for the later ones: the
	// visitors that read little of most files (the secret scanner stops
	// at a binary's first bytes, the hardening checks want a few small
	// files) go first, so that the SBOM's, which read binaries whole, go
	// last and read straight from the layer.
	slices.Reverse(passes)
	var all []walk.Visitor
	for _, p := range passes {
		all = append(all, p.visitors...)
	}
	res, err := walk.Layers(ctx, layers, all, walkOpts)
	if err != nil {
		return nil, err
	}
	from := 0
	for _, p := range passes {
		to := from + len(p.visitors)
		if err := p.finish(res.Part(from, to)); err != nil {
			return nil, err
		}
		from = to
	}
	return out, nil
}

// Inspect runs Inspect over the target's image, naming it as the target
// does. Directories have no layers to share: use SBOM and Secrets.
func (t *Target) Inspect(ctx context.Context, opts ...InspectOption) (*Inspection, error) {
	if t.Image == nil {
		return nil, fmt.Errorf("%w: Inspect needs an image, not a directory (%s)", result.ErrInvalidOption, t.Name)
	}
	ref := ""
	if t.Scheme == SchemeRegistry {
		ref = t.Name
	}
	base := []InspectOption{WithImageName(t.Name, ref), WithSBOMOptions(sbom.WithDigest(t.Digest))}
	return Inspect(ctx, t.Image, append(base, opts...)...)
}
