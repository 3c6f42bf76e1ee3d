package sign

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	ssldsse "github.com/secure-systems-lab/go-securesystemslib/dsse"
	"github.com/sigstore/cosign/v2/pkg/cosign/attestation"
	"github.com/sigstore/cosign/v2/pkg/oci/empty"
	"github.com/sigstore/cosign/v2/pkg/oci/mutate"
	"github.com/sigstore/cosign/v2/pkg/oci/static"
	"github.com/sigstore/cosign/v2/pkg/types"

	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
)

func testSBOM() *sbom.SBOM {
	return &sbom.SBOM{
		SchemaVersion: sbom.SchemaVersion,
		Source:        sbom.Source{Type: sbom.SourceImage, Name: "app"},
		Packages: []sbom.Package{{Name: "musl", Version: "1.2.4-r2", Type: "apk",
			PURL: "pkg:apk/alpine/musl@1.2.4-r2"}},
	}
}

func TestAttestAndVerify(t *testing.T) {
	host := newRegistry(t)
	h := pushRandom(t, host+"/app:v1")
	ref := "registry:" + host + "/app:v1"
	sv, v := keys(t, 0)

	cdxPred, err := CycloneDXPredicate(testSBOM(), sbom.WithTimestamp(time.Unix(0, 0)),
		sbom.WithSerialNumber("urn:uuid:00000000-0000-4000-8000-000000000000"))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	vulnPred, err := VulnPredicate(&scan.Report{SchemaVersion: "1", Findings: []scan.Finding{{ID: "CVE-2025-0001"}}},
		start, start.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	slsa := Predicate{Type: "slsaprovenance", Data: []byte(`{"builder":{"id":"https://ci.example/builder"},"buildType":"https://example/build"}`)}
	custom := Predicate{Type: "https://example.com/test-result/v1", Data: []byte(`{"passed":true}`)}
	preds := []Predicate{cdxPred, vulnPred, slsa, custom}
	for _, p := range preds {
		if _, err := Attest(t.Context(), ref, sv, p); err != nil {
			t.Fatalf("%s: %v", p.Type, err)
		}
	}
	// Stored as cosign stores them: one DSSE layer per attestation,
	// annotated with the predicate type.
	img, err := remote.Image(attTagRef(t, host+"/app", h))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := img.Manifest()
	if len(m.Layers) != len(preds) {
		t.Fatalf("%d attestation layers, want %d", len(m.Layers), len(preds))
	}
	for _, l := range m.Layers {
		if l.MediaType != types.DssePayloadType || l.Annotations["predicateType"] == "" {
			t.Errorf("attestation layer %+v", l)
		}
	}

	tests := []struct {
		typ       string
		wantType  string
		checkPred func(t *testing.T, raw json.RawMessage)
	}{
		{"cyclonedx", PredicateCycloneDX, func(t *testing.T, raw json.RawMessage) {
			var bom cdx.BOM
			if err := json.Unmarshal(raw, &bom); err != nil {
				t.Fatal(err)
			}
			if bom.Components == nil || len(*bom.Components) == 0 {
				t.Errorf("BOM without components: %s", raw)
			}
			back, err := sbom.FromCycloneDX(&bom)
			if err != nil || !hasPackage(back, "musl") {
				t.Errorf("decoded SBOM lacks musl: %v", err)
			}
		}},
		{PredicateVuln, PredicateVuln, func(t *testing.T, raw json.RawMessage) {
			var p attestation.CosignVulnPredicate
			if err := json.Unmarshal(raw, &p); err != nil {
				t.Fatal(err)
			}
			if !p.Metadata.ScanStartedOn.Equal(start) || !strings.Contains(string(raw), "CVE-2025-0001") {
				t.Errorf("vuln predicate: %s", raw)
			}
		}},
		{"slsaprovenance", PredicateSLSAProvenance, func(t *testing.T, raw json.RawMessage) {
			if !strings.Contains(string(raw), "https://ci.example/builder") {
				t.Errorf("provenance: %s", raw)
			}
		}},
		{"https://example.com/test-result/v1", "https://example.com/test-result/v1", func(t *testing.T, raw json.RawMessage) {
			if string(raw) != `{"passed":true}` {
				t.Errorf("custom predicate: %s", raw)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.typ, func(t *testing.T) {
			got, err := VerifyAttestations(t.Context(), ref, v, tc.typ)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Verified || got.Digest != h.String() || len(got.Attestations) != 1 ||
				len(got.PredicateTypes) != 1 || got.PredicateTypes[0] != tc.wantType {
				t.Fatalf("verification: %+v", got)
			}
			a := got.Attestations[0]
			if a.PredicateType != tc.wantType || len(a.Subjects) != 1 || a.Subjects[0].Digest["sha256"] != h.Hex {
				t.Errorf("attestation: %+v", a)
			}
			tc.checkPred(t, a.Predicate)
		})
	}
	all, err := VerifyAttestations(t.Context(), ref, v, "")
	if err != nil || len(all.Attestations) != len(preds) || len(all.PredicateTypes) != len(preds) {
		t.Fatalf("all types: %v, %+v", err, all)
	}
	// Attesting again adds an attestation, as cosign does (DSSE signatures
	// are randomised), unless WithReplace asks to replace those of the type.
	custom2 := Predicate{Type: custom.Type, Data: []byte(`{"passed":false}`)}
	if _, err := Attest(t.Context(), ref, sv, custom2); err != nil {
		t.Fatal(err)
	}
	if got, _ := VerifyAttestations(t.Context(), ref, v, custom.Type); got == nil || len(got.Attestations) != 2 {
		t.Fatalf("after a second attestation: %+v", got)
	}
	if _, err := Attest(t.Context(), ref, sv, custom, WithReplace()); err != nil {
		t.Fatal(err)
	}
	got, err := VerifyAttestations(t.Context(), ref, v, custom.Type)
	if err != nil || len(got.Attestations) != 1 || string(got.Attestations[0].Predicate) != `{"passed":true}` {
		t.Fatalf("after replacing: %v %+v", err, got)
	}
	if all, _ := VerifyAttestations(t.Context(), ref, v, ""); all == nil || len(all.Attestations) != len(preds) {
		t.Errorf("replacing dropped other predicate types: %+v", all)
	}
}

func hasPackage(s *sbom.SBOM, name string) bool {
	for _, p := range s.Packages {
		if p.Name == name {
			return true
		}
	}
	return false
}

func TestVerifyAttestationsFailsClosed(t *testing.T) {
	sv, v := keys(t, 0)
	_, otherV := keys(t, 1)
	custom := Predicate{Type: "https://example.com/test-result/v1", Data: []byte(`{"passed":true}`)}
	attest := func(t *testing.T, ref string) {
		t.Helper()
		if _, err := Attest(t.Context(), ref, sv, custom); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name  string
		setup func(t *testing.T, repo string) string
		typ   string
		other bool
		want  error
	}{
		{
			name:  "no attestation",
			setup: func(t *testing.T, repo string) string { pushRandom(t, repo+":v1"); return "registry:" + repo + ":v1" },
			want:  ErrNoAttestation,
		},
		{
			name: "wrong key",
			setup: func(t *testing.T, repo string) string {
				pushRandom(t, repo+":v1")
				attest(t, "registry:"+repo+":v1")
				return "registry:" + repo + ":v1"
			},
			other: true,
			want:  ErrInvalidSignature,
		},
		{
			name: "different predicate type",
			setup: func(t *testing.T, repo string) string {
				pushRandom(t, repo+":v1")
				attest(t, "registry:"+repo+":v1")
				return "registry:" + repo + ":v1"
			},
			typ:  "cyclonedx",
			want: ErrPredicateTypeMismatch,
		},
		{
			name: "attestation of another digest",
			setup: func(t *testing.T, repo string) string {
				a := pushRandom(t, repo+":a")
				b := pushRandom(t, repo+":b")
				attest(t, "registry:"+repo+":a")
				env := storedAtt(t, repo, a)
				replaceAttestations(t, repo, b, env)
				return "registry:" + repo + ":b"
			},
			want: ErrDigestMismatch,
		},
		{
			name: "tampered statement",
			setup: func(t *testing.T, repo string) string {
				h := pushRandom(t, repo+":v1")
				attest(t, "registry:"+repo+":v1")
				var env ssldsse.Envelope
				if err := json.Unmarshal(storedAtt(t, repo, h), &env); err != nil {
					t.Fatal(err)
				}
				body, _ := base64.StdEncoding.DecodeString(env.Payload)
				env.Payload = base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(body), "true", "false", 1)))
				b, _ := json.Marshal(env)
				replaceAttestations(t, repo, h, b)
				return "registry:" + repo + ":v1"
			},
			want: ErrInvalidSignature,
		},
		{
			name: "not an envelope",
			setup: func(t *testing.T, repo string) string {
				h := pushRandom(t, repo+":v1")
				replaceAttestations(t, repo, h, []byte("not json"))
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
			if tc.other {
				ver = otherV
			}
			got, err := VerifyAttestations(t.Context(), ref, ver, tc.typ)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			for _, other := range []error{ErrNoAttestation, ErrInvalidSignature, ErrDigestMismatch, ErrPredicateTypeMismatch, ErrInvalidPayload} {
				if other != tc.want && errors.Is(err, other) {
					t.Errorf("err also matches %v: %v", other, err)
				}
			}
			if got == nil || got.Verified || len(got.Attestations) != 0 || len(got.PredicateTypes) != 0 {
				t.Errorf("verification on failure: %+v", got)
			}
		})
	}
}

func storedAtt(t *testing.T, repo string, h v1.Hash) []byte {
	t.Helper()
	img, err := remote.Image(attTagRef(t, repo, h))
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := storedSignatures{Image: img, max: defaultMaxPayload}.Get()
	if err != nil || len(sigs) == 0 {
		t.Fatalf("stored attestations: %v", err)
	}
	p, _ := sigs[0].Payload()
	return p
}

func replaceAttestations(t *testing.T, repo string, h v1.Hash, env []byte) {
	t.Helper()
	att, err := static.NewAttestation(env, static.WithLayerMediaType(types.DssePayloadType))
	if err != nil {
		t.Fatal(err)
	}
	img, err := mutate.AppendSignatures(empty.Signatures(), false, att)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(attTagRef(t, repo, h), img); err != nil {
		t.Fatal(err)
	}
}

func attTagRef(t *testing.T, repo string, h v1.Hash) name.Reference {
	t.Helper()
	r, err := name.ParseReference(repo + ":sha256-" + h.Hex + ".att")
	if err != nil {
		t.Fatal(err)
	}
	return r
}
