package sign

import (
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"

	"github.com/shipshape-dev/shipshape/result"
	"github.com/sigstore/cosign/v2/pkg/cosign"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/sigstore/sigstore/pkg/signature"
	sigopts "github.com/sigstore/sigstore/pkg/signature/options"
)

// PasswordFunc returns the password of an encrypted private key. confirm
// is true when a new key is being encrypted, for interactive callers that
// want the password typed twice.
type PasswordFunc func(confirm bool) ([]byte, error)

// Password returns a PasswordFunc that always returns p.
func Password(p []byte) PasswordFunc {
	return func(bool) ([]byte, error) { return p, nil }
}

// PasswordFromEnv returns a PasswordFunc that reads the environment
// variable name (cosign reads COSIGN_PASSWORD). An unset variable is an
// error; a variable set to the empty string is the empty password.
func PasswordFromEnv(name string) PasswordFunc {
	return func(bool) ([]byte, error) {
		v, ok := os.LookupEnv(name)
		if !ok {
			return nil, fmt.Errorf("%w: password variable %s is not set", ErrInvalidKey, name)
		}
		return []byte(v), nil
	}
}

// KeyPair is a cosign key pair: the private key encrypted with a password
// (scrypt and secretbox, PEM type "ENCRYPTED SIGSTORE PRIVATE KEY", as
// cosign generate-key-pair writes it) and the public key in PKIX PEM.
type KeyPair struct {
	PrivateKey []byte
	PublicKey  []byte
}

// GenerateKeyPair makes a new ECDSA P-256 key pair and encrypts its private
// key with the password password returns (asked with confirm=true).
func GenerateKeyPair(password PasswordFunc) (*KeyPair, error) {
	if password == nil {
		return nil, fmt.Errorf("%w: nil PasswordFunc", result.ErrInvalidOption)
	}
	kb, err := cosign.GenerateKeyPair(cosign.PassFunc(password))
	if err != nil {
		return nil, fmt.Errorf("generating key pair: %w", err)
	}
	return &KeyPair{PrivateKey: kb.PrivateBytes, PublicKey: kb.PublicBytes}, nil
}

// LoadPrivateKey decrypts a cosign private key (PEM) with the password
// password returns (asked with confirm=false). The result signs and
// verifies.
func LoadPrivateKey(pemBytes []byte, password PasswordFunc) (signature.SignerVerifier, error) {
	if password == nil {
		return nil, fmt.Errorf("%w: nil PasswordFunc", result.ErrInvalidOption)
	}
	pass, err := password(false)
	if err != nil {
		return nil, fmt.Errorf("%w: reading password: %w", ErrInvalidKey, err)
	}
	sv, err := cosign.LoadPrivateKey(pemBytes, pass, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidKey, err)
	}
	return sv, nil
}

// LoadPrivateKeyFile reads a cosign private key file (cosign.key) and
// decrypts it like LoadPrivateKey.
func LoadPrivateKeyFile(path string, password PasswordFunc) (signature.SignerVerifier, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidKey, err)
	}
	sv, err := LoadPrivateKey(b, password)
	if err != nil {
		return nil, fmt.Errorf("private key %s: %w", path, err)
	}
	return sv, nil
}

// LoadPublicKey parses a PEM public key (ECDSA, RSA or Ed25519) and
// returns a verifier that checks signatures the way cosign does: SHA-256
// digests, and Ed25519ph for Ed25519 keys.
func LoadPublicKey(pemBytes []byte) (signature.Verifier, error) {
	pub, err := cryptoutils.UnmarshalPEMToPublicKey(pemBytes)
	if err != nil {
		return nil, fmt.Errorf("%w: public key: %w", ErrInvalidKey, err)
	}
	return verifierFor(pub)
}

// verifierFor loads a verifier for pub with cosign's defaults.
func verifierFor(pub crypto.PublicKey) (signature.Verifier, error) {
	v, err := signature.LoadVerifierWithOpts(pub, sigopts.WithHash(crypto.SHA256), sigopts.WithED25519ph())
	if err != nil {
		return nil, fmt.Errorf("%w: public key: %w", ErrInvalidKey, err)
	}
	return v, nil
}

// LoadPublicKeyFile reads a PEM public key file (cosign.pub) like
// LoadPublicKey.
func LoadPublicKeyFile(path string) (signature.Verifier, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidKey, err)
	}
	v, err := LoadPublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

// KeyID names a public key in results: "sha256:" and the hex SHA-256 of
// its PKIX DER encoding.
func KeyID(pub crypto.PublicKey) (string, error) {
	der, err := cryptoutils.MarshalPublicKeyToDER(pub)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInvalidKey, err)
	}
	sum := sha256.Sum256(der)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}
