package sign

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/sigstore/cosign/v2/pkg/oci"
	"github.com/sigstore/cosign/v2/pkg/oci/empty"
	"github.com/sigstore/cosign/v2/pkg/oci/mutate"
	"github.com/sigstore/cosign/v2/pkg/oci/static"
	"github.com/sigstore/sigstore/pkg/signature"
	"github.com/sigstore/sigstore/pkg/signature/payload"
)

func TestKeys(t *testing.T) {
	kp := testKeys()[0]
	if !strings.Contains(string(kp.PrivateKey), "ENCRYPTED SIGSTORE PRIVATE KEY") {
		t.Errorf("private key PEM type: %s", kp.PrivateKey)
	}
	dir := t.TempDir()
	priv, pub := filepath.Join(dir, "cosign.key"), filepath.Join(dir, "cosign.pub")
	if err := os.WriteFile(priv, kp.PrivateKey, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pub, kp.PublicKey, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SHIPSHAPE_TEST_PASSWORD", "test password")
	sv, err := LoadPrivateKeyFile(priv, PasswordFromEnv("SHIPSHAPE_TEST_PASSWORD"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := LoadPublicKeyFile(pub)
	if err != nil {
		t.Fatal(err)
	}
	svPub, _ := sv.PublicKey()
	vPub, _ := v.PublicKey()
	a, _ := KeyID(svPub)
	b, _ := KeyID(vPub)
	if a != b || !strings.HasPrefix(a, "sha256:") {
		t.Errorf("key ids differ: %s %s", a, b)
	}

	bad := []struct {
		name string
		load func() error
	}{
		{"wrong password", func() error { _, err := LoadPrivateKey(kp.PrivateKey, Password([]byte("nope"))); return err }},
		{"password variable unset", func() error {
			_, err := LoadPrivateKey(kp.PrivateKey, PasswordFromEnv("SHIPSHAPE_TEST_UNSET_VARIABLE"))
			return err
		}},
		{"public key as private", func() error { _, err := LoadPrivateKey(kp.PublicKey, Password(nil)); return err }},
		{"garbage public key", func() error { _, err := LoadPublicKey([]byte("not pem")); return err }},
		{"missing file", func() error { _, err := LoadPublicKeyFile(filepath.Join(dir, "none.pub")); return err }},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.load()
			if !errors.Is(err, ErrInvalidKey) {
				t.Fatalf("err = %v, want ErrInvalidKey", err)
			}
			if strings.Contains(err.Error(), "test password") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}

func TestSignVerifyRegistry(t *testing.T) {
	host := newRegistry(t)
	h := pushRandom(t, host+"/app:v1")
	sv, v := keys(t, 0)
	ref := "registry:" + host + "/app:v1"

	res, err := Sign(t.Context(), ref, sv, WithAnnotations(map[string]string{"build": "42"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Digests) != 1 || res.Digests[0] != h.String() {
		t.Fatalf("signed %v, want [%s]", res.Digests, h)
	}
	// The signature is where cosign looks for it, as cosign writes it.
	sigImg, err := remote.Image(sigTagRef(t, host+"/app", h))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := sigImg.Manifest()
	if len(m.Layers) != 1 || m.Layers[0].MediaType != "application/vnd.dev.cosign.simplesigning.v1+json" ||
		m.Layers[0].Annotations[static.SignatureAnnotationKey] == "" {
		t.Fatalf("signature manifest: %+v", m)
	}

	for _, r := range []string{ref, "registry:" + host + "/app@" + h.String()} {
		got, err := Verify(t.Context(), r, v, WithRequiredAnnotations(map[string]string{"build": "42"}))
		if err != nil {
			t.Fatal(err)
		}
		if !got.Verified || got.Digest != h.String() || len(got.Signatures) != 1 || got.KeyID != res.KeyID {
			t.Fatalf("verification: %+v", got)
		}
		s := got.Signatures[0]
		if s.Digest != h.String() || s.DockerReference != host+"/app" || s.Annotations["build"] != "42" {
			t.Errorf("signature: %+v", s)
		}
	}

	// Signing again with the same key keeps one signature.
	if _, err := Sign(t.Context(), ref, sv, WithAnnotations(map[string]string{"build": "42"})); err != nil {
		t.Fatal(err)
	}
	sigImg, _ = remote.Image(sigTagRef(t, host+"/app", h))
	if m, _ := sigImg.Manifest(); len(m.Layers) != 1 {
		t.Errorf("re-signing added a layer: %d", len(m.Layers))
	}
	// Another key adds a second one, and both verify with their keys.
	sv2, v2 := keys(t, 1)
	if _, err := Sign(t.Context(), ref, sv2); err != nil {
		t.Fatal(err)
	}
	for _, vv := range []signature.Verifier{v, v2} {
		got, err := Verify(t.Context(), ref, vv)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Signatures) != 1 {
			t.Errorf("%d signatures accepted, want the one of this key", len(got.Signatures))
		}
	}
}

// replaceSignatures stores sigs under the .sig tag of h in repo, replacing
// what is there: what an attacker with push access can do.
func replaceSignatures(t *testing.T, repo string, h v1.Hash, sigs ...oci.Signature) {
	t.Helper()
	img, err := mutate.AppendSignatures(empty.Signatures(), false, sigs...)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(sigTagRef(t, repo, h), img); err != nil {
		t.Fatal(err)
	}
}

// storedSig returns the first signature stored for h in repo.
func storedSig(t *testing.T, repo string, h v1.Hash) (payload []byte, b64 string) {
	t.Helper()
	img, err := remote.Image(sigTagRef(t, repo, h))
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := storedSignatures{Image: img, max: defaultMaxPayload}.Get()
	if err != nil || len(sigs) == 0 {
		t.Fatalf("stored signatures: %v (%d)", err, len(sigs))
	}
	p, _ := sigs[0].Payload()
	b, _ := sigs[0].Base64Signature()
	return p, b
}

func newSig(t *testing.T, p []byte, b64 string) oci.Signature {
	t.Helper()
	s, err := static.NewSignature(p, b64)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestVerifyFailsClosed(t *testing.T) {
	sv, v := keys(t, 0)
	_, otherV := keys(t, 1)
	cases := []struct {
		name string
		// setup signs or tampers and returns the reference to verify.
		setup    func(t *testing.T, repo string) string
		verifier func() signature.Verifier
		opts     []Option
		want     error
	}{
		{
			name:  "no signature",
			setup: func(t *testing.T, repo string) string { pushRandom(t, repo+":v1"); return "registry:" + repo + ":v1" },
			want:  ErrNoSignature,
		},
		{
			name: "wrong key",
			setup: func(t *testing.T, repo string) string {
				pushRandom(t, repo+":v1")
				mustSign(t, "registry:"+repo+":v1", sv)
				return "registry:" + repo + ":v1"
			},
			verifier: func() signature.Verifier { return otherV },
			want:     ErrInvalidSignature,
		},
		{
			name: "payload for another digest",
			setup: func(t *testing.T, repo string) string {
				a := pushRandom(t, repo+":a")
				b := pushRandom(t, repo+":b")
				mustSign(t, "registry:"+repo+":a", sv)
				p, s := storedSig(t, repo, a)
				replaceSignatures(t, repo, b, newSig(t, p, s)) // a's valid signature, copied to b
				return "registry:" + repo + ":b"
			},
			want: ErrDigestMismatch,
		},
		{
			name: "tampered payload",
			setup: func(t *testing.T, repo string) string {
				h := pushRandom(t, repo+":v1")
				mustSign(t, "registry:"+repo+":v1", sv, WithAnnotations(map[string]string{"env": "staging"}))
				p, s := storedSig(t, repo, h)
				replaceSignatures(t, repo, h, newSig(t, []byte(strings.Replace(string(p), "staging", "prod", 1)), s))
				return "registry:" + repo + ":v1"
			},
			want: ErrInvalidSignature,
		},
		{
			name: "tampered signature",
			setup: func(t *testing.T, repo string) string {
				h := pushRandom(t, repo+":v1")
				mustSign(t, "registry:"+repo+":v1", sv)
				p, s := storedSig(t, repo, h)
				raw, _ := base64.StdEncoding.DecodeString(s)
				raw[len(raw)-1] ^= 1
				replaceSignatures(t, repo, h, newSig(t, p, base64.StdEncoding.EncodeToString(raw)))
				return "registry:" + repo + ":v1"
			},
			want: ErrInvalidSignature,
		},
		{
			name: "signature not base64",
			setup: func(t *testing.T, repo string) string {
				h := pushRandom(t, repo+":v1")
				mustSign(t, "registry:"+repo+":v1", sv)
				p, _ := storedSig(t, repo, h)
				replaceSignatures(t, repo, h, newSig(t, p, "%%%"))
				return "registry:" + repo + ":v1"
			},
			want: ErrInvalidSignature,
		},
		{
			name: "tag moved to another image after signing",
			setup: func(t *testing.T, repo string) string {
				pushRandom(t, repo+":v1")
				mustSign(t, "registry:"+repo+":v1", sv)
				pushRandom(t, repo+":v1")
				return "registry:" + repo + ":v1"
			},
			want: ErrNoSignature,
		},
		{
			name: "tag moved and the old signature copied along",
			setup: func(t *testing.T, repo string) string {
				a := pushRandom(t, repo+":v1")
				mustSign(t, "registry:"+repo+":v1", sv)
				b := pushRandom(t, repo+":v1")
				p, s := storedSig(t, repo, a)
				replaceSignatures(t, repo, b, newSig(t, p, s))
				return "registry:" + repo + ":v1"
			},
			want: ErrDigestMismatch,
		},
		{
			name: "required annotation missing",
			setup: func(t *testing.T, repo string) string {
				pushRandom(t, repo+":v1")
				mustSign(t, "registry:"+repo+":v1", sv, WithAnnotations(map[string]string{"env": "staging"}))
				return "registry:" + repo + ":v1"
			},
			opts: []Option{WithRequiredAnnotations(map[string]string{"env": "prod"})},
			want: ErrAnnotationMismatch,
		},
		{
			name: "signed payload of another kind",
			setup: func(t *testing.T, repo string) string {
				h := pushRandom(t, repo+":v1")
				p, _ := json.Marshal(payload.SimpleContainerImage{Critical: payload.Critical{
					Type: "atomic container signature", Image: payload.Image{DockerManifestDigest: h.String()}}})
				raw, err := sv.SignMessage(strings.NewReader(string(p)))
				if err != nil {
					t.Fatal(err)
				}
				replaceSignatures(t, repo, h, newSig(t, p, base64.StdEncoding.EncodeToString(raw)))
				return "registry:" + repo + ":v1"
			},
			want: ErrInvalidPayload,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			repo := newRegistry(t) + "/app"
			ref := tc.setup(t, repo)
			ver := v
			if tc.verifier != nil {
				ver = tc.verifier()
			}
			got, err := Verify(t.Context(), ref, ver, tc.opts...)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var verr *VerificationError
			if !errors.As(err, &verr) || verr.Digest == "" {
				t.Errorf("err %T is not a *VerificationError with a digest", err)
			}
			for _, other := range []error{ErrNoSignature, ErrInvalidSignature, ErrDigestMismatch, ErrAnnotationMismatch, ErrInvalidPayload} {
				if other != tc.want && errors.Is(err, other) {
					t.Errorf("err also matches %v: %v", other, err)
				}
			}
			if got == nil || got.Verified || got.Error == "" || len(got.Signatures) != 0 {
				t.Errorf("verification on failure: %+v", got)
			}
		})
	}
}

func mustSign(t *testing.T, ref string, s signature.Signer, opts ...Option) {
	t.Helper()
	if _, err := Sign(t.Context(), ref, s, opts...); err != nil {
		t.Fatal(err)
	}
}

func sigTagRef(t *testing.T, repo string, h v1.Hash) name.Reference {
	t.Helper()
	r, err := name.ParseReference(repo + ":sha256-" + h.Hex + ".sig")
	if err != nil {
		t.Fatal(err)
	}
	return r
}
