package sign

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	jsoncanonicalizer "github.com/cyberphone/json-canonicalization/go/src/webpki.org/jsoncanonicalizer"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/sigstore/cosign/v2/pkg/cosign/bundle"
	"github.com/sigstore/cosign/v2/pkg/oci"
	"github.com/sigstore/cosign/v2/pkg/oci/static"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/sigstore/sigstore/pkg/signature/payload"
)

// fakeSigstore is an in-memory Fulcio CA and Rekor log: it issues signing
// certificates as Fulcio does (code signing, e-mail SAN, OIDC issuer
// extension) and signs log entries as Rekor does (a SET over the
// canonical JSON of the entry).
type fakeSigstore struct {
	root     *x509.Certificate
	rootKey  *ecdsa.PrivateKey
	rekorKey *ecdsa.PrivateKey
}

var oidcIssuerOID = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1, 1}

func newFakeSigstore(t *testing.T) *fakeSigstore {
	t.Helper()
	rootKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "fake fulcio root"},
		NotBefore: time.Now().Add(-24 * time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, rootKey.Public(), rootKey)
	if err != nil {
		t.Fatal(err)
	}
	root, _ := x509.ParseCertificate(der)
	rekorKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	return &fakeSigstore{root: root, rootKey: rootKey, rekorKey: rekorKey}
}

func (f *fakeSigstore) roots() TrustedRoots {
	return TrustedRoots{FulcioRoots: []*x509.Certificate{f.root}, RekorKeys: []crypto.PublicKey{f.rekorKey.Public()}}
}

// issue makes a ten-minute signing certificate for subject from issuer.
func (f *fakeSigstore) issue(t *testing.T, subject, issuer string, notBefore time.Time) (*ecdsa.PrivateKey, []byte) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), NotBefore: notBefore, NotAfter: notBefore.Add(10 * time.Minute),
		EmailAddresses: []string{subject}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage:     []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		ExtraExtensions: []pkix.Extension{{Id: oidcIssuerOID, Value: []byte(issuer)}},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, f.root, key.Public(), f.rootKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	certPEM, _ := cryptoutils.MarshalCertificateToPEM(cert)
	return key, certPEM
}

// logEntry records a hashedrekord entry for the signature at time at and
// returns its bundle, signed by the log's key.
func (f *fakeSigstore) logEntry(t *testing.T, pl []byte, b64sig string, certPEM []byte, at time.Time) *bundle.RekorBundle {
	t.Helper()
	sum := sha256.Sum256(pl)
	body, _ := json.Marshal(map[string]any{
		"apiVersion": "0.0.1", "kind": "hashedrekord",
		"spec": map[string]any{
			"data":      map[string]any{"hash": map[string]any{"algorithm": "sha256", "value": hex.EncodeToString(sum[:])}},
			"signature": map[string]any{"content": b64sig, "publicKey": map[string]any{"content": base64.StdEncoding.EncodeToString(certPEM)}},
		},
	})
	der, _ := x509.MarshalPKIXPublicKey(f.rekorKey.Public())
	logID := sha256.Sum256(der)
	p := bundle.RekorPayload{Body: base64.StdEncoding.EncodeToString(body), IntegratedTime: at.Unix(), LogIndex: 7, LogID: hex.EncodeToString(logID[:])}
	contents, _ := json.Marshal(p)
	canon, err := jsoncanonicalizer.Transform(contents)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(canon)
	set, err := ecdsa.SignASN1(rand.Reader, f.rekorKey, h[:])
	if err != nil {
		t.Fatal(err)
	}
	return &bundle.RekorBundle{SignedEntryTimestamp: set, Payload: p}
}

