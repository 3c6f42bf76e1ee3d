package kms_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/sigstore/sigstore/pkg/signature"

	"github.com/shipshape-dev/shipshape/sign"
	"github.com/shipshape-dev/shipshape/sign/kms"
)

// fakeVault serves the three calls of Vault's transit engine that the
// hashivault provider makes (read key, sign, verify) for one ECDSA P-256
// key named "release", and counts the signatures it made.
func fakeVault(t *testing.T) (*httptest.Server, *ecdsa.PrivateKey, *int) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM, err := cryptoutils.MarshalPublicKeyToPEM(key.Public())
	if err != nil {
		t.Fatal(err)
	}
	signed := 0
	reply := func(w http.ResponseWriter, data map[string]any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"data": data})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/transit/keys/release", func(w http.ResponseWriter, r *http.Request) {
		reply(w, map[string]any{"latest_version": 1, "keys": map[string]any{"1": map[string]any{"public_key": string(pubPEM)}}})
	})
	mux.HandleFunc("PUT /v1/transit/sign/release/sha2-256", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Input     string `json:"input"`
			Prehashed bool   `json:"prehashed"`
		}
		digest, err := decode(r, &req)
		if err != nil || !req.Prehashed || len(digest) != 32 {
			http.Error(w, "bad sign request", http.StatusBadRequest)
			return
		}
		sig, err := ecdsa.SignASN1(rand.Reader, key, digest)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		signed++
		reply(w, map[string]any{"signature": "vault:v1:" + base64.StdEncoding.EncodeToString(sig)})
	})
	mux.HandleFunc("PUT /v1/transit/verify/release/sha2-256", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Input     string `json:"input"`
			Signature string `json:"signature"`
		}
		digest, err := decode(r, &req)
		sig, serr := base64.StdEncoding.DecodeString(strings.TrimPrefix(req.Signature, "vault:v1:"))
		if err != nil || serr != nil {
			http.Error(w, "bad verify request", http.StatusBadRequest)
			return
		}
		reply(w, map[string]any{"valid": ecdsa.VerifyASN1(&key.PublicKey, digest, sig)})
	})
	s := httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s, key, &signed
}

// decode reads a transit request body and its base64 "input".
func decode(r *http.Request, req any) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(body, req); err != nil {
		return nil, err
	}
	var in struct {
		Input string `json:"input"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(in.Input)
}

func TestHashiVaultSignVerify(t *testing.T) {
	vault, key, signed := fakeVault(t)
	t.Setenv("VAULT_ADDR", vault.URL)
	t.Setenv("VAULT_TOKEN", "test-token")

	reg := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer reg.Close()
	ref := strings.TrimPrefix(reg.URL, "http://") + "/app:v1"
	img, _ := random.Image(128, 1)
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(r, img); err != nil {
		t.Fatal(err)
	}

	signer, err := kms.Signer(t.Context(), "hashivault://release")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sign.Sign(t.Context(), "registry:"+ref, signer); err != nil {
		t.Fatal(err)
	}
	if *signed != 1 {
		t.Fatalf("vault made %d signatures, want 1", *signed)
	}
	// Verified offline with the exported public key, and through Vault.
	pubPEM, _ := cryptoutils.MarshalPublicKeyToPEM(key.Public())
	local, err := sign.LoadPublicKey(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	remoteV, err := kms.Verifier(t.Context(), "hashivault://release")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		v    signature.Verifier
	}{{"public key", local}, {"vault", remoteV}} {
		got, err := sign.Verify(t.Context(), "registry:"+ref, tc.v)
		if err != nil || !got.Verified {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestUnsupportedURI(t *testing.T) {
	for _, uri := range []string{"", "cosign.key", "awskms://", "k8s://ns/secret", "myplugin://key", "file:///etc/passwd"} {
		if _, err := kms.Signer(t.Context(), uri); !errors.Is(err, kms.ErrUnsupportedURI) {
			t.Errorf("%q: err = %v, want ErrUnsupportedURI", uri, err)
		}
	}
}
