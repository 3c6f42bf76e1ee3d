package sigstoretest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/sigstore/sigstore/pkg/cryptoutils"

	"github.com/shipshape-dev/shipshape/sign/internal/fulcioapi"
)

// TestFulcioRefuses checks that the fake Fulcio fails closed like the real
// one: a token it did not issue, or a proof of possession over another
// subject or by another key, gets no certificate.
func TestFulcioRefuses(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	good, _ := s.Token("https://issuer.example", "dev@example.com")
	foreign, _ := other.Token("https://issuer.example", "dev@example.com")
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	otherKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	pub, _ := cryptoutils.MarshalPublicKeyToPEM(key.Public())
	proof := func(k *ecdsa.PrivateKey, subject string) []byte {
		sum := sha256.Sum256([]byte(subject))
		sig, _ := ecdsa.SignASN1(rand.Reader, k, sum[:])
		return sig
	}
	cases := []struct {
		name  string
		token string
		proof []byte
		want  int
	}{
		{"valid", good, proof(key, "dev@example.com"), http.StatusOK},
		{"token of another issuer key", foreign, proof(key, "dev@example.com"), http.StatusUnauthorized},
		{"no token", "", proof(key, "dev@example.com"), http.StatusUnauthorized},
		{"proof over another subject", good, proof(key, "mallory@example.com"), http.StatusBadRequest},
		{"proof by another key", good, proof(otherKey, "dev@example.com"), http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var req fulcioapi.Request
			req.Credentials.OIDCIdentityToken = tc.token
			req.PublicKeyRequest.PublicKey.Algorithm = "ECDSA"
			req.PublicKeyRequest.PublicKey.Content = string(pub)
			req.PublicKeyRequest.ProofOfPossession = tc.proof
			b, _ := json.Marshal(req)
			resp, err := http.Post(s.FulcioURL+"/api/v2/signingCert", "application/json", bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
	if s.Certificates() != 1 {
		t.Errorf("issued %d certificates, want 1", s.Certificates())
	}
}
