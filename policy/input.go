package policy

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/secrets"
)

// Input is the evidence a policy is evaluated over. Every field is
// optional: a rule that needs evidence the input lacks reports a
// violation saying what is missing, with the rule's action, rather than
// passing.
type Input struct {
	// Name is how the image or tree was named: a reference, the name
	// recorded in an archive or layout, a path. Reports show it.
	Name string `json:"name,omitempty"`
	// Reference is the registry reference the image was pulled by
	// ("ghcr.io/org/app:1.2"); when empty the SBOM's or the scan report's
	// source reference is used.
	Reference string `json:"reference,omitempty"`
	// Digest is the image's manifest digest ("sha256:…"); when empty the
	// SBOM's or the scan report's source digest is used.
	Digest string `json:"digest,omitempty"`
	// Config is the image's config file: user, labels, creation time.
	Config *v1.ConfigFile `json:"config,omitempty"`
	// Created is the image's creation time; when zero, Config.Created is
	// used.
	Created time.Time `json:"created,omitzero"`
	// SBOM is the image's inventory, for package and licence rules.
	SBOM *sbom.SBOM `json:"sbom,omitempty"`
	// Scan is the vulnerability report.
	Scan *scan.Report `json:"scan,omitempty"`
	// Hardening is the image's hardening report: the hardening evidence.
	// Nil means the checks did not run (rules over hardening findings
	// then report missing evidence); a report with no findings means
	// they ran and found nothing.
	Hardening *harden.Report `json:"hardening,omitempty"`
	// Secrets is the secret scan of the image.
	Secrets *secrets.Report `json:"secrets,omitempty"`
	// Signatures are the results of verifying the image's signatures and
	// attestations; empty means no verification evidence was given. A
	// verification that found no valid signature is an entry with
	// Verified false.
	Signatures []SignatureEvidence `json:"signatures,omitempty"`
	// Incomplete lists the per-layer problems that make the evidence
	// partial: layers cut short by a budget or a broken stream, layers
	// whose content did not match their diff_id (Layer is the diff_id;
	// Path, when set, the file being read). The root package's Inspect
	// fills it from the walk. Policy.Evaluate reports each entry as a
	// violation of the reserved rule IncompleteRule, with action deny
	// unless WithIncompleteAction says otherwise: a gate fails closed on
	// evidence it could not read whole.
	Incomplete []result.FileError `json:"incomplete,omitempty"`
	// Now is the time the evidence is judged at: image ages, advisory
	// ages and waiver expiry are measured against it. Policy.Evaluate
	// evaluates a copy of the input whose Now is this value when it is
	// set, else the policy's clock (WithClock), in UTC; rules read it
	// from there (rules written in Go too, rather than time.Now, so that
	// decisions are reproducible). A built-in rule evaluated on its own
	// over an input whose Now is zero judges against the current time.
	Now time.Time `json:"-"`

	// eval is set only on Policy.Evaluate's copy of the input: state
	// shared by the rules of one evaluation.
	eval *evaluation
}

// evaluation is the state of one Policy.Evaluate shared by its rules.
type evaluation struct {
	// in is the copy of the input the evaluation passes to its rules;
	// the cache below serves that input only.
	in *Input
	// cel is the CEL view of in, built by the first CEL rule that needs
	// it.
	cel *celInput
}

// now returns the time the input is judged at: Now, or the current time
// when Now is zero (a rule evaluated outside Policy.Evaluate).
func (in *Input) now() time.Time {
	if !in.Now.IsZero() {
		return in.Now
	}
	return time.Now().UTC()
}

// SignatureEvidence is the outcome of verifying one signature or
// attestation of an image. The sign module converts its verification
// results to it; its JSON form is what `--verification FILE` reads.
type SignatureEvidence struct {
	// Verified says the signature checked out against Key or Identity.
	Verified bool `json:"verified"`
	// Digest is the manifest digest the signature covers ("sha256:…").
	Digest string `json:"digest"`
	// Key identifies the public key that verified it (a fingerprint
	// "sha256:…" or a key reference such as "cosign.pub" or a KMS URI),
	// for key-based signatures.
	Key string `json:"key,omitempty"`
	// Issuer and Subject are the signer's identity from a keyless
	// certificate: the OIDC issuer and the subject (an email address or a
	// workflow URI).
	Issuer  string `json:"issuer,omitempty"`
	Subject string `json:"subject,omitempty"`
	// PredicateTypes lists the in-toto predicate types of an attestation
	// ("https://slsa.dev/provenance/v1"); empty for a plain signature.
	PredicateTypes []string `json:"predicate_types,omitempty"`
	// Error says why verification failed, when Verified is false.
	Error string `json:"error,omitempty"`
}

