package interop

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"golang.org/x/mod/modfile"

	"github.com/shipshape-dev/shipshape/sign"
	"github.com/shipshape-dev/shipshape/sign/sigstoretest"
)

const cosignModule = "github.com/sigstore/cosign/v2"

// buildCosign builds the cosign command of the version sign/go.mod
// requires, in a scratch module that starts as a copy of sign's go.mod and
// go.sum, and skips the test when that cannot be done (no module proxy, no
// toolchain, no time left).
func buildCosign(t *testing.T) string {
	t.Helper()
	// A cold build takes minutes; leave a minute of the test binary's
	// -timeout for the checks themselves.
	limit := 12 * time.Minute
	if dl, ok := t.Deadline(); ok {
		limit = time.Until(dl) - time.Minute
	}
	ctx, cancel := context.WithTimeout(t.Context(), limit)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Version}}", cosignModule).Output()
	version := strings.TrimSpace(string(out))
	if err != nil || version == "" {
		t.Skipf("cannot read the cosign version of sign/go.mod: %v", err)
	}
	// The scratch module has sign's requirements, so that cosign's
	// dependencies resolve to the versions sign builds with and the
	// compiled packages are shared with the rest of the build.
	gomod, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join("..", "..", "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.Parse("go.mod", gomod, nil)
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.AddModuleStmt("cosignbuild"); err != nil {
		t.Fatal(err)
	}
	// sign requires the root module at its release version; the scratch
	// build, outside the workspace, takes it from this checkout.
	if err := f.AddReplace("github.com/shipshape-dev/shipshape", "", root, ""); err != nil {
		t.Fatal(err)
	}
	mod, err := f.Format()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), mod, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "cosign")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, cosignModule+"/cmd/cosign")
	cmd.Dir = dir
	// -mod=mod fills go.sum from the module proxy; the versions are those
	// cosign's own go.mod requires. The race detector is not wanted here.
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("cannot build cosign %s (%v):\n%s", version, err, lastLines(out, 20))
	}
	t.Logf("built cosign %s in %s", version, time.Since(start).Round(time.Second))
	return bin
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// cosignRunner runs cosign offline: no transparency log, a private home
// and TUF cache, the key password in COSIGN_PASSWORD.
type cosignRunner struct {
	bin, home string
	env       []string
}

