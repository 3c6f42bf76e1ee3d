package sign

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/sigstore/cosign/v2/pkg/cosign"
	"github.com/sigstore/cosign/v2/pkg/oci"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/sigstore/sigstore/pkg/signature"
	"github.com/sigstore/sigstore/pkg/tuf"
)

// TrustedRoots are the keys and certificates keyless verification trusts,
// supplied by the caller (for the public Sigstore instance, from its TUF
// repository or trusted_root.json), so that verification needs no network.
type TrustedRoots struct {
	// FulcioRoots are the certificate authorities that issue signing
	// certificates; FulcioIntermediates their intermediate CAs.
	FulcioRoots         []*x509.Certificate
	FulcioIntermediates []*x509.Certificate
	// RekorKeys are the transparency logs' public keys; a signature's
	// Rekor bundle must be signed by one of them.
	RekorKeys []crypto.PublicKey
	// CTLogKeys are the certificate-transparency logs' public keys, which
	// sign the SCT embedded in every Fulcio certificate.
	CTLogKeys []crypto.PublicKey
}

// Identity is the signer a keyless signature must come from: the OIDC
// issuer and the subject (e-mail address or URI) of its certificate, each
// matched exactly or, when the exact value is empty, by a regular
// expression. At least one of Issuer and IssuerRegexp and one of Subject
// and SubjectRegexp must be set.
type Identity struct {
	Issuer        string `json:"issuer,omitempty"`
	IssuerRegexp  string `json:"issuer_regexp,omitempty"`
	Subject       string `json:"subject,omitempty"`
	SubjectRegexp string `json:"subject_regexp,omitempty"`
}

func (id Identity) check() error {
	if (id.Issuer == "" && id.IssuerRegexp == "") || (id.Subject == "" && id.SubjectRegexp == "") {
		return fmt.Errorf("%w: identity %+v needs an issuer and a subject", result.ErrInvalidOption, id)
	}
	for _, re := range []string{id.IssuerRegexp, id.SubjectRegexp} {
		if _, err := regexp.Compile(re); err != nil {
			return fmt.Errorf("%w: identity regexp %q: %w", result.ErrInvalidOption, re, err)
		}
	}
	return nil
}

// WithoutSCTUnsafe accepts keyless certificates without checking their
// signed certificate timestamp, for private Fulcio instances that log to no
// certificate-transparency log.
func WithoutSCTUnsafe() Option {
	return func(o *options) error {
		o.ignoreSCT = true
		return nil
	}
}

// VerifyKeyless checks the keyless (Fulcio certificate, Rekor bundle)
// cosign signatures of the manifest ref names, offline: a signature is
// accepted when its Rekor bundle is signed by a log of roots and records
// this very signature, certificate and payload; its certificate chains to a
// Fulcio root of roots, was valid at the time the log recorded it, carries
// an SCT from a CT log of roots (unless WithoutSCTUnsafe), and names one
// of identities as issuer and subject; and the signature, payload digest
// and required annotations pass as for Verify. Besides Verify's errors it
// fails with ErrNoCertificate, ErrInvalidBundle, ErrCertificateExpired,
// ErrUntrustedCertificate or ErrIdentityMismatch.
func VerifyKeyless(ctx context.Context, ref string, roots TrustedRoots, identities []Identity, opts ...Option) (*Verification, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, err
	}
	co, err := keylessCheckOpts(roots, identities, o)
	if err != nil {
		return nil, err
	}
	v, h, sigs, err := readStored(ctx, ref, o, sigSuffix)
	if err != nil {
		return nil, err
	}
	return acceptSignatures(v, h, sigs, func(s oci.Signature) (*Signature, error) {
		return checkKeyless(ctx, s, h, co, o)
	})
}

