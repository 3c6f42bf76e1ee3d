package sign

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/shipshape-dev/shipshape/result"
)

func TestSignVerifyLayout(t *testing.T) {
	dir, h := writeLayout(t, "app:1.0")
	sv, v := keys(t, 0)
	ref := "oci-layout:" + dir

	res, err := Sign(t.Context(), ref, sv)
	if err != nil {
		t.Fatal(err)
	}
	if res.Digests[0] != h.String() {
		t.Fatalf("signed %v, want %s", res.Digests, h)
	}
	if _, err := Attest(t.Context(), ref, sv, Predicate{Type: "https://example.com/p", Data: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	// The signature is a manifest of the layout named like the registry tag.
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := idx.IndexManifest()
	names := map[string]string{}
	for _, d := range m.Manifests {
		names[d.Annotations[refNameAnnotation]] = d.Annotations[cosignKindAnnotation]
	}
	if names[tagFor(h, sigSuffix)] != cosignKindSigs || names[tagFor(h, attSuffix)] != cosignKindAtts || len(m.Manifests) != 3 {
		t.Errorf("layout manifests: %v", names)
	}

	for _, r := range []string{ref, ref + ":app:1.0", ref + "@" + h.String()} {
		got, err := Verify(t.Context(), r, v)
		if err != nil || got.Digest != h.String() {
			t.Fatalf("%s: %v %+v", r, err, got)
		}
		if got.Signatures[0].DockerReference == "" {
			t.Errorf("no claimed identity: %+v", got.Signatures[0])
		}
	}
	if _, err := VerifyAttestations(t.Context(), ref, v, "https://example.com/p"); err != nil {
		t.Fatal(err)
	}

	// A second image: a bare layout reference is now ambiguous; a name
	// selects, and the other image has no signature.
	p, _ := layout.FromPath(dir)
	img, _ := random.Image(64, 1)
	if err := p.AppendImage(img, layout.WithAnnotations(map[string]string{refNameAnnotation: "other"})); err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(t.Context(), ref, v); !errors.Is(err, ErrInvalidReference) {
		t.Errorf("ambiguous layout: err = %v", err)
	}
	if _, err := Verify(t.Context(), ref+":other", v); !errors.Is(err, ErrNoSignature) {
		t.Errorf("unsigned image of the layout: err = %v", err)
	}
	if _, err := Verify(t.Context(), ref+":app:1.0", v); err != nil {
		t.Errorf("signed image of the layout: %v", err)
	}
}

func TestSignIndex(t *testing.T) {
	host := newRegistry(t)
	idx, imgs := pushIndex(t, host+"/multi:v1")
	sv, v := keys(t, 0)
	ref := "registry:" + host + "/multi:v1"

	res, err := Sign(t.Context(), ref, sv, WithPlatformImages())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{idx.String(), imgs[0].String(), imgs[1].String()}
	if len(res.Digests) != 3 || res.Digests[0] != want[0] || res.Digests[1] != want[1] || res.Digests[2] != want[2] {
		t.Fatalf("signed %v, want %v", res.Digests, want)
	}
	for _, d := range want {
		if _, err := Verify(t.Context(), "registry:"+host+"/multi@"+d, v); err != nil {
			t.Errorf("%s: %v", d, err)
		}
	}

	p := Predicate{Type: "https://example.com/p", Data: []byte(`{"ok":true}`)}
	if res, err := Attest(t.Context(), ref, sv, p, WithPlatformImages()); err != nil || len(res.Digests) != 3 {
		t.Fatalf("attest: %v %+v", err, res)
	}
	for _, d := range want {
		if _, err := VerifyAttestations(t.Context(), "registry:"+host+"/multi@"+d, v, p.Type); err != nil {
			t.Errorf("attestation of %s: %v", d, err)
		}
	}

	// Without WithPlatformImages only the index is signed.
	host2 := newRegistry(t)
	_, imgs2 := pushIndex(t, host2+"/multi:v1")
	if _, err := Sign(t.Context(), "registry:"+host2+"/multi:v1", sv); err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(t.Context(), "registry:"+host2+"/multi:v1", v); err != nil {
		t.Error(err)
	}
	if _, err := Verify(t.Context(), "registry:"+host2+"/multi@"+imgs2[0].String(), v); !errors.Is(err, ErrNoSignature) {
		t.Errorf("platform image: err = %v, want ErrNoSignature", err)
	}
}

func TestBadInput(t *testing.T) {
	sv, v := keys(t, 0)
	cases := []struct {
		name string
		run  func() error
		want error
	}{
		{"no scheme", func() error { _, err := Sign(t.Context(), "example.com/app:v1", sv); return err }, ErrInvalidReference},
		{"unknown scheme", func() error { _, err := Verify(t.Context(), "docker-archive:x.tar", v); return err }, ErrInvalidReference},
		{"bad registry ref", func() error { _, err := Verify(t.Context(), "registry:UPPER/Case::", v); return err }, ErrInvalidReference},
		{"missing layout", func() error { _, err := Verify(t.Context(), "oci-layout:"+t.TempDir()+"/none", v); return err }, ErrInvalidReference},
		{"nil signer", func() error { _, err := Sign(t.Context(), "registry:example.com/a:b", nil); return err }, result.ErrInvalidOption},
		{"nil verifier", func() error { _, err := Verify(t.Context(), "registry:example.com/a:b", nil); return err }, result.ErrInvalidOption},
		{"nil option", func() error { _, err := Verify(t.Context(), "registry:example.com/a:b", v, nil); return err }, result.ErrInvalidOption},
		{"bad payload cap", func() error {
			_, err := Verify(t.Context(), "registry:example.com/a:b", v, WithMaxPayloadSize(0))
			return err
		}, result.ErrInvalidOption},
		{"empty annotation key", func() error {
			_, err := Sign(t.Context(), "registry:example.com/a:b", sv, WithAnnotations(map[string]string{"": "x"}))
			return err
		}, result.ErrInvalidOption},
		{"bad predicate type", func() error {
			_, err := Attest(t.Context(), "registry:example.com/a:b", sv, Predicate{Type: "not a uri", Data: []byte(`{}`)})
			return err
		}, result.ErrInvalidOption},
		{"bad verify predicate type", func() error {
			_, err := VerifyAttestations(t.Context(), "registry:example.com/a:b", v, "nope")
			return err
		}, result.ErrInvalidOption},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.run(); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

// A registry that answers a reference by digest with another (signed)
// manifest is not believed: verification errs instead of passing.
func TestRegistryLiesAboutDigest(t *testing.T) {
	host := newRegistry(t)
	pushRandom(t, host+"/app:v1")
	sv, v := keys(t, 0)
	mustSign(t, "registry:"+host+"/app:v1", sv)
	liar := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead && strings.Contains(r.URL.Path, "/manifests/sha256:") {
			// Answer for the signed image, whatever was asked.
			resp, err := http.Head("http://" + host + "/v2/app/manifests/v1")
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			resp.Body.Close()
			for _, k := range []string{"Content-Type", "Content-Length", "Docker-Content-Digest"} {
				w.Header().Set(k, resp.Header.Get(k))
			}
			return
		}
		http.Redirect(w, r, "http://"+host+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer liar.Close()
	other := strings.Repeat("ab", 32)
	ref := "registry:" + strings.TrimPrefix(liar.URL, "http://") + "/app@sha256:" + other
	if got, err := Verify(t.Context(), ref, v); err == nil || got != nil {
		t.Fatalf("verified %+v through a lying registry (err %v)", got, err)
	}
	// The same registry, asked honestly, verifies.
	honest := "registry:" + strings.TrimPrefix(liar.URL, "http://") + "/app:v1"
	if _, err := Verify(t.Context(), honest, v); err != nil {
		t.Fatalf("through the proxy: %v", err)
	}
}
