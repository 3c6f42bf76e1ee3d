package sign

import (
	"io"
	"log"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	ggcrmutate "github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/sigstore/sigstore/pkg/signature"
)

// testKeys are made once per test binary: scrypt makes key generation
// slow under the race detector.
var testKeys = sync.OnceValue(func() [2]*KeyPair {
	var out [2]*KeyPair
	for i := range out {
		kp, err := GenerateKeyPair(Password([]byte("test password")))
		if err != nil {
			panic(err)
		}
		out[i] = kp
	}
	return out
})

// keys returns the signer and verifier of test key i (0 or 1).
func keys(t testing.TB, i int) (signature.SignerVerifier, signature.Verifier) {
	t.Helper()
	kp := testKeys()[i]
	sv, err := LoadPrivateKey(kp.PrivateKey, Password([]byte("test password")))
	if err != nil {
		t.Fatal(err)
	}
	v, err := LoadPublicKey(kp.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return sv, v
}

// newRegistry starts an in-process registry and returns its host.
func newRegistry(t testing.TB) string {
	t.Helper()
	s := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(s.Close)
	return strings.TrimPrefix(s.URL, "http://")
}

// pushRandom pushes a random image under ref and returns its digest.
func pushRandom(t testing.TB, ref string) v1.Hash {
	t.Helper()
	img, err := random.Image(256, 1)
	if err != nil {
		t.Fatal(err)
	}
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(r, img); err != nil {
		t.Fatal(err)
	}
	h, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// pushIndex pushes a two-platform index under ref and returns the digests
// of the index and its images.
func pushIndex(t testing.TB, ref string) (v1.Hash, []v1.Hash) {
	t.Helper()
	var adds []ggcrmutate.IndexAddendum
	var hs []v1.Hash
	for _, arch := range []string{"amd64", "arm64"} {
		img, err := random.Image(128, 1)
		if err != nil {
			t.Fatal(err)
		}
		h, _ := img.Digest()
		hs = append(hs, h)
		adds = append(adds, ggcrmutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{
			Platform: &v1.Platform{OS: "linux", Architecture: arch}}})
	}
	idx := ggcrmutate.AppendManifests(ggcrmutate.IndexMediaType(empty.Index, types.OCIImageIndex), adds...)
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(r, idx); err != nil {
		t.Fatal(err)
	}
	h, _ := idx.Digest()
	return h, hs
}

// writeLayout writes a one-image OCI layout named name into a temporary
// directory and returns the directory and the image digest.
func writeLayout(t testing.TB, refName string) (string, v1.Hash) {
	t.Helper()
	dir := t.TempDir()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	img, err := random.Image(256, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(img, layout.WithAnnotations(map[string]string{refNameAnnotation: refName})); err != nil {
		t.Fatal(err)
	}
	h, _ := img.Digest()
	return dir, h
}
