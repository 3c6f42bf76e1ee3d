package sign

import (
	"crypto"
	"encoding/base64"
	"encoding/json"
	"io"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/sigstore/cosign/v2/pkg/oci/static"
	"github.com/sigstore/sigstore/pkg/signature"
)

// acceptAll is a verifier that accepts every signature, so that fuzzing
// reaches the payload parsers behind the cryptographic check.
type acceptAll struct{ signature.Verifier }

func (acceptAll) VerifySignature(_, _ io.Reader, _ ...signature.VerifyOption) error { return nil }
func (a acceptAll) PublicKey(...signature.PublicKeyOption) (crypto.PublicKey, error) {
	return a.Verifier.PublicKey()
}

const fuzzDigest = "sha256:0000000000000000000000000000000000000000000000000000000000000001"

// FuzzSignaturePayload feeds arbitrary signed payloads to the
// simple-signing checks: they must never panic, and accept only payloads
// that name the image digest.
func FuzzSignaturePayload(f *testing.F) {
	f.Add([]byte(`{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"` + fuzzDigest + `"},"type":"cosign container image signature"},"optional":{"a":"b"}}`))
	f.Add([]byte(`{"critical":{"type":"cosign container image signature"}}`))
	f.Add([]byte(`[]`))
	_, v := keys(f, 0)
	h, _ := v1.NewHash(fuzzDigest)
	o := &options{required: map[string]string{"a": "b"}, maxPayload: defaultMaxPayload}
	f.Fuzz(func(t *testing.T, pl []byte) {
		s, err := static.NewSignature(pl, base64.StdEncoding.EncodeToString([]byte("sig")))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := checkSignature(t.Context(), s, h, acceptAll{v}, o); err != nil {
			return
		}
		var p struct {
			Critical struct {
				Image struct {
					Digest string `json:"docker-manifest-digest"`
				} `json:"image"`
			} `json:"critical"`
			Optional map[string]any `json:"optional"`
		}
		if err := json.Unmarshal(pl, &p); err != nil || p.Critical.Image.Digest != fuzzDigest || p.Optional["a"] != "b" {
			t.Fatalf("accepted %q", pl)
		}
	})
}

// FuzzAttestationEnvelope feeds arbitrary envelopes to the attestation
// checks: never a panic, and acceptance only with the image digest as a
// subject.
func FuzzAttestationEnvelope(f *testing.F) {
	stmt := base64.StdEncoding.EncodeToString([]byte(`{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"x","subject":[{"name":"a","digest":{"sha256":"` + strings.TrimPrefix(fuzzDigest, "sha256:") + `"}}],"predicate":{}}`))
	f.Add([]byte(`{"payloadType":"application/vnd.in-toto+json","payload":"` + stmt + `","signatures":[{"sig":"c2ln"}]}`))
	f.Add([]byte(`{"payloadType":"application/vnd.in-toto+json","payload":"!!","signatures":[]}`))
	f.Add([]byte(`null`))
	_, v := keys(f, 0)
	h, _ := v1.NewHash(fuzzDigest)
	f.Fuzz(func(t *testing.T, env []byte) {
		s, err := static.NewAttestation(env)
		if err != nil {
			t.Fatal(err)
		}
		a, err := checkAttestation(t.Context(), s, h, acceptAll{v})
		if err != nil {
			return
		}
		ok := false
		for _, sub := range a.Subjects {
			ok = ok || sub.Digest["sha256"] == h.Hex
		}
		if !ok {
			t.Fatalf("accepted %q without the image digest", env)
		}
	})
}
