package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/shipshape-dev/shipshape/layer/layertest"
)

func TestInspect(t *testing.T) {
	ref := demoRef(t)
	code, out, errOut := runCLI("inspect", ref)
	if code != exitOK || !strings.Contains(out, "34 packages on debian 12") || !strings.Contains(out, "app/config/.env") || !strings.Contains(out, "root-user") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI("inspect", ref, "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d %s", code, errOut)
	}
	var res struct {
		SchemaVersion string           `json:"schema_version"`
		Decision      *json.RawMessage `json:"decision"`
		Evidence      struct {
			SBOM struct {
				Packages []json.RawMessage `json:"packages"`
			} `json:"sbom"`
			Secrets struct {
				Findings []struct {
					Visible bool   `json:"visible"`
					Secret  string `json:"secret"`
				} `json:"findings"`
			} `json:"secrets"`
			Hardening struct {
				Findings []struct {
					ID string `json:"id"`
				} `json:"findings"`
			} `json:"hardening"`
			Scan *json.RawMessage `json:"scan"`
		} `json:"evidence"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	in := res.Evidence
	if res.SchemaVersion != "1" || res.Decision != nil || in.Scan != nil {
		t.Errorf("inspection %s", out)
	}
	if len(in.SBOM.Packages) != 34 || len(in.Secrets.Findings) != 1 || in.Secrets.Findings[0].Visible || len(in.Hardening.Findings) == 0 {
		t.Errorf("inspection %+v", in)
	}
	if code, _, errOut := runCLI("inspect", ref, "--fail-on", "high"); code != exitGate || !strings.Contains(errOut, "a high hardening finding is at or above --fail-on high") {
		t.Errorf("--fail-on high: exit %d %s", code, errOut)
	}
	// SARIF: one run; with --db, vulnerabilities too.
	code, out, errOut = runCLI("inspect", ref, "--format", "sarif", "--db", demoOSV(t), "--cache-dir", t.TempDir())
	if code != exitOK {
		t.Fatalf("sarif: exit %d %s", code, errOut)
	}
	checkSARIF(t, out, "CVE-2023-43804", "generic-api-key", "root-user")
	// With --db the vulnerabilities are in the table and count for --fail-on.
	code, out, errOut = runCLI("inspect", ref, "--db", demoOSV(t), "--cache-dir", t.TempDir(), "--no-hardening", "--no-secrets", "--fail-on", "high")
	if code != exitGate || !strings.Contains(out, "13 vulnerabilities: 1 critical, 2 high, 2 medium, 0 low, 8 unrated") || !strings.Contains(errOut, "a critical vulnerability") {
		t.Errorf("--db: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, _ := runCLI("inspect", ref, "--format", "xml"); code != exitError {
		t.Errorf("bad format: exit %d", code)
	}
}

// TestInspectDir: a directory is inspected too (SBOM and secrets; no
// hardening, which is about images).
func TestInspectDir(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "app.env", "AWS_ACCESS_KEY_ID=AKIAZ7VRSQ5TIJGJHKLM\n")
	os.MkdirAll(filepath.Join(dir, "app"), 0o755)
	writeFile(t, dir, "app/requirements.txt", "requests==2.25.1\n")
	code, out, errOut := runCLI("inspect", "dir:"+dir, "--format", "json", "--fail-on", "high")
	if code != exitGate || !strings.Contains(errOut, "secret") {
		t.Errorf("exit %d %s", code, errOut)
	}
	var res struct {
		Evidence map[string]json.RawMessage `json:"evidence"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Evidence["sbom"] == nil || res.Evidence["secrets"] == nil || res.Evidence["hardening"] != nil {
		t.Errorf("evidence of a directory: %s", out)
	}
}

// TestJSONRedactsConfig: the inspection JSON carries the image config,
// with the values of environment variables redacted, and the history
// steps and labels that hold a credential; the secrets in them never
// appear in clear, whichever command writes it.
func TestJSONRedactsConfig(t *testing.T) {
	const (
		aws   = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzEXAMPLEKEY1"
		keyID = "AKIAZ7VRSQ5TIJGJHKLM"
		label = "glpat-0123456789abcdefABCD"
	)
	img := layertest.Image(t, layertest.Layer(t, layertest.File("etc/os-release", "ID=alpine\nVERSION_ID=3.20.0\n")))
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.Config.Env = []string{"PATH=/usr/local/bin:/usr/bin", "AWS_SECRET_ACCESS_KEY=" + aws}
	cf.Config.Labels = map[string]string{"org.opencontainers.image.source": "https://github.com/acme/app", "deploy.token": label}
	cf.History = append(cf.History, v1.History{CreatedBy: "RUN |1 AWS_ACCESS_KEY_ID=" + keyID + " /bin/sh -c ./fetch.sh", EmptyLayer: true})
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(img); err != nil {
		t.Fatal(err)
	}
	ref := "oci-layout:" + dir
	pol := writeFile(t, t.TempDir(), "policy.yaml", "version: 1\nrules:\n  - type: no-root\n    action: deny\n  - name: source\n    type: required-labels\n    action: deny\n    labels: {org.opencontainers.image.source: \"https://github.com/acme/.+\"}\n")
	for _, args := range [][]string{
		{"inspect", ref, "--format", "json"},
		{"inspect", ref, "--format", "json", "--no-secrets"},
		{"check", ref, "--policy", pol, "--format", "json", "--quiet"},
		{"scan", ref, "--checks", "all", "--db", demoOSV(t), "--cache-dir", t.TempDir(), "--format", "json"},
	} {
		_, out, errOut := runCLI(args...)
		if !strings.Contains(out, `"config"`) || !strings.Contains(out, "AWS_SECRET_ACCESS_KEY=wJal") || !strings.Contains(out, "https://github.com/acme/app") {
			t.Errorf("%v: config missing or over-redacted:\n%s%s", args[:2], out, errOut)
		}
		for _, secret := range []string{aws, keyID, label} {
			if strings.Contains(out, secret) || strings.Contains(out, secret[:16]) {
				t.Errorf("%v: %s… in clear", args[:2], secret[:8])
			}
		}
	}
	// The redacted evidence still judges the same: labels and user kept.
	evidence := filepath.Join(t.TempDir(), "check.json")
	runCLI("check", ref, "--policy", pol, "--format", "json", "--quiet", "--output", evidence)
	if code, out, _ := runCLI("policy", "evaluate", "--policy", pol, "--evidence", evidence); code != exitGate || strings.Contains(out, "source") || !strings.Contains(out, "no-root") {
		t.Errorf("evaluate over the redacted evidence: exit %d\n%s", code, out)
	}
}
