package sign

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/shipshape-dev/shipshape/result"
	cbundle "github.com/sigstore/cosign/v2/pkg/cosign/bundle"
	cremote "github.com/sigstore/cosign/v2/pkg/cosign/remote"
	"github.com/sigstore/cosign/v2/pkg/oci"
	"github.com/sigstore/cosign/v2/pkg/oci/empty"
	"github.com/sigstore/cosign/v2/pkg/oci/mutate"
	"github.com/sigstore/cosign/v2/pkg/oci/static"
	"github.com/sigstore/sigstore/pkg/signature"
	sigopts "github.com/sigstore/sigstore/pkg/signature/options"
	"github.com/sigstore/sigstore/pkg/signature/payload"
)

// Signed reports what Sign or Attest stored.
type Signed struct {
	// Reference is the image reference as given.
	Reference string `json:"reference"`
	// Digests are the manifests signed: the one the reference names
	// first, then, with WithPlatformImages, each platform image.
	Digests []string `json:"digests"`
	// KeyID is the signing key's KeyID (Sign, Attest).
	KeyID string `json:"key_id,omitempty"`
	// Identity is the identity the signing certificate names
	// (SignKeyless, AttestKeyless).
	Identity *Identity `json:"identity,omitempty"`
	// LogEntries are the transparency-log entries made, one per digest
	// (SignKeyless, AttestKeyless).
	LogEntries []LogEntry `json:"log_entries,omitempty"`
}

// LogEntry is an entry keyless signing made in the transparency log.
type LogEntry struct {
	Digest         string    `json:"digest"`
	LogIndex       int64     `json:"log_index"`
	LogID          string    `json:"log_id"`
	IntegratedTime time.Time `json:"integrated_time"`
}

// Sign signs the manifest ref names (a tag is resolved to its digest
// first) with signer and stores the signature as cosign does: a
// simple-signing payload naming the digest, with the annotations of
// WithAnnotations, appended as a layer of the image tagged
// sha256-<hex>.sig. A signature already stored for the same payload and
// key is kept rather than added again. Given a multi-platform index, Sign
// signs the index, and each platform image too with WithPlatformImages.
//
// ref is registry:REF or oci-layout:DIR[:NAME|@sha256:…].
func Sign(ctx context.Context, ref string, signer signature.Signer, opts ...Option) (*Signed, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, err
	}
	if signer == nil {
		return nil, fmt.Errorf("%w: nil signer", result.ErrInvalidOption)
	}
	st, err := openStore(ref, o)
	if err != nil {
		return nil, err
	}
	verifier, keyID, err := signerVerifier(signer)
	if err != nil {
		return nil, err
	}
	targets, err := signTargets(ctx, st, o)
	if err != nil {
		return nil, err
	}
	res := &Signed{Reference: ref, KeyID: keyID}
	if err := signDigests(ctx, st, targets, signingKey{signer: signer, verifier: verifier}, res, o); err != nil {
		return nil, err
	}
	return res, nil
}

// signingKey is what Sign and Attest sign with: a key, or, keyless, an
// ephemeral key with its certificate and the log that records each
// signature.
type signingKey struct {
	signer   signature.Signer
	verifier signature.Verifier // finds signatures already stored
	keyless  *keylessSigner
	log      *rekorLog
}

// signatureOptions logs a signature in the transparency log, keyless,
// and returns the certificate and bundle to store with it.
func (k signingKey) signatureOptions(ctx context.Context, h v1.Hash, sig, pl []byte, envelope bool, res *Signed) ([]static.Option, error) {
	if k.keyless == nil {
		return nil, nil
	}
	upload := k.log.uploadSignature
	if envelope {
		upload = func(ctx context.Context, _, env, cert []byte) (*cbundle.RekorBundle, error) {
			return k.log.uploadEnvelope(ctx, env, cert)
		}
	}
	b, err := upload(ctx, sig, pl, k.keyless.certPEM)
	if err != nil {
		return nil, fmt.Errorf("signing %s: %w", h, err)
	}
	res.LogEntries = append(res.LogEntries, LogEntry{
		Digest: h.String(), LogIndex: b.Payload.LogIndex, LogID: b.Payload.LogID,
		IntegratedTime: time.Unix(b.Payload.IntegratedTime, 0).UTC(),
	})
	return []static.Option{static.WithCertChain(k.keyless.certPEM, k.keyless.chainPEM), static.WithBundle(b)}, nil
}

