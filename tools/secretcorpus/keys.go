package secretcorpus

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// Private keys are built from the corpus's seeded source so that a seed
// always yields the same keys: since Go 1.26 the crypto packages ignore a
// caller's random source, so RSA primes are searched here with
// math/big.ProbablyPrime and EC scalars are drawn directly.

// prime returns a random prime of exactly bits bits whose two top bits are
// set (so that the product of two has full length) and that is not 1 modulo
// 65537 (so that the public exponent is invertible).
func (r rng) prime(bits int) *big.Int {
	b := make([]byte, bits/8)
	e := big.NewInt(65537)
	m := new(big.Int)
	for {
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		b[0] |= 0xc0
		b[len(b)-1] |= 1
		p := new(big.Int).SetBytes(b)
		if m.Mod(p, e).Int64() == 1 {
			continue
		}
		if p.ProbablyPrime(20) {
			return p
		}
	}
}

// rsaKey returns an RSA key of the given size with exponent 65537.
func (r rng) rsaKey(bits int) *rsa.PrivateKey {
	for {
		p, q := r.prime(bits/2), r.prime(bits/2)
		if p.Cmp(q) == 0 {
			continue
		}
		n := new(big.Int).Mul(p, q)
		one := big.NewInt(1)
		phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
		d := new(big.Int).ModInverse(big.NewInt(65537), phi)
		if d == nil || n.BitLen() != bits {
			continue
		}
		k := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n, E: 65537}, D: d, Primes: []*big.Int{p, q}}
		k.Precompute()
		if k.Validate() != nil {
			continue
		}
		return k
	}
}

// ecKey returns an ECDSA key on curve from a random scalar.
func (r rng) ecKey(curve elliptic.Curve) *ecdsa.PrivateKey {
	size := (curve.Params().BitSize + 7) / 8
	for {
		b := r.bytes(size)
		if curve.Params().BitSize%8 != 0 {
			b[0] &= byte(1<<(curve.Params().BitSize%8) - 1)
		}
		k, err := ecdsa.ParseRawPrivateKey(curve, b)
		if err == nil {
			return k
		}
	}
}

// ed25519Key returns an Ed25519 key from a random seed.
func (r rng) ed25519Key() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(r.bytes(ed25519.SeedSize))
}

// pemBlock encodes der as a PEM block of the given type.
func pemBlock(typ string, der []byte) string {
	return strings.TrimSuffix(string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})), "\n")
}

// pemRSA is the PKCS #1 "RSA PRIVATE KEY" form.
func pemRSA(k *rsa.PrivateKey) string {
	return pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k))
}

// pemEC is the SEC 1 "EC PRIVATE KEY" form.
func pemEC(k *ecdsa.PrivateKey) (string, error) {
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		return "", fmt.Errorf("marshal EC key: %w", err)
	}
	return pemBlock("EC PRIVATE KEY", der), nil
}

// pemPKCS8 is the PKCS #8 "PRIVATE KEY" form of any supported key.
func pemPKCS8(k any) (string, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return "", fmt.Errorf("marshal PKCS #8 key: %w", err)
	}
	return pemBlock("PRIVATE KEY", der), nil
}

// pemPublic is the PKIX "PUBLIC KEY" form of a public key.
func pemPublic(pub any) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", fmt.Errorf("marshal public key: %w", err)
	}
	return pemBlock("PUBLIC KEY", der), nil
}

// certificate returns a self-signed certificate for key, in PEM. With an
// Ed25519 or RSA key the signature, and so the output, is deterministic.
func (r rng) certificate(key any, cn string, isCA bool) (string, error) {
	var pub any
	switch k := key.(type) {
	case ed25519.PrivateKey:
		pub = k.Public()
	case *rsa.PrivateKey:
		pub = k.Public()
	default:
		return "", fmt.Errorf("certificate: unsupported key %T", key)
	}
	notBefore := time.Date(2024, time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	tmpl := &x509.Certificate{
		SerialNumber:          new(big.Int).SetBytes(r.bytes(16)),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{r.title() + " " + r.title() + " Inc."}},
		NotBefore:             notBefore,
		NotAfter:              notBefore.AddDate(1+r.IntN(5), 0, 0),
		DNSNames:              []string{cn},
		BasicConstraintsValid: true,
		IsCA:                  isCA,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(r, tmpl, tmpl, pub, key)
	if err != nil {
		return "", fmt.Errorf("certificate: %w", err)
	}
	return pemBlock("CERTIFICATE", der), nil
}

// --- OpenSSH ---

func sshString(b []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(b)))
	return append(out, b...)
}