func (c cosignRunner) run(t *testing.T, wantOK bool, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), c.bin, args...)
	cmd.Dir = c.home
	cmd.Env = append(os.Environ(), "HOME="+c.home, "TUF_ROOT="+filepath.Join(c.home, "tuf"),
		"DOCKER_CONFIG="+filepath.Join(c.home, "docker"), "COSIGN_PASSWORD=interop", "SIGSTORE_NO_CACHE=1")
	cmd.Env = append(cmd.Env, c.env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if wantOK && err != nil {
		t.Fatalf("cosign %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	if !wantOK && err == nil {
		t.Fatalf("cosign %s succeeded, want a failure:\n%s", strings.Join(args, " "), stdout.String())
	}
	return stdout.String()
}

func pushRandom(t *testing.T, ref string) v1.Hash {
	t.Helper()
	img, err := random.Image(512, 2)
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
	h, _ := img.Digest()
	return h
}

func TestCosignInterop(t *testing.T) {
	if os.Getenv("SHIPSHAPE_INTEGRATION") != "1" {
		t.Skip("set SHIPSHAPE_INTEGRATION=1 to build cosign and check interoperability")
	}
	bin := buildCosign(t)
	home := t.TempDir()
	cosign := cosignRunner{bin: bin, home: home}
	s := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer s.Close()
	host := strings.TrimPrefix(s.URL, "http://")
	offline := []string{"--insecure-ignore-tlog=true", "--insecure-ignore-sct=true", "--offline=true"}

	// shipshape's key pair, written as cosign expects to read it.
	kp, err := sign.GenerateKeyPair(sign.Password([]byte("interop")))
	if err != nil {
		t.Fatal(err)
	}
	shipKey, shipPub := filepath.Join(home, "ship.key"), filepath.Join(home, "ship.pub")
	if err := os.WriteFile(shipKey, kp.PrivateKey, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(shipPub, kp.PublicKey, 0o644); err != nil {
		t.Fatal(err)
	}
	shipSigner, err := sign.LoadPrivateKey(kp.PrivateKey, sign.Password([]byte("interop")))
	if err != nil {
		t.Fatal(err)
	}
	shipVerifier, _ := sign.LoadPublicKey(kp.PublicKey)

	// cosign's key pair.
	cosign.run(t, true, "generate-key-pair")
	cosignKey, cosignPub := filepath.Join(home, "cosign.key"), filepath.Join(home, "cosign.pub")
	cosignVerifier, err := sign.LoadPublicKeyFile(cosignPub)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("cosign verifies shipshape", func(t *testing.T) {
		ref := host + "/ship:v1"
		h := pushRandom(t, ref)
		if _, err := sign.Sign(t.Context(), "registry:"+ref, shipSigner,
			sign.WithAnnotations(map[string]string{"pipeline": "release"})); err != nil {
			t.Fatal(err)
		}
		out := cosign.run(t, true, append([]string{"verify", "--key", shipPub, "-a", "pipeline=release", ref}, offline...)...)
		var payloads []struct {
			Critical struct {
				Image struct {
					Digest string `json:"docker-manifest-digest"`
				} `json:"image"`
			} `json:"critical"`
		}
		if err := json.Unmarshal([]byte(out), &payloads); err != nil || len(payloads) != 1 || payloads[0].Critical.Image.Digest != h.String() {
			t.Errorf("cosign verify output (%v):\n%s", err, out)
		}
		cosign.run(t, false, append([]string{"verify", "--key", cosignPub, ref}, offline...)...)

		pred := cyclonedxPredicate(t)
		if _, err := sign.Attest(t.Context(), "registry:"+ref, shipSigner, pred); err != nil {
			t.Fatal(err)
		}
		out = cosign.run(t, true, append([]string{"verify-attestation", "--key", shipPub, "--type", "cyclonedx", ref}, offline...)...)
		if !strings.Contains(out, "payloadType") {
			t.Errorf("cosign verify-attestation output:\n%s", out)
		}
		cosign.run(t, false, append([]string{"verify-attestation", "--key", shipPub, "--type", "slsaprovenance", ref}, offline...)...)
	})

	t.Run("shipshape verifies cosign", func(t *testing.T) {
		ref := host + "/cosign:v1"
		h := pushRandom(t, ref)
		cosign.run(t, true, "sign", "--key", cosignKey, "--tlog-upload=false", "--yes", "-a", "team=platform", ref)
		v, err := sign.Verify(t.Context(), "registry:"+ref, cosignVerifier,
			sign.WithRequiredAnnotations(map[string]string{"team": "platform"}))
		if err != nil {
			t.Fatal(err)
		}
		if v.Digest != h.String() || len(v.Signatures) != 1 {
			t.Errorf("verification: %+v", v)
		}
		if _, err := sign.Verify(t.Context(), "registry:"+ref, shipVerifier); err == nil {
			t.Error("cosign's signature verified with shipshape's key")
		}

		predFile := filepath.Join(home, "provenance.json")
		prov := `{"builder":{"id":"https://ci.example/builder"},"buildType":"https://example/build","invocation":{},"materials":[]}`
		if err := os.WriteFile(predFile, []byte(prov), 0o644); err != nil {
			t.Fatal(err)
		}
		cosign.run(t, true, "attest", "--key", cosignKey, "--tlog-upload=false", "--yes",
			"--type", "slsaprovenance", "--predicate", predFile, ref)
		av, err := sign.VerifyAttestations(t.Context(), "registry:"+ref, cosignVerifier, "slsaprovenance")
		if err != nil {
			t.Fatal(err)
		}
		if len(av.Attestations) != 1 || !strings.Contains(string(av.Attestations[0].Predicate), "https://ci.example/builder") {
			t.Errorf("attestations: %+v", av)
		}
		if _, err := sign.VerifyAttestations(t.Context(), "registry:"+ref, cosignVerifier, "cyclonedx"); err == nil {
			t.Error("a provenance attestation passed for cyclonedx")
		}

		// cosign's private key signs with shipshape, and cosign accepts it.
		ref2 := host + "/cosign-key:v1"
		pushRandom(t, ref2)
		signer, err := sign.LoadPrivateKeyFile(cosignKey, sign.Password([]byte("interop")))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sign.Sign(t.Context(), "registry:"+ref2, signer); err != nil {
			t.Fatal(err)
		}
		cosign.run(t, true, append([]string{"verify", "--key", cosignPub, ref2}, offline...)...)
	})

	t.Run("cosign verifies shipshape keyless", func(t *testing.T) { keyless(t, cosign, host) })

	t.Run("timing", func(t *testing.T) { timing(t, cosign, host) })
}

// keyless signs and attests keyless with the in-process Fulcio and Rekor
// of sigstoretest, and has cosign verify both offline from the instance's
// trusted_root.json, SCT and signed entry timestamp included.
func keyless(t *testing.T, cosign cosignRunner, host string) {
	s, err := sigstoretest.New()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const issuer, subject = "https://accounts.example.com", "dev@example.com"
	tok, err := s.Token(issuer, subject)
	if err != nil {
		t.Fatal(err)
	}
	k := sign.Keyless{FulcioURL: s.FulcioURL, RekorURL: s.RekorURL, IdentityToken: sign.StaticToken(tok)}
	rootJSON, err := s.TrustedRootJSON()
	if err != nil {
		t.Fatal(err)
	}
	tr := filepath.Join(cosign.home, "trusted_root.json")
	if err := os.WriteFile(tr, rootJSON, 0o644); err != nil {
		t.Fatal(err)
	}
	ref := host + "/keyless:v1"
	pushRandom(t, ref)
	if _, err := sign.SignKeyless(t.Context(), "registry:"+ref, k, sign.WithAnnotations(map[string]string{"pipeline": "release"})); err != nil {
		t.Fatal(err)
	}
	if _, err := sign.AttestKeyless(t.Context(), "registry:"+ref, k, cyclonedxPredicate(t)); err != nil {
		t.Fatal(err)
	}
	id := []string{"--trusted-root", tr, "--offline=true", "--certificate-oidc-issuer", issuer}
	cosign.run(t, true, append([]string{"verify", "--certificate-identity", subject, "-a", "pipeline=release", ref}, id...)...)
	cosign.run(t, true, append([]string{"verify", "--certificate-identity-regexp", `@example\.com$`, ref}, id...)...)
	cosign.run(t, false, append([]string{"verify", "--certificate-identity", "mallory@example.com", ref}, id...)...)
	// cosign v2 reads a trusted root for verify-attestation only with its
	// new bundle format; for attestations stored the classic way it takes
	// the roots and keys from these variables.
	pemFile := func(name string, b []byte) string {
		p := filepath.Join(cosign.home, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	chainPEM, err := cryptoutils.MarshalCertificatesToPEM([]*x509.Certificate{s.IntermediateCA, s.RootCA})
	if err != nil {
		t.Fatal(err)
	}
	rekorPEM, _ := cryptoutils.MarshalPublicKeyToPEM(s.RekorKey)
	ctPEM, _ := cryptoutils.MarshalPublicKeyToPEM(s.CTLogKey)
	withKeys := cosign
	withKeys.env = []string{
		"SIGSTORE_ROOT_FILE=" + pemFile("fulcio_chain.pem", chainPEM),
		"SIGSTORE_REKOR_PUBLIC_KEY=" + pemFile("rekor.pub", rekorPEM),
		"SIGSTORE_CT_LOG_PUBLIC_KEY_FILE=" + pemFile("ctfe.pub", ctPEM),
	}
	att := []string{"verify-attestation", "--offline=true", "--certificate-oidc-issuer", issuer, "--certificate-identity", subject}
	withKeys.run(t, true, append(att, "--type", "cyclonedx", ref)...)
	withKeys.run(t, false, append(att, "--type", "slsaprovenance", ref)...)
	withKeys.run(t, true, "verify", "--offline=true", "--certificate-oidc-issuer", issuer, "--certificate-identity", subject, ref)
	// Another instance's roots trust neither.
	other, err := sigstoretest.New()
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	otherJSON, _ := other.TrustedRootJSON()
	otherTR := filepath.Join(cosign.home, "other_root.json")
	if err := os.WriteFile(otherTR, otherJSON, 0o644); err != nil {
		t.Fatal(err)
	}
	cosign.run(t, false, "verify", "--trusted-root", otherTR, "--offline=true", "--certificate-oidc-issuer", issuer,
		"--certificate-identity", subject, ref)
}

// cyclonedxPredicate is a small CycloneDX document.
func cyclonedxPredicate(t *testing.T) sign.Predicate {
	t.Helper()
	return sign.Predicate{Type: "cyclonedx", Data: []byte(`{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[{"type":"library","name":"musl","version":"1.2.4-r2"}]}`)}
}

// timing logs sign and verify wall times of package sign and of the
// cosign command on the same in-process registry, and cosign's bare
// start-up time (cosign version) for reference. It reports; it never
// fails on timing.
func timing(t *testing.T, cosign cosignRunner, host string) {
	key, pub := filepath.Join(cosign.home, "cosign.key"), filepath.Join(cosign.home, "cosign.pub")
	const rounds = 5
	var libSign, libVerify, cliSign, cliVerify, cliStart time.Duration
	for i := 0; i < rounds; i++ {
		ref := host + "/lib:v1"
		pushRandom(t, ref)
		// Like the command, load (and decrypt) the key each time.
		start := time.Now()
		signer, err := sign.LoadPrivateKeyFile(key, sign.Password([]byte("interop")))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sign.Sign(t.Context(), "registry:"+ref, signer); err != nil {
			t.Fatal(err)
		}
		libSign += time.Since(start)
		start = time.Now()
		verifier, err := sign.LoadPublicKeyFile(pub)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sign.Verify(t.Context(), "registry:"+ref, verifier); err != nil {
			t.Fatal(err)
		}
		libVerify += time.Since(start)

		ref = host + "/cli:v1"
		pushRandom(t, ref)
		start = time.Now()
		cosign.run(t, true, "sign", "--key", key, "--tlog-upload=false", "--yes", ref)
		cliSign += time.Since(start)
		start = time.Now()
		cosign.run(t, true, "verify", "--key", pub, "--insecure-ignore-tlog=true", "--offline=true", ref)
		cliVerify += time.Since(start)
		start = time.Now()
		cosign.run(t, true, "version")
		cliStart += time.Since(start)
	}
	ms := func(d time.Duration) string { return (d / rounds).Round(100 * time.Microsecond).String() }
	t.Logf("mean of %d rounds, key files loaded each time: sign: package sign %s, cosign %s; verify: package sign %s, cosign %s; cosign version (start-up) %s",
		rounds, ms(libSign), ms(cliSign), ms(libVerify), ms(cliVerify), ms(cliStart))
}