// VerifyAttestationsKeyless checks the keyless attestations of the
// manifest ref names, offline, as VerifyKeyless checks signatures (the
// certificate, its chain, SCT and identity, and the Rekor bundle, which
// must record this very DSSE envelope), and the statement as
// VerifyAttestations does; it returns the accepted attestations of
// predicateType (a cosign short name or a URI; empty for every type).
// Besides VerifyAttestations' errors it fails with ErrNoCertificate,
// ErrInvalidBundle, ErrCertificateExpired, ErrUntrustedCertificate or
// ErrIdentityMismatch.
func VerifyAttestationsKeyless(ctx context.Context, ref string, roots TrustedRoots, identities []Identity, predicateType string, opts ...Option) (*Verification, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, err
	}
	want, err := wantPredicate(predicateType)
	if err != nil {
		return nil, err
	}
	co, err := keylessCheckOpts(roots, identities, o)
	if err != nil {
		return nil, err
	}
	v, h, atts, err := readStored(ctx, ref, o, attSuffix)
	if err != nil {
		return nil, err
	}
	return acceptAttestations(v, h, atts, want, func(s oci.Signature) (*Attestation, error) {
		verifier, cert, err := keylessVerifier(s, co)
		if err != nil {
			return nil, err
		}
		a, err := checkAttestation(ctx, s, h, verifier)
		if err != nil {
			return nil, err
		}
		if a.Identity, err = checkBundle(s, cert, co); err != nil {
			return nil, err
		}
		return a, nil
	})
}

func keylessCheckOpts(roots TrustedRoots, identities []Identity, o *options) (*cosign.CheckOpts, error) {
	if len(roots.FulcioRoots) == 0 || len(roots.RekorKeys) == 0 {
		return nil, fmt.Errorf("%w: keyless verification needs Fulcio roots and Rekor keys", result.ErrInvalidOption)
	}
	if len(roots.CTLogKeys) == 0 && !o.ignoreSCT {
		return nil, fmt.Errorf("%w: keyless verification needs CT log keys (or WithoutSCTUnsafe)", result.ErrInvalidOption)
	}
	if len(identities) == 0 {
		return nil, fmt.Errorf("%w: keyless verification needs at least one identity", result.ErrInvalidOption)
	}
	co := &cosign.CheckOpts{
		RootCerts:         x509.NewCertPool(),
		IntermediateCerts: x509.NewCertPool(),
		IgnoreSCT:         o.ignoreSCT,
		Offline:           true,
	}
	for _, c := range roots.FulcioRoots {
		co.RootCerts.AddCert(c)
	}
	for _, c := range roots.FulcioIntermediates {
		co.IntermediateCerts.AddCert(c)
	}
	rekor := cosign.NewTrustedTransparencyLogPubKeys()
	for _, k := range roots.RekorKeys {
		if err := addLogKey(&rekor, k); err != nil {
			return nil, err
		}
	}
	co.RekorPubKeys = &rekor
	if len(roots.CTLogKeys) > 0 {
		ct := cosign.NewTrustedTransparencyLogPubKeys()
		for _, k := range roots.CTLogKeys {
			if err := addLogKey(&ct, k); err != nil {
				return nil, err
			}
		}
		co.CTLogPubKeys = &ct
	}
	for _, id := range identities {
		if err := id.check(); err != nil {
			return nil, err
		}
		co.Identities = append(co.Identities, cosign.Identity{
			Issuer: id.Issuer, IssuerRegExp: id.IssuerRegexp, Subject: id.Subject, SubjectRegExp: id.SubjectRegexp})
	}
	return co, nil
}

func addLogKey(keys *cosign.TrustedTransparencyLogPubKeys, k crypto.PublicKey) error {
	pemBytes, err := cryptoutils.MarshalPublicKeyToPEM(k)
	if err != nil {
		return fmt.Errorf("%w: log key: %w", ErrInvalidKey, err)
	}
	if err := keys.AddTransparencyLogPubKey(pemBytes, tuf.Active); err != nil {
		return fmt.Errorf("%w: log key: %w", ErrInvalidKey, err)
	}
	return nil
}

func (v *Verification) addIdentity(ci *CertificateIdentity) {
	id := Identity{Issuer: ci.Issuer, Subject: ci.Subject}
	if !slices.Contains(v.Identities, id) {
		v.Identities = append(v.Identities, id)
	}
}

// checkKeyless accepts a keyless signature of h: certificate, then
// signature and payload, then Rekor bundle.
func checkKeyless(ctx context.Context, s oci.Signature, h v1.Hash, co *cosign.CheckOpts, o *options) (*Signature, error) {
	verifier, cert, err := keylessVerifier(s, co)
	if err != nil {
		return nil, err
	}
	sig, err := checkSignature(ctx, s, h, verifier, o)
	if err != nil {
		return nil, err
	}
	if sig.Identity, err = checkBundle(s, cert, co); err != nil {
		return nil, err
	}
	return sig, nil
}

