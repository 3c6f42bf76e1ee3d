package sign

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/go-openapi/runtime"
	httptransport "github.com/go-openapi/runtime/client"
	"github.com/go-openapi/strfmt"
	"github.com/shipshape-dev/shipshape/result"
	cbundle "github.com/sigstore/cosign/v2/pkg/cosign/bundle"
	rekorclient "github.com/sigstore/rekor/pkg/generated/client"
	"github.com/sigstore/rekor/pkg/generated/client/entries"
	"github.com/sigstore/rekor/pkg/generated/models"
	rekortypes "github.com/sigstore/rekor/pkg/types"
	"github.com/sigstore/rekor/pkg/types/dsse"
	dssev001 "github.com/sigstore/rekor/pkg/types/dsse/v0.0.1"
	hashedrekordv001 "github.com/sigstore/rekor/pkg/types/hashedrekord/v0.0.1"
)

// rekorLog uploads entries to one Rekor instance.
type rekorLog struct {
	url    string
	client *rekorclient.Rekor
}

func newRekorLog(k Keyless) (*rekorLog, error) {
	u, err := url.Parse(k.RekorURL)
	if err != nil {
		return nil, fmt.Errorf("%w: Keyless.RekorURL: %w", result.ErrInvalidOption, err)
	}
	base := u.Path
	if base == "" {
		base = rekorclient.DefaultBasePath
	}
	rt := httptransport.NewWithClient(u.Host, base, []string{u.Scheme}, k.client())
	rt.Consumers["application/json"] = runtime.JSONConsumer()
	rt.Producers["application/json"] = runtime.JSONProducer()
	return &rekorLog{url: k.RekorURL, client: rekorclient.New(rt, strfmt.Default)}, nil
}

// uploadSignature logs a signature over payload as a hashedrekord entry,
// as cosign sign does, and returns its bundle.
func (r *rekorLog) uploadSignature(ctx context.Context, sig, payload, certPEM []byte) (*cbundle.RekorBundle, error) {
	sum := sha256.Sum256(payload)
	spec := hashedrekordv001.V001Entry{HashedRekordObj: models.HashedrekordV001Schema{
		Data: &models.HashedrekordV001SchemaData{Hash: &models.HashedrekordV001SchemaDataHash{
			Algorithm: ptr(models.HashedrekordV001SchemaDataHashAlgorithmSha256),
			Value:     ptr(hex.EncodeToString(sum[:])),
		}},
		Signature: &models.HashedrekordV001SchemaSignature{
			Content:   strfmt.Base64(sig),
			PublicKey: &models.HashedrekordV001SchemaSignaturePublicKey{Content: strfmt.Base64(certPEM)},
		},
	}}
	return r.upload(ctx, &models.Hashedrekord{APIVersion: ptr(spec.APIVersion()), Spec: spec.HashedRekordObj})
}

// uploadEnvelope logs a DSSE envelope as a dsse entry, as cosign attest
// does by default, and returns its bundle.
func (r *rekorLog) uploadEnvelope(ctx context.Context, envelope, certPEM []byte) (*cbundle.RekorBundle, error) {
	pe, err := rekortypes.NewProposedEntry(ctx, dsse.KIND, dssev001.APIVERSION, rekortypes.ArtifactProperties{
		ArtifactBytes:  envelope,
		PublicKeyBytes: [][]byte{certPEM},
	})
	if err != nil {
		return nil, fmt.Errorf("%w: dsse entry: %w", ErrTransparencyLog, err)
	}
	return r.upload(ctx, pe)
}

func (r *rekorLog) upload(ctx context.Context, pe models.ProposedEntry) (*cbundle.RekorBundle, error) {
	params := entries.NewCreateLogEntryParamsWithContext(ctx)
	params.SetProposedEntry(pe)
	resp, err := r.client.Entries.CreateLogEntry(params)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %s", ErrTransparencyLog, r.url, strings.TrimSpace(err.Error()))
	}
	for _, e := range resp.Payload {
		if e.Verification == nil || len(e.Verification.SignedEntryTimestamp) == 0 || e.Body == nil ||
			e.IntegratedTime == nil || e.LogIndex == nil || e.LogID == nil {
			return nil, fmt.Errorf("%w: %s: log entry without a signed entry timestamp", ErrTransparencyLog, r.url)
		}
		e := e
		return cbundle.EntryToBundle(&e), nil
	}
	return nil, fmt.Errorf("%w: %s: %w", ErrTransparencyLog, r.url, errNoEntry)
}

var errNoEntry = errors.New("no log entry in the response")

func ptr[T any](v T) *T { return &v }