// keylessSig signs a cosign payload for h with a fresh certificate for
// subject and issuer, logged at loggedAt.
func (f *fakeSigstore) keylessSig(t *testing.T, h v1.Hash, subject, issuer string, certFrom, loggedAt time.Time) oci.Signature {
	t.Helper()
	key, certPEM := f.issue(t, subject, issuer, certFrom)
	pl, err := json.Marshal(payload.SimpleContainerImage{Critical: payload.Critical{
		Type: payload.CosignSignatureType, Image: payload.Image{DockerManifestDigest: h.String()},
		Identity: payload.Identity{DockerReference: "example/app"}}})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(pl)
	raw, err := ecdsa.SignASN1(rand.Reader, key, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString(raw)
	s, err := static.NewSignature(pl, b64, static.WithCertChain(certPEM, nil),
		static.WithBundle(f.logEntry(t, pl, b64, certPEM, loggedAt)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestVerifyKeyless(t *testing.T) {
	const (
		who    = "dev@example.com"
		issuer = "https://accounts.example.com"
	)
	ids := []Identity{{Issuer: issuer, Subject: who}}
	now := time.Now().Add(-time.Minute)
	sv, _ := keys(t, 0)
	cases := []struct {
		name  string
		setup func(t *testing.T, f *fakeSigstore, repo string, h v1.Hash) TrustedRoots
		ids   []Identity
		// sct leaves out WithoutSCTUnsafe and trusts a CT log key.
		sct  bool
		want error
	}{
		{
			name: "valid",
			setup: func(t *testing.T, f *fakeSigstore, repo string, h v1.Hash) TrustedRoots {
				replaceSignatures(t, repo, h, f.keylessSig(t, h, who, issuer, now, now.Add(time.Minute)))
				return f.roots()
			},
		},
		{
			name: "identity by regexp",
			setup: func(t *testing.T, f *fakeSigstore, repo string, h v1.Hash) TrustedRoots {
				replaceSignatures(t, repo, h, f.keylessSig(t, h, who, issuer, now, now.Add(time.Minute)))
				return f.roots()
			},
			ids: []Identity{{IssuerRegexp: `^https://accounts\.example\.com$`, SubjectRegexp: `@example\.com$`}},
		},
		{
			name: "wrong subject",
			setup: func(t *testing.T, f *fakeSigstore, repo string, h v1.Hash) TrustedRoots {
				replaceSignatures(t, repo, h, f.keylessSig(t, h, "mallory@example.net", issuer, now, now.Add(time.Minute)))
				return f.roots()
			},
			want: ErrIdentityMismatch,
		},
		{
			name: "wrong issuer",
			setup: func(t *testing.T, f *fakeSigstore, repo string, h v1.Hash) TrustedRoots {
				replaceSignatures(t, repo, h, f.keylessSig(t, h, who, "https://evil.example", now, now.Add(time.Minute)))
				return f.roots()
			},
			want: ErrIdentityMismatch,
		},
		{
			name: "logged after the certificate expired",
			setup: func(t *testing.T, f *fakeSigstore, repo string, h v1.Hash) TrustedRoots {
				replaceSignatures(t, repo, h, f.keylessSig(t, h, who, issuer, now.Add(-time.Hour), now))
				return f.roots()
			},
			want: ErrCertificateExpired,
		},
		{
			name: "certificate from another CA",
			setup: func(t *testing.T, f *fakeSigstore, repo string, h v1.Hash) TrustedRoots {
				other := newFakeSigstore(t)
				other.rekorKey = f.rekorKey
				replaceSignatures(t, repo, h, other.keylessSig(t, h, who, issuer, now, now.Add(time.Minute)))
				return f.roots()
			},
			want: ErrUntrustedCertificate,
		},
		{
			name: "bundle from an untrusted log",
			setup: func(t *testing.T, f *fakeSigstore, repo string, h v1.Hash) TrustedRoots {
				other := newFakeSigstore(t)
				other.root, other.rootKey = f.root, f.rootKey
				replaceSignatures(t, repo, h, other.keylessSig(t, h, who, issuer, now, now.Add(time.Minute)))
				return f.roots()
			},
			want: ErrInvalidBundle,
		},
		{
			name: "bundle of another signature",
			setup: func(t *testing.T, f *fakeSigstore, repo string, h v1.Hash) TrustedRoots {
				good := f.keylessSig(t, h, who, issuer, now, now.Add(time.Minute))
				other := f.keylessSig(t, h, who, issuer, now, now.Add(time.Minute))
				pl, _ := good.Payload()
				b64, _ := good.Base64Signature()
				ann, _ := good.Annotations()
				b, _ := other.Bundle()
				s, _ := static.NewSignature(pl, b64, static.WithCertChain([]byte(ann[static.CertificateAnnotationKey]), nil), static.WithBundle(b))
				replaceSignatures(t, repo, h, s)
				return f.roots()
			},
			want: ErrInvalidBundle,
		},
		{
			name: "signature of another digest",
			setup: func(t *testing.T, f *fakeSigstore, repo string, h v1.Hash) TrustedRoots {
				other, _ := v1.NewHash("sha256:" + strings.Repeat("ab", 32))
				replaceSignatures(t, repo, h, f.keylessSig(t, other, who, issuer, now, now.Add(time.Minute)))
				return f.roots()
			},
			want: ErrDigestMismatch,
		},
		{
			name: "certificate without SCT",
			setup: func(t *testing.T, f *fakeSigstore, repo string, h v1.Hash) TrustedRoots {
				replaceSignatures(t, repo, h, f.keylessSig(t, h, who, issuer, now, now.Add(time.Minute)))
				r := f.roots()
				r.CTLogKeys = []crypto.PublicKey{f.rekorKey.Public()}
				return r
			},
			sct:  true,
			want: ErrUntrustedCertificate,
		},
		{
			name: "key-signed, no certificate",
			setup: func(t *testing.T, f *fakeSigstore, repo string, h v1.Hash) TrustedRoots {
				mustSign(t, "registry:"+repo+":v1", sv)
				return f.roots()
			},
			want: ErrNoCertificate,
		},
		{
			name: "no signature",
			setup: func(t *testing.T, f *fakeSigstore, repo string, h v1.Hash) TrustedRoots {
				return f.roots()
			},
			want: ErrNoSignature,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeSigstore(t)
			repo := newRegistry(t) + "/app"
			h := pushRandom(t, repo+":v1")
			roots := tc.setup(t, f, repo, h)
			want := ids
			if tc.ids != nil {
				want = tc.ids
			}
			var opts []Option
			if !tc.sct {
				opts = append(opts, WithoutSCTUnsafe())
			}
			got, err := VerifyKeyless(t.Context(), "registry:"+repo+":v1", roots, want, opts...)
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if !got.Verified || len(got.Signatures) != 1 || got.Signatures[0].Identity == nil ||
					got.Signatures[0].Identity.Subject != who || got.Signatures[0].Identity.Issuer != issuer ||
					len(got.Identities) != 1 || got.Identities[0] != (Identity{Issuer: issuer, Subject: who}) {
					t.Fatalf("verification: %+v", got)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if got == nil || got.Verified {
				t.Errorf("verification on failure: %+v", got)
			}
		})
	}
}

func TestVerifyKeylessOptions(t *testing.T) {
	f := newFakeSigstore(t)
	ids := []Identity{{Issuer: "https://i", Subject: "s"}}
	cases := []struct {
		name  string
		roots TrustedRoots
		ids   []Identity
		opts  []Option
	}{
		{"no roots", TrustedRoots{}, ids, []Option{WithoutSCTUnsafe()}},
		{"no CT log keys", f.roots(), ids, nil},
		{"no identities", f.roots(), nil, []Option{WithoutSCTUnsafe()}},
		{"identity without subject", f.roots(), []Identity{{Issuer: "https://i"}}, []Option{WithoutSCTUnsafe()}},
		{"bad regexp", f.roots(), []Identity{{Issuer: "https://i", SubjectRegexp: "("}}, []Option{WithoutSCTUnsafe()}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := VerifyKeyless(t.Context(), "registry:example.com/a:b", tc.roots, tc.ids, tc.opts...); !errors.Is(err, result.ErrInvalidOption) {
				t.Errorf("err = %v, want result.ErrInvalidOption", err)
			}
		})
	}
}

func TestTrustedRootsFromJSON(t *testing.T) {
	f := newFakeSigstore(t)
	der, _ := x509.MarshalPKIXPublicKey(f.rekorKey.Public())
	id := sha256.Sum256(der)
	tlog := &root.TransparencyLog{BaseURL: "https://rekor.example", ID: id[:], HashFunc: crypto.SHA256,
		PublicKey: f.rekorKey.Public(), SignatureHashFunc: crypto.SHA256, ValidityPeriodStart: time.Now().Add(-time.Hour)}
	tr, err := root.NewTrustedRoot(root.TrustedRootMediaType01,
		[]root.CertificateAuthority{&root.FulcioCertificateAuthority{Root: f.root, URI: "https://fulcio.example",
			ValidityPeriodStart: time.Now().Add(-time.Hour)}},
		nil, nil, map[string]*root.TransparencyLog{hex.EncodeToString(id[:]): tlog})
	if err != nil {
		t.Fatal(err)
	}
	b, err := tr.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	roots, err := TrustedRootsFromJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(roots.FulcioRoots) != 1 || !roots.FulcioRoots[0].Equal(f.root) || len(roots.RekorKeys) != 1 {
		t.Fatalf("roots: %+v", roots)
	}
	// The loaded roots verify a keyless signature of the fake instance.
	repo := newRegistry(t) + "/app"
	h := pushRandom(t, repo+":v1")
	now := time.Now().Add(-time.Minute)
	replaceSignatures(t, repo, h, f.keylessSig(t, h, "dev@example.com", "https://accounts.example.com", now, now.Add(time.Minute)))
	if _, err := VerifyKeyless(t.Context(), "registry:"+repo+":v1", roots,
		[]Identity{{Issuer: "https://accounts.example.com", Subject: "dev@example.com"}}, WithoutSCTUnsafe()); err != nil {
		t.Fatal(err)
	}
	if _, err := TrustedRootsFromJSON([]byte(`{"mediaType":"nope"}`)); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("bad trusted root: err = %v", err)
	}
}
