package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"io"
	"log"
	"math/big"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/sigstore/sigstore-go/pkg/root"

	"github.com/shipshape-dev/shipshape/sign"
	"github.com/shipshape-dev/shipshape/sign/sigstoretest"
)

// signFixture starts an in-process registry with one image and makes two
// key pairs in a temporary directory; it returns the image reference and
// the directory.
func signFixture(t *testing.T) (ref, dir string) {
	t.Helper()
	s := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(s.Close)
	ref = strings.TrimPrefix(s.URL, "http://") + "/app:v1"
	img, err := random.Image(256, 1)
	if err != nil {
		t.Fatal(err)
	}
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(r, img); err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	t.Setenv(passwordEnv, "cli test password")
	for _, p := range []string{"a", "b"} {
		code, out, errOut := runCLI("keygen", "--output-key-prefix", filepath.Join(dir, p))
		if code != exitOK || !strings.Contains(out, p+".pub") {
			t.Fatalf("keygen exit %d: %s%s", code, out, errOut)
		}
		if strings.Contains(out+errOut, "cli test password") {
			t.Fatal("keygen printed the password")
		}
	}
	return ref, dir
}

func TestSignVerifyCLI(t *testing.T) {
	ref, dir := signFixture(t)
	keyA, pubA, pubB := filepath.Join(dir, "a.key"), filepath.Join(dir, "a.pub"), filepath.Join(dir, "b.pub")

	code, out, errOut := runCLI("sign", ref, "--key", keyA, "-a", "env=prod")
	if code != exitOK || !strings.HasPrefix(out, "sha256:") {
		t.Fatalf("sign exit %d: %s%s", code, out, errOut)
	}
	digest := strings.TrimSpace(out)

	code, out, errOut = runCLI("verify", ref, "--key", pubA, "-a", "env=prod")
	if code != exitOK {
		t.Fatalf("verify exit %d: %s", code, errOut)
	}
	var v sign.Verification
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if !v.Verified || v.Digest != digest || len(v.Signatures) != 1 {
		t.Errorf("verification: %+v", v)
	}

	// Failed verifications exit 1 and still write the (negative) result.
	failing := [][]string{
		{"verify", ref, "--key", pubB},
		{"verify", ref, "--key", pubA, "-a", "env=staging"},
		{"verify-attestation", ref, "--key", pubA},
	}
	for _, args := range failing {
		code, out, errOut := runCLI(args...)
		if code != exitGate || !strings.Contains(errOut, "verification failed") {
			t.Errorf("%v: exit %d, stderr %s", args, code, errOut)
		}
		var v sign.Verification
		if err := json.Unmarshal([]byte(out), &v); err != nil || v.Verified || v.Error == "" {
			t.Errorf("%v: output %s", args, out)
		}
	}

	// The table: one line per accepted signature, with the digest, the key
	// and the kind; on failure one line with the reason.
	code, out, _ = runCLI("verify", ref, "--key", pubA, "--format", "table")
	line := regexp.MustCompile(`(?m)^verified +` + regexp.QuoteMeta(digest) + ` +key ` + regexp.QuoteMeta(v.KeyID) + ` +signature$`)
	if code != exitOK || !line.MatchString(out) || strings.Count(out, "\n") != 2 {
		t.Errorf("table:\n%s", out)
	}
	code, out, _ = runCLI("verify", ref, "--key", pubB, "--format", "table")
	failed := regexp.MustCompile(`(?m)^FAILED +` + regexp.QuoteMeta(digest) + ` +key sha256:[0-9a-f]+ +signature +\S.*$`)
	if code != exitGate || !failed.MatchString(out) || strings.Contains(out, "verified ") {
		t.Errorf("failed table:\n%s", out)
	}

	// Usage and operational errors exit 2.
	t.Setenv(passwordEnv, "wrong")
	errs := [][]string{
		{"sign", ref},
		{"sign", ref, "--key", keyA},
		{"verify", ref},
		{"verify", ref, "--key", filepath.Join(dir, "missing.pub")},
		{"verify", "docker-archive:x.tar", "--key", pubA},
		{"attest", ref, "--key", keyA},
		{"verify", ref, "--key", pubA, "--format", "xml"},
	}
	for _, args := range errs {
		if code, _, errOut := runCLI(args...); code != exitError || strings.Contains(errOut, "cli test password") {
			t.Errorf("%v: exit %d, stderr %s", args, code, errOut)
		}
	}
	if code, _, _ := runCLI("keygen", "--output-key-prefix", filepath.Join(dir, "a")); code != exitError {
		t.Error("keygen overwrote an existing key")
	}
}

