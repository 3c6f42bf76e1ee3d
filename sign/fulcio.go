package sign

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/sigstore/sigstore/pkg/oauthflow"
	"github.com/sigstore/sigstore/pkg/signature"

	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sign/internal/fulcioapi"
)

// TokenSource returns the OIDC identity token that keyless signing
// presents to Fulcio. It is called once per SignKeyless or AttestKeyless
// call, so a source may return a fresh token each time.
type TokenSource func(ctx context.Context) (string, error)

// StaticToken is a TokenSource that always returns token.
func StaticToken(token string) TokenSource {
	return func(context.Context) (string, error) { return token, nil }
}

// TokenFile is a TokenSource that reads the token from path on each call
// (surrounding white space removed), for CI systems that write a
// short-lived token to a file and refresh it.
func TokenFile(path string) TokenSource {
	return func(context.Context) (string, error) {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", err
		}
		return strings.TrimSpace(string(b)), nil
	}
}

// Keyless says where keyless signing gets its certificate and logs its
// signatures: the Fulcio certificate authority and the Rekor transparency
// log (for the public Sigstore instance, https://fulcio.sigstore.dev and
// https://rekor.sigstore.dev), and where the OIDC identity token comes
// from.
type Keyless struct {
	// FulcioURL is the base URL of the Fulcio instance; certificates are
	// requested from its /api/v2/signingCert endpoint.
	FulcioURL string
	// RekorURL is the base URL of the Rekor instance; entries are
	// created through its /api/v1/log/entries endpoint.
	RekorURL string
	// IdentityToken returns the OIDC identity token whose subject the
	// certificate will name.
	IdentityToken TokenSource
	// HTTPClient makes the requests to Fulcio and Rekor (default: a
	// client with a 30-second timeout and the default transport).
	HTTPClient *http.Client
}

func (k Keyless) check() error {
	for _, u := range []struct{ field, value string }{{"FulcioURL", k.FulcioURL}, {"RekorURL", k.RekorURL}} {
		p, err := url.Parse(u.value)
		if u.value == "" || err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
			return fmt.Errorf("%w: Keyless.%s %q is not an http(s) URL", result.ErrInvalidOption, u.field, u.value)
		}
	}
	if k.IdentityToken == nil {
		return fmt.Errorf("%w: Keyless.IdentityToken is nil", result.ErrInvalidOption)
	}
	return nil
}

func (k Keyless) client() *http.Client {
	if k.HTTPClient != nil {
		return k.HTTPClient
	}
	return &http.Client{Timeout: 30 * time.Second}
}

// maxServiceResponse caps the bytes read from a Fulcio or Rekor response.
const maxServiceResponse = 4 << 20

// keylessSigner is an ephemeral key and the Fulcio certificate for it.
type keylessSigner struct {
	signer   signature.SignerVerifier
	certPEM  []byte
	chainPEM []byte
	identity Identity
}

// newKeylessSigner makes an ephemeral ECDSA P-256 key and asks Fulcio for
// a certificate for it, proving possession by signing the token's subject,
// as cosign does.
func newKeylessSigner(ctx context.Context, k Keyless) (*keylessSigner, error) {
	tok, err := k.IdentityToken(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrIdentityToken, err)
	}
	subject, err := tokenSubject(tok)
	if err != nil {
		return nil, err
	}
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("ephemeral key: %w", err)
	}
	sv, err := signature.LoadECDSASignerVerifier(priv, crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("ephemeral key: %w", err)
	}
	proof, err := sv.SignMessage(strings.NewReader(subject))
	if err != nil {
		return nil, fmt.Errorf("ephemeral key: %w", err)
	}
	pubPEM, err := cryptoutils.MarshalPublicKeyToPEM(priv.Public())
	if err != nil {
		return nil, fmt.Errorf("ephemeral key: %w", err)
	}
	certs, err := requestCertificate(ctx, k, tok, pubPEM, proof)
	if err != nil {
		return nil, err
	}
	leaf, err := cryptoutils.UnmarshalCertificatesFromPEM([]byte(certs[0]))
	if err != nil || len(leaf) != 1 {
		return nil, fmt.Errorf("%w: %s returned an unreadable certificate", ErrCertificateRequest, k.FulcioURL)
	}
	if !priv.PublicKey.Equal(leaf[0].PublicKey) {
		return nil, fmt.Errorf("%w: %s returned a certificate for another key", ErrCertificateRequest, k.FulcioURL)
	}
	return &keylessSigner{
		signer:   sv,
		certPEM:  []byte(certs[0]),
		chainPEM: []byte(strings.Join(certs[1:], "")),
		identity: Identity{Issuer: issuerOf(leaf[0]), Subject: subjectOf(leaf[0])},
	}, nil
}

// tokenSubject reads the subject Fulcio will certify from a JWT without
// verifying it (Fulcio does): the verified e-mail address, else sub.
func tokenSubject(tok string) (string, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return "", fmt.Errorf("%w: not a JWT", ErrIdentityToken)
	}
	claims, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return "", fmt.Errorf("%w: claims are not base64url", ErrIdentityToken)
	}
	subject, err := oauthflow.SubjectFromUnverifiedToken(claims)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrIdentityToken, err)
	}
	return subject, nil
}

// requestCertificate asks Fulcio for a certificate and returns the PEM
// certificates of its chain, leaf first.
func requestCertificate(ctx context.Context, k Keyless, tok string, pubPEM, proof []byte) ([]string, error) {
	var req fulcioapi.Request
	req.Credentials.OIDCIdentityToken = tok
	req.PublicKeyRequest.PublicKey.Algorithm = "ECDSA"
	req.PublicKeyRequest.PublicKey.Content = string(pubPEM)
	req.PublicKeyRequest.ProofOfPossession = proof
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	endpoint := strings.TrimSuffix(k.FulcioURL, "/") + "/api/v2/signingCert"
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCertificateRequest, err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("Authorization", "Bearer "+tok)
	resp, err := k.client().Do(hreq)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCertificateRequest, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxServiceResponse))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrCertificateRequest, endpoint, err)
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
		return nil, fmt.Errorf("%w: %s returned %s: %s", ErrCertificateRequest, endpoint, resp.Status, serviceMessage(b))
	}
	var fr fulcioapi.Response
	if err := json.Unmarshal(b, &fr); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrCertificateRequest, endpoint, err)
	}
	var certs []string
	switch {
	case fr.Embedded != nil:
		certs = fr.Embedded.Chain.Certificates
	case fr.Detached != nil:
		certs = fr.Detached.Chain.Certificates
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("%w: %s returned no certificate", ErrCertificateRequest, endpoint)
	}
	return certs, nil
}

// serviceMessage shortens an error response body for an error message.
func serviceMessage(b []byte) string {
	var e struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(b, &e) == nil && e.Message != "" {
		return e.Message
	}
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	if s == "" {
		return "(empty body)"
	}
	return s
}
