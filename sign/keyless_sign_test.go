package sign

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	ssldsse "github.com/secure-systems-lab/go-securesystemslib/dsse"
	"github.com/sigstore/cosign/v2/pkg/oci"
	"github.com/sigstore/cosign/v2/pkg/oci/empty"
	"github.com/sigstore/cosign/v2/pkg/oci/mutate"
	"github.com/sigstore/cosign/v2/pkg/oci/static"
	"github.com/sigstore/cosign/v2/pkg/types"

	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sign/sigstoretest"
)

const (
	testIssuer  = "https://accounts.example.com"
	testSubject = "dev@example.com"
)

func newSigstore(t testing.TB, opts ...sigstoretest.Option) *sigstoretest.Sigstore {
	t.Helper()
	s, err := sigstoretest.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// trustOf returns the roots that trust s: its root CA (the intermediate
// comes with each signature's chain), its log key and its CT log key.
func trustOf(s *sigstoretest.Sigstore) TrustedRoots {
	return TrustedRoots{
		FulcioRoots: []*x509.Certificate{s.RootCA},
		RekorKeys:   []crypto.PublicKey{s.RekorKey},
		CTLogKeys:   []crypto.PublicKey{s.CTLogKey},
	}
}

func keylessOf(t testing.TB, s *sigstoretest.Sigstore, issuer, subject string) Keyless {
	t.Helper()
	tok, err := s.Token(issuer, subject)
	if err != nil {
		t.Fatal(err)
	}
	return Keyless{FulcioURL: s.FulcioURL, RekorURL: s.RekorURL, IdentityToken: StaticToken(tok)}
}

// readStoredSig returns the first signature or attestation under tag.
func readStoredSig(t *testing.T, ref name.Reference) oci.Signature {
	t.Helper()
	img, err := remote.Image(ref)
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := storedSignatures{Image: img, max: defaultMaxPayload}.Get()
	if err != nil || len(sigs) == 0 {
		t.Fatalf("stored signatures: %v (%d)", err, len(sigs))
	}
	return sigs[0]
}

// rebuilt copies s with another payload (and, when b64 is not nil,
// another signature), keeping its certificate, chain, bundle and
// annotations: what an attacker with push access can store.
func rebuilt(t *testing.T, s oci.Signature, pl []byte, keepBundle bool) oci.Signature {
	t.Helper()
	ann, err := s.Annotations()
	if err != nil {
		t.Fatal(err)
	}
	opts := []static.Option{static.WithCertChain([]byte(ann[static.CertificateAnnotationKey]), []byte(ann[static.ChainAnnotationKey]))}
	if keepBundle {
		b, err := s.Bundle()
		if err != nil || b == nil {
			t.Fatalf("bundle: %v", err)
		}
		opts = append(opts, static.WithBundle(b))
	}
	if mt, _ := s.MediaType(); mt == types.DssePayloadType {
		opts = append(opts, static.WithLayerMediaType(types.DssePayloadType),
			static.WithAnnotations(map[string]string{"predicateType": ann["predicateType"]}))
		out, err := static.NewAttestation(pl, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	b64, _ := s.Base64Signature()
	out, err := static.NewSignature(pl, b64, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func storeOne(t *testing.T, ref name.Reference, s oci.Signature) {
	t.Helper()
	img, err := mutate.AppendSignatures(empty.Signatures(), false, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, img); err != nil {
		t.Fatal(err)
	}
}

// tamperStatement changes the predicate inside a DSSE envelope, keeping
// its signature.
func tamperStatement(t *testing.T, env []byte) []byte {
	t.Helper()
	var e ssldsse.Envelope
	if err := json.Unmarshal(env, &e); err != nil {
		t.Fatal(err)
	}
	body, _ := base64.StdEncoding.DecodeString(e.Payload)
	tampered := strings.Replace(string(body), "pass", "fail", 1)
	if tampered == string(body) {
		t.Fatalf("nothing to tamper with in %s", body)
	}
	e.Payload = base64.StdEncoding.EncodeToString([]byte(tampered))
	out, _ := json.Marshal(e)
	return out
}

// keylessCase is a keyless sign (or attest) then verify, with what is
// changed on the way and the error verification must fail with.
type keylessCase struct {
	name string
	// fakes: the instance whose Fulcio signs; log: whose Rekor logs
	// (default the same); trust: whose roots verify (default the same).
	fakeOpts []sigstoretest.Option
	otherLog bool
	trust    func(signer, other *sigstoretest.Sigstore) TrustedRoots
	subject  string
	issuer   string
	ids      []Identity
	// after changes what was stored for the digest.
	after func(t *testing.T, tag name.Reference)
	opts  []Option
	want  error
}

func keylessCases() []keylessCase {
	return []keylessCase{
		{name: "valid"},
		{name: "identity by regexp", ids: []Identity{{IssuerRegexp: `^https://accounts\.example\.com$`, SubjectRegexp: `@example\.com$`}}},
		{name: "URI subject", subject: "https://github.com/example/app/.github/workflows/release.yml@refs/heads/main",
			ids: []Identity{{Issuer: testIssuer, SubjectRegexp: `^https://github\.com/example/app/`}}},
		{name: "one of several identities", ids: []Identity{{Issuer: testIssuer, Subject: "other@example.com"}, {Issuer: testIssuer, Subject: testSubject}}},
		{name: "wrong subject", subject: "mallory@example.net", want: ErrIdentityMismatch},
		{name: "wrong issuer", issuer: "https://evil.example", want: ErrIdentityMismatch},
		{name: "subject regexp does not match", ids: []Identity{{Issuer: testIssuer, SubjectRegexp: `@example\.org$`}}, want: ErrIdentityMismatch},
		{name: "issuer regexp does not match", ids: []Identity{{IssuerRegexp: `^https://token\.actions\.`, Subject: testSubject}}, want: ErrIdentityMismatch},
		{name: "regexp is anchored by the caller only", ids: []Identity{{Issuer: testIssuer, SubjectRegexp: `^example\.com$`}}, want: ErrIdentityMismatch},
		{name: "logged after the certificate expired",
			fakeOpts: []sigstoretest.Option{sigstoretest.WithLogClock(func() time.Time { return time.Now().Add(time.Hour) })},
			want:     ErrCertificateExpired},
		{name: "logged before the certificate was valid",
			fakeOpts: []sigstoretest.Option{sigstoretest.WithLogClock(func() time.Time { return time.Now().Add(-time.Hour) })},
			want:     ErrCertificateExpired},
		{name: "bundle signed by an unknown log", otherLog: true, want: ErrInvalidBundle},
		{name: "certificate from an untrusted CA",
			trust: func(s, o *sigstoretest.Sigstore) TrustedRoots {
				r := trustOf(s)
				r.FulcioRoots = []*x509.Certificate{o.RootCA}
				return r
			},
			want: ErrUntrustedCertificate},
		{name: "SCT from an untrusted CT log",
			trust: func(s, o *sigstoretest.Sigstore) TrustedRoots {
				r := trustOf(s)
				r.CTLogKeys = []crypto.PublicKey{o.CTLogKey}
				return r
			},
			want: ErrUntrustedCertificate},
		{name: "tampered payload",
			after: func(t *testing.T, tag name.Reference) {
				s := readStoredSig(t, tag)
				pl, _ := s.Payload()
				if mt, _ := s.MediaType(); mt == types.DssePayloadType {
					pl = tamperStatement(t, pl)
				} else {
					tampered := strings.Replace(string(pl), `"creator":"pipeline"`, `"creator":"mallory"`, 1)
					if tampered == string(pl) {
						t.Fatalf("nothing to tamper with in %s", pl)
					}
					pl = []byte(tampered)
				}
				storeOne(t, tag, rebuilt(t, s, pl, true))
			},
			want: ErrInvalidSignature},
		{name: "bundle stripped",
			after: func(t *testing.T, tag name.Reference) {
				s := readStoredSig(t, tag)
				pl, _ := s.Payload()
				storeOne(t, tag, rebuilt(t, s, pl, false))
			},
			want: ErrInvalidBundle},
	}
}

// runKeylessCase signs or attests (attest) keylessly with tc's fakes and
// returns the verification's outcome.
func runKeylessCase(t *testing.T, tc keylessCase, attest bool) (*Verification, error) {
	t.Helper()
	s := newSigstore(t, tc.fakeOpts...)
	other := newSigstore(t)
	repo := newRegistry(t) + "/app"
	h := pushRandom(t, repo+":v1")
	ref := "registry:" + repo + ":v1"
	subject, issuer := testSubject, testIssuer
	if tc.subject != "" {
		subject = tc.subject
	}
	if tc.issuer != "" {
		issuer = tc.issuer
	}
	k := keylessOf(t, s, issuer, subject)
	if tc.otherLog {
		k.RekorURL = other.RekorURL
	}
	var (
		signed *Signed
		err    error
		suffix = sigSuffix
	)
	if attest {
		suffix = attSuffix
		signed, err = AttestKeyless(t.Context(), ref, k, Predicate{Type: "custom", Data: []byte(`{"result":"pass"}`)})
	} else {
		signed, err = SignKeyless(t.Context(), ref, k, WithAnnotations(map[string]string{"creator": "pipeline"}))
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(signed.Digests) != 1 || signed.Digests[0] != h.String() || signed.Identity == nil ||
		signed.Identity.Subject != subject || signed.Identity.Issuer != issuer || len(signed.LogEntries) != 1 {
		t.Fatalf("signed: %+v", signed)
	}
	log := s
	if tc.otherLog {
		log = other
	}
	wantKind := "hashedrekord"
	if attest {
		wantKind = "dsse"
	}
	if es := log.Entries(); len(es) != 1 || es[0].Kind != wantKind {
		t.Fatalf("log entries: %+v", es)
	}
	if tc.after != nil {
		tag, err := name.ParseReference(repo + ":" + tagFor(h, suffix))
		if err != nil {
			t.Fatal(err)
		}
		tc.after(t, tag)
	}
	roots := trustOf(s)
	if tc.trust != nil {
		roots = tc.trust(s, other)
	}
	ids := []Identity{{Issuer: testIssuer, Subject: testSubject}}
	if tc.ids != nil {
		ids = tc.ids
	}
	if attest {
		return VerifyAttestationsKeyless(t.Context(), ref, roots, ids, "custom", tc.opts...)
	}
	return VerifyKeyless(t.Context(), ref, roots, ids, tc.opts...)
}

func checkKeylessOutcome(t *testing.T, tc keylessCase, v *Verification, err error) {
	t.Helper()
	if tc.want != nil {
		if !errors.Is(err, tc.want) {
			t.Fatalf("err = %v, want %v", err, tc.want)
		}
		var verr *VerificationError
		if !errors.As(err, &verr) {
			t.Errorf("err is not a *VerificationError: %T", err)
		}
		if v == nil || v.Verified || v.Error == "" {
			t.Errorf("verification on failure: %+v", v)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if !v.Verified || len(v.Identities) != 1 || v.Identities[0].Issuer != testIssuer {
		t.Fatalf("verification: %+v", v)
	}
}

func TestSignKeyless(t *testing.T) {
	for _, tc := range keylessCases() {
		t.Run(tc.name, func(t *testing.T) {
			v, err := runKeylessCase(t, tc, false)
			checkKeylessOutcome(t, tc, v, err)
			if err == nil {
				s := v.Signatures[0]
				if s.Identity == nil || s.Identity.LoggedAt.IsZero() || s.Annotations["creator"] != "pipeline" {
					t.Errorf("signature: %+v", s)
				}
			}
		})
	}
}

func TestAttestKeyless(t *testing.T) {
	for _, tc := range keylessCases() {
		t.Run(tc.name, func(t *testing.T) {
			v, err := runKeylessCase(t, tc, true)
			checkKeylessOutcome(t, tc, v, err)
			if err == nil {
				a := v.Attestations[0]
				if a.Identity == nil || a.PredicateType != PredicateCustom || !strings.Contains(string(a.Predicate), "pass") {
					t.Errorf("attestation: %+v", a)
				}
				if ev := v.Evidence(); len(ev) != 1 || ev[0].Issuer != testIssuer || len(ev[0].PredicateTypes) != 1 {
					t.Errorf("evidence: %+v", ev)
				}
				evidenceRoundTrip(t, v)
			}
		})
	}
}

// TestVerifyAttestationsKeylessFailsClosed covers what only attestations
// have: predicate types, and signatures in place of attestations.
func TestVerifyAttestationsKeylessFailsClosed(t *testing.T) {
	s := newSigstore(t)
	repo := newRegistry(t) + "/app"
	pushRandom(t, repo+":v1")
	ref := "registry:" + repo + ":v1"
	ids := []Identity{{Issuer: testIssuer, Subject: testSubject}}
	k := keylessOf(t, s, testIssuer, testSubject)
	if _, err := VerifyAttestationsKeyless(t.Context(), ref, trustOf(s), ids, ""); !errors.Is(err, ErrNoAttestation) {
		t.Fatalf("no attestation: err = %v", err)
	}
	if _, err := AttestKeyless(t.Context(), ref, k, Predicate{Type: "custom", Data: []byte(`{"a":1}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyAttestationsKeyless(t.Context(), ref, trustOf(s), ids, "cyclonedx"); !errors.Is(err, ErrPredicateTypeMismatch) {
		t.Errorf("other predicate type: err = %v", err)
	}
	if _, err := VerifyAttestationsKeyless(t.Context(), ref, trustOf(s), ids, "not a type"); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("bad predicate type: err = %v", err)
	}
	v, err := VerifyAttestationsKeyless(t.Context(), ref, trustOf(s), ids, "")
	if err != nil || len(v.PredicateTypes) != 1 || v.PredicateTypes[0] != PredicateCustom {
		t.Errorf("any type: %+v, %v", v, err)
	}
	// A key-signed attestation has no certificate.
	sv, _ := keys(t, 0)
	if _, err := Attest(t.Context(), ref, sv, Predicate{Type: "vuln", Data: []byte(`{}`)}, WithReplace()); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyAttestationsKeyless(t.Context(), ref, trustOf(s), ids, "vuln"); !errors.Is(err, ErrNoCertificate) {
		t.Errorf("key-signed attestation: err = %v", err)
	}
	// Keyless signatures do not stand in for attestations, and the other
	// way round.
	if _, err := VerifyKeyless(t.Context(), ref, trustOf(s), ids); !errors.Is(err, ErrNoSignature) {
		t.Errorf("attestation as signature: err = %v", err)
	}
}

func TestSignKeylessServiceErrors(t *testing.T) {
	s := newSigstore(t)
	other := newSigstore(t)
	repo := newRegistry(t) + "/app"
	pushRandom(t, repo+":v1")
	ref := "registry:" + repo + ":v1"
	down := httptest.NewServer(nil)
	downURL := down.URL
	down.Close()
	good := keylessOf(t, s, testIssuer, testSubject)
	foreign := keylessOf(t, other, testIssuer, testSubject)
	cases := []struct {
		name string
		k    func() Keyless
		want error
		// msg must appear in the error; secret must not.
		msg string
	}{
		{name: "token source fails", want: ErrIdentityToken, msg: "token vault sealed", k: func() Keyless {
			k := good
			k.IdentityToken = func(context.Context) (string, error) { return "", errors.New("token vault sealed") }
			return k
		}},
		{name: "token is not a JWT", want: ErrIdentityToken, msg: "not a JWT", k: func() Keyless {
			k := good
			k.IdentityToken = StaticToken("opaque")
			return k
		}},
		{name: "Fulcio refuses the token", want: ErrCertificateRequest, msg: "401", k: func() Keyless {
			k := good
			k.IdentityToken = foreign.IdentityToken
			return k
		}},
		{name: "Fulcio unreachable", want: ErrCertificateRequest, msg: downURL, k: func() Keyless {
			k := good
			k.FulcioURL = downURL
			return k
		}},
		{name: "not Fulcio", want: ErrCertificateRequest, msg: "404", k: func() Keyless {
			k := good
			k.FulcioURL = s.RekorURL
			return k
		}},
		{name: "Rekor unreachable", want: ErrTransparencyLog, msg: strings.TrimPrefix(downURL, "http://"), k: func() Keyless {
			k := good
			k.RekorURL = downURL
			return k
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, attest := range []bool{false, true} {
				var err error
				if attest {
					_, err = AttestKeyless(t.Context(), ref, tc.k(), Predicate{Type: "custom", Data: []byte(`{}`)})
				} else {
					_, err = SignKeyless(t.Context(), ref, tc.k())
				}
				if !errors.Is(err, tc.want) {
					t.Fatalf("attest %v: err = %v, want %v", attest, err, tc.want)
				}
				if !strings.Contains(err.Error(), tc.msg) {
					t.Errorf("attest %v: error %q does not say %q", attest, err, tc.msg)
				}
				tok, _ := good.IdentityToken(t.Context())
				if strings.Contains(err.Error(), tok) {
					t.Errorf("error leaks the token: %v", err)
				}
			}
		})
	}
	// Nothing was stored by the failed calls.
	if _, err := VerifyKeyless(t.Context(), ref, trustOf(s), []Identity{{Issuer: testIssuer, Subject: testSubject}}); !errors.Is(err, ErrNoSignature) {
		t.Errorf("after failures: err = %v", err)
	}
}

func TestKeylessOptions(t *testing.T) {
	s := newSigstore(t)
	good := keylessOf(t, s, testIssuer, testSubject)
	cases := []struct {
		name string
		k    func(Keyless) Keyless
	}{
		{"no Fulcio URL", func(k Keyless) Keyless { k.FulcioURL = ""; return k }},
		{"relative Fulcio URL", func(k Keyless) Keyless { k.FulcioURL = "fulcio.example"; return k }},
		{"no Rekor URL", func(k Keyless) Keyless { k.RekorURL = ""; return k }},
		{"Rekor URL of another scheme", func(k Keyless) Keyless { k.RekorURL = "ftp://rekor.example"; return k }},
		{"no token source", func(k Keyless) Keyless { k.IdentityToken = nil; return k }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k := tc.k(good)
			if _, err := SignKeyless(t.Context(), "registry:example.invalid/a:b", k); !errors.Is(err, result.ErrInvalidOption) {
				t.Errorf("SignKeyless: err = %v", err)
			}
			if _, err := AttestKeyless(t.Context(), "registry:example.invalid/a:b", k, Predicate{Type: "custom"}); !errors.Is(err, result.ErrInvalidOption) {
				t.Errorf("AttestKeyless: err = %v", err)
			}
		})
	}
	if _, err := AttestKeyless(t.Context(), "registry:example.invalid/a:b", good, Predicate{Type: "nope"}); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("bad predicate type: err = %v", err)
	}
	if _, err := SignKeyless(t.Context(), "example.invalid/a:b", good); !errors.Is(err, ErrInvalidReference) {
		t.Errorf("reference without scheme: err = %v", err)
	}
	if s.Certificates() != 0 {
		t.Errorf("Fulcio was asked %d times for invalid calls", s.Certificates())
	}
}

// TestSignKeylessPlatforms signs an index and its images with one
// certificate and one log entry per digest.
func TestSignKeylessPlatforms(t *testing.T) {
	s := newSigstore(t)
	repo := newRegistry(t) + "/app"
	idx, imgs := pushIndex(t, repo+":v1")
	k := keylessOf(t, s, testIssuer, testSubject)
	signed, err := SignKeyless(t.Context(), "registry:"+repo+":v1", k, WithPlatformImages())
	if err != nil {
		t.Fatal(err)
	}
	if len(signed.Digests) != 3 || len(signed.LogEntries) != 3 || s.Certificates() != 1 || len(s.Entries()) != 3 {
		t.Fatalf("signed %+v; %d certificates, %d entries", signed, s.Certificates(), len(s.Entries()))
	}
	ids := []Identity{{Issuer: testIssuer, Subject: testSubject}}
	for _, h := range append([]v1.Hash{idx}, imgs...) {
		if _, err := VerifyKeyless(t.Context(), "registry:"+repo+"@"+h.String(), trustOf(s), ids); err != nil {
			t.Errorf("%s: %v", h, err)
		}
	}
	// Signing again adds a second signature (a new key and certificate).
	if _, err := SignKeyless(t.Context(), "registry:"+repo+":v1", k); err != nil {
		t.Fatal(err)
	}
	v, err := VerifyKeyless(t.Context(), "registry:"+repo+":v1", trustOf(s), ids)
	if err != nil || len(v.Signatures) != 2 || len(v.Identities) != 1 {
		t.Fatalf("after signing twice: %+v, %v", v, err)
	}
}

// TestSignKeylessTrustedRootJSON verifies with the roots read from the
// fake's trusted_root.json, as the CLI does.
func TestSignKeylessTrustedRootJSON(t *testing.T) {
	s := newSigstore(t)
	repo := newRegistry(t) + "/app"
	pushRandom(t, repo+":v1")
	ref := "registry:" + repo + ":v1"
	if _, err := SignKeyless(t.Context(), ref, keylessOf(t, s, testIssuer, testSubject)); err != nil {
		t.Fatal(err)
	}
	b, err := s.TrustedRootJSON()
	if err != nil {
		t.Fatal(err)
	}
	roots, err := TrustedRootsFromJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(roots.CTLogKeys) != 1 || len(roots.FulcioIntermediates) != 1 {
		t.Fatalf("roots: %+v", roots)
	}
	if _, err := VerifyKeyless(t.Context(), ref, roots, []Identity{{Issuer: testIssuer, Subject: testSubject}}); err != nil {
		t.Fatal(err)
	}
}

// evidenceRoundTrip writes a keyless verification as `shipshape
// verify-attestation --output` does, reads it back as policy evidence
// (`policy evaluate --verification`), and judges it by a policy that
// trusts exactly that signer for that predicate type: the identity must
// survive the file, or a valid attestation is denied.
func evidenceRoundTrip(t *testing.T, v *Verification) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := policy.ReadSignatureEvidence(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ev, v.Evidence()) {
		t.Fatalf("evidence after the file: %+v\nin process: %+v", ev, v.Evidence())
	}
	rule, err := policy.Builtin("signed", policy.Signed{
		Identities:     []policy.Identity{{Issuer: v.Identities[0].Issuer, Subject: v.Identities[0].Subject}},
		PredicateTypes: []string{PredicateCustom},
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.New(policy.WithRule(rule, policy.Deny))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range [][]policy.SignatureEvidence{ev, v.Evidence()} {
		d, err := p.Evaluate(t.Context(), &policy.Input{Digest: v.Digest, Signatures: e})
		if err != nil {
			t.Fatal(err)
		}
		if d.Verdict != policy.VerdictPass {
			t.Errorf("a valid keyless attestation is judged %s: %+v", d.Verdict, d.Violations)
		}
	}
	// The same file with another signer trusted is denied: the rule does
	// read the identity.
	other, _ := policy.Builtin("signed", policy.Signed{Identities: []policy.Identity{{Issuer: testIssuer, Subject: "someone@else"}}})
	p, _ = policy.New(policy.WithRule(other, policy.Deny))
	if d, err := p.Evaluate(t.Context(), &policy.Input{Digest: v.Digest, Signatures: ev}); err != nil || d.Verdict != policy.VerdictDeny {
		t.Errorf("another signer: %v %v", d, err)
	}
}
