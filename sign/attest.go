package sign

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/in-toto/in-toto-golang/in_toto"
	slsa02 "github.com/in-toto/in-toto-golang/in_toto/slsa_provenance/v0.2"
	slsa1 "github.com/in-toto/in-toto-golang/in_toto/slsa_provenance/v1"
	ssldsse "github.com/secure-systems-lab/go-securesystemslib/dsse"
	"github.com/sigstore/cosign/v2/pkg/cosign/attestation"
	"github.com/sigstore/cosign/v2/pkg/oci"
	"github.com/sigstore/cosign/v2/pkg/oci/static"
	"github.com/sigstore/cosign/v2/pkg/types"
	"github.com/sigstore/sigstore/pkg/signature"
	"github.com/sigstore/sigstore/pkg/signature/dsse"
	sigopts "github.com/sigstore/sigstore/pkg/signature/options"

	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
)

// Predicate type URIs of the predicates this package builds, and of the
// other short names cosign accepts.
const (
	PredicateCycloneDX       = in_toto.PredicateCycloneDX
	PredicateVuln            = attestation.CosignVulnProvenanceV01
	PredicateSLSAProvenance  = slsa02.PredicateSLSAProvenance
	PredicateSLSAProvenance1 = slsa1.PredicateSLSAProvenance
	PredicateSPDX            = in_toto.PredicateSPDX
	PredicateLink            = in_toto.PredicateLinkV1
	PredicateOpenVEX         = attestation.OpenVexNamespace
	PredicateCustom          = attestation.CosignCustomProvenanceV01
)

// shortNames are cosign attest --type's names; cosign's statement
// generator takes the same names.
var shortNames = map[string]string{
	"custom":           PredicateCustom,
	"slsaprovenance":   PredicateSLSAProvenance,
	"slsaprovenance02": PredicateSLSAProvenance,
	"slsaprovenance1":  PredicateSLSAProvenance1,
	"spdx":             PredicateSPDX,
	"spdxjson":         PredicateSPDX,
	"cyclonedx":        PredicateCycloneDX,
	"link":             PredicateLink,
	"vuln":             PredicateVuln,
	"openvex":          PredicateOpenVEX,
}

// PredicateTypeURI returns the predicate type URI for one of cosign's
// short names (cyclonedx, vuln, slsaprovenance, slsaprovenance1, spdxjson,
// link, openvex, custom) or checks and returns an absolute URI.
func PredicateTypeURI(nameOrURI string) (string, error) {
	if u, ok := shortNames[nameOrURI]; ok {
		return u, nil
	}
	u, err := url.ParseRequestURI(nameOrURI)
	if err != nil || u.Scheme == "" {
		return "", fmt.Errorf("%w: predicate type %q is neither a known name nor an absolute URI", result.ErrInvalidOption, nameOrURI)
	}
	return nameOrURI, nil
}

// Predicate is the content of an attestation: its type (a cosign short
// name or a URI, see PredicateTypeURI) and its JSON document.
type Predicate struct {
	Type string
	Data []byte
}

// CycloneDXPredicate encodes s as a CycloneDX JSON document, the predicate
// of a "https://cyclonedx.org/bom" attestation. Pass sbom.WithTimestamp and
// sbom.WithSerialNumber for reproducible output.
func CycloneDXPredicate(s *sbom.SBOM, opts ...sbom.EncodeOption) (Predicate, error) {
	bom, err := sbom.ToCycloneDX(s, opts...)
	if err != nil {
		return Predicate{}, fmt.Errorf("cyclonedx predicate: %w", err)
	}
	b, err := json.Marshal(bom)
	if err != nil {
		return Predicate{}, fmt.Errorf("cyclonedx predicate: %w", err)
	}
	return Predicate{Type: PredicateCycloneDX, Data: b}, nil
}

// VulnPredicate wraps r in cosign's vulnerability-scan predicate
// ("https://cosign.sigstore.dev/attestation/vuln/v1"): the scanner is
// shipshape, the database r's, the result r itself in its JSON form, and
// the scan ran from started to finished.
func VulnPredicate(r *scan.Report, started, finished time.Time) (Predicate, error) {
	if r == nil {
		return Predicate{}, fmt.Errorf("%w: nil report", result.ErrInvalidOption)
	}
	p := attestation.CosignVulnPredicate{
		Scanner: attestation.Scanner{
			URI:     "https://github.com/shipshape-dev/shipshape",
			Version: r.SchemaVersion,
			DB:      attestation.DB{URI: "https://osv.dev", Version: r.DB.BuiltAt.UTC().Format(time.RFC3339)},
			Result:  r,
		},
		Metadata: attestation.Metadata{ScanStartedOn: started.UTC(), ScanFinishedOn: finished.UTC()},
	}
	b, err := json.Marshal(p)
	if err != nil {
		return Predicate{}, fmt.Errorf("vuln predicate: %w", err)
	}
	return Predicate{Type: PredicateVuln, Data: b}, nil
}

