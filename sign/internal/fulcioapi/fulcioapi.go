// Package fulcioapi holds the JSON messages of Fulcio's v2 API (the
// protobuf JSON mapping of CreateSigningCertificateRequest and
// SigningCertificate), shared by the client in package sign and the fake
// Fulcio in package sigstoretest.
package fulcioapi

// Request asks POST /api/v2/signingCert for a certificate of a public key.
type Request struct {
	Credentials struct {
		OIDCIdentityToken string `json:"oidcIdentityToken"`
	} `json:"credentials"`
	PublicKeyRequest struct {
		PublicKey struct {
			Algorithm string `json:"algorithm"`
			Content   string `json:"content"`
		} `json:"publicKey"`
		ProofOfPossession []byte `json:"proofOfPossession"`
	} `json:"publicKeyRequest"`
}

// Chain is a certificate chain, PEM certificates leaf first.
type Chain struct {
	Chain struct {
		Certificates []string `json:"certificates"`
	} `json:"chain"`
}

// Response holds the chain with its SCT embedded in the leaf, or with
// a detached SCT.
type Response struct {
	Embedded *Chain `json:"signedCertificateEmbeddedSct,omitempty"`
	Detached *Chain `json:"signedCertificateDetachedSct,omitempty"`
}