// sshMPInt is an SSH mpint: big-endian two's complement, with a leading zero
// byte when the top bit is set.
func sshMPInt(n *big.Int) []byte {
	b := n.Bytes()
	if len(b) > 0 && b[0]&0x80 != 0 {
		b = append([]byte{0}, b...)
	}
	return sshString(b)
}

// sshPublicBlob is the wire form of an ssh-rsa or ssh-ed25519 public key.
func sshPublicBlob(key any) ([]byte, string, error) {
	switch k := key.(type) {
	case *rsa.PublicKey:
		var b []byte
		b = append(b, sshString([]byte("ssh-rsa"))...)
		b = append(b, sshMPInt(big.NewInt(int64(k.E)))...)
		b = append(b, sshMPInt(k.N)...)
		return b, "ssh-rsa", nil
	case ed25519.PublicKey:
		var b []byte
		b = append(b, sshString([]byte("ssh-ed25519"))...)
		b = append(b, sshString(k)...)
		return b, "ssh-ed25519", nil
	}
	return nil, "", fmt.Errorf("ssh: unsupported public key %T", key)
}

// sshAuthorizedKey is the authorized_keys line of a public key.
func sshAuthorizedKey(pub any, comment string) (string, error) {
	blob, typ, err := sshPublicBlob(pub)
	if err != nil {
		return "", err
	}
	return typ + " " + base64.StdEncoding.EncodeToString(blob) + " " + comment, nil
}

// opensshPrivate encodes an unencrypted key in the openssh-key-v1 format
// ("-----BEGIN OPENSSH PRIVATE KEY-----"), base64 wrapped at 70 columns as
// ssh-keygen writes it.
func opensshPrivate(key any, comment string, check uint32) (string, error) {
	var pub any
	var priv []byte
	switch k := key.(type) {
	case ed25519.PrivateKey:
		pub = k.Public()
		priv = append(priv, sshString([]byte("ssh-ed25519"))...)
		priv = append(priv, sshString(k.Public().(ed25519.PublicKey))...)
		priv = append(priv, sshString(k)...)
	case *rsa.PrivateKey:
		pub = k.Public()
		p, q := k.Primes[0], k.Primes[1]
		iqmp := new(big.Int).ModInverse(q, p)
		priv = append(priv, sshString([]byte("ssh-rsa"))...)
		for _, n := range []*big.Int{k.N, big.NewInt(int64(k.E)), k.D, iqmp, p, q} {
			priv = append(priv, sshMPInt(n)...)
		}
	default:
		return "", fmt.Errorf("openssh: unsupported key %T", key)
	}
	blob, _, err := sshPublicBlob(pub)
	if err != nil {
		return "", err
	}
	section := binary.BigEndian.AppendUint32(nil, check)
	section = binary.BigEndian.AppendUint32(section, check)
	section = append(section, priv...)
	section = append(section, sshString([]byte(comment))...)
	for i := byte(1); len(section)%8 != 0; i++ {
		section = append(section, i)
	}
	var b []byte
	b = append(b, "openssh-key-v1\x00"...)
	b = append(b, sshString([]byte("none"))...)
	b = append(b, sshString([]byte("none"))...)
	b = append(b, sshString(nil)...)
	b = binary.BigEndian.AppendUint32(b, 1)
	b = append(b, sshString(blob)...)
	b = append(b, sshString(section)...)
	return armor("OPENSSH PRIVATE KEY", nil, b, 70, false), nil
}