// Attest makes an in-toto statement whose subject is the manifest ref
// names (a tag resolved to its digest first) and whose predicate is p,
// signs it with signer in a DSSE envelope, and stores it as cosign attest
// does: a layer of the image tagged sha256-<hex>.att, annotated with the
// predicate type. With WithPlatformImages, each platform image of an
// index is attested too.
func Attest(ctx context.Context, ref string, signer signature.Signer, p Predicate, opts ...Option) (*Signed, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, err
	}
	if signer == nil {
		return nil, fmt.Errorf("%w: nil signer", result.ErrInvalidOption)
	}
	if _, err := PredicateTypeURI(p.Type); err != nil {
		return nil, err
	}
	st, err := openStore(ref, o)
	if err != nil {
		return nil, err
	}
	verifier, keyID, err := signerVerifier(signer)
	if err != nil {
		return nil, err
	}
	targets, err := signTargets(ctx, st, o)
	if err != nil {
		return nil, err
	}
	res := &Signed{Reference: ref, KeyID: keyID}
	if err := attestDigests(ctx, st, targets, signingKey{signer: signer, verifier: verifier}, p, res, o); err != nil {
		return nil, err
	}
	return res, nil
}

// attestDigests makes, signs and stores an attestation of p for the
// targets.
func attestDigests(ctx context.Context, st store, targets []v1.Hash, key signingKey, p Predicate, res *Signed, o *options) error {
	uri, err := PredicateTypeURI(p.Type)
	if err != nil {
		return err
	}
	genType := p.Type
	if _, short := shortNames[p.Type]; !short {
		genType = uri
	}
	wrapped := dsse.WrapSigner(key.signer, types.IntotoPayloadType)
	for _, h := range targets {
		img, _, err := st.identity(h)
		if err != nil {
			return err
		}
		stmt, err := attestation.GenerateStatement(attestation.GenerateOpts{
			Predicate: bytes.NewReader(p.Data),
			Type:      genType,
			Digest:    h.Hex,
			Repo:      img.Repository.String(),
		})
		if err != nil {
			return fmt.Errorf("%w: %s predicate: %w", ErrInvalidPayload, uri, err)
		}
		sb, err := json.Marshal(stmt)
		if err != nil {
			return fmt.Errorf("attesting %s: %w", h, err)
		}
		env, err := wrapped.SignMessage(bytes.NewReader(sb), sigopts.WithContext(ctx))
		if err != nil {
			return fmt.Errorf("attesting %s: %w", h, err)
		}
		aopts, err := key.signatureOptions(ctx, h, nil, env, true, res)
		if err != nil {
			return err
		}
		aopts = append(aopts,
			static.WithLayerMediaType(types.DssePayloadType),
			static.WithAnnotations(map[string]string{"predicateType": uri}))
		att, err := static.NewAttestation(env, aopts...)
		if err != nil {
			return fmt.Errorf("attesting %s: %w", h, err)
		}
		replaceType := ""
		if o.replace {
			replaceType = uri
		}
		if err := attach(ctx, st, tagFor(h, attSuffix), att, key.verifier, replaceType, o); err != nil {
			return err
		}
		res.Digests = append(res.Digests, h.String())
	}
	return nil
}

// Attestation is a verified in-toto statement about the image.
type Attestation struct {
	// PredicateType is the statement's predicate type URI.
	PredicateType string `json:"predicate_type"`
	// Subjects are the statement's subjects; one has the image digest.
	Subjects []Subject `json:"subjects"`
	// Predicate is the statement's predicate, as signed.
	Predicate json.RawMessage `json:"predicate"`
	// Identity is the signer's certificate identity
	// (VerifyAttestationsKeyless).
	Identity *CertificateIdentity `json:"identity,omitempty"`
}

// Subject is an in-toto subject: a name and its digests by algorithm.
type Subject struct {
	Name   string            `json:"name"`
	Digest map[string]string `json:"digest"`
}

// VerifyAttestations checks the attestations of the manifest ref names (a
// tag resolved to its digest first) with verifier and returns those of
// predicateType (a cosign short name or a URI; empty for every type). An
// attestation is accepted when its DSSE envelope verifies, it holds an
// in-toto statement, and one subject has the image digest. It fails, with
// a *VerificationError, when none is accepted: ErrNoAttestation,
// ErrInvalidSignature, ErrInvalidPayload, ErrDigestMismatch, or
// ErrPredicateTypeMismatch when the verified ones are all of other types.
// As with Verify, the Verification is returned in both cases.
func VerifyAttestations(ctx context.Context, ref string, verifier signature.Verifier, predicateType string, opts ...Option) (*Verification, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, err
	}
	want, err := wantPredicate(predicateType)
	if err != nil {
		return nil, err
	}
	v, h, atts, err := prepareVerify(ctx, ref, verifier, o, attSuffix)
	if err != nil {
		return nil, err
	}
	return acceptAttestations(v, h, atts, want, func(s oci.Signature) (*Attestation, error) {
		return checkAttestation(ctx, s, h, verifier)
	})
}

