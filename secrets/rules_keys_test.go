package secrets

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"strings"
)

// testKeys returns freshly generated private keys in PEM, by kind.
func testKeys() map[string]string {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		panic(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	ecDER, err := x509.MarshalECPrivateKey(ecKey)
	if err != nil {
		panic(err)
	}
	edDER, err := x509.MarshalPKCS8PrivateKey(ed25519.NewKeyFromSeed(make([]byte, 32)))
	if err != nil {
		panic(err)
	}
	openssh := append([]byte("openssh-key-v1\x00"), make([]byte, 200)...)
	return map[string]string{
		"rsa":     string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey)})),
		"ec":      string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ecDER})),
		"pkcs8":   string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: edDER})),
		"openssh": string(pem.EncodeToMemory(&pem.Block{Type: "OPENSSH PRIVATE KEY", Bytes: openssh})),
		"public":  string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: edDER})),
	}
}

func keyCases() []ruleCase {
	k := testKeys()
	trim := func(s string) string { return strings.TrimSuffix(s, "\n") }
	// A key inside a JSON string, as in a GCP service-account file.
	escaped := strings.ReplaceAll(k["pkcs8"], "\n", `\n`)
	pgp := "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n" + wrap(base64.StdEncoding.EncodeToString(make([]byte, 300)), 64) + "\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----"
	return []ruleCase{
		{rule: "private-key", input: "key:\n" + k["rsa"], secret: trim(k["rsa"])},
		{rule: "private-key", input: k["ec"], secret: trim(k["ec"])},
		{rule: "private-key", input: k["pkcs8"], secret: trim(k["pkcs8"])},
		{rule: "private-key", input: k["openssh"], secret: trim(k["openssh"])},
		{rule: "private-key", input: `{"type": "service_account", "private_key": "` + escaped + `"}`, secret: strings.TrimSuffix(escaped, `\n`)},
		{rule: "private-key", input: pgp, secret: pgp},
		// Public keys, truncated keys and documentation examples.
		{rule: "private-key", input: k["public"]},
		{rule: "private-key", input: "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----"},
		{rule: "private-key", input: "-----BEGIN PRIVATE KEY-----\n<your key here>\n-----END PRIVATE KEY-----"},
		{rule: "putty-private-key", input: "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: me\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAIOR3yMkv4n\nAAAA\nPrivate-Lines: 1\n" +
			base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef0123456789")) + "\nPrivate-MAC: 0a1b2c3d4e5f", secret: base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef0123456789"))},
		{rule: "putty-private-key", input: "PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1\nAAAA\nPrivate-MAC: 00"},
		{rule: "age-secret-key", input: "# created: 2024-01-01\nAGE-SECRET-KEY-1QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7LQPZRY9X8GF2TVDW0S3JN54KHCE", secret: "AGE-SECRET-KEY-1QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7LQPZRY9X8GF2TVDW0S3JN54KHCE"},
		{rule: "age-secret-key", input: "AGE-SECRET-KEY-1..."},
	}
}

// wrap breaks s into lines of n characters.
func wrap(s string, n int) string {
	var b strings.Builder
	for len(s) > n {
		b.WriteString(s[:n] + "\n")
		s = s[n:]
	}
	b.WriteString(s)
	return b.String()
}
