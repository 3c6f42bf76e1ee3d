// Package kms loads signing keys held in a key-management service for
// package sign, through cosign's KMS providers: AWS KMS (awskms://), Google
// Cloud KMS (gcpkms://), Azure Key Vault (azurekms://) and HashiCorp Vault
// transit (hashivault://).
//
// Importing this package links the cloud SDKs those providers need, which
// is why package sign never imports it: a program that signs with key
// files does not carry them. Nothing here touches the network until
// Signer or Verifier is called with a key URI; the providers read their
// credentials from the environment as the cloud SDKs and cosign do
// (AWS_*, GOOGLE_APPLICATION_CREDENTIALS, AZURE_*, VAULT_ADDR and
// VAULT_TOKEN).
package kms

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"strings"

	"github.com/sigstore/sigstore/pkg/signature"
	sigkms "github.com/sigstore/sigstore/pkg/signature/kms"

	// The providers register themselves with sigkms when linked.
	_ "github.com/sigstore/sigstore/pkg/signature/kms/aws"
	_ "github.com/sigstore/sigstore/pkg/signature/kms/azure"
	_ "github.com/sigstore/sigstore/pkg/signature/kms/gcp"
	_ "github.com/sigstore/sigstore/pkg/signature/kms/hashivault"
)

// ErrUnsupportedURI: the key URI names no supported provider.
var ErrUnsupportedURI = errors.New("unsupported KMS key URI")

// Schemes lists the key URI schemes this package accepts.
func Schemes() []string {
	return []string{"awskms://", "azurekms://", "gcpkms://", "hashivault://"}
}

// Signer returns a signer for the KMS key uri, usable with sign.Sign and
// sign.Attest. It also verifies, with the key's public half fetched from
// the service.
//
// Only the schemes of Schemes are accepted: unlike cosign, an unknown
// scheme never makes this package look for a KMS plugin program to run.
func Signer(ctx context.Context, uri string) (signature.SignerVerifier, error) {
	ok := false
	for _, s := range Schemes() {
		if strings.HasPrefix(uri, s) && len(uri) > len(s) {
			ok = true
		}
	}
	if !ok {
		return nil, fmt.Errorf("%w: %q (want one of %s)", ErrUnsupportedURI, uri, strings.Join(Schemes(), ", "))
	}
	sv, err := sigkms.Get(ctx, uri, crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("kms key %s: %w", uri, err)
	}
	return sv, nil
}

// Verifier returns a verifier for the KMS key uri, usable with sign.Verify
// and sign.VerifyAttestations. The public key is fetched from the service
// when first needed; callers who verify often can export it once
// (cosign public-key) and use sign.LoadPublicKey instead.
func Verifier(ctx context.Context, uri string) (signature.Verifier, error) {
	return Signer(ctx, uri)
}