// wantPredicate is the predicate type URI a verification filters on: ""
// (every type) for "", else PredicateTypeURI's.
func wantPredicate(predicateType string) (string, error) {
	if predicateType == "" {
		return "", nil
	}
	return PredicateTypeURI(predicateType)
}

// acceptAttestations checks each of atts and fills v with the accepted
// ones of predicate type want (any when empty).
func acceptAttestations(v *Verification, h v1.Hash, atts []oci.Signature, want string, check func(oci.Signature) (*Attestation, error)) (*Verification, error) {
	verr := &VerificationError{Reference: v.Reference, Digest: h.String()}
	if len(atts) == 0 {
		verr.Failures = []error{ErrNoAttestation}
		return v.fail(verr)
	}
	types := map[string]bool{}
	for i, s := range atts {
		a, err := check(s)
		if err == nil && want != "" && a.PredicateType != want {
			err = fmt.Errorf("%w: %s, not %s", ErrPredicateTypeMismatch, a.PredicateType, want)
		}
		if err != nil {
			verr.Failures = append(verr.Failures, fmt.Errorf("attestation %d: %w", i, err))
			continue
		}
		v.Attestations = append(v.Attestations, *a)
		types[a.PredicateType] = true
		if a.Identity != nil {
			v.addIdentity(a.Identity)
		}
	}
	if len(v.Attestations) == 0 {
		return v.fail(verr)
	}
	for t := range types {
		v.PredicateTypes = append(v.PredicateTypes, t)
	}
	sort.Strings(v.PredicateTypes)
	v.Verified = true
	return v, nil
}

func checkAttestation(ctx context.Context, s oci.Signature, h v1.Hash, verifier signature.Verifier) (*Attestation, error) {
	pl, err := s.Payload()
	if err != nil {
		return nil, err
	}
	var env ssldsse.Envelope
	if err := json.Unmarshal(pl, &env); err != nil {
		return nil, fmt.Errorf("%w: not a DSSE envelope: %w", ErrInvalidPayload, err)
	}
	if env.PayloadType != types.IntotoPayloadType {
		return nil, fmt.Errorf("%w: envelope payload type %q", ErrInvalidPayload, env.PayloadType)
	}
	ev, err := ssldsse.NewEnvelopeVerifier(&dsse.VerifierAdapter{SignatureVerifier: verifier})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidKey, err)
	}
	if _, err := ev.Verify(ctx, &env); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidSignature, err)
	}
	body, err := base64.StdEncoding.DecodeString(env.Payload)
	if err != nil {
		return nil, fmt.Errorf("%w: envelope payload: %w", ErrInvalidPayload, err)
	}
	var stmt struct {
		Type          string          `json:"_type"`
		PredicateType string          `json:"predicateType"`
		Subject       []Subject       `json:"subject"`
		Predicate     json.RawMessage `json:"predicate"`
	}
	if err := json.Unmarshal(body, &stmt); err != nil {
		return nil, fmt.Errorf("%w: in-toto statement: %w", ErrInvalidPayload, err)
	}
	if stmt.Type != in_toto.StatementInTotoV01 && stmt.Type != "https://in-toto.io/Statement/v1" {
		return nil, fmt.Errorf("%w: statement type %q", ErrInvalidPayload, stmt.Type)
	}
	match := false
	for _, sub := range stmt.Subject {
		if sub.Digest[h.Algorithm] == h.Hex {
			match = true
		}
	}
	if !match {
		return nil, fmt.Errorf("%w: no subject has digest %s", ErrDigestMismatch, h)
	}
	return &Attestation{PredicateType: stmt.PredicateType, Subjects: stmt.Subject, Predicate: stmt.Predicate}, nil
}

// statementType reads the predicate type of a stored attestation without
// verifying it.
func statementType(a oci.Signature) (string, error) {
	pl, err := a.Payload()
	if err != nil {
		return "", err
	}
	var env ssldsse.Envelope
	if err := json.Unmarshal(pl, &env); err != nil {
		return "", err
	}
	body, err := base64.StdEncoding.DecodeString(env.Payload)
	if err != nil {
		return "", err
	}
	var stmt struct {
		PredicateType string `json:"predicateType"`
	}
	if err := json.Unmarshal(body, &stmt); err != nil {
		return "", err
	}
	return stmt.PredicateType, nil
}
