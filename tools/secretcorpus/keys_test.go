package secretcorpus

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
)

// keyText recovers the text of a planted private key from its carrier.
func keyText(t *testing.T, f *file, p plant) string {
	t.Helper()
	lines := f.lines[p.Line-1 : p.EndLine]
	switch p.Carrier {
	case "json-escaped", "dotenv-escaped":
		l := lines[0]
		l = l[strings.Index(l, "-----BEGIN"):]
		end := strings.LastIndex(l, "-----")
		return strings.ReplaceAll(l[:end+5], `\n`, "\n")
	case "go-raw-string", "py-triple-quoted":
		s := strings.Join(lines, "\n")
		s = s[strings.Index(s, "-----BEGIN"):]
		return strings.TrimRight(s, "`\"")
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimSpace(l)
	}
	return strings.Join(out, "\n")
}

func testPrivateKeysParse(t *testing.T, files []*file, _ Labels) {
	counts := map[string]int{}
	for _, f := range files {
		for _, p := range f.plants {
			var err error
			switch {
			case strings.HasPrefix(p.Format, "private-key-"):
				err = parseKeyText(keyText(t, f, p))
			case p.Format == "gcp-service-account":
				var v struct {
					PrivateKey string `json:"private_key"`
				}
				line := strings.TrimSuffix(strings.TrimSpace(f.lines[p.Line-1]), ",")
				if err = json.Unmarshal([]byte("{"+line+"}"), &v); err == nil {
					err = parseKeyText(v.PrivateKey)
				}
			case p.Format == "base64:private-key":
				line := f.lines[p.Line-1]
				var der []byte
				if der, err = base64.StdEncoding.DecodeString(strings.TrimSpace(line[strings.Index(line, ":")+1:])); err == nil {
					err = parseKeyText(string(der))
				}
			default:
				continue
			}
			counts[p.Format]++
			if err != nil {
				t.Errorf("%s:%d (%s, %s): %v", f.path, p.Line, p.Format, p.Carrier, err)
			}
		}
	}
	for _, f := range []string{"private-key-rsa", "private-key-ec", "private-key-pkcs8", "private-key-openssh", "private-key-pgp", "gcp-service-account", "base64:private-key"} {
		if counts[f] == 0 {
			t.Errorf("no %s checked", f)
		}
	}
}

// testPublicMaterialParses checks that the certificates, public keys and
// authorized_keys lines among the negatives are real.
func testPublicMaterialParses(t *testing.T, files []*file, _ Labels) {
	certs, pubs, ssh := 0, 0, 0
	for _, f := range files {
		labeled := map[int]bool{}
		for _, p := range f.plants {
			for l := p.Line; l <= p.EndLine; l++ {
				labeled[l] = true
			}
		}
		rest := []byte(strings.Join(f.lines, "\n"))
		for {
			var b *pem.Block
			b, rest = pem.Decode(rest)
			if b == nil {
				break
			}
			switch b.Type {
			case "CERTIFICATE":
				if _, err := x509.ParseCertificate(b.Bytes); err != nil {
					t.Errorf("%s: certificate: %v", f.path, err)
				}
				certs++
			case "PUBLIC KEY":
				if _, err := x509.ParsePKIXPublicKey(b.Bytes); err != nil {
					t.Errorf("%s: public key: %v", f.path, err)
				}
				pubs++
			}
		}
		for i, l := range f.lines {
			fields := strings.Fields(l)
			if labeled[i+1] || len(fields) < 2 || (fields[0] != "ssh-ed25519" && fields[0] != "ssh-rsa") {
				continue
			}
			blob, err := base64.StdEncoding.DecodeString(fields[1])
			if err != nil || !bytes.HasPrefix(blob[4:], []byte(fields[0])) {
				t.Errorf("%s:%d: bad %s key", f.path, i+1, fields[0])
			}
			ssh++
		}
	}
	if certs < 3 || pubs < 3 || ssh < 5 {
		t.Errorf("checked %d certificates, %d public keys, %d SSH keys", certs, pubs, ssh)
	}
}

// parseKeyText parses a private key in PEM, OpenSSH or OpenPGP form.
func parseKeyText(s string) error {
	if strings.HasPrefix(s, "-----BEGIN PGP PRIVATE KEY BLOCK-----") {
		return parsePGP(s)
	}
	b, rest := pem.Decode([]byte(s))
	if b == nil {
		return errors.New("no PEM block")
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return fmt.Errorf("%d bytes after the block", len(rest))
	}
	switch b.Type {
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(b.Bytes)
		if err != nil {
			return err
		}
		return k.Validate()
	case "EC PRIVATE KEY":
		_, err := x509.ParseECPrivateKey(b.Bytes)
		return err
	case "PRIVATE KEY":
		_, err := x509.ParsePKCS8PrivateKey(b.Bytes)
		return err
	case "OPENSSH PRIVATE KEY":
		return parseOpenSSH(b.Bytes)
	}
	return fmt.Errorf("unexpected block %q", b.Type)
}

// sshReader reads the SSH wire encoding.
type sshReader struct {
	b   []byte
	err error
}

