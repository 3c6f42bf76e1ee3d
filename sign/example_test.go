package sign_test

import (
	"context"
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
