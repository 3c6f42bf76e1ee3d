package sign_test

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/shipshape-dev/shipshape/sign"
	"github.com/shipshape-dev/shipshape/sign/sigstoretest"
)

// exampleImage pushes a random image to an in-process registry and returns
// its reference.
func exampleImage() (ref string, stop func()) {
	s := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	ref = strings.TrimPrefix(s.URL, "http://") + "/app:v1"
	img, _ := random.Image(256, 1)
	r, err := name.ParseReference(ref)
	if err != nil {
		log.Fatal(err)
	}
	if err := remote.Write(r, img); err != nil {
		log.Fatal(err)
	}
	return "registry:" + ref, s.Close
}

// Sign an image with a new cosign key pair and verify the signature.
func Example() {
	ctx := context.Background()
	ref, stop := exampleImage()
	defer stop()

	keys, err := sign.GenerateKeyPair(sign.Password([]byte("correct horse")))
	if err != nil {
		log.Fatal(err)
	}
	signer, err := sign.LoadPrivateKey(keys.PrivateKey, sign.Password([]byte("correct horse")))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := sign.Sign(ctx, ref, signer, sign.WithAnnotations(map[string]string{"pipeline": "release"})); err != nil {
		log.Fatal(err)
	}

	verifier, err := sign.LoadPublicKey(keys.PublicKey)
	if err != nil {
		log.Fatal(err)
	}
	v, err := sign.Verify(ctx, ref, verifier, sign.WithRequiredAnnotations(map[string]string{"pipeline": "release"}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verified:", v.Verified, "signatures:", len(v.Signatures))

	// Another key does not verify it: the error says why.
	other, _ := sign.GenerateKeyPair(sign.Password(nil))
	otherVerifier, _ := sign.LoadPublicKey(other.PublicKey)
	_, err = sign.Verify(ctx, ref, otherVerifier)
	fmt.Println("other key:", errors.Is(err, sign.ErrInvalidSignature))
	// Output:
	// verified: true signatures: 1
	// other key: true
}

// Attest a predicate and read it back, filtered by predicate type.
func ExampleAttest() {
	ctx := context.Background()
	ref, stop := exampleImage()
	defer stop()
	keys, _ := sign.GenerateKeyPair(sign.Password(nil))
	signer, _ := sign.LoadPrivateKey(keys.PrivateKey, sign.Password(nil))
	verifier, _ := sign.LoadPublicKey(keys.PublicKey)

	p := sign.Predicate{Type: "https://example.com/test-result/v1", Data: []byte(`{"passed":true}`)}
	if _, err := sign.Attest(ctx, ref, signer, p); err != nil {
		log.Fatal(err)
	}
	v, err := sign.VerifyAttestations(ctx, ref, verifier, "https://example.com/test-result/v1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v.PredicateTypes[0], string(v.Attestations[0].Predicate))

	_, err = sign.VerifyAttestations(ctx, ref, verifier, "cyclonedx")
	fmt.Println("cyclonedx:", errors.Is(err, sign.ErrPredicateTypeMismatch))
	// Output:
	// https://example.com/test-result/v1 {"passed":true}
	// cyclonedx: true
}

// Sign an image keyless — a Fulcio certificate for the CI job's OIDC
// identity and a Rekor entry instead of a key — then verify it offline by
// identity. The in-process sigstoretest instance stands in for Fulcio,
// Rekor and the OIDC provider; in CI, the URLs are those of the Sigstore
// instance and the token comes from the CI system (for example
// sign.TokenFile on the file it writes).
func ExampleSignKeyless() {
	ctx := context.Background()
	ref, stop := exampleImage()
	defer stop()
	sigstore, err := sigstoretest.New()
	if err != nil {
		log.Fatal(err)
	}
	defer sigstore.Close()
	token, _ := sigstore.Token("https://token.actions.example.com", "https://example.com/org/app/.ci/release.yml@refs/heads/main")

	signed, err := sign.SignKeyless(ctx, ref, sign.Keyless{
		FulcioURL:     sigstore.FulcioURL,
		RekorURL:      sigstore.RekorURL,
		IdentityToken: sign.StaticToken(token),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("signed as", signed.Identity.Subject, "log index", signed.LogEntries[0].LogIndex)

	// Verification needs only the trusted roots (here read from the
	// instance's trusted_root.json) and the identities to accept.
	rootJSON, _ := sigstore.TrustedRootJSON()
	roots, err := sign.TrustedRootsFromJSON(rootJSON)
	if err != nil {
		log.Fatal(err)
	}
	v, err := sign.VerifyKeyless(ctx, ref, roots, []sign.Identity{{
		Issuer:        "https://token.actions.example.com",
		SubjectRegexp: `^https://example\.com/org/app/\.ci/release\.yml@refs/heads/`,
	}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verified:", v.Verified, "by", v.Identities[0].Subject)

	_, err = sign.VerifyKeyless(ctx, ref, roots, []sign.Identity{{Issuer: "https://token.actions.example.com", Subject: "https://example.com/org/other"}})
	fmt.Println("other identity:", errors.Is(err, sign.ErrIdentityMismatch))
	// Output:
	// signed as https://example.com/org/app/.ci/release.yml@refs/heads/main log index 0
	// verified: true by https://example.com/org/app/.ci/release.yml@refs/heads/main
	// other identity: true
}

// Attest keyless and verify the attestation offline by identity and
// predicate type.
func ExampleAttestKeyless() {
	ctx := context.Background()
	ref, stop := exampleImage()
	defer stop()
	sigstore, err := sigstoretest.New()
	if err != nil {
		log.Fatal(err)
	}
	defer sigstore.Close()
	token, _ := sigstore.Token("https://accounts.example.com", "dev@example.com")
	k := sign.Keyless{FulcioURL: sigstore.FulcioURL, RekorURL: sigstore.RekorURL, IdentityToken: sign.StaticToken(token)}

	p := sign.Predicate{Type: "https://example.com/test-result/v1", Data: []byte(`{"passed":true}`)}
	if _, err := sign.AttestKeyless(ctx, ref, k, p); err != nil {
		log.Fatal(err)
	}
	roots := sign.TrustedRoots{
		FulcioRoots: []*x509.Certificate{sigstore.RootCA},
		RekorKeys:   []crypto.PublicKey{sigstore.RekorKey},
		CTLogKeys:   []crypto.PublicKey{sigstore.CTLogKey},
	}
	ids := []sign.Identity{{Issuer: "https://accounts.example.com", Subject: "dev@example.com"}}
	v, err := sign.VerifyAttestationsKeyless(ctx, ref, roots, ids, "https://example.com/test-result/v1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v.PredicateTypes[0], string(v.Attestations[0].Predicate), v.Attestations[0].Identity.Subject)

	_, err = sign.VerifyAttestationsKeyless(ctx, ref, roots, ids, "slsaprovenance")
	fmt.Println("slsaprovenance:", errors.Is(err, sign.ErrPredicateTypeMismatch))
	// Output:
	// https://example.com/test-result/v1 {"passed":true} dev@example.com
	// slsaprovenance: true
}
