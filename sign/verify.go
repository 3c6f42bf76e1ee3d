package sign

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/sigstore/cosign/v2/pkg/oci"
	"github.com/sigstore/sigstore/pkg/signature"
	sigopts "github.com/sigstore/sigstore/pkg/signature/options"
	"github.com/sigstore/sigstore/pkg/signature/payload"

	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/result"
)

// SchemaVersion is the schema_version of Verification's JSON form.
const SchemaVersion = "1"

// Verification is the result of Verify or VerifyAttestations: which image
// digest was checked, whether it verified and with which key, and the
// signatures and attestations that were accepted. Its JSON form carries,
// beside these fields, an "evidence" array: the verification as policy
// evidence (Evidence), which is what policy.ReadSignatureEvidence reads
// back, so that a file written by `shipshape verify --output` judges the
// same as the verification did in process.
type Verification struct {
	SchemaVersion string `json:"schema_version"`
	// Reference is the image reference as given.
	Reference string `json:"reference"`
	// Digest is the manifest digest the reference resolved to: what was
	// verified.
	Digest string `json:"digest"`
	// Verified is true when at least one signature (Verify) or one
	// attestation of the asked predicate type (VerifyAttestations)
	// verified; the error returned with it is nil exactly then.
	Verified bool `json:"verified"`
	// KeyID is the verifying key's KeyID (Verify, VerifyAttestations).
	KeyID string `json:"key_id,omitempty"`
	// Identities are the certificate identities of the accepted keyless
	// signatures, without duplicates (VerifyKeyless).
	Identities []Identity `json:"identities,omitempty"`
	// Signatures are the accepted signatures (Verify).
	Signatures []Signature `json:"signatures,omitempty"`
	// Attestations are the accepted attestations (VerifyAttestations).
	Attestations []Attestation `json:"attestations,omitempty"`
	// PredicateTypes lists the predicate types of Attestations, sorted,
	// without duplicates.
	PredicateTypes []string `json:"predicate_types,omitempty"`
	// Error says why verification failed; empty when Verified.
	Error string `json:"error,omitempty"`
}

// Signature is a verified cosign signature and its decoded payload.
type Signature struct {
	// Digest is the manifest digest the payload names.
	Digest string `json:"digest"`
	// DockerReference is the identity the payload claims for the image.
	DockerReference string `json:"docker_reference"`
	// Annotations are the signed annotations of the payload.
	Annotations map[string]any `json:"annotations,omitempty"`
	// Payload is the signed simple-signing payload, byte for byte.
	Payload []byte `json:"payload"`
	// Signature is the raw signature over Payload.
	Signature []byte `json:"signature"`
	// Identity is the signer's certificate identity (VerifyKeyless).
	Identity *CertificateIdentity `json:"identity,omitempty"`
}

// Verify checks the cosign signatures of the manifest ref names (a tag is
// resolved to its digest first) with verifier. A signature is accepted
// when it verifies over its payload, the payload is a cosign simple-signing
// payload naming exactly that digest, and it carries the annotations of
// WithRequiredAnnotations. Verify succeeds when at least one signature is
// accepted; otherwise the error is a *VerificationError that unwraps to
// ErrNoSignature, ErrInvalidSignature, ErrInvalidPayload,
// ErrDigestMismatch or ErrAnnotationMismatch. The Verification is returned
// in both cases, with Verified false and Error set on failure, so a failed
// check can be recorded as evidence; it is nil only when the image itself
// could not be read.
func Verify(ctx context.Context, ref string, verifier signature.Verifier, opts ...Option) (*Verification, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, err
	}
	v, h, sigs, err := prepareVerify(ctx, ref, verifier, o, sigSuffix)
	if err != nil {
		return nil, err
	}
	return acceptSignatures(v, h, sigs, func(s oci.Signature) (*Signature, error) {
		return checkSignature(ctx, s, h, verifier, o)
	})
}

// acceptSignatures checks each of sigs and fills v with the accepted ones.
func acceptSignatures(v *Verification, h v1.Hash, sigs []oci.Signature, check func(oci.Signature) (*Signature, error)) (*Verification, error) {
	verr := &VerificationError{Reference: v.Reference, Digest: h.String()}
	if len(sigs) == 0 {
		verr.Failures = []error{ErrNoSignature}
		return v.fail(verr)
	}
	for i, s := range sigs {
		accepted, err := check(s)
		if err != nil {
			verr.Failures = append(verr.Failures, fmt.Errorf("signature %d: %w", i, err))
			continue
		}
		v.Signatures = append(v.Signatures, *accepted)
		if accepted.Identity != nil {
			v.addIdentity(accepted.Identity)
		}
	}
	if len(v.Signatures) == 0 {
		return v.fail(verr)
	}
	v.Verified = true
	return v, nil
}

func (v *Verification) fail(err *VerificationError) (*Verification, error) {
	v.Verified = false
	v.Signatures, v.Attestations, v.PredicateTypes, v.Identities = nil, nil, nil, nil
	v.Error = err.Error()
	return v, err
}

