package sign

import (
	"context"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// SignKeyless signs the manifest ref names as Sign does, but keyless, as
// cosign sign does without a key: it makes an ephemeral ECDSA P-256 key,
// gets a certificate for it from the Fulcio instance k names (presenting
// k's identity token and proving possession of the key by signing the
// token's subject), signs, logs each signature as a hashedrekord entry in
// k's Rekor instance, and stores the certificate, its chain and the Rekor
// bundle with the signature. VerifyKeyless (and cosign verify with
// --certificate-identity and --certificate-oidc-issuer) verify the result,
// offline. It contacts the registry, Fulcio and Rekor; failures of the
// latter wrap ErrIdentityToken, ErrCertificateRequest or
// ErrTransparencyLog.
func SignKeyless(ctx context.Context, ref string, k Keyless, opts ...Option) (*Signed, error) {
	st, targets, o, err := prepareKeyless(ctx, ref, k, opts)
	if err != nil {
		return nil, err
	}
	key, res, err := startKeyless(ctx, ref, k)
	if err != nil {
		return nil, err
	}
	if err := signDigests(ctx, st, targets, key, res, o); err != nil {
		return nil, err
	}
	return res, nil
}

// AttestKeyless attests p about the manifest ref names as Attest does,
// but keyless, as cosign attest does without a key: the DSSE envelope is
// signed with an ephemeral key certified by Fulcio (see SignKeyless), and
// logged as a dsse entry in Rekor; the certificate, chain and Rekor bundle
// are stored with the attestation. VerifyAttestationsKeyless verifies the
// result offline.
func AttestKeyless(ctx context.Context, ref string, k Keyless, p Predicate, opts ...Option) (*Signed, error) {
	if _, err := PredicateTypeURI(p.Type); err != nil {
		return nil, err
	}
	st, targets, o, err := prepareKeyless(ctx, ref, k, opts)
	if err != nil {
		return nil, err
	}
	key, res, err := startKeyless(ctx, ref, k)
	if err != nil {
		return nil, err
	}
	if err := attestDigests(ctx, st, targets, key, p, res, o); err != nil {
		return nil, err
	}
	return res, nil
}

// prepareKeyless checks the options and resolves what to sign before
// anything is asked of Fulcio.
func prepareKeyless(ctx context.Context, ref string, k Keyless, opts []Option) (store, []v1.Hash, *options, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := k.check(); err != nil {
		return nil, nil, nil, err
	}
	st, err := openStore(ref, o)
	if err != nil {
		return nil, nil, nil, err
	}
	targets, err := signTargets(ctx, st, o)
	if err != nil {
		return nil, nil, nil, err
	}
	return st, targets, o, nil
}

// startKeyless gets the certificate for an ephemeral key.
func startKeyless(ctx context.Context, ref string, k Keyless) (signingKey, *Signed, error) {
	log, err := newRekorLog(k)
	if err != nil {
		return signingKey{}, nil, err
	}
	ks, err := newKeylessSigner(ctx, k)
	if err != nil {
		return signingKey{}, nil, err
	}
	id := ks.identity
	return signingKey{signer: ks.signer, verifier: ks.signer, keyless: ks, log: log},
		&Signed{Reference: ref, Identity: &id}, nil
}