// ReadSignatureEvidence decodes signature evidence: a JSON array of
// SignatureEvidence, a single object, or an object with an "evidence"
// array — the JSON of the sign module's Verification, as `shipshape
// verify --output` and `verify-attestation --output` write it (its
// Evidence, converted in one place).
func ReadSignatureEvidence(r io.Reader) ([]SignatureEvidence, error) {
	b, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrEvidence, err)
	}
	s := strings.TrimSpace(string(b))
	if strings.HasPrefix(s, "[") {
		var out []SignatureEvidence
		if err := json.Unmarshal(b, &out); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrEvidence, err)
		}
		return out, nil
	}
	var probe struct {
		Evidence      *[]SignatureEvidence `json:"evidence"`
		Verified      *bool                `json:"verified"`
		SchemaVersion string               `json:"schema_version"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrEvidence, err)
	}
	switch {
	case probe.Evidence != nil:
		return *probe.Evidence, nil
	case probe.SchemaVersion != "":
		return nil, fmt.Errorf("%w: a verification without an \"evidence\" array (written by an older shipshape: verify again)", ErrEvidence)
	case probe.Verified != nil:
		var e SignatureEvidence
		if err := json.Unmarshal(b, &e); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrEvidence, err)
		}
		return []SignatureEvidence{e}, nil
	}
	return nil, fmt.Errorf("%w: neither a list, an object with \"evidence\", nor one with \"verified\"", ErrEvidence)
}

// InputFromImage fills the image facts of an Input from img: its digest,
// config and creation time. ref is the reference it was read from (empty
// for local images). It reads only the manifest and the config.
func InputFromImage(img v1.Image, ref string) (*Input, error) {
	in := &Input{Reference: ref}
	d, err := img.Digest()
	if err != nil {
		return nil, fmt.Errorf("image digest: %w", err)
	}
	in.Digest = d.String()
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("image config: %w", err)
	}
	in.Config = cf
	return in, nil
}

// ImageReference returns the image reference the input is about, from
// Reference or the SBOM's or scan report's source; "" when none says.
func (in *Input) ImageReference() string {
	if in.Reference != "" {
		return in.Reference
	}
	if in.SBOM != nil && in.SBOM.Source.Reference != "" {
		return in.SBOM.Source.Reference
	}
	if in.Scan != nil && in.Scan.Source.Reference != "" {
		return in.Scan.Source.Reference
	}
	return ""
}

// ImageDigest returns the image's manifest digest, from Digest or the
// SBOM's or scan report's source; "" when none says.
func (in *Input) ImageDigest() string {
	if in.Digest != "" {
		return in.Digest
	}
	if in.SBOM != nil && in.SBOM.Source.Digest != "" {
		return in.SBOM.Source.Digest
	}
	if in.Scan != nil && in.Scan.Source.Digest != "" {
		return in.Scan.Source.Digest
	}
	return ""
}

// CreatedAt returns the image's creation time, from Created or the
// config; zero when neither gives one.
func (in *Input) CreatedAt() time.Time {
	if !in.Created.IsZero() {
		return in.Created
	}
	if in.Config != nil {
		return in.Config.Created.Time
	}
	return time.Time{}
}

// MarshalJSON writes the input with its image config redacted: every
// environment value, and the labels and build-history steps where the
// secret scan or the secret-in-config check found a credential, hold
// their first characters and stars (secrets.Redact) instead of the value.
// Rules never read those values (CEL sees environment keys only), so an
// input read back from its JSON is judged as the input was; and evidence
// written to a file or a CI log shows no credential in clear.
func (in Input) MarshalJSON() ([]byte, error) {
	type fields Input // without this method
	f := fields(in)
	f.Config = in.redactedConfig()
	return json.Marshal(f)
}

// redactedConfig returns a copy of the config with the values that may be
// credentials redacted, or nil.
func (in *Input) redactedConfig() *v1.ConfigFile {
	if in.Config == nil {
		return nil
	}
	cf := in.Config.DeepCopy()
	for i, e := range cf.Config.Env {
		if k, v, ok := strings.Cut(e, "="); ok && v != "" {
			cf.Config.Env[i] = k + "=" + secrets.Redact(v)
		}
	}
	labels := slices.Sorted(maps.Keys(cf.Config.Labels)) // the secret scan's line order
	redactLabel := func(k string) {
		if v, ok := cf.Config.Labels[k]; ok && v != "" {
			cf.Config.Labels[k] = secrets.Redact(v)
		}
	}
	redactStep := func(i int) {
		if i >= 0 && i < len(cf.History) && cf.History[i].CreatedBy != "" {
			cf.History[i].CreatedBy = secrets.Redact(cf.History[i].CreatedBy)
		}
	}
	if in.Secrets != nil {
		for _, f := range in.Secrets.Findings {
			part, ok := strings.CutPrefix(f.File, secrets.ConfigFile+"/")
			if !ok || f.Line < 1 {
				continue
			}
			for line := f.Line; line <= max(f.Line, f.EndLine); line++ {
				switch part {
				case "labels":
					if line <= len(labels) {
						redactLabel(labels[line-1])
					}
				case "history":
					redactStep(line - 1)
				}
			}
		}
	}
	if in.Hardening != nil {
		for _, f := range in.Hardening.Findings {
			if f.ID != "secret-in-config" {
				continue
			}
			if f.Evidence.Label != "" {
				redactLabel(f.Evidence.Label)
			}
			if f.Evidence.History != nil {
				redactStep(*f.Evidence.History)
			}
		}
	}
	return cf
}