// armor wraps data in base64 lines of width between BEGIN and END lines,
// with optional headers and, for OpenPGP, a CRC-24 checksum line.
func armor(typ string, headers []string, data []byte, width int, crc bool) string {
	var sb strings.Builder
	sb.WriteString("-----BEGIN " + typ + "-----\n")
	for _, h := range headers {
		sb.WriteString(h + "\n")
	}
	if crc {
		sb.WriteString("\n")
	}
	s := base64.StdEncoding.EncodeToString(data)
	for len(s) > width {
		sb.WriteString(s[:width] + "\n")
		s = s[width:]
	}
	if s != "" {
		sb.WriteString(s + "\n")
	}
	if crc {
		c := crc24(data)
		sb.WriteString("=" + base64.StdEncoding.EncodeToString([]byte{byte(c >> 16), byte(c >> 8), byte(c)}) + "\n")
	}
	sb.WriteString("-----END " + typ + "-----")
	return sb.String()
}

// --- OpenPGP ---

// crc24 is the OpenPGP armor checksum (RFC 4880, section 6.1).
func crc24(b []byte) uint32 {
	crc := uint32(0xb704ce)
	for _, c := range b {
		crc ^= uint32(c) << 16
		for range 8 {
			crc <<= 1
			if crc&0x1000000 != 0 {
				crc ^= 0x1864cfb
			}
		}
	}
	return crc & 0xffffff
}

// pgpMPI is an OpenPGP multiprecision integer: a two-octet bit count and
// the big-endian magnitude.
func pgpMPI(n *big.Int) []byte {
	out := binary.BigEndian.AppendUint16(nil, uint16(n.BitLen()))
	return append(out, n.Bytes()...)
}

// pgpPacket frames body as a new-format packet with the given tag.
func pgpPacket(tag byte, body []byte) []byte {
	out := []byte{0xc0 | tag}
	switch n := len(body); {
	case n < 192:
		out = append(out, byte(n))
	case n < 8384:
		n -= 192
		out = append(out, byte(n>>8)+192, byte(n))
	default:
		out = append(out, 0xff)
		out = binary.BigEndian.AppendUint32(out, uint32(n))
	}
	return append(out, body...)
}

// pgpKeyPackets returns a version-4 RSA key packet (a secret key packet,
// unprotected, when secret is set) followed by a User ID packet.
func pgpKeyPackets(k *rsa.PrivateKey, uid string, created uint32, secret bool) []byte {
	body := []byte{4}
	body = binary.BigEndian.AppendUint32(body, created)
	body = append(body, 1) // RSA (encrypt or sign)
	body = append(body, pgpMPI(k.N)...)
	body = append(body, pgpMPI(big.NewInt(int64(k.E)))...)
	tag := byte(6)
	if secret {
		tag = 5
		p, q := k.Primes[0], k.Primes[1]
		if p.Cmp(q) > 0 {
			p, q = q, p
		}
		u := new(big.Int).ModInverse(p, q)
		var sec []byte
		for _, n := range []*big.Int{k.D, p, q, u} {
			sec = append(sec, pgpMPI(n)...)
		}
		var sum uint16
		for _, c := range sec {
			sum += uint16(c)
		}
		body = append(body, 0) // string-to-key usage: not protected
		body = append(body, sec...)
		body = binary.BigEndian.AppendUint16(body, sum)
	}
	out := pgpPacket(tag, body)
	return append(out, pgpPacket(13, []byte(uid))...)
}

// pgpArmored returns an armored OpenPGP private or public key block.
func pgpArmored(k *rsa.PrivateKey, uid string, created uint32, secret bool) string {
	typ := "PGP PUBLIC KEY BLOCK"
	if secret {
		typ = "PGP PRIVATE KEY BLOCK"
	}
	return armor(typ, nil, pgpKeyPackets(k, uid, created, secret), 64, true)
}

// publicOf returns the public half of a private key.
func publicOf(k any) any {
	switch k := k.(type) {
	case ed25519.PrivateKey:
		return k.Public()
	case *rsa.PrivateKey:
		return k.Public()
	case *ecdsa.PrivateKey:
		return k.Public()
	}
	return nil
}
