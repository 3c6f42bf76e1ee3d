package sigstoretest

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strings"

	ct "github.com/google/certificate-transparency-go"
	cttls "github.com/google/certificate-transparency-go/tls"
	ctx509 "github.com/google/certificate-transparency-go/x509"
	"github.com/sigstore/sigstore/pkg/cryptoutils"

	"github.com/shipshape-dev/shipshape/sign/internal/fulcioapi"
)

// Object identifiers of the extensions Fulcio writes.
var (
	oidIssuerV1 = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1, 1}
	oidIssuerV2 = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1, 8}
	oidCTPoison = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11129, 2, 4, 3}
	oidSCTList  = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11129, 2, 4, 2}
)

func fulcioError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": msg})
}

// signingCert answers POST /api/v2/signingCert as Fulcio does for a
// public key and proof of possession: it authenticates the token, checks
// the proof (a signature over the token's subject), and issues a
// certificate with an embedded SCT.
func (s *Sigstore) signingCert(w http.ResponseWriter, r *http.Request) {
	var req fulcioapi.Request
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		fulcioError(w, http.StatusBadRequest, "malformed request: "+err.Error())
		return
	}
	tok := req.Credentials.OIDCIdentityToken
	if tok == "" {
		tok, _ = strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	}
	c, err := verifyJWT(&s.oidcKey.PublicKey, tok, s.cfg.fulcioNow())
	if err != nil {
		fulcioError(w, http.StatusUnauthorized, "There was an error processing the identity token: "+err.Error())
		return
	}
	principal := c.Subject
	if c.Email != "" {
		if !c.EmailVerified {
			fulcioError(w, http.StatusUnauthorized, "email not verified")
			return
		}
		principal = c.Email
	}
	pub, err := cryptoutils.UnmarshalPEMToPublicKey([]byte(req.PublicKeyRequest.PublicKey.Content))
	if err != nil {
		fulcioError(w, http.StatusBadRequest, "The public key supplied in the request could not be parsed")
		return
	}
	ecPub, ok := pub.(*ecdsa.PublicKey)
	if !ok {
		fulcioError(w, http.StatusBadRequest, "only ECDSA keys are supported by this fake")
		return
	}
	sum := sha256.Sum256([]byte(principal))
	if !ecdsa.VerifyASN1(ecPub, sum[:], req.PublicKeyRequest.ProofOfPossession) {
		fulcioError(w, http.StatusBadRequest, "The client did not prove possession of the private key")
		return
	}
	leaf, err := s.issue(ecPub, principal, c.Issuer)
	if err != nil {
		fulcioError(w, http.StatusBadRequest, err.Error())
		return
	}
	resp := fulcioapi.Response{Embedded: &fulcioapi.Chain{}}
	for _, c := range []*x509.Certificate{leaf, s.IntermediateCA, s.RootCA} {
		p, err := cryptoutils.MarshalCertificateToPEM(c)
		if err != nil {
			fulcioError(w, http.StatusInternalServerError, err.Error())
			return
		}
		resp.Embedded.Chain.Certificates = append(resp.Embedded.Chain.Certificates, string(p))
	}
	s.mu.Lock()
	s.certCount++
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

// issue makes a precertificate, has the CT log key sign an SCT for it,
// and issues the final certificate with the SCT embedded, as Fulcio does.
func (s *Sigstore) issue(pub *ecdsa.PublicKey, principal, issuer string) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 159))
	if err != nil {
		return nil, err
	}
	issuerV2, err := asn1.MarshalWithParams(issuer, "utf8")
	if err != nil {
		return nil, err
	}
	now := s.cfg.fulcioNow()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		NotBefore:    now, NotAfter: now.Add(s.cfg.lifetime),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		ExtraExtensions: []pkix.Extension{
			{Id: oidIssuerV1, Value: []byte(issuer)},
			{Id: oidIssuerV2, Value: issuerV2},
			{Id: oidCTPoison, Critical: true, Value: asn1.NullBytes},
		},
	}
	if strings.Contains(principal, "@") {
		tmpl.EmailAddresses = []string{principal}
	} else if u, err := url.Parse(principal); err == nil && u.Scheme != "" {
		tmpl.URIs = []*url.URL{u}
	} else {
		return nil, fmt.Errorf("subject %q is neither an e-mail address nor a URI", principal)
	}
	precert, err := x509.CreateCertificate(rand.Reader, tmpl, s.IntermediateCA, pub, s.interKey)
	if err != nil {
		return nil, err
	}
	sct, err := s.signSCT(precert, uint64(now.UnixMilli()))
	if err != nil {
		return nil, fmt.Errorf("SCT: %w", err)
	}
	sctExt, err := sctListExtension(sct)
	if err != nil {
		return nil, fmt.Errorf("SCT: %w", err)
	}
	// The final certificate is the precertificate with the poison
	// replaced by the SCT list, in the same place.
	tmpl.ExtraExtensions[2] = sctExt
	return createCert(tmpl, s.IntermediateCA, pub, s.interKey)
}

// signSCT has the CT log key sign a timestamp for the precertificate.
func (s *Sigstore) signSCT(precertDER []byte, timestamp uint64) (*ct.SignedCertificateTimestamp, error) {
	precert, err := ctx509.ParseCertificate(precertDER)
	if err != nil && ctx509.IsFatal(err) {
		return nil, err
	}
	issuer, err := ctx509.ParseCertificate(s.IntermediateCA.Raw)
	if err != nil && ctx509.IsFatal(err) {
		return nil, err
	}
	leaf, err := ct.MerkleTreeLeafFromChain([]*ctx509.Certificate{precert, issuer}, ct.PrecertLogEntryType, timestamp)
	if err != nil {
		return nil, err
	}
	id, err := logID(s.CTLogKey)
	if err != nil {
		return nil, err
	}
	sct := ct.SignedCertificateTimestamp{SCTVersion: ct.V1, Timestamp: timestamp}
	copy(sct.LogID.KeyID[:], id)
	input, err := ct.SerializeSCTSignatureInput(sct, ct.LogEntry{Leaf: *leaf})
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(input)
	sig, err := ecdsa.SignASN1(rand.Reader, s.ctKey, sum[:])
	if err != nil {
		return nil, err
	}
	sct.Signature = ct.DigitallySigned{
		Algorithm: cttls.SignatureAndHashAlgorithm{Hash: cttls.SHA256, Signature: cttls.ECDSA},
		Signature: sig,
	}
	return &sct, nil
}

// sctListExtension encodes the RFC 6962 SCT list extension.
func sctListExtension(sct *ct.SignedCertificateTimestamp) (pkix.Extension, error) {
	one, err := cttls.Marshal(*sct)
	if err != nil {
		return pkix.Extension{}, err
	}
	list, err := cttls.Marshal(ctx509.SignedCertificateTimestampList{SCTList: []ctx509.SerializedSCT{{Val: one}}})
	if err != nil {
		return pkix.Extension{}, err
	}
	val, err := asn1.Marshal(list)
	if err != nil {
		return pkix.Extension{}, err
	}
	if len(val) == 0 {
		return pkix.Extension{}, errors.New("empty SCT list")
	}
	return pkix.Extension{Id: oidSCTList, Value: val}, nil
}
