package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/sigstore/sigstore/pkg/signature"

	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/sign"
	"github.com/shipshape-dev/shipshape/sign/kms"
	"github.com/shipshape-dev/shipshape/source"
)

// passwordEnv holds the password of cosign private keys, as for cosign.
const passwordEnv = "COSIGN_PASSWORD"

// annotationFlags collects repeated -a key=value flags.
type annotationFlags map[string]string

func (a annotationFlags) String() string {
	keys := make([]string, 0, len(a))
	for k, v := range a {
		keys = append(keys, k+"="+v)
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

func (a annotationFlags) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("annotation %q is not key=value", s)
	}
	a[k] = v
	return nil
}

func isKMS(key string) bool {
	for _, s := range kms.Schemes() {
		if strings.HasPrefix(key, s) {
			return true
		}
	}
	return false
}

func loadSigner(ctx context.Context, key string) (signature.Signer, error) {
	if key == "" {
		return nil, errors.New("--key is required: a cosign private key file or a KMS URI")
	}
	if isKMS(key) {
		return kms.Signer(ctx, key)
	}
	return sign.LoadPrivateKeyFile(key, sign.PasswordFromEnv(passwordEnv))
}

func loadVerifier(ctx context.Context, key string) (signature.Verifier, error) {
	if key == "" {
		return nil, errors.New("--key is required: a public key file or a KMS URI")
	}
	if isKMS(key) {
		return kms.Verifier(ctx, key)
	}
	return sign.LoadPublicKeyFile(key)
}

// signRef is imageRef restricted to what sign handles: signatures live
// in a registry or an OCI layout.
func signRef(arg string) (string, error) {
	ref, err := imageRef(arg)
	if err != nil {
		return "", err
	}
	r, err := source.ParseRef(ref)
	if err != nil {
		return "", err
	}
	if r.Scheme != source.SchemeRegistry && r.Scheme != source.SchemeOCILayout {
		return "", fmt.Errorf("%s: signatures live in a registry or an OCI layout (registry:REF or oci-layout:DIR)", arg)
	}
	return ref, nil
}

