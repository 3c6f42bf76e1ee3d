package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/secrets"
)

func TestSecretsDemo(t *testing.T) {
	ref := demoRef(t)
	code, out, errOut := runCLI("secrets", ref, "--format", "json")
	if code != exitGate || !strings.Contains(errOut, "--fail-on low") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep secrets.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	// The demo's planted secret sits in a file a later layer deletes.
	found := false
	for _, f := range rep.Findings {
		if f.File == "app/config/.env" && !f.Visible && f.Layer != "" {
			found = true
		}
		if strings.Contains(out, "abcdefghijklmnopqrstuvwxyz") {
			t.Errorf("secret printed in clear: %+v", f)
		}
	}
	if !found {
		t.Errorf("planted secret not found: %+v", rep.Findings)
	}
	// A baseline of this report silences it; --fail-on none never fails.
	base := filepath.Join(t.TempDir(), "baseline.json")
	os.WriteFile(base, []byte(out), 0o644)
	if code, out, errOut := runCLI("secrets", ref, "--baseline", base); code != exitOK || !strings.Contains(out, "known from the baseline") {
		t.Errorf("with baseline: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := runCLI("secrets", ref, "--fail-on", "none", "--format", "sarif"); code != exitOK {
		t.Errorf("--fail-on none: exit %d %s", code, errOut)
	}
	if code, _, _ := runCLI("secrets", ref, "--fail-on", "critical"); code != exitOK {
		t.Errorf("--fail-on critical: exit %d", code)
	}
}

func TestSecretsDir(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "app.env"), []byte("ACME=acme_9f8e7d6c5b4a39281706f5e4d3c2b1a0\n"), 0o644)
	// The repository's own gitleaks configuration is picked up.
	os.WriteFile(filepath.Join(dir, ".gitleaks.toml"), []byte("[extend]\nuseDefault = true\n[[rules]]\nid = \"acme-token\"\nregex = '''acme_[0-9a-f]{32}'''\nkeywords = [\"acme_\"]\n"), 0o644)
	code, out, errOut := runCLI("secrets", "dir:"+dir, "--reveal")
	if code != exitGate || !strings.Contains(out, "acme-token") || !strings.Contains(out, "acme_9f8e7d6c5b4a39281706f5e4d3c2b1a0") || !strings.Contains(errOut, ".gitleaks.toml") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("[[rules]]\nid = \"x\"\nregex = '(('\n"), 0o644)
	if code, _, errOut := runCLI("secrets", "dir:"+dir, "--config", bad); code != exitError || !strings.Contains(errOut, `rule "x"`) {
		t.Errorf("bad config: exit %d %s", code, errOut)
	}
	if code, _, _ := runCLI("secrets", "dir:"+dir, "--format", "xml"); code != exitError {
		t.Errorf("bad format: exit %d", code)
	}
}
