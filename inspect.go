package shipshape

import (
	"context"
	"fmt"

	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/internal/buildinfo"
	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/secrets"
	"github.com/shipshape-dev/shipshape/source"
)

// SchemaVersion is the version of Inspection's JSON form.
const SchemaVersion = "1"

// Inspection is what Inspect and Check found about one image or tree:
// the evidence, in the form policies read, and, from Check, the decision
// made over it.
type Inspection struct {
	SchemaVersion string `json:"schema_version"`
	// Evidence is everything found: SBOM, vulnerabilities (WithDB),
	// secrets, hardening findings (images only), signature evidence
	// (WithSignatures), the image's config and digests, and the layers
	// that could not be read whole (Evidence.Incomplete). A part that was
	// not asked for, or does not apply, is nil.
	Evidence *policy.Input `json:"evidence"`
	// Decision is the policy's verdict (Check); nil from Inspect.
	Decision *policy.Decision `json:"decision,omitempty"`
	// Walk is the result of the one read of the image or tree when the
	// caller added visitors of its own (WithVisitors): their values are
	// read from it through their slots, and its View is the final
	// filesystem. It is nil otherwise, so that the read's index of every
	// entry of the image is not kept alive with the evidence.
	Walk *layer.Result `json:"-"`
}

// Complete reports whether every layer was read whole and matched its
// diff_id: the evidence speaks for the whole image.
func (in *Inspection) Complete() bool {
	return in.Evidence == nil || len(in.Evidence.Incomplete) == 0
}

// Passed reports whether a decision was made and did not deny. A policy
// denies an incomplete read unless told otherwise
// (policy.WithIncompleteAction), so an image that could not be read
// whole fails closed.
func (in *Inspection) Passed() bool {
	return in.Decision != nil && in.Decision.Verdict != policy.VerdictDeny
}

// Inspect reads src once and gathers the evidence about it: the SBOM, the
// secrets (in every layer, also files a later layer deletes, and in the
// image config), the hardening findings (images only), and, with WithDB,
// the vulnerabilities of the SBOM's packages. One walk serves every part
// (package layer): a file several parts want is read once, and the cost
// is about one read of the image. Damaged layers and files are per-file
// errors in each part, and the layers that could not be read whole are
// listed in Evidence.Incomplete. Inspect fails when the image's config
// or layer list cannot be read (layer.ErrImage), an option is invalid
// (result.ErrInvalidOption), or ctx is done.
func Inspect(ctx context.Context, src *source.Source, opts ...Option) (*Inspection, error) {
	o, err := newOptions(opts)
	if err != nil {
		return nil, err
	}
	return inspect(ctx, src, o)
}

// Check is the gate: Inspect, then the policy's decision over the
// evidence. The decision denies when a rule with action deny is
// violated, and (unless the policy was told otherwise) when a layer could
// not be read whole; Inspection.Passed says whether the image may ship.
// Errors are as for Inspect, or a rule that could not be evaluated
// (*policy.RuleError).
func Check(ctx context.Context, src *source.Source, p *policy.Policy, opts ...Option) (*Inspection, error) {
	if p == nil {
		return nil, fmt.Errorf("%w: nil policy", result.ErrInvalidOption)
	}
	o, err := newOptions(opts)
	if err != nil {
		return nil, err
	}
	in, err := inspect(ctx, src, o)
	if err != nil {
		return nil, err
	}
	if in.Decision, err = p.Evaluate(ctx, in.Evidence); err != nil {
		return nil, err
	}
	return in, nil
}