// prepareVerify resolves ref and reads the signatures or attestations
// stored for it.
func prepareVerify(ctx context.Context, ref string, verifier signature.Verifier, o *options, suffix string) (*Verification, v1.Hash, []oci.Signature, error) {
	if verifier == nil {
		return nil, v1.Hash{}, nil, fmt.Errorf("%w: nil verifier", result.ErrInvalidOption)
	}
	pub, err := verifier.PublicKey()
	if err != nil {
		return nil, v1.Hash{}, nil, fmt.Errorf("%w: verifier public key: %w", ErrInvalidKey, err)
	}
	keyID, err := KeyID(pub)
	if err != nil {
		return nil, v1.Hash{}, nil, err
	}
	v, h, sigs, err := readStored(ctx, ref, o, suffix)
	if err != nil {
		return nil, v1.Hash{}, nil, err
	}
	v.KeyID = keyID
	return v, h, sigs, nil
}

// readStored resolves ref and reads the signatures or attestations stored
// for it.
func readStored(ctx context.Context, ref string, o *options, suffix string) (*Verification, v1.Hash, []oci.Signature, error) {
	st, err := openStore(ref, o)
	if err != nil {
		return nil, v1.Hash{}, nil, err
	}
	d, err := st.subject(ctx)
	if err != nil {
		return nil, v1.Hash{}, nil, err
	}
	v := &Verification{SchemaVersion: SchemaVersion, Reference: ref, Digest: d.Digest.String()}
	img, err := st.read(ctx, tagFor(d.Digest, suffix))
	if err != nil {
		return nil, v1.Hash{}, nil, err
	}
	if img == nil {
		return v, d.Digest, nil, nil
	}
	sigs, err := storedSignatures{Image: img, max: o.maxPayload}.Get()
	if err != nil {
		return nil, v1.Hash{}, nil, fmt.Errorf("reading %s: %w", tagFor(d.Digest, suffix), err)
	}
	return v, d.Digest, sigs, nil
}

func checkSignature(ctx context.Context, s oci.Signature, h v1.Hash, verifier signature.Verifier, o *options) (*Signature, error) {
	b64, err := s.Base64Signature()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidSignature, err)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) == 0 {
		return nil, fmt.Errorf("%w: signature annotation is not base64", ErrInvalidSignature)
	}
	pl, err := s.Payload()
	if err != nil {
		return nil, err
	}
	if err := verifier.VerifySignature(bytes.NewReader(raw), bytes.NewReader(pl), sigopts.WithContext(ctx)); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidSignature, err)
	}
	var sci payload.SimpleContainerImage
	if err := json.Unmarshal(pl, &sci); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidPayload, err)
	}
	if sci.Critical.Type != payload.CosignSignatureType {
		return nil, fmt.Errorf("%w: payload type %q", ErrInvalidPayload, sci.Critical.Type)
	}
	if got := sci.Critical.Image.DockerManifestDigest; got != h.String() {
		return nil, fmt.Errorf("%w: payload signs %s", ErrDigestMismatch, got)
	}
	var missing []string
	for k, want := range o.required {
		got, ok := sci.Optional[k].(string)
		if !ok || got != want {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("%w: %v", ErrAnnotationMismatch, missing)
	}
	return &Signature{
		Digest:          h.String(),
		DockerReference: sci.Critical.Identity.DockerReference,
		Annotations:     sci.Optional,
		Payload:         pl,
		Signature:       raw,
	}, nil
}

// MarshalJSON writes the verification's fields and its Evidence.
func (v Verification) MarshalJSON() ([]byte, error) {
	type fields Verification // without this method
	return json.Marshal(struct {
		fields
		Evidence []policy.SignatureEvidence `json:"evidence"`
	}{fields(v), v.Evidence()})
}

// Evidence converts the verification to the evidence policies read
// (policy.SignatureEvidence): one entry per accepted signature, one for
// the accepted attestations with their predicate types, or one unverified
// entry carrying the error. It is the one conversion: the Verification's
// JSON holds it too (MarshalJSON), and policy reads that back.
func (v *Verification) Evidence() []policy.SignatureEvidence {
	if !v.Verified {
		return []policy.SignatureEvidence{{Digest: v.Digest, Key: v.KeyID, Error: v.Error}}
	}
	var out []policy.SignatureEvidence
	for _, s := range v.Signatures {
		e := policy.SignatureEvidence{Verified: true, Digest: s.Digest, Key: v.KeyID}
		if e.Digest == "" {
			e.Digest = v.Digest
		}
		if s.Identity != nil {
			e.Issuer, e.Subject = s.Identity.Issuer, s.Identity.Subject
		}
		out = append(out, e)
	}
	if len(v.Attestations) > 0 && v.KeyID != "" {
		out = append(out, policy.SignatureEvidence{Verified: true, Digest: v.Digest, Key: v.KeyID, PredicateTypes: v.PredicateTypes})
	} else if len(v.Attestations) > 0 {
		// Keyless: one entry per signer identity, with the predicate
		// types that signer attested.
		byID := map[Identity][]string{}
		var order []Identity
		for _, a := range v.Attestations {
			var id Identity
			if a.Identity != nil {
				id = Identity{Issuer: a.Identity.Issuer, Subject: a.Identity.Subject}
			}
			if _, ok := byID[id]; !ok {
				order = append(order, id)
			}
			if !slices.Contains(byID[id], a.PredicateType) {
				byID[id] = append(byID[id], a.PredicateType)
			}
		}
		for _, id := range order {
			types := byID[id]
			sort.Strings(types)
			out = append(out, policy.SignatureEvidence{Verified: true, Digest: v.Digest, Issuer: id.Issuer, Subject: id.Subject, PredicateTypes: types})
		}
	}
	return out
}
