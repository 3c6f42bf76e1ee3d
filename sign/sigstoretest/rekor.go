package sigstoretest

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"

	jsoncanonicalizer "github.com/cyberphone/json-canonicalization/go/src/webpki.org/jsoncanonicalizer"
	"github.com/go-openapi/runtime"
	"github.com/sigstore/cosign/v2/pkg/cosign/bundle"
	"github.com/sigstore/rekor/pkg/generated/models"
	"github.com/sigstore/rekor/pkg/types"

	// The entry kinds the log accepts register themselves with rekor's
	// type registry.
	_ "github.com/sigstore/rekor/pkg/types/dsse/v0.0.1"
	_ "github.com/sigstore/rekor/pkg/types/hashedrekord/v0.0.1"
	_ "github.com/sigstore/rekor/pkg/types/intoto/v0.0.1"
	_ "github.com/sigstore/rekor/pkg/types/intoto/v0.0.2"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
)

func rekorError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": msg})
}

// createEntry answers POST /api/v1/log/entries as Rekor does: it checks
// the proposed entry with rekor's own entry types (which verify its
// signature against its key or certificate), canonicalizes it, and
// returns it with a signed entry timestamp.
func (s *Sigstore) createEntry(w http.ResponseWriter, r *http.Request) {
	pe, err := models.UnmarshalProposedEntry(io.LimitReader(r.Body, 32<<20), runtime.JSONConsumer())
	if err != nil {
		rekorError(w, http.StatusBadRequest, "malformed entry: "+err.Error())
		return
	}
	entry, err := types.CreateVersionedEntry(pe)
	if err != nil {
		rekorError(w, http.StatusBadRequest, err.Error())
		return
	}
	body, err := types.CanonicalizeEntry(r.Context(), entry)
	if err != nil {
		rekorError(w, http.StatusBadRequest, err.Error())
		return
	}
	id, err := logID(s.RekorKey)
	if err != nil {
		rekorError(w, http.StatusInternalServerError, err.Error())
		return
	}
	now := s.cfg.rekorNow()
	s.mu.Lock()
	index := int64(len(s.entries))
	s.entries = append(s.entries, Entry{Kind: pe.Kind(), LogIndex: index, IntegratedTime: now, Body: body})
	s.mu.Unlock()

	p := bundle.RekorPayload{
		Body:           base64.StdEncoding.EncodeToString(body),
		IntegratedTime: now.Unix(),
		LogIndex:       index,
		LogID:          hex.EncodeToString(id),
	}
	set, err := s.signEntry(p)
	if err != nil {
		rekorError(w, http.StatusInternalServerError, err.Error())
		return
	}
	leafHash := sha256.Sum256(append([]byte{0}, body...))
	uuid := hex.EncodeToString(leafHash[:])
	resp := map[string]any{uuid: map[string]any{
		"body":           p.Body,
		"integratedTime": p.IntegratedTime,
		"logIndex":       p.LogIndex,
		"logID":          p.LogID,
		"verification":   map[string]any{"signedEntryTimestamp": set},
	}}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Location", "/api/v1/log/entries/"+uuid)
	w.Header().Set("ETag", uuid)
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(resp)
}

// signEntry makes the signed entry timestamp: the log key's signature
// over the canonical JSON of the entry's body, time, index and log ID.
func (s *Sigstore) signEntry(p bundle.RekorPayload) ([]byte, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	canon, err := jsoncanonicalizer.Transform(b)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(canon)
	return ecdsa.SignASN1(rand.Reader, s.rekorKey, sum[:])
}

// publicKey answers GET /api/v1/log/publicKey with the log key in PEM.
func (s *Sigstore) publicKey(w http.ResponseWriter, _ *http.Request) {
	p, err := cryptoutils.MarshalPublicKeyToPEM(s.RekorKey)
	if err != nil {
		rekorError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/x-pem-file")
	_, _ = w.Write(p)
}
