// Package sigstoretest runs an in-process Sigstore instance for tests: a
// Fulcio certificate authority speaking Fulcio's v2 API, which issues
// code-signing certificates with an embedded SCT from its own
// certificate-transparency log key, a Rekor transparency log accepting
// hashedrekord, dsse and intoto entries and returning signed entry
// timestamps, and an OIDC issuer whose identity tokens that Fulcio
// accepts. It lets keyless signing and verification be tested without the
// network:
//
//	s, err := sigstoretest.New()
//	…
//	defer s.Close()
//	tok, _ := s.Token("https://accounts.example.com", "dev@example.com")
//	k := sign.Keyless{FulcioURL: s.FulcioURL, RekorURL: s.RekorURL, IdentityToken: sign.StaticToken(tok)}
//
// It is a test double, not a Sigstore implementation: the log keeps no
// Merkle tree (entries carry no inclusion proof), and keys live in memory.
package sigstoretest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/sigstore/sigstore-go/pkg/root"
)

// Sigstore is a running in-process Fulcio, Rekor and OIDC issuer.
type Sigstore struct {
	// FulcioURL and RekorURL are the base URLs of the two services.
	FulcioURL string
	RekorURL  string
	// RootCA and IntermediateCA are Fulcio's certificate authority;
	// signing certificates are issued by the intermediate.
	RootCA         *x509.Certificate
	IntermediateCA *x509.Certificate
	// RekorKey signs the log's entry timestamps; CTLogKey signs the SCTs
	// embedded in the certificates.
	RekorKey crypto.PublicKey
	CTLogKey crypto.PublicKey

	cfg       config
	interKey  *ecdsa.PrivateKey
	rekorKey  *ecdsa.PrivateKey
	ctKey     *ecdsa.PrivateKey
	oidcKey   *ecdsa.PrivateKey
	fulcio    *httptest.Server
	rekor     *httptest.Server
	mu        sync.Mutex
	entries   []Entry
	certCount int
}

// Entry is an entry the fake Rekor accepted.
type Entry struct {
	// Kind is the entry kind: hashedrekord, dsse or intoto.
	Kind           string
	LogIndex       int64
	IntegratedTime time.Time
	// Body is the canonicalized entry, as the log stores it.
	Body []byte
}

type config struct {
	fulcioNow func() time.Time
	rekorNow  func() time.Time
	lifetime  time.Duration
}

// Option configures New.
type Option func(*config) error

// WithClock sets the time both services use (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("sigstoretest: nil clock")
		}
		c.fulcioNow, c.rekorNow = now, now
		return nil
	}
}

// WithLogClock sets the time the log records entries at, leaving
// Fulcio's clock alone: a log clock past the certificates' lifetime makes
// every signature logged after its certificate expired.
func WithLogClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("sigstoretest: nil clock")
		}
		c.rekorNow = now
		return nil
	}
}

// WithCertificateLifetime sets how long issued certificates are valid
// (default ten minutes, as Fulcio's).
func WithCertificateLifetime(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("sigstoretest: certificate lifetime %s", d)
		}
		c.lifetime = d
		return nil
	}
}

// New makes fresh keys and a CA and starts the services. Close stops them.
func New(opts ...Option) (*Sigstore, error) {
	cfg := config{fulcioNow: time.Now, rekorNow: time.Now, lifetime: 10 * time.Minute}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	s := &Sigstore{cfg: cfg}
	keys := make([]*ecdsa.PrivateKey, 5)
	for i := range keys {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	rootKey := keys[0]
	s.interKey, s.rekorKey, s.ctKey, s.oidcKey = keys[1], keys[2], keys[3], keys[4]
	s.RekorKey, s.CTLogKey = s.rekorKey.Public(), s.ctKey.Public()
	now := cfg.fulcioNow()
	rootTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{Organization: []string{"sigstoretest"}, CommonName: "sigstoretest root"},
		NotBefore: now.Add(-24 * time.Hour), NotAfter: now.Add(10 * 365 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	var err error
	if s.RootCA, err = createCert(rootTmpl, rootTmpl, rootKey.Public(), rootKey); err != nil {
		return nil, err
	}
	interTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{Organization: []string{"sigstoretest"}, CommonName: "sigstoretest intermediate"},
		NotBefore: now.Add(-24 * time.Hour), NotAfter: now.Add(5 * 365 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, MaxPathLenZero: true,
		KeyUsage:    x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
	}
	if s.IntermediateCA, err = createCert(interTmpl, s.RootCA, s.interKey.Public(), rootKey); err != nil {
		return nil, err
	}
	fm := http.NewServeMux()
	fm.HandleFunc("POST /api/v2/signingCert", s.signingCert)
	s.fulcio = httptest.NewServer(fm)
	rm := http.NewServeMux()
	rm.HandleFunc("POST /api/v1/log/entries", s.createEntry)
	rm.HandleFunc("GET /api/v1/log/publicKey", s.publicKey)
	s.rekor = httptest.NewServer(rm)
	s.FulcioURL, s.RekorURL = s.fulcio.URL, s.rekor.URL
	return s, nil
}

func createCert(tmpl, parent *x509.Certificate, pub crypto.PublicKey, key crypto.Signer) (*x509.Certificate, error) {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// Close stops the services.
func (s *Sigstore) Close() {
	s.fulcio.Close()
	s.rekor.Close()
}

// Entries returns the entries the log accepted, in order.
func (s *Sigstore) Entries() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Entry(nil), s.entries...)
}

// Certificates returns how many certificates Fulcio issued.
func (s *Sigstore) Certificates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.certCount
}

// logID is the transparency-log ID of a key: the SHA-256 of its DER form.
func logID(pub crypto.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(der)
	return sum[:], nil
}

// TrustedRootJSON returns the instance's trusted root in the
// dev.sigstore.trustedroot JSON format cosign's --trusted-root and
// sign.TrustedRootsFromJSON read.
func (s *Sigstore) TrustedRootJSON() ([]byte, error) {
	start := s.RootCA.NotBefore
	rekorID, err := logID(s.RekorKey)
	if err != nil {
		return nil, err
	}
	ctID, err := logID(s.CTLogKey)
	if err != nil {
		return nil, err
	}
	tlog := func(url string, id []byte, key crypto.PublicKey) *root.TransparencyLog {
		return &root.TransparencyLog{BaseURL: url, ID: id, HashFunc: crypto.SHA256, PublicKey: key,
			SignatureHashFunc: crypto.SHA256, ValidityPeriodStart: start}
	}
	tr, err := root.NewTrustedRoot(root.TrustedRootMediaType01,
		[]root.CertificateAuthority{&root.FulcioCertificateAuthority{
			Root: s.RootCA, Intermediates: []*x509.Certificate{s.IntermediateCA}, URI: s.FulcioURL,
			ValidityPeriodStart: start,
		}},
		map[string]*root.TransparencyLog{hex.EncodeToString(ctID): tlog(s.FulcioURL, ctID, s.CTLogKey)},
		nil,
		map[string]*root.TransparencyLog{hex.EncodeToString(rekorID): tlog(s.RekorURL, rekorID, s.RekorKey)})
	if err != nil {
		return nil, err
	}
	return tr.MarshalJSON()
}
