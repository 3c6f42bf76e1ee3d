// Package sign signs and verifies container images and in-toto
// attestations in exactly the formats cosign writes, so that signatures
// made here verify with cosign (and with Kyverno and sigstore's
// policy-controller, which read them through cosign's libraries), and
// signatures made by cosign verify here.
//
// A signature is a cosign "simple signing" payload naming the image's
// manifest digest, signed with the caller's key and stored as a layer of
// the image tagged sha256-<hex>.sig beside the image. An attestation is an
// in-toto statement whose subject is the image digest, wrapped in a DSSE
// envelope and stored under sha256-<hex>.att. A tag is always resolved to
// its digest first: the digest is what gets signed and what verification
// checks.
//
// Images are named with the schemes the rest of shipshape uses:
//
//	registry:REF                       an image or index in a registry
//	oci-layout:DIR[:NAME|@sha256:…]    a manifest of an OCI image layout
//
// In an OCI layout, signatures and attestations are stored as manifests
// of the layout whose org.opencontainers.image.ref.name is the tag a
// registry would hold them under, so copying the layout to a registry
// with its names (crane, skopeo, oras) yields what cosign expects.
//
// Keys are cosign key pairs (GenerateKeyPair, LoadPrivateKey,
// LoadPublicKey) or any sigstore signature.Signer and signature.Verifier;
// the sub-package sign/kms, which callers import only when they need it,
// loads keys held in cloud KMSs and HashiCorp Vault.
//
// Verification is offline apart from reading the registry, and fails
// closed: Verify and VerifyAttestations return a *VerificationError that
// unwraps to ErrNoSignature or ErrNoAttestation, ErrInvalidSignature,
// ErrInvalidPayload, ErrDigestMismatch, ErrAnnotationMismatch or
// ErrPredicateTypeMismatch. Their result, a
// Verification, has a stable JSON form for policy evaluation.
//
// SignKeyless and AttestKeyless sign without a key, as cosign does: an
// ephemeral key, a certificate for it from Fulcio naming the OIDC identity
// of the caller's token, and an entry in the Rekor transparency log whose
// bundle is stored with the signature. Only these two functions talk to
// Fulcio and Rekor, at the URLs the caller names in Keyless.
// VerifyKeyless and VerifyAttestationsKeyless verify keyless signatures
// and attestations offline, by certificate identity (issuer and subject,
// exact or by regular expression), against trusted roots the caller
// supplies (TrustedRoots, or TrustedRootsFromJSON for a Sigstore
// trusted_root.json); they fail with ErrNoCertificate, ErrInvalidBundle,
// ErrCertificateExpired, ErrUntrustedCertificate or ErrIdentityMismatch
// besides the errors above. The sub-package sigstoretest runs an
// in-process Fulcio, Rekor and OIDC issuer for tests.
//
// This package lives in its own module so that cosign's dependency tree
// never enters the go.mod of a program that imports only the root
// module's packages.
package sign
