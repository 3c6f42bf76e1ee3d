package sign

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Verification failures wrap one or more of them in a
// *VerificationError; test them with errors.Is.
var (
	// ErrNoSignature: the image has no signature at all (nothing stored
	// under its sha256-<hex>.sig tag).
	ErrNoSignature = errors.New("no signature")
	// ErrNoAttestation: the image has no attestation at all (nothing
	// stored under its sha256-<hex>.att tag).
	ErrNoAttestation = errors.New("no attestation")
	// ErrInvalidSignature: a signature does not verify with the key: the
	// key is not the one that signed, or the payload or the signature was
	// changed after signing.
	ErrInvalidSignature = errors.New("signature does not verify")
	// ErrDigestMismatch: a correctly signed payload or attestation names
	// another image digest than the one verified (a signature copied from
	// another image, or a tag that moved after signing).
	ErrDigestMismatch = errors.New("signed digest is not the image digest")
	// ErrAnnotationMismatch: a signature lacks an annotation the caller
	// requires, or has another value for it.
	ErrAnnotationMismatch = errors.New("required annotation missing or different")
	// ErrPredicateTypeMismatch: attestations verify, but none has the
	// predicate type asked for.
	ErrPredicateTypeMismatch = errors.New("no attestation of the predicate type")
	// ErrNoCertificate: keyless verification found a signature without
	// a certificate.
	ErrNoCertificate = errors.New("no certificate on the signature")
	// ErrInvalidBundle: a keyless signature has no Rekor bundle, or one
	// not signed by a trusted log or not recording this signature.
	ErrInvalidBundle = errors.New("transparency-log bundle missing or invalid")
	// ErrCertificateExpired: the transparency log recorded a keyless
	// signature outside its certificate's validity.
	ErrCertificateExpired = errors.New("certificate not valid when the signature was logged")
	// ErrUntrustedCertificate: a signing certificate does not chain to a
	// trusted root or lacks a valid SCT.
	ErrUntrustedCertificate = errors.New("untrusted certificate")
	// ErrIdentityMismatch: a signing certificate names another issuer or
	// subject than the identities asked for.
	ErrIdentityMismatch = errors.New("certificate identity does not match")
	// ErrInvalidPayload: a signed payload is not a cosign simple-signing
	// payload or an in-toto statement in a DSSE envelope.
	ErrInvalidPayload = errors.New("invalid signed payload")
	// ErrInvalidKey: a key could not be read, decrypted or used.
	ErrInvalidKey = errors.New("invalid key")
	// ErrInvalidReference: the image reference is malformed, has no
	// scheme, or does not select exactly one manifest.
	ErrInvalidReference = errors.New("invalid image reference")
	// ErrIdentityToken: keyless signing got no usable OIDC identity token
	// (the TokenSource failed, or the token is not a JWT with a subject).
	ErrIdentityToken = errors.New("no usable identity token")
	// ErrCertificateRequest: Fulcio could not be reached, refused the
	// certificate request, or answered with no usable certificate.
	ErrCertificateRequest = errors.New("signing certificate request failed")
	// ErrTransparencyLog: Rekor could not be reached, refused the entry,
	// or answered with no usable log entry.
	ErrTransparencyLog = errors.New("transparency log upload failed")
)

// VerificationError says why no signature or attestation of an image was
// accepted. It unwraps to the sentinel of every reason found, one per
// rejected signature, so errors.Is(err, ErrInvalidSignature) holds when
// any signature failed for that reason.
type VerificationError struct {
	// Reference is the image reference as given.
	Reference string
	// Digest is the manifest digest that was verified.
	Digest string
	// Failures holds one error per rejected signature or attestation, in
	// the order they are stored, or the single reason there were none.
	Failures []error
}

func (e *VerificationError) Error() string {
	msgs := make([]string, 0, len(e.Failures))
	seen := map[string]bool{}
	for _, f := range e.Failures {
		if m := f.Error(); !seen[m] {
			seen[m] = true
			msgs = append(msgs, m)
		}
	}
	return fmt.Sprintf("verifying %s (%s): %s", e.Reference, e.Digest, strings.Join(msgs, "; "))
}

// Unwrap returns the per-signature failures, for errors.Is and errors.As.
func (e *VerificationError) Unwrap() []error { return e.Failures }