func (r *sshReader) uint32() uint32 {
	if r.err != nil || len(r.b) < 4 {
		r.err = errors.New("short uint32")
		return 0
	}
	v := binary.BigEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *sshReader) bytes() []byte {
	n := int(r.uint32())
	if r.err != nil || len(r.b) < n {
		r.err = errors.New("short string")
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *sshReader) mpint() *big.Int { return new(big.Int).SetBytes(r.bytes()) }

// parseOpenSSH checks an unencrypted openssh-key-v1 key: the structure, the
// check integers, the padding, and that the private key matches the public.
func parseOpenSSH(b []byte) error {
	const magic = "openssh-key-v1\x00"
	if !bytes.HasPrefix(b, []byte(magic)) {
		return errors.New("no openssh-key-v1 magic")
	}
	r := &sshReader{b: b[len(magic):]}
	cipher, kdf, _ := string(r.bytes()), string(r.bytes()), r.bytes()
	if n := r.uint32(); n != 1 || cipher != "none" || kdf != "none" {
		return fmt.Errorf("cipher %q kdf %q keys %d", cipher, kdf, n)
	}
	pub := r.bytes()
	section := r.bytes()
	if r.err != nil || len(r.b) != 0 || len(section)%8 != 0 {
		return errors.New("bad outer structure")
	}
	priv := &sshReader{b: section}
	if check1, check2 := priv.uint32(), priv.uint32(); check1 != check2 {
		return errors.New("check integers differ")
	}
	typ := string(priv.bytes())
	switch typ {
	case "ssh-ed25519":
		pk, sk := priv.bytes(), priv.bytes()
		if len(sk) != ed25519.PrivateKeySize || !bytes.Equal(ed25519.NewKeyFromSeed(sk[:32]).Public().(ed25519.PublicKey), pk) {
			return errors.New("ed25519 private key does not match its public key")
		}
		want := append(sshString([]byte(typ)), sshString(pk)...)
		if !bytes.Equal(pub, want) {
			return errors.New("public blob does not match")
		}
	case "ssh-rsa":
		n, e, d, iqmp, p, q := priv.mpint(), priv.mpint(), priv.mpint(), priv.mpint(), priv.mpint(), priv.mpint()
		if new(big.Int).Mul(p, q).Cmp(n) != 0 {
			return errors.New("n != p*q")
		}
		one := big.NewInt(1)
		if new(big.Int).Mod(new(big.Int).Mul(d, e), new(big.Int).Sub(p, one)).Cmp(one) != 0 {
			return errors.New("d is not the inverse of e")
		}
		if new(big.Int).Mod(new(big.Int).Mul(iqmp, q), p).Cmp(one) != 0 {
			return errors.New("iqmp is not q^-1 mod p")
		}
	default:
		return fmt.Errorf("key type %q", typ)
	}
	priv.bytes() // comment
	for i, c := range priv.b {
		if c != byte(i+1) {
			return errors.New("bad padding")
		}
	}
	return priv.err
}

// parsePGP checks an armored OpenPGP secret key: the CRC-24, the packet
// framing, and that the RSA numbers fit together and match their checksum.
func parsePGP(s string) error {
	lines := strings.Split(s, "\n")
	if lines[len(lines)-1] != "-----END PGP PRIVATE KEY BLOCK-----" {
		return errors.New("no END line")
	}
	i := 1
	for lines[i] != "" {
		i++ // armor headers
	}
	body := lines[i+1 : len(lines)-2]
	sum := lines[len(lines)-2]
	data, err := base64.StdEncoding.DecodeString(strings.Join(body, ""))
	if err != nil {
		return err
	}
	crc, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(sum, "="))
	if err != nil || len(crc) != 3 {
		return errors.New("bad checksum line")
	}
	if got := crc24(data); got != uint32(crc[0])<<16|uint32(crc[1])<<8|uint32(crc[2]) {
		return errors.New("CRC-24 mismatch")
	}
	tags := []byte{}
	for len(data) > 0 {
		hdr := data[0]
		if hdr&0xc0 != 0xc0 {
			return errors.New("not a new-format packet")
		}
		var n, hl int
		switch l := data[1]; {
		case l < 192:
			n, hl = int(l), 2
		case l < 224:
			n, hl = (int(l)-192)<<8+int(data[2])+192, 3
		case l == 255:
			n, hl = int(binary.BigEndian.Uint32(data[2:6])), 6
		default:
			return errors.New("partial length")
		}
		if len(data) < hl+n {
			return errors.New("short packet")
		}
		pkt := data[hl : hl+n]
		data = data[hl+n:]
		tag := hdr & 0x3f
		tags = append(tags, tag)
		if tag != 5 {
			continue
		}
		if pkt[0] != 4 || pkt[5] != 1 {
			return errors.New("not a v4 RSA key")
		}
		mpi := func() *big.Int {
			bits := int(binary.BigEndian.Uint16(pkt))
			v := new(big.Int).SetBytes(pkt[2 : 2+(bits+7)/8])
			pkt = pkt[2+(bits+7)/8:]
			return v
		}
		pkt = pkt[6:]
		modulus, e := mpi(), mpi()
		if pkt[0] != 0 {
			return errors.New("protected secret key")
		}
		pkt = pkt[1:]
		secStart := pkt
		d, p, q, u := mpi(), mpi(), mpi(), mpi()
		var sum uint16
		for _, c := range secStart[:len(secStart)-len(pkt)] {
			sum += uint16(c)
		}
		if len(pkt) != 2 || binary.BigEndian.Uint16(pkt) != sum {
			return errors.New("secret checksum mismatch")
		}
		one := big.NewInt(1)
		if new(big.Int).Mul(p, q).Cmp(modulus) != 0 || new(big.Int).Mod(new(big.Int).Mul(u, p), q).Cmp(one) != 0 ||
			new(big.Int).Mod(new(big.Int).Mul(d, e), new(big.Int).Sub(q, one)).Cmp(one) != 0 {
			return errors.New("RSA numbers do not fit")
		}
	}
	if !bytes.Equal(tags, []byte{5, 13}) {
		return fmt.Errorf("packets %v, want secret key and user id", tags)
	}
	return nil
}
