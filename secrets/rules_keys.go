package secrets

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"strings"

	"github.com/shipshape-dev/shipshape/result"
)

// keyRules find private keys: PEM blocks (PKCS#1, PKCS#8, SEC 1, DSA,
// OpenSSH, encrypted PKCS#8), PGP secret key blocks, PuTTY key files and
// age identities. Public keys and certificates never match.
func keyRules() []Rule {
	return []Rule{
		{
			ID:          "private-key",
			Description: "Private key (PEM or PGP armor)",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"private key-----", "private key block-----"},
			// Also inside JSON strings, where line breaks are written \n.
			Regex:     `(?s)-----BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----.+?-----END[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----`,
			MaxLength: 16 << 10,
			// A well-formed block is reported; one that parses is
			// validated (see proofs), one that does not (truncated,
			// re-wrapped) is structural.
			Validate:         wellFormedKey,
			KeepPlaceholders: true, // base64 bodies hold any letters
		},
		{
			ID:          "putty-private-key",
			Description: "PuTTY private key file",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"putty-user-key-file-"},
			Regex:       `(?s)PuTTY-User-Key-File-[23]: [a-z0-9-]+\r?\n.*?Private-Lines: \d+\r?\n(?P<secret>[A-Za-z0-9+/=\r\n]{43,}?)\r?\nPrivate-MAC: [0-9a-f]+`,
			MaxLength:   16 << 10,
			// The private lines are base64 of at least 32 bytes.
			Validate:         func(s string) bool { return len(decodeLenient(s)) >= 32 },
			KeepPlaceholders: true,
		},
		{
			ID:          "age-secret-key",
			Description: "age encryption identity",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"age-secret-key-1"},
			// Bech32: "1", then 58 data characters of the bech32 alphabet.
			Regex:            `\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b`,
			KeepPlaceholders: true,
		},
	}
}

// validPrivateKey accepts a PEM private key that decodes (and, for the
// unencrypted standard forms, parses), an OpenSSH key with its magic, or a
// PGP secret key block with a body of plausible length. Truncated keys,
// "MII...EXAMPLE" bodies and templates fail.
func validPrivateKey(s string) bool {
	s = unescapeKey(s)
	if strings.Contains(s, "PGP PRIVATE KEY BLOCK") {
		return len(armorBody(s)) >= 100
	}
	block := keyBlock(s)
	if block == nil {
		return false
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		_, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		return err == nil || encryptedPEM(block)
	case "EC PRIVATE KEY":
		_, err := x509.ParseECPrivateKey(block.Bytes)
		return err == nil || encryptedPEM(block)
	case "PRIVATE KEY":
		_, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		return err == nil
	case "OPENSSH PRIVATE KEY":
		return bytes.HasPrefix(block.Bytes, []byte("openssh-key-v1\x00"))
	}
	// DSA, ENCRYPTED PRIVATE KEY and other forms: a DER sequence.
	var seq asn1.RawValue
	rest, err := asn1.Unmarshal(block.Bytes, &seq)
	return (err == nil && len(rest) == 0 && len(block.Bytes) >= 64) || encryptedPEM(block)
}

// wellFormedKey accepts a private key block whose body is base64 of a
// key's size (at least 64 bytes), whether or not the key parses: a
// truncated key, or one whose lines a YAML or JSON file re-wrapped, is
// still a leaked key. Bodies that are not base64 ("MII...EXAMPLE",
// "<redacted>") or too short to be a key fail.
func wellFormedKey(s string) bool {
	s = unescapeKey(s)
	if strings.Contains(s, "PGP PRIVATE KEY BLOCK") {
		return len(armorBody(s)) >= 100
	}
	b := keyBlock(s)
	return b != nil && (len(b.Bytes) >= 64 || validPrivateKey(s)) // Ed25519's PKCS#8 is 48 bytes
}

// keyBlock decodes the PEM block of s; when its lines were folded (a
// block written on one line in YAML, say) it rebuilds it from the type
// and the base64 body between the markers.
func keyBlock(s string) *pem.Block {
	if b, _ := pem.Decode([]byte(s)); b != nil {
		return b
	}
	begin := strings.Index(s, "-----BEGIN ")
	if begin < 0 {
		return nil
	}
	rest := s[begin+len("-----BEGIN "):]
	typ, rest, ok := strings.Cut(rest, "-----")
	if !ok {
		return nil
	}
	body, _, ok := strings.Cut(rest, "-----END ")
	if !ok {
		return nil
	}
	der := decodeLenient(body)
	if der == nil {
		return nil
	}
	return &pem.Block{Type: typ, Bytes: der}
}

// encryptedPEM reports a legacy encrypted PEM block (Proc-Type header),
// whose body is ciphertext.
func encryptedPEM(b *pem.Block) bool {
	return strings.Contains(b.Headers["Proc-Type"], "ENCRYPTED") && len(b.Bytes) >= 64
}

// unescapeKey turns a key written inside a string literal back into PEM:
// \n and \r escapes become line breaks, string concatenation and
// indentation go.
func unescapeKey(s string) string {
	s = strings.NewReplacer(`\r\n`, "\n", `\n`, "\n", `\r`, "\n").Replace(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		l = strings.TrimSpace(l)
		for _, q := range []string{`"`, `'`} {
			for _, tail := range []string{" +", "+", ",", ";", ""} {
				if t, ok := strings.CutSuffix(l, q+tail); ok {
					l = t
					break
				}
			}
			l = strings.TrimPrefix(l, q)
		}
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, "\n")
}

// armorBody returns the decoded body of an ASCII-armored block: the lines
// after the header block's blank line, up to the checksum line.
func armorBody(s string) []byte {
	lines := strings.Split(s, "\n")
	var body strings.Builder
	inBody := false
	for _, l := range lines[1:] {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "-----END"):
			return decodeLenient(body.String())
		case !inBody:
			if l == "" || !strings.Contains(l, ":") {
				inBody = true
				body.WriteString(l)
			}
		case strings.HasPrefix(l, "="): // CRC-24 checksum
		default:
			body.WriteString(l)
		}
	}
	return nil
}

// decodeLenient decodes base64 that may hold line breaks and padding.
func decodeLenient(s string) []byte {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s)
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
		if err != nil {
			return nil
		}
	}
	return b
}