// keylessVerifier returns the verifier of the certificate on s once the
// certificate chains to a trusted root, carries a valid SCT (unless
// ignored) and names one of the identities asked for.
func keylessVerifier(s oci.Signature, co *cosign.CheckOpts) (signature.Verifier, *x509.Certificate, error) {
	cert, err := s.Cert()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrUntrustedCertificate, err)
	}
	if cert == nil {
		return nil, nil, ErrNoCertificate
	}
	if err := cosign.CheckCertificatePolicy(cert, co); err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrIdentityMismatch, err)
	}
	chain, err := s.Chain()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrUntrustedCertificate, err)
	}
	// The intermediates of the chain stored with the signature only help
	// build a path, which must still end at a trusted root; a root stored
	// there is left out, as cosign does.
	pool := co.IntermediateCerts
	if len(chain) > 0 {
		pool = pool.Clone()
		for _, c := range chain {
			if !bytes.Equal(c.RawSubject, c.RawIssuer) {
				pool.AddCert(c)
			}
		}
	}
	verifier, err := cosign.ValidateAndUnpackCertWithIntermediates(cert, co, pool)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrUntrustedCertificate, err)
	}
	return verifier, cert, nil
}

// checkBundle accepts the Rekor bundle of s when a trusted log signed it,
// it records this signature (or envelope), payload and certificate, and
// the log recorded it while cert was valid.
func checkBundle(s oci.Signature, cert *x509.Certificate, co *cosign.CheckOpts) (*CertificateIdentity, error) {
	b, err := s.Bundle()
	if err != nil || b == nil {
		return nil, fmt.Errorf("%w: no Rekor bundle on the signature", ErrInvalidBundle)
	}
	ok, err := cosign.VerifyBundle(s, co)
	if err != nil || !ok {
		return nil, fmt.Errorf("%w: %w", ErrInvalidBundle, errors.Join(err, errors.New("bundle not verified")))
	}
	logged := time.Unix(b.Payload.IntegratedTime, 0)
	if logged.Before(cert.NotBefore) || logged.After(cert.NotAfter) {
		return nil, fmt.Errorf("%w: logged at %s, certificate valid %s to %s", ErrCertificateExpired,
			logged.UTC().Format(time.RFC3339), cert.NotBefore.UTC().Format(time.RFC3339), cert.NotAfter.UTC().Format(time.RFC3339))
	}
	return &CertificateIdentity{Issuer: issuerOf(cert), Subject: subjectOf(cert), LoggedAt: logged.UTC()}, nil
}

// CertificateIdentity is who signed a keyless signature, as its
// certificate says, and when the transparency log recorded it.
type CertificateIdentity struct {
	Issuer   string    `json:"issuer"`
	Subject  string    `json:"subject"`
	LoggedAt time.Time `json:"logged_at"`
}

func issuerOf(cert *x509.Certificate) string {
	ext := cosign.CertExtensions{Cert: cert}
	return ext.GetIssuer()
}

func subjectOf(cert *x509.Certificate) string {
	if sans := cryptoutils.GetSubjectAlternateNames(cert); len(sans) > 0 {
		return sans[0]
	}
	return ""
}

// TrustedRootsFromJSON reads a Sigstore trusted_root.json (the
// dev.sigstore.trustedroot media type that Sigstore's TUF repositories
// distribute and cosign's --trusted-root flag reads): the Fulcio
// certificate authorities, Rekor logs and CT logs it lists. Timestamping
// authorities are not used.
func TrustedRootsFromJSON(b []byte) (TrustedRoots, error) {
	tr, err := root.NewTrustedRootFromJSON(b)
	if err != nil {
		return TrustedRoots{}, fmt.Errorf("%w: trusted root: %w", result.ErrInvalidOption, err)
	}
	var r TrustedRoots
	for _, ca := range tr.FulcioCertificateAuthorities() {
		f, ok := ca.(*root.FulcioCertificateAuthority)
		if !ok || f.Root == nil {
			continue
		}
		r.FulcioRoots = append(r.FulcioRoots, f.Root)
		r.FulcioIntermediates = append(r.FulcioIntermediates, f.Intermediates...)
	}
	for _, id := range sortedKeys(tr.RekorLogs()) {
		r.RekorKeys = append(r.RekorKeys, tr.RekorLogs()[id].PublicKey)
	}
	for _, id := range sortedKeys(tr.CTLogs()) {
		r.CTLogKeys = append(r.CTLogKeys, tr.CTLogs()[id].PublicKey)
	}
	return r, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