func inspect(ctx context.Context, src *source.Source, o *options) (*Inspection, error) {
	if src == nil || (src.Image == nil && src.FS == nil) {
		return nil, fmt.Errorf("%w: a source with neither an image nor a tree", result.ErrInvalidOption)
	}
	var w *layer.Walker
	var err error
	if src.Image != nil {
		lopts := o.layerOpts
		if src.ManifestCostly {
			lopts = append([]layer.Option{layer.WithoutManifest()}, lopts...)
		}
		w, err = layer.New(src.Image, lopts...)
	} else {
		w, err = layer.NewFS(src.FS, o.layerOpts...)
	}
	if err != nil {
		return nil, err
	}
	ev := &policy.Input{Name: src.Name, Reference: src.Reference, Digest: src.Digest, Config: w.Config(), Signatures: o.signatures}
	if ev.Digest == "" {
		ev.Digest = w.Digest()
	}
	if o.now != nil {
		ev.Now = o.now().UTC()
	}

	// The passes join the walk; the walker decides in which order they
	// read a file they share.
	image := src.Image != nil
	hardening := image && !o.noHardening
	s := o.secrets
	if s == nil && (!o.noSecrets || (hardening && o.checker == nil)) {
		// One compiled rule set serves the secrets part and the default
		// checker's redaction.
		if s, err = secrets.New(); err != nil {
			return nil, err
		}
	}
	var sp *secrets.Pass
	if !o.noSecrets {
		sp = s.NewPass(w, src.Name)
	}
	var hp *harden.Pass
	if hardening {
		c := o.checker
		if c == nil {
			hopts := []harden.Option{harden.WithSecretScanner(s)}
			if o.now != nil {
				hopts = append(hopts, harden.WithClock(o.now))
			}
			if c, err = harden.New(hopts...); err != nil {
				return nil, err
			}
		}
		var popts []harden.PassOption
		if sp != nil {
			// Config secrets are found once, by the secrets part, and
			// reported there.
			popts = append(popts, harden.WithConfigSecrets(sp))
		}
		hp = c.NewPass(w, src.Reference, popts...)
	}
	var bp *sbom.Pass
	if !o.noSBOM {
		sopts := append([]sbom.Option{sbom.WithName(src.Name), sbom.WithReference(src.Reference)}, o.sbomOpts...)
		if bp, err = sbom.NewPass(w, sopts...); err != nil {
			return nil, err
		}
	}
	for _, add := range o.visitors {
		add(w)
	}

	res, err := w.Run(ctx)
	if err != nil {
		return nil, err
	}
	if bp != nil {
		ev.SBOM = bp.SBOM(ctx, res)
	}
	if sp != nil {
		var ropts []secrets.ReportOption
		if bp != nil {
			// The catalogers know who installed which file: findings in a
			// package's unchanged files, or in a language package's, are
			// classed as such (and default gates do not count them).
			ropts = append(ropts, secrets.WithOwners(func(paths []string) map[string]secrets.Owner {
				out := map[string]secrets.Owner{}
				for p, fo := range bp.FileOwners(paths) {
					id := fo.PURL
					if id == "" {
						id = fo.Package
					}
					out[p] = secrets.Owner{Package: id, Class: fo.Class, Digests: fo.Digests}
				}
				return out
			}))
		}
		ev.Secrets = sp.Report(res, ropts...)
	}
	if hp != nil {
		if ev.Hardening, err = hp.Report(ctx, res); err != nil {
			return nil, err
		}
	}
	ev.Incomplete = res.Incomplete()
	if o.db != nil && ev.SBOM != nil {
		mopts := o.matchOpts
		if o.now != nil {
			mopts = append([]scan.MatchOption{scan.WithNow(o.now)}, mopts...)
		}
		if ev.Scan, err = scan.Match(ctx, o.db, ev.SBOM, mopts...); err != nil {
			return nil, err
		}
	}
	in := &Inspection{SchemaVersion: SchemaVersion, Evidence: ev}
	if len(o.visitors) > 0 {
		in.Walk = res
	}
	return in, nil
}

// Version returns the version of the shipshape library in the running
// program, as the SBOMs and SARIF logs it writes name their tool: the
// release version it was built against, or, for a build from a checkout,
// the version it requires with "+devel" and the checkout's revision.
func Version() string { return buildinfo.Version() }