func runKeygen(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("keygen", "usage: shipshape keygen [flags]\n",
		"Generates a cosign key pair. The private key is encrypted with the password in $"+passwordEnv+" (empty is allowed).\n", stdout, stderr)
	prefix := fs.String("output-key-prefix", "cosign", "write `PREFIX`.key and PREFIX.pub")
	force := fs.Bool("force", false, "overwrite existing key files")
	pos, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	if len(pos) != 0 {
		return fs.usageError("expected no arguments, got %q", pos)
	}
	kp, err := sign.GenerateKeyPair(sign.PasswordFromEnv(passwordEnv))
	if err != nil {
		return fail(stderr, err)
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if *force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	for _, f := range []struct {
		path string
		data []byte
		mode os.FileMode
	}{{*prefix + ".key", kp.PrivateKey, 0o600}, {*prefix + ".pub", kp.PublicKey, 0o644}} {
		if err := writeKeyFile(f.path, f.data, flags, f.mode); err != nil {
			return fail(stderr, err)
		}
	}
	fmt.Fprintf(stdout, "private key written to %s.key\npublic key written to %s.pub\n", *prefix, *prefix)
	return exitOK
}

func writeKeyFile(path string, data []byte, flags int, mode os.FileMode) error {
	f, err := os.OpenFile(path, flags, mode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Keyless signing: the environment variable cosign reads the identity
// token from, and the public Sigstore instance (named in help texts only:
// the URLs are never implied).
const (
	idTokenEnv   = "SIGSTORE_ID_TOKEN"
	publicFulcio = "https://fulcio.sigstore.dev"
	publicRekor  = "https://rekor.sigstore.dev"
)

// keylessFlags are sign's and attest's flags for keyless signing.
type keylessFlags struct {
	fulcioURL, rekorURL, token *string
}

func (k *keylessFlags) register(fs *flag.FlagSet) {
	k.fulcioURL = fs.String("fulcio-url", "", "keyless: Fulcio `URL` to get the signing certificate from")
	k.rekorURL = fs.String("rekor-url", "", "keyless: Rekor `URL` to log the signature in")
	k.token = fs.String("identity-token", "", "keyless: OIDC identity token, or a `FILE` holding it (default $"+idTokenEnv+")")
}

// keyless returns the keyless settings, or nil when signing with key.
func (k *keylessFlags) keyless(key string) (*sign.Keyless, error) {
	set := *k.fulcioURL != "" || *k.rekorURL != "" || *k.token != ""
	if key != "" {
		if set {
			return nil, errors.New("--key and the keyless flags (--fulcio-url, --rekor-url, --identity-token) exclude each other")
		}
		return nil, nil
	}
	if !set {
		return nil, errors.New("--key is required (a cosign private key file or a KMS URI), or, keyless, --fulcio-url, --rekor-url and --identity-token")
	}
	if *k.fulcioURL == "" || *k.rekorURL == "" {
		return nil, fmt.Errorf("keyless signing needs --fulcio-url and --rekor-url (for the public instance, %s and %s)", publicFulcio, publicRekor)
	}
	src, err := tokenSource(*k.token)
	if err != nil {
		return nil, err
	}
	return &sign.Keyless{FulcioURL: *k.fulcioURL, RekorURL: *k.rekorURL, IdentityToken: src}, nil
}

// tokenSource reads --identity-token as cosign does: a file holding the
// token, or the token itself; empty means $SIGSTORE_ID_TOKEN. The value
// is never echoed in errors.
func tokenSource(v string) (sign.TokenSource, error) {
	if v == "" {
		if v = os.Getenv(idTokenEnv); v == "" {
			return nil, fmt.Errorf("keyless signing needs --identity-token or $%s", idTokenEnv)
		}
	}
	if fi, err := os.Stat(v); err == nil && fi.Mode().IsRegular() {
		return sign.TokenFile(v), nil
	}
	if strings.Count(v, ".") == 2 && !strings.ContainsAny(v, " /\\") {
		return sign.StaticToken(v), nil
	}
	return nil, errors.New("--identity-token is neither a readable file nor a JWT")
}

func runSign(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runSignOrAttest(ctx, "sign", args, stdout, stderr)
}

func runAttest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runSignOrAttest(ctx, "attest", args, stdout, stderr)
}

func runSignOrAttest(ctx context.Context, cmd string, args []string, stdout, stderr io.Writer) int {
	var synopsis, about string
	if cmd == "sign" {
		synopsis = "usage: shipshape sign IMAGE --key KEY [flags]\n       shipshape sign IMAGE --fulcio-url URL --rekor-url URL --identity-token TOKEN_OR_FILE [flags]\n"
	} else {
		synopsis = "usage: shipshape attest IMAGE --predicate FILE --type TYPE --key KEY [flags]\n       shipshape attest IMAGE --predicate FILE --type TYPE --fulcio-url URL --rekor-url URL --identity-token TOKEN_OR_FILE [flags]\n"
		about = "With --type vuln, FILE may be the JSON output of shipshape scan.\n"
	}
	about += "Keyless (no --key): a Fulcio certificate for the identity token's subject and a Rekor entry;\n" +
		"the token defaults to $" + idTokenEnv + ". The public instance is " + publicFulcio + " and " + publicRekor + ".\n" +
		"IMAGE is registry:REF or oci-layout:DIR. The digests signed are printed on standard output.\n"
	fs := newFlags(cmd, synopsis, about, stdout, stderr)
	key := fs.String("key", "", "cosign private key `FILE` (password in $"+passwordEnv+") or KMS URI")
	platforms := fs.Bool("platforms", false, "given a multi-platform index, also sign each platform image")
	var kl keylessFlags
	kl.register(fs.FlagSet)
	ann := annotationFlags{}
	var predicate, typ *string
	var replace *bool
	if cmd == "sign" {
		fs.Var(ann, "a", "signed annotation `key=value` (repeatable)")
	} else {
		predicate = fs.String("predicate", "", "predicate `FILE` (JSON, required)")
		typ = fs.String("type", "custom", "predicate type: cyclonedx, vuln, slsaprovenance, slsaprovenance1, spdxjson, custom or a URI")
		replace = fs.Bool("replace", false, "replace the image's attestations of the same predicate type")
	}
	arg, code, ok := fs.one(args, "IMAGE")
	if !ok {
		return code
	}
	if cmd == "attest" && *predicate == "" {
		return fs.usageError("--predicate is required")
	}
	ref, err := signRef(arg)
	if err != nil {
		return fail(stderr, err)
	}
	keyless, err := kl.keyless(*key)
	if err != nil {
		return fail(stderr, err)
	}
	var signer signature.Signer
	if keyless == nil {
		if signer, err = loadSigner(ctx, *key); err != nil {
			return fail(stderr, err)
		}
	}
	var opts []sign.Option
	if *platforms {
		opts = append(opts, sign.WithPlatformImages())
	}
	var res *sign.Signed
	if cmd == "sign" {
		if len(ann) > 0 {
			opts = append(opts, sign.WithAnnotations(ann))
		}
		if keyless != nil {
			res, err = sign.SignKeyless(ctx, ref, *keyless, opts...)
		} else {
			res, err = sign.Sign(ctx, ref, signer, opts...)
		}
	} else {
		var p sign.Predicate
		if p, err = readPredicate(*predicate, *typ); err != nil {
			return fail(stderr, err)
		}
		if *replace {
			opts = append(opts, sign.WithReplace())
		}
		if keyless != nil {
			res, err = sign.AttestKeyless(ctx, ref, *keyless, p, opts...)
		} else {
			res, err = sign.Attest(ctx, ref, signer, p, opts...)
		}
	}
	if err != nil {
		return fail(stderr, err)
	}
	for _, d := range res.Digests {
		fmt.Fprintln(stdout, d)
	}
	if res.Identity != nil {
		fmt.Fprintf(stderr, "signed as %s (%s)\n", res.Identity.Subject, res.Identity.Issuer)
		for _, e := range res.LogEntries {
			fmt.Fprintf(stderr, "tlog entry for %s: index %d\n", e.Digest, e.LogIndex)
		}
	}
	return exitOK
}

// readPredicate reads a predicate file. For the vuln type, the JSON output
// of shipshape scan is wrapped in cosign's vulnerability predicate, dated
// with the file's modification time; a file that already is such a
// predicate is used as it is.
func readPredicate(path, typ string) (sign.Predicate, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return sign.Predicate{}, err
	}
	uri, err := sign.PredicateTypeURI(typ)
	if err != nil {
		return sign.Predicate{}, err
	}
	if uri == sign.PredicateVuln {
		var probe struct {
			SchemaVersion string           `json:"schema_version"`
			Scanner       *json.RawMessage `json:"scanner"`
		}
		if err := json.Unmarshal(b, &probe); err != nil {
			return sign.Predicate{}, fmt.Errorf("%s: %w", path, err)
		}
		if probe.Scanner == nil && probe.SchemaVersion != "" {
			var r scan.Report
			if err := json.Unmarshal(b, &r); err != nil {
				return sign.Predicate{}, fmt.Errorf("%s: %w", path, err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				return sign.Predicate{}, err
			}
			return sign.VulnPredicate(&r, fi.ModTime(), fi.ModTime())
		}
	}
	return sign.Predicate{Type: typ, Data: b}, nil
}

func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runVerifyCmd(ctx, "verify", args, stdout, stderr)
}

func runVerifyAttestation(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runVerifyCmd(ctx, "verify-attestation", args, stdout, stderr)
}

func runVerifyCmd(ctx context.Context, cmd string, args []string, stdout, stderr io.Writer) int {
	fs := newFlags(cmd, fmt.Sprintf("usage: shipshape %[1]s IMAGE --key KEY [flags]\n       shipshape %[1]s IMAGE --trusted-root FILE --certificate-identity ID --certificate-oidc-issuer URL [flags]\n", cmd),
		`IMAGE is registry:REF or oci-layout:DIR. The verification is written as JSON (sign.Verification,
which 'check --verification' and 'policy evaluate --verification' read) or as a table: one line
per accepted signature or attestation (digest, key or identity, type), or one line saying why
none was accepted. Exit 1 when verification fails.
`, stdout, stderr)
	key := fs.String("key", "", "public key `FILE` or KMS URI")
	format := fs.String("format", "json", "output format: json or table")
	out := fs.String("output", "", "write the verification to `FILE` instead of standard output")
	ann := annotationFlags{}
	var typ *string
	if cmd == "verify" {
		fs.Var(ann, "a", "required signed annotation `key=value` (repeatable)")
	} else {
		typ = fs.String("type", "", "predicate type to accept (cyclonedx, vuln, slsaprovenance, … or a URI; default: any)")
	}
	trustedRoot := fs.String("trusted-root", "", "keyless: Sigstore trusted_root.json `FILE` (instead of --key)")
	certID := fs.String("certificate-identity", "", "keyless: the signer's certificate subject (e-mail or URI)")
	certIDRe := fs.String("certificate-identity-regexp", "", "keyless: a regexp the certificate subject must match")
	certIssuer := fs.String("certificate-oidc-issuer", "", "keyless: the certificate's OIDC issuer")
	certIssuerRe := fs.String("certificate-oidc-issuer-regexp", "", "keyless: a regexp the OIDC issuer must match")
	ignoreSCT := fs.Bool("insecure-ignore-sct", false, "keyless: accept certificates without a signed certificate timestamp")
	arg, code, ok := fs.one(args, "IMAGE")
	if !ok {
		return code
	}
	if *format != "json" && *format != "table" {
		return fs.usageError("--format %q, want json or table", *format)
	}
	ref, err := signRef(arg)
	if err != nil {
		return fail(stderr, err)
	}
	keyless := *trustedRoot != ""
	certFlags := *certID != "" || *certIDRe != "" || *certIssuer != "" || *certIssuerRe != "" || *ignoreSCT
	var verifier signature.Verifier
	switch {
	case keyless && *key != "":
		return fs.usageError("--key and --trusted-root exclude each other")
	case !keyless && certFlags:
		return fs.usageError("keyless verification (--certificate-…) needs --trusted-root")
	case !keyless && *key == "":
		return fs.usageError("--key is required (a public key file or a KMS URI), or, keyless, --trusted-root with --certificate-identity and --certificate-oidc-issuer")
	case !keyless:
		if verifier, err = loadVerifier(ctx, *key); err != nil {
			return fail(stderr, err)
		}
	}
	var opts []sign.Option
	if len(ann) > 0 {
		opts = append(opts, sign.WithRequiredAnnotations(ann))
	}
	var roots sign.TrustedRoots
	var ids []sign.Identity
	if keyless {
		b, rerr := os.ReadFile(*trustedRoot)
		if rerr != nil {
			return fail(stderr, rerr)
		}
		if roots, rerr = sign.TrustedRootsFromJSON(b); rerr != nil {
			return fail(stderr, fmt.Errorf("%s: %w", *trustedRoot, rerr))
		}
		if *ignoreSCT {
			opts = append(opts, sign.WithoutSCTUnsafe())
		}
		ids = []sign.Identity{{Issuer: *certIssuer, IssuerRegexp: *certIssuerRe, Subject: *certID, SubjectRegexp: *certIDRe}}
	}
	var v *sign.Verification
	switch {
	case cmd == "verify" && keyless:
		v, err = sign.VerifyKeyless(ctx, ref, roots, ids, opts...)
	case cmd == "verify":
		v, err = sign.Verify(ctx, ref, verifier, opts...)
	case keyless:
		v, err = sign.VerifyAttestationsKeyless(ctx, ref, roots, ids, *typ, opts...)
	default:
		v, err = sign.VerifyAttestations(ctx, ref, verifier, *typ)
	}
	var verr *sign.VerificationError
	if err != nil && !errors.As(err, &verr) {
		return fail(stderr, err)
	}
	oerr := writeOutput(*out, stdout, func(w io.Writer) error {
		if *format == "json" {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(v)
		}
		kind := "signature"
		if cmd != "verify" {
			kind = "attestation (any type)"
			if uri, err := sign.PredicateTypeURI(*typ); err == nil && *typ != "" {
				kind = uri
			}
		}
		return verificationTable(w, v, ids, kind)
	})
	if oerr != nil {
		return fail(stderr, oerr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "shipshape: verification failed: %v\n", err)
		return exitGate
	}
	return exitOK
}

// verificationTable writes one line per accepted signature or
// attestation: the digest it covers, the key or identity that signed it,
// and its type; or, when none was accepted, one line with the digest,
// the key or identities asked for, and the reason.
// kind is what was asked for: "signature", or an attestation's type.
func verificationTable(w io.Writer, v *sign.Verification, ids []sign.Identity, kind string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RESULT\tDIGEST\tSIGNED BY\tTYPE\tREASON")
	key := ""
	if v.KeyID != "" {
		key = "key " + v.KeyID
	}
	signer := func(id *sign.CertificateIdentity) string {
		if id != nil {
			return id.Subject + " (" + id.Issuer + ")"
		}
		return key
	}
	for _, s := range v.Signatures {
		fmt.Fprintf(tw, "verified\t%s\t%s\tsignature\n", s.Digest, clean(signer(s.Identity)))
	}
	for _, a := range v.Attestations {
		fmt.Fprintf(tw, "verified\t%s\t%s\t%s\n", v.Digest, clean(signer(a.Identity)), clean(a.PredicateType))
	}
	if !v.Verified {
		by := key
		if by == "" {
			var want []string
			for _, id := range ids {
				want = append(want, firstOf(id.Subject, "/"+id.SubjectRegexp+"/")+" ("+firstOf(id.Issuer, "/"+id.IssuerRegexp+"/")+")")
			}
			by = strings.Join(want, ", ")
		}
		fmt.Fprintf(tw, "FAILED\t%s\t%s\t%s\t%s\n", firstOf(v.Digest, "-"), clean(firstOf(by, "-")), clean(kind), clean(v.Error))
	}
	return tw.Flush()
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// clean keeps a table cell on one line: errors that join several
// reasons, and names from the image, may hold newlines and tabs.
func clean(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