func TestAttestCLI(t *testing.T) {
	ref, dir := signFixture(t)
	keyA, pubA := filepath.Join(dir, "a.key"), filepath.Join(dir, "a.pub")

	// The SBOM of the demo image, as shipshape sbom writes it.
	bom := filepath.Join(dir, "sbom.cdx.json")
	if code, _, errOut := runCLI("sbom", demoRef(t), "--format", "cyclonedx-json", "--output", bom); code != exitOK {
		t.Fatalf("sbom: %s", errOut)
	}
	// A scan report, as shipshape scan --format json writes it.
	report := filepath.Join(dir, "scan.json")
	if err := os.WriteFile(report, []byte(`{"schema_version":"1","source":{"type":"image","name":"app"},"db":{},"findings":[{"id":"CVE-2025-0001"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, a := range [][]string{
		{"attest", ref, "--key", keyA, "--predicate", bom, "--type", "cyclonedx"},
		{"attest", ref, "--key", keyA, "--predicate", report, "--type", "vuln"},
	} {
		if code, out, errOut := runCLI(a...); code != exitOK || !strings.HasPrefix(out, "sha256:") {
			t.Fatalf("%v: exit %d %s", a, code, errOut)
		}
	}

	code, out, errOut := runCLI("verify-attestation", ref, "--key", pubA, "--type", "cyclonedx")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var v sign.Verification
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Attestations) != 1 || v.PredicateTypes[0] != sign.PredicateCycloneDX ||
		!strings.Contains(string(v.Attestations[0].Predicate), "libssl3") {
		t.Errorf("cyclonedx attestation: %+v", v.PredicateTypes)
	}

	code, out, errOut = runCLI("verify-attestation", ref, "--key", pubA, "--type", "vuln", "--format", "table")
	line := regexp.MustCompile(`(?m)^verified +sha256:[0-9a-f]{64} +key ` + regexp.QuoteMeta(v.KeyID) + ` +` + regexp.QuoteMeta(sign.PredicateVuln) + `$`)
	if code != exitOK || !line.MatchString(out) {
		t.Fatalf("vuln: exit %d %s %s", code, out, errOut)
	}
	code, out, _ = runCLI("verify-attestation", ref, "--key", pubA, "--type", "slsaprovenance", "--format", "table")
	if code != exitGate || !regexp.MustCompile(`(?m)^FAILED +sha256:[0-9a-f]{64} +key sha256:[0-9a-f]+ +`+regexp.QuoteMeta(sign.PredicateSLSAProvenance)+` +.*no attestation of the predicate type`).MatchString(out) {
		t.Errorf("slsaprovenance table: exit %d\n%s", code, out)
	}
	code, _, errOut = runCLI("verify-attestation", ref, "--key", pubA, "--type", "slsaprovenance")
	if code != exitGate || !strings.Contains(errOut, "no attestation of the predicate type") {
		t.Errorf("slsaprovenance: exit %d %s", code, errOut)
	}
}

// trustedRootFile writes a trusted_root.json of a throwaway CA and log.
func trustedRootFile(t *testing.T, dir string) string {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"}, IsCA: true,
		BasicConstraintsValid: true, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, caKey.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(der)
	logKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tr, err := root.NewTrustedRoot(root.TrustedRootMediaType01,
		[]root.CertificateAuthority{&root.FulcioCertificateAuthority{Root: ca, URI: "https://fulcio.example", ValidityPeriodStart: time.Now().Add(-time.Hour)}},
		nil, nil, map[string]*root.TransparencyLog{"00": {BaseURL: "https://rekor.example", ID: []byte{0}, HashFunc: crypto.SHA256,
			PublicKey: logKey.Public(), SignatureHashFunc: crypto.SHA256, ValidityPeriodStart: time.Now().Add(-time.Hour)}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := tr.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "trusted_root.json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The accepting keyless path is tested in package sign against a fake
// Fulcio and Rekor; here the CLI wiring: a key-signed image fails keyless
// verification (exit 1), and contradictory or incomplete flags exit 2.
func TestVerifyKeylessCLI(t *testing.T) {
	ref, dir := signFixture(t)
	if code, _, errOut := runCLI("sign", ref, "--key", filepath.Join(dir, "a.key")); code != exitOK {
		t.Fatal(errOut)
	}
	tr := trustedRootFile(t, dir)
	id := []string{"--certificate-identity", "dev@example.com", "--certificate-oidc-issuer", "https://accounts.example.com", "--insecure-ignore-sct"}
	code, out, errOut := runCLI(append([]string{"verify", ref, "--trusted-root", tr}, id...)...)
	if code != exitGate || !strings.Contains(errOut, "no certificate") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var v sign.Verification
	if err := json.Unmarshal([]byte(out), &v); err != nil || v.Verified {
		t.Errorf("output: %s", out)
	}
	for _, args := range [][]string{
		append([]string{"verify", ref, "--trusted-root", tr, "--key", filepath.Join(dir, "a.pub")}, id...),
		{"verify", ref, "--trusted-root", tr, "--certificate-oidc-issuer", "https://accounts.example.com", "--insecure-ignore-sct"},
		append([]string{"verify", ref, "--trusted-root", filepath.Join(dir, "a.pub")}, id...),
		{"verify", ref, "--trusted-root", tr, "--certificate-identity", "x", "--certificate-oidc-issuer", "https://i"}, // no CT log keys
	} {
		if code, _, errOut := runCLI(args...); code != exitError {
			t.Errorf("%v: exit %d, %s", args, code, errOut)
		}
	}
}

// TestVerificationIntoPolicy: what 'verify' writes is what 'policy
// evaluate --verification' reads; a verified signature by the named key
// passes a 'signed' rule, a failed verification does not.
func TestVerificationIntoPolicy(t *testing.T) {
	ref, dir := signFixture(t)
	if code, _, errOut := runCLI("sign", ref, "--key", filepath.Join(dir, "a.key")); code != exitOK {
		t.Fatalf("sign: %s", errOut)
	}
	good, bad := filepath.Join(dir, "good.json"), filepath.Join(dir, "bad.json")
	if code, _, errOut := runCLI("verify", ref, "--key", filepath.Join(dir, "a.pub"), "--output", good); code != exitOK {
		t.Fatalf("verify: %s", errOut)
	}
	if code, _, _ := runCLI("verify", ref, "--key", filepath.Join(dir, "b.pub"), "--output", bad); code != exitGate {
		t.Fatal("verify with the other key passed")
	}
	var v sign.Verification
	b, _ := os.ReadFile(good)
	if err := json.Unmarshal(b, &v); err != nil || v.KeyID == "" {
		t.Fatalf("verification %s: %v", b, err)
	}
	pol := filepath.Join(dir, "policy.yaml")
	os.WriteFile(pol, []byte("version: 1\nrules:\n  - name: signed\n    type: signed\n    action: deny\n    keys: ["+v.KeyID+"]\n"), 0o644)
	code, out, errOut := runCLI("policy", "evaluate", "--policy", pol, "--verification", good, "--image", "registry:"+ref)
	if code != exitOK || !strings.Contains(out, "policy pass") {
		t.Errorf("verified: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCLI("policy", "evaluate", "--policy", pol, "--verification", bad, "--image", "registry:"+ref)
	if code != exitGate || !strings.Contains(out, "policy deny") {
		t.Errorf("failed verification: exit %d\n%s", code, out)
	}
	// The library's own conversion agrees with what the CLI reads.
	ev := v.Evidence()
	if len(ev) != 1 || !ev[0].Verified || ev[0].Key != v.KeyID || ev[0].Digest != v.Digest {
		t.Errorf("evidence %+v", ev)
	}
}

// TestCheckVerifies: check --key verifies in-process and feeds the policy.
func TestCheckVerifies(t *testing.T) {
	ref, dir := signFixture(t)
	if code, _, errOut := runCLI("sign", ref, "--key", filepath.Join(dir, "a.key")); code != exitOK {
		t.Fatalf("sign: %s", errOut)
	}
	verifier, err := sign.LoadPublicKeyFile(filepath.Join(dir, "a.pub"))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := verifier.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	keyID, err := sign.KeyID(pub)
	if err != nil {
		t.Fatal(err)
	}
	pol := filepath.Join(dir, "policy.yaml")
	os.WriteFile(pol, []byte("version: 1\nrules:\n  - name: signed\n    type: signed\n    action: deny\n    keys: ["+keyID+"]\n"), 0o644)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	code, out, errOut := runCLI("check", "registry:"+ref, "--policy", pol, "--key", filepath.Join(dir, "a.pub"), "--quiet")
	if code != exitOK || !strings.Contains(out, "policy pass") {
		t.Errorf("signed with a: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCLI("check", "registry:"+ref, "--policy", pol, "--key", filepath.Join(dir, "b.pub"), "--quiet")
	if code != exitGate || !strings.Contains(out, "policy deny") {
		t.Errorf("verified with b: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI("check", "registry:"+ref, "--policy", pol, "--quiet")
	if code != exitGate || !strings.Contains(out, "missing signatures") {
		t.Errorf("no verification: exit %d\n%s", code, out)
	}
}

// TestKeylessCLI signs and attests keyless against an in-process Fulcio
// and Rekor and verifies offline from a trusted_root.json, as a CI job and
// a deploy gate would.
func TestKeylessCLI(t *testing.T) {
	ref, dir := signFixture(t)
	s, err := sigstoretest.New()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other, err := sigstoretest.New()
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	const issuer, subject = "https://accounts.example.com", "dev@example.com"
	tok, _ := s.Token(issuer, subject)
	tokFile := filepath.Join(dir, "oidc-token")
	if err := os.WriteFile(tokFile, []byte(tok+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rootJSON, err := s.TrustedRootJSON()
	if err != nil {
		t.Fatal(err)
	}
	tr := filepath.Join(dir, "trusted_root.json")
	if err := os.WriteFile(tr, rootJSON, 0o644); err != nil {
		t.Fatal(err)
	}
	services := []string{"--fulcio-url", s.FulcioURL, "--rekor-url", s.RekorURL}

	code, out, errOut := runCLI(append([]string{"sign", ref, "--identity-token", tokFile, "-a", "env=prod"}, services...)...)
	if code != exitOK || !strings.HasPrefix(out, "sha256:") || !strings.Contains(errOut, "signed as "+subject) {
		t.Fatalf("sign: exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(out+errOut, tok) {
		t.Error("sign printed the token")
	}
	// The token from the environment, for attest.
	t.Setenv("SIGSTORE_ID_TOKEN", tok)
	pred := filepath.Join(dir, "result.json")
	os.WriteFile(pred, []byte(`{"tests":"passed"}`), 0o644)
	if code, out, errOut := runCLI(append([]string{"attest", ref, "--predicate", pred, "--type", "custom"}, services...)...); code != exitOK {
		t.Fatalf("attest: exit %d\n%s%s", code, out, errOut)
	}
	if n := len(s.Entries()); n != 2 {
		t.Errorf("%d log entries, want 2", n)
	}

	id := []string{"--trusted-root", tr, "--certificate-identity", subject, "--certificate-oidc-issuer", issuer}
	code, out, errOut = runCLI(append([]string{"verify", ref, "-a", "env=prod"}, id...)...)
	if code != exitOK {
		t.Fatalf("verify: exit %d\n%s", code, errOut)
	}
	var v sign.Verification
	if err := json.Unmarshal([]byte(out), &v); err != nil || !v.Verified || len(v.Identities) != 1 || v.Identities[0].Subject != subject {
		t.Fatalf("verification %s: %v", out, err)
	}
	code, out, errOut = runCLI(append([]string{"verify-attestation", ref, "--type", "custom", "--format", "table"}, id...)...)
	if code != exitOK || !regexp.MustCompile(`(?m)^verified +sha256:[0-9a-f]{64} +`+regexp.QuoteMeta(subject+" ("+issuer+")")+` +`+regexp.QuoteMeta(sign.PredicateCustom)+`$`).MatchString(out) {
		t.Fatalf("verify-attestation: exit %d\n%s%s", code, out, errOut)
	}
	code, _, errOut = runCLI("verify", ref, "--trusted-root", tr, "--certificate-identity-regexp", `@example\.com$`,
		"--certificate-oidc-issuer-regexp", `^https://accounts\.`)
	if code != exitOK {
		t.Errorf("verify by regexp: exit %d %s", code, errOut)
	}

	// Failed verifications exit 1.
	otherRoot, _ := other.TrustedRootJSON()
	otherTR := filepath.Join(dir, "other_root.json")
	os.WriteFile(otherTR, otherRoot, 0o644)
	for _, args := range [][]string{
		{"verify", ref, "--trusted-root", tr, "--certificate-identity", "mallory@example.com", "--certificate-oidc-issuer", issuer},
		{"verify", ref, "--trusted-root", tr, "--certificate-identity", subject, "--certificate-oidc-issuer", "https://evil.example"},
		{"verify", ref, "--trusted-root", tr, "--certificate-identity-regexp", `@example\.org$`, "--certificate-oidc-issuer", issuer},
		{"verify", ref, "--trusted-root", otherTR, "--certificate-identity", subject, "--certificate-oidc-issuer", issuer},
		append([]string{"verify", ref, "-a", "env=staging"}, id...),
		append([]string{"verify-attestation", ref, "--type", "cyclonedx"}, id...),
		{"verify-attestation", ref, "--trusted-root", tr, "--certificate-identity", "mallory@example.com", "--certificate-oidc-issuer", issuer},
	} {
		code, out, errOut := runCLI(args...)
		if code != exitGate || !strings.Contains(errOut, "verification failed") {
			t.Errorf("%v: exit %d, %s", args[:4], code, errOut)
		}
		if err := json.Unmarshal([]byte(out), &v); err != nil || v.Verified {
			t.Errorf("%v: output %s", args[:4], out)
		}
	}

	// Usage and operational errors exit 2, and never echo the token.
	foreign, _ := other.Token(issuer, subject)
	down := httptest.NewServer(nil)
	down.Close()
	for _, args := range [][]string{
		append([]string{"sign", ref, "--key", filepath.Join(dir, "a.key")}, services...),
		{"sign", ref, "--fulcio-url", s.FulcioURL, "--identity-token", tokFile},
		{"sign", ref, "--rekor-url", s.RekorURL, "--identity-token", tokFile},
		append([]string{"sign", ref, "--identity-token", filepath.Join(dir, "missing")}, services...),
		append([]string{"sign", ref, "--identity-token", foreign}, services...),
		{"sign", ref, "--fulcio-url", s.FulcioURL, "--rekor-url", down.URL, "--identity-token", tokFile},
		{"sign", ref, "--fulcio-url", "fulcio.example", "--rekor-url", s.RekorURL, "--identity-token", tokFile},
		append([]string{"attest", ref, "--predicate", pred, "--type", "custom", "--identity-token", foreign}, services...),
		{"verify-attestation", ref, "--certificate-identity", subject, "--certificate-oidc-issuer", issuer},
		{"verify-attestation", ref, "--trusted-root", tr, "--key", filepath.Join(dir, "a.pub")},
	} {
		code, _, errOut := runCLI(args...)
		if code != exitError {
			t.Errorf("%v: exit %d, %s", args, code, errOut)
		}
		if strings.Contains(errOut, tok) || strings.Contains(errOut, foreign) {
			t.Errorf("%v: stderr shows the token", args)
		}
	}
	t.Setenv("SIGSTORE_ID_TOKEN", "")
	if code, _, errOut := runCLI(append([]string{"sign", ref}, services...)...); code != exitError || !strings.Contains(errOut, "SIGSTORE_ID_TOKEN") {
		t.Errorf("no token: exit %d, %s", code, errOut)
	}
}
