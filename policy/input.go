package policy

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/secrets"
)

// Input is the evidence a policy is evaluated over. Every field is
// optional: a rule that needs evidence the input lacks reports a
// violation saying what is missing, with the rule's action, rather than
// passing.
type Input struct {
	// Reference is the image reference ("ghcr.io/org/app:1.2"); when empty
	// the SBOM's or the scan report's source reference is used.
	Reference string
	// Digest is the image's manifest digest ("sha256:…"); when empty the
	// SBOM's or the scan report's source digest is used.
	Digest string
	// Config is the image's config file: user, labels, creation time.
	Config *v1.ConfigFile
	// Created is the image's creation time; when zero, Config.Created is
	// used.
	Created time.Time
	// SBOM is the image's inventory, for package and licence rules.
	SBOM *sbom.SBOM
	// Scan is the vulnerability report; its Hardening findings serve the
	// hardening rules when HardeningChecked is set.
	Scan *scan.Report
	// HardeningChecked says the hardening checks ran for Scan. Reports
	// made with scan.Report.AddHardening say so themselves
	// (HardeningChecks); for others, rules over hardening findings treat
	// them as missing unless this is set (or the report holds findings).
	HardeningChecked bool
	// Hardening is the image's hardening report, when it was checked
	// apart from a vulnerability scan (shipshape.Inspect); it is the
	// hardening evidence whether or not Scan is set.
	Hardening *scan.HardeningReport
	// Secrets is the secret scan of the image.
	Secrets *secrets.Report
	// Signatures are the results of verifying the image's signatures and
	// attestations; empty means no verification evidence was given. A
	// verification that found no valid signature is an entry with
	// Verified false.
	Signatures []SignatureEvidence
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
// SignatureEvidence, a single object, or an object with a "signatures"
// array (as sign writes it).
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
		Signatures *[]SignatureEvidence `json:"signatures"`
		Verified   *bool                `json:"verified"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrEvidence, err)
	}
	var v verificationJSON
	if err := json.Unmarshal(b, &v); err == nil && v.SchemaVersion != "" && v.Verified != nil {
		return v.evidence(), nil // what 'shipshape verify' and sign.Verification write
	}
	switch {
	case probe.Signatures != nil:
		return *probe.Signatures, nil
	case probe.Verified != nil:
		var e SignatureEvidence
		if err := json.Unmarshal(b, &e); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrEvidence, err)
		}
		return []SignatureEvidence{e}, nil
	}
	return nil, fmt.Errorf("%w: neither a list, an object with \"signatures\", nor one with \"verified\"", ErrEvidence)
}

// verificationJSON is the JSON form of the sign module's Verification,
// as `shipshape verify --format json` and `verify-attestation` write it:
// the fields policy needs from it.
type verificationJSON struct {
	SchemaVersion string `json:"schema_version"`
	Digest        string `json:"digest"`
	Verified      *bool  `json:"verified"`
	KeyID         string `json:"key_id"`
	Signatures    []struct {
		Digest   string `json:"digest"`
		Identity *struct {
			Issuer  string `json:"issuer"`
			Subject string `json:"subject"`
		} `json:"identity"`
	} `json:"signatures"`
	Attestations []struct {
		PredicateType string `json:"predicate_type"`
	} `json:"attestations"`
	Error string `json:"error"`
}

// evidence turns a verification into evidence: one entry per accepted
// signature, one for the accepted attestations with their predicate
// types, or one unverified entry with the error.
func (v *verificationJSON) evidence() []SignatureEvidence {
	if !*v.Verified {
		return []SignatureEvidence{{Digest: v.Digest, Key: v.KeyID, Error: v.Error}}
	}
	var out []SignatureEvidence
	for _, s := range v.Signatures {
		e := SignatureEvidence{Verified: true, Digest: s.Digest, Key: v.KeyID}
		if e.Digest == "" {
			e.Digest = v.Digest
		}
		if s.Identity != nil {
			e.Issuer, e.Subject = s.Identity.Issuer, s.Identity.Subject
		}
		out = append(out, e)
	}
	if len(v.Attestations) > 0 {
		e := SignatureEvidence{Verified: true, Digest: v.Digest, Key: v.KeyID}
		for _, a := range v.Attestations {
			if !slices.Contains(e.PredicateTypes, a.PredicateType) {
				e.PredicateTypes = append(e.PredicateTypes, a.PredicateType)
			}
		}
		out = append(out, e)
	}
	return out
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

// hardening returns the hardening findings and whether they are evidence.
func (in *Input) hardening() ([]scan.HardeningFinding, bool) {
	if in.Hardening != nil {
		return in.Hardening.Findings, true
	}
	if in.Scan == nil {
		return nil, false
	}
	return in.Scan.Hardening, in.HardeningChecked || len(in.Scan.HardeningChecks) > 0 || len(in.Scan.Hardening) > 0
}
