package sigstoretest

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// claims are the OIDC identity-token claims Fulcio reads.
type claims struct {
	Issuer        string `json:"iss"`
	Subject       string `json:"sub"`
	Audience      string `json:"aud"`
	IssuedAt      int64  `json:"iat"`
	Expiry        int64  `json:"exp"`
	Email         string `json:"email,omitempty"`
	EmailVerified bool   `json:"email_verified,omitempty"`
}

// Token returns an OIDC identity token (an ES256 JWT) from issuer for
// subject, signed by the instance's token key, which its Fulcio trusts
// for any issuer. A subject with an @ is an e-mail address (the token
// carries it as a verified email claim and the certificate as an e-mail
// SAN); any other subject must be a URI (a CI workflow identity) and
// becomes a URI SAN. The token is valid for an hour from Fulcio's clock.
func (s *Sigstore) Token(issuer, subject string) (string, error) {
	if issuer == "" || subject == "" {
		return "", errors.New("sigstoretest: token needs an issuer and a subject")
	}
	now := s.cfg.fulcioNow()
	c := claims{Issuer: issuer, Subject: subject, Audience: "sigstore", IssuedAt: now.Unix(), Expiry: now.Add(time.Hour).Unix()}
	if strings.Contains(subject, "@") {
		c.Email, c.EmailVerified = subject, true
	}
	return signJWT(s.oidcKey, c)
}

func signJWT(key *ecdsa.PrivateKey, c claims) (string, error) {
	header, err := json.Marshal(map[string]string{"alg": "ES256", "typ": "JWT"})
	if err != nil {
		return "", err
	}
	body, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	signed := base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(body)
	sum := sha256.Sum256([]byte(signed))
	r, sv, err := ecdsa.Sign(rand.Reader, key, sum[:])
	if err != nil {
		return "", err
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	sv.FillBytes(sig[32:])
	return signed + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// verifyJWT checks an ES256 token signed by key and unexpired at now.
func verifyJWT(key *ecdsa.PublicKey, tok string, now time.Time) (claims, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return claims{}, errors.New("not a JWT")
	}
	var header struct {
		Alg string `json:"alg"`
	}
	hb, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || json.Unmarshal(hb, &header) != nil || header.Alg != "ES256" {
		return claims{}, errors.New("token header is not ES256")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return claims{}, errors.New("token signature malformed")
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(key, sum[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return claims{}, errors.New("token not signed by this issuer")
	}
	cb, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return claims{}, errors.New("token claims malformed")
	}
	var c claims
	if err := json.Unmarshal(cb, &c); err != nil {
		return claims{}, fmt.Errorf("token claims: %w", err)
	}
	if c.Issuer == "" || c.Subject == "" {
		return claims{}, errors.New("token lacks iss or sub")
	}
	if now.Unix() > c.Expiry {
		return claims{}, errors.New("token expired")
	}
	return c, nil
}
