package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/shipshape-dev/shipshape/layer/layertest"
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
	// JSON: the shipshape.Inspection, the SBOM left out unless asked for.
	code, out, _ = runCLI("check", ref, "--policy", pol, "--db", db, "--cache-dir", t.TempDir(), "--format", "json")
	var res struct {
		SchemaVersion string `json:"schema_version"`
		Evidence      struct {
			Name string           `json:"name"`
			SBOM *json.RawMessage `json:"sbom"`
			Scan struct {
				Findings []json.RawMessage `json:"findings"`
			} `json:"scan"`
			Hardening struct {
				Checks   []string          `json:"checks"`
				Findings []json.RawMessage `json:"findings"`
			} `json:"hardening"`
			Secrets struct {
				Findings []json.RawMessage `json:"findings"`
			} `json:"secrets"`
			Config *json.RawMessage `json:"config"`
		} `json:"evidence"`
		Decision struct {
			Verdict    string `json:"verdict"`
			Violations []struct {
				Rule string `json:"rule"`
			} `json:"violations"`
		} `json:"decision"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	rules := map[string]bool{}
	for _, v := range res.Decision.Violations {
		rules[v.Rule] = true
	}
	ev := res.Evidence
	if code != exitGate || res.SchemaVersion != "1" || res.Decision.Verdict != "deny" || len(ev.Scan.Findings) != 13 || len(ev.Hardening.Checks) == 0 ||
		len(ev.Secrets.Findings) != 1 || ev.SBOM != nil || ev.Config == nil || ev.Name == "" ||
		!rules["no-highs"] || !rules["no-secrets"] || !rules["no-root"] || !rules["hardening"] {
		t.Errorf("exit %d, result %+v", code, res)
	}
	if _, out, _ := runCLI("check", ref, "--policy", pol, "--db", db, "--cache-dir", t.TempDir(), "--format", "json", "--include-sbom"); !strings.Contains(out, `"packages"`) {
		t.Error("--include-sbom: no SBOM in the evidence")
	}
	// SARIF: one run with every kind of finding and the policy's violations.
	code, out, _ = runCLI("check", ref, "--policy", pol, "--db", db, "--cache-dir", t.TempDir(), "--format", "sarif")
	if code != exitGate {
		t.Errorf("sarif: exit %d", code)
	}
	checkSARIF(t, out, "CVE-2023-43804", "generic-api-key", "root-user", "policy/no-highs")
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
	if code != exitGate || !strings.Contains(out, `"missing": "vulnerabilities"`) || strings.Contains(out, `"scan"`) || !strings.Contains(errOut, "no vulnerability data") {
		t.Errorf("no db: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut := runCLI("check", ref); code != exitError || !strings.Contains(errOut, "--policy is required") {
		t.Errorf("no policy: exit %d %s", code, errOut)
	}
	// --verification reads what 'verify --output' writes.
	ver := writeFile(t, t.TempDir(), "verification.json", `{"schema_version": "1", "verified": false, "digest": "sha256:d1", "error": "no signatures", "evidence": [{"verified": false, "digest": "sha256:d1", "error": "no signatures"}]}`)
	code, out, _ = runCLI("check", ref, "--policy", pol, "--db", db, "--cache-dir", t.TempDir(), "--format", "json", "--verification", ver)
	if code != exitGate || !strings.Contains(out, `"signatures": [`) || !strings.Contains(out, `"error": "no signatures"`) {
		t.Errorf("--verification: exit %d\n%s", code, out)
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
	good := layertest.Image(t, layertest.Layer(t, layertest.File("etc/os-release", "ID=alpine\nVERSION_ID=3.20.0\n")))
	if err := p.AppendImage(good); err != nil {
		t.Fatal(err)
	}
	ls, _ := good.Layers()
	d, _ := ls[0].Digest()
	// Same blob name, other content.
	other := layertest.Gzip(t, layertest.Tar(t, layertest.File("etc/os-release", "ID=alpine\nVERSION_ID=3.99.0\n")))
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
	// --allow-incomplete: the policy warns on the partial read instead of denying.
	code, out, errOut := runCLI("check", "oci-layout:"+dir, "--policy", pol, "--allow-incomplete")
	if code != exitOK || !strings.Contains(out, "policy warn") || !strings.Contains(out, "complete-read") || !strings.Contains(errOut, "warning: layer") {
		t.Errorf("--allow-incomplete: exit %d\n%s\n%s", code, out, errOut)
	}
	// The same holds for the table's verdict: deny, under the complete-read rule.
	if _, out, _ := runCLI("check", "oci-layout:"+dir, "--policy", pol, "--quiet"); !strings.Contains(out, "policy deny") || !strings.Contains(out, "complete-read") {
		t.Errorf("the decision does not name the partial read:\n%s", out)
	}
}

// checkSARIF checks a SARIF log: one run, whose results name each of ids
// as their rule.
func checkSARIF(t *testing.T, out string, ids ...string) {
	t.Helper()
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %s, %d runs", log.Version, len(log.Runs))
	}
	have := map[string]bool{}
	for _, r := range log.Runs[0].Results {
		have[r.RuleID] = true
	}
	for _, id := range ids {
		if !have[id] {
			t.Errorf("no result of rule %s in %v", id, have)
		}
	}
}