// signDigests signs a simple-signing payload for each of targets and
// stores the signatures.
func signDigests(ctx context.Context, st store, targets []v1.Hash, key signingKey, res *Signed, o *options) error {
	ann := make(map[string]interface{}, len(o.annotations))
	for k, v := range o.annotations {
		ann[k] = v
	}
	for _, h := range targets {
		img, claimed, err := st.identity(h)
		if err != nil {
			return err
		}
		pl, err := payload.Cosign{Image: img, ClaimedIdentity: claimed, Annotations: ann}.MarshalJSON()
		if err != nil {
			return fmt.Errorf("signing %s: %w", h, err)
		}
		raw, err := key.signer.SignMessage(bytes.NewReader(pl), sigopts.WithContext(ctx))
		if err != nil {
			return fmt.Errorf("signing %s: %w", h, err)
		}
		sopts, err := key.signatureOptions(ctx, h, raw, pl, false, res)
		if err != nil {
			return err
		}
		sig, err := static.NewSignature(pl, base64.StdEncoding.EncodeToString(raw), sopts...)
		if err != nil {
			return fmt.Errorf("signing %s: %w", h, err)
		}
		if err := attach(ctx, st, tagFor(h, sigSuffix), sig, key.verifier, "", o); err != nil {
			return err
		}
		res.Digests = append(res.Digests, h.String())
	}
	return nil
}

// signTargets resolves the reference and, with WithPlatformImages, the
// platform images of an index.
func signTargets(ctx context.Context, st store, o *options) ([]v1.Hash, error) {
	d, err := st.subject(ctx)
	if err != nil {
		return nil, err
	}
	targets := []v1.Hash{d.Digest}
	if o.platforms && d.MediaType.IsIndex() {
		ms, err := st.children(ctx, d.Digest)
		if err != nil {
			return nil, err
		}
		for _, c := range ms {
			if c.MediaType.IsImage() {
				targets = append(targets, c.Digest)
			}
		}
	}
	return targets, nil
}

// attach appends sig to the signatures (or attestations) under tag unless
// an equivalent one signed by the same key is there already. With
// replaceType, attestations of that predicate type are dropped first.
func attach(ctx context.Context, st store, tag string, sig oci.Signature, v signature.Verifier, replaceType string, o *options) error {
	img, err := st.read(ctx, tag)
	if err != nil {
		return err
	}
	var base oci.Signatures = empty.Signatures()
	if img != nil {
		base = storedSignatures{Image: img, max: o.maxPayload}
		dup, err := cremote.NewDupeDetector(v).Find(base, sig)
		if err != nil {
			return fmt.Errorf("reading %s: %w", tag, err)
		}
		if dup != nil {
			return nil
		}
		if replaceType != "" {
			if base, err = withoutPredicateType(base, replaceType); err != nil {
				return fmt.Errorf("reading %s: %w", tag, err)
			}
		}
	}
	sigs, err := mutate.AppendSignatures(base, false, sig)
	if err != nil {
		return fmt.Errorf("appending to %s: %w", tag, err)
	}
	return st.write(ctx, tag, sigs)
}

// signerVerifier returns a verifier for signer's public key, for duplicate
// detection, and the key's KeyID.
func signerVerifier(signer signature.Signer) (signature.Verifier, string, error) {
	pub, err := signer.PublicKey()
	if err != nil {
		return nil, "", fmt.Errorf("%w: signer public key: %w", ErrInvalidKey, err)
	}
	id, err := KeyID(pub)
	if err != nil {
		return nil, "", err
	}
	if v, ok := signer.(signature.Verifier); ok {
		return v, id, nil
	}
	v, err := verifierFor(pub)
	if err != nil {
		return nil, "", err
	}
	return v, id, nil
}

// withoutPredicateType returns the attestations of base whose statement is
// not of predicate type uri, as a new signature image.
func withoutPredicateType(base oci.Signatures, uri string) (oci.Signatures, error) {
	all, err := base.Get()
	if err != nil {
		return nil, err
	}
	keep := make([]oci.Signature, 0, len(all))
	for _, a := range all {
		if t, err := statementType(a); err == nil && t == uri {
			continue
		}
		keep = append(keep, a)
	}
	return mutate.AppendSignatures(empty.Signatures(), false, keep...)
}
