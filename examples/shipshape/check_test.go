package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"

	"github.com/shipshape-dev/shipshape/internal/testkit"
)

func TestCheck(t *testing.T) {
	ref, db := demoRef(t), demoOSV(t)
	pol := filepath.Join(t.TempDir(), "policy.yaml")
	os.WriteFile(pol, []byte(`version: 1
rules:
  - name: no-highs
    type: max-severity
    action: deny
    max: medium
  - name: no-secrets
    type: no-secrets
    action: deny
  - name: no-root
    type: no-root
    action: warn
  - name: hardening
    type: hardening
    action: warn
    ids: [no-healthcheck]
`), 0o644)
	code, out, errOut := runCLI("check", ref, "--policy", pol, "--db", db, "--cache-dir", t.TempDir())
	if code != exitGate || !strings.Contains(out, "policy deny") || !strings.Contains(out, "CVE-2023-43804") || !strings.Contains(out, "app/config/.env") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = runCLI("check", ref, "--policy", pol, "--db", db, "--cache-dir", t.TempDir(), "--format", "json")
	var res struct {
		Decision struct {
			Verdict    string `json:"verdict"`
			Violations []struct {
				Rule string `json:"rule"`
			} `json:"violations"`
		} `json:"decision"`
		Scan struct {
			Findings        []json.RawMessage `json:"findings"`
			HardeningChecks []string          `json:"hardening_checks"`
		} `json:"scan"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	rules := map[string]bool{}
	for _, v := range res.Decision.Violations {
		rules[v.Rule] = true
	}
	if code != exitGate || res.Decision.Verdict != "deny" || len(res.Scan.Findings) != 13 || len(res.Scan.HardeningChecks) == 0 ||
		!rules["no-highs"] || !rules["no-secrets"] || !rules["no-root"] || !rules["hardening"] {
		t.Errorf("exit %d, result %+v", code, res)
	}
	if code, out, _ := runCLI("check", ref, "--policy", pol, "--db", db, "--cache-dir", t.TempDir(), "--format", "junit"); code != exitGate || !strings.Contains(out, "<testsuite") {
		t.Errorf("junit: exit %d\n%s", code, out)
	}
	htmlOut := filepath.Join(t.TempDir(), "report.html")
	if code, _, errOut := runCLI("check", ref, "--policy", pol, "--db", db, "--cache-dir", t.TempDir(), "--format", "html", "--output", htmlOut); code != exitGate {
		t.Errorf("html: exit %d %s", code, errOut)
	}
	if page, err := os.ReadFile(htmlOut); err != nil || !strings.Contains(string(page), `id="verdict-value">deny<`) || !strings.Contains(string(page), "CVE-2023-43804") {
		t.Errorf("html page: %v", err)
	}
	// Without vulnerability data the vulnerability rule says its evidence is missing.
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	code, out, errOut = runCLI("check", ref, "--policy", pol, "--format", "json")
	if code != exitGate || !strings.Contains(out, `"missing": "vulnerabilities"`) || !strings.Contains(errOut, "no vulnerability data") {
		t.Errorf("no db: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, _ := runCLI("check", ref); code != exitError {
		t.Errorf("no policy: exit %d", code)
	}
}

// TestCheckFailsIncompleteImages: a layer whose content does not match its
// diff_id fails check even when the policy passes.
func TestCheckFailsIncompleteImages(t *testing.T) {
	dir := t.TempDir()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	good := testkit.Image(t, testkit.Layer(t, testkit.File("etc/os-release", "ID=alpine\nVERSION_ID=3.20.0\n")))
	if err := p.AppendImage(good); err != nil {
		t.Fatal(err)
	}
	ls, _ := good.Layers()
	d, _ := ls[0].Digest()
	// Same blob name, other content.
	other := testkit.Gzip(t, testkit.Tar(t, testkit.File("etc/os-release", "ID=alpine\nVERSION_ID=3.99.0\n")))
	if err := os.WriteFile(filepath.Join(dir, "blobs", d.Algorithm, d.Hex), other, 0o644); err != nil {
		t.Fatal(err)
	}
	pol := filepath.Join(t.TempDir(), "policy.yaml")
	os.WriteFile(pol, []byte("version: 1\nrules:\n  - name: no-root\n    type: no-root\n    action: info\n"), 0o644)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	code, _, errOut := runCLI("check", "oci-layout:"+dir, "--policy", pol, "--quiet")
	if code != exitGate || !strings.Contains(errOut, "could not be read whole") || !strings.Contains(errOut, "diff_id") {
		t.Errorf("tampered layer: exit %d, %s", code, errOut)
	}
	if code, _, errOut := runCLI("check", "oci-layout:"+dir, "--policy", pol, "--quiet", "--allow-incomplete"); code != exitOK {
		t.Errorf("--allow-incomplete: exit %d, %s", code, errOut)
	}
}
