package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/policy"
)

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const cliPolicy = `version: 1
rules:
  - type: no-secrets
    action: deny
  - type: no-root
    action: warn
  - type: signed
    action: deny
    keys: ["sha256:abc"]
  - name: no-telnet
    type: packages
    action: deny
    deny: ["pkg:deb/debian/telnet*"]
  - type: hardening
    action: warn
    ids: ["*"]
`

// The demo image, inventoried and scanned for secrets by the CLI itself,
// then judged: its planted secret denies; signature evidence it lacks is
// reported as missing; the image config says it runs as root.
func TestPolicyEvaluateDemo(t *testing.T) {
	ref := demoRef(t)
	dir := t.TempDir()
	sbomPath, secretsPath := filepath.Join(dir, "sbom.json"), filepath.Join(dir, "secrets.json")
	if code, _, errOut := runCLI("sbom", ref, "--format", "json", "--output", sbomPath); code != exitOK {
		t.Fatalf("sbom: exit %d %s", code, errOut)
	}
	if code, _, errOut := runCLI("secrets", ref, "--format", "json", "--output", secretsPath, "--fail-on", "none"); code != exitOK {
		t.Fatalf("secrets: exit %d %s", code, errOut)
	}
	pol := writeFile(t, dir, "policy.yaml", cliPolicy)
	code, out, errOut := runCLI("policy", "evaluate", "--policy", pol, "--sbom", sbomPath, "--secrets", secretsPath, "--image", ref, "--format", "json")
	if code != exitGate || !strings.Contains(errOut, "policy deny") {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var d policy.Decision
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, v := range d.Violations {
		got[v.Rule] = append(got[v.Rule], v.Evidence.Missing+"|"+v.Message)
	}
	if s := strings.Join(got["no-secrets"], ";"); !strings.Contains(s, "app/config/.env") || !strings.Contains(s, "deleted by a later layer") {
		t.Errorf("no-secrets: %s", s)
	}
	if s := strings.Join(got["signed"], ";"); !strings.HasPrefix(s, "signatures|") {
		t.Errorf("signed: %s", s)
	}
	if s := strings.Join(got["hardening"], ";"); !strings.HasPrefix(s, "hardening|") {
		t.Errorf("hardening: %s", s)
	}
	if _, ok := got["no-telnet"]; ok {
		t.Errorf("no-telnet: %v", got["no-telnet"])
	}
	if d.Digest == "" {
		t.Error("no digest from --image")
	}
	if strings.Contains(out, "abcdefghijklmnopqrstuvwxyz") {
		t.Error("secret printed in clear")
	}
}

func TestPolicyEvaluateFiles(t *testing.T) {
	dir := t.TempDir()
	pol := writeFile(t, dir, "policy.yaml", cliPolicy)
	report := writeFile(t, dir, "report.json", `{"schema_version": "1", "source": {"type": "image", "digest": "sha256:d1"}, "findings": []}`)
	hardening := writeFile(t, dir, "hardening.json", `{"schema_version": "1", "checks": ["sensitive-port"],
		"findings": [{"id": "sensitive-port", "title": "Sensitive port exposed", "severity": "medium", "evidence": {"port": "22/tcp"}, "remediation": "remove it"}]}`)
	secretsPath := writeFile(t, dir, "secrets.json", `{"schema_version": "1", "source": {"type": "image"}, "findings": [], "stats": {"files": 1, "bytes": 1}}`)
	sbomPath := writeFile(t, dir, "sbom.json", `{"schema_version": "1", "source": {"type": "image"}, "packages": [
		{"id": "a", "name": "telnet", "version": "0.17-44", "type": "deb", "purl": "pkg:deb/debian/telnet@0.17-44", "location": "var/lib/dpkg/status"}]}`)
	signed := writeFile(t, dir, "verification.json", `[{"verified": true, "digest": "sha256:d1", "key": "sha256:abc"}]`)

	// Everything clean but telnet: deny, in every format.
	for _, f := range []string{"table", "json", "junit", "sarif"} {
		code, out, errOut := runCLI("policy", "evaluate", "--policy", pol, "--report", report, "--hardening", hardening, "--secrets", secretsPath, "--sbom", sbomPath, "--verification", signed, "--format", f)
		if code != exitGate {
			t.Errorf("%s: exit %d %s", f, code, errOut)
		}
		if !strings.Contains(out, "telnet") {
			t.Errorf("%s: output does not name telnet:\n%s", f, out)
		}
		if f == "junit" {
			var v struct{}
			if err := xml.Unmarshal([]byte(out), &v); err != nil {
				t.Errorf("junit: %v", err)
			}
		}
	}
	// Without the SBOM the packages rule reports missing evidence (deny);
	// with a clean SBOM only warnings are left: exit 0.
	clean := writeFile(t, dir, "clean.json", `{"schema_version": "1", "source": {"type": "image"}, "packages": []}`)
	code, out, _ := runCLI("policy", "evaluate", "--policy", pol, "--report", report, "--hardening", hardening, "--secrets", secretsPath, "--verification", signed)
	if code != exitGate || !strings.Contains(out, "missing sbom") {
		t.Errorf("no sbom: exit %d\n%s", code, out)
	}
	code, out, errOut := runCLI("policy", "evaluate", "--policy", pol, "--report", report, "--hardening", hardening, "--secrets", secretsPath, "--verification", signed, "--sbom", clean, "--output", filepath.Join(dir, "d.txt"))
	if code != exitOK || out != "" {
		t.Errorf("clean: exit %d %q %s", code, out, errOut)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "d.txt")); !strings.HasPrefix(string(b), "policy warn") || !strings.Contains(string(b), "Sensitive port exposed") {
		t.Errorf("output file:\n%s", b)
	}
}

// TestPolicyEvaluateEvidence: the JSON of inspect, check and scan
// --checks all is evidence policy evaluate reads back, and judges as
// check did.
func TestPolicyEvaluateEvidence(t *testing.T) {
	ref, db := demoRef(t), demoOSV(t)
	dir := t.TempDir()
	pol := writeFile(t, dir, "policy.yaml", "version: 1\nrules:\n  - type: max-severity\n    action: deny\n    max: medium\n  - type: no-secrets\n    action: deny\n  - type: no-root\n    action: warn\n  - type: hardening\n    action: warn\n    ids: [\"*\"]\n")
	evidence := filepath.Join(dir, "check.json")
	code, _, errOut := runCLI("check", ref, "--policy", pol, "--db", db, "--cache-dir", t.TempDir(), "--format", "json", "--output", evidence, "--include-sbom")
	if code != exitGate {
		t.Fatalf("check: exit %d %s", code, errOut)
	}
	var checked struct {
		Decision policy.Decision `json:"decision"`
	}
	if err := readJSON(evidence, &checked); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI("policy", "evaluate", "--policy", pol, "--evidence", evidence, "--format", "json")
	if code != exitGate {
		t.Fatalf("evaluate: exit %d %s", code, errOut)
	}
	var d policy.Decision
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.Summary() != checked.Decision.Summary() || len(d.Violations) != len(checked.Decision.Violations) || d.Digest != checked.Decision.Digest {
		t.Errorf("evaluate says %s (%d violations), check said %s (%d)", d.Summary(), len(d.Violations), checked.Decision.Summary(), len(checked.Decision.Violations))
	}
	// scan --checks all writes the same shape (no secrets, no SBOM).
	all := filepath.Join(dir, "all.json")
	if code, _, errOut := runCLI("scan", ref, "--checks", "all", "--db", db, "--cache-dir", t.TempDir(), "--format", "json", "--output", all); code != exitOK {
		t.Fatalf("scan: exit %d %s", code, errOut)
	}
	code, out, _ = runCLI("policy", "evaluate", "--policy", pol, "--evidence", all)
	if code != exitGate || !strings.Contains(out, "missing secrets") || !strings.Contains(out, "CVE-2023-43804") {
		t.Errorf("scan --checks all as evidence: exit %d\n%s", code, out)
	}
	// Evidence of a partial read denies, unless --allow-incomplete.
	partial := writeFile(t, dir, "partial.json", `{"schema_version": "1", "evidence": {"name": "app", "incomplete": [{"layer": "sha256:ab12", "error": "diff_id mismatch"}]}}`)
	info := writeFile(t, dir, "info.yaml", "version: 1\nrules:\n  - type: no-root\n    action: info\n")
	if code, out, _ := runCLI("policy", "evaluate", "--policy", info, "--evidence", partial); code != exitGate || !strings.Contains(out, "complete-read") {
		t.Errorf("partial: exit %d\n%s", code, out)
	}
	if code, out, _ := runCLI("policy", "evaluate", "--policy", info, "--evidence", partial, "--allow-incomplete"); code != exitOK || !strings.Contains(out, "policy warn") {
		t.Errorf("partial, --allow-incomplete: exit %d\n%s", code, out)
	}
	bad := writeFile(t, dir, "bad.json", `{"schema_version": "1", "findings": []}`)
	if code, _, errOut := runCLI("policy", "evaluate", "--policy", pol, "--evidence", bad); code != exitError || !strings.Contains(errOut, `no "evidence"`) {
		t.Errorf("a scan report as --evidence: exit %d %s", code, errOut)
	}
}

func TestPolicyEvaluateErrors(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.yaml", "rules:\n  - name: c\n    action: deny\n    expression: input.nope\n")
	good := writeFile(t, dir, "good.yaml", cliPolicy)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"policy"}, "usage: shipshape policy evaluate"},
		{[]string{"policy", "judge"}, `policy: unknown command "judge"`},
		{[]string{"policy", "evaluate"}, "--policy is required"},
		{[]string{"policy", "evaluate", "--policy", bad}, "bad.yaml:4:17: rule \"c\""},
		{[]string{"policy", "evaluate", "--policy", good, "--format", "xml"}, "unknown format"},
		{[]string{"policy", "evaluate", "--policy", good, "--sbom", filepath.Join(dir, "none.json")}, "none.json"},
		{[]string{"policy", "evaluate", "--policy", good, "--verification", good}, "invalid signature evidence"},
		{[]string{"policy", "evaluate", "--policy", good, "--hardening", filepath.Join(dir, "none.json")}, "none.json"},
		{[]string{"policy", "evaluate", "--policy", good, "--image", dir}, "scheme"},
	} {
		code, _, errOut := runCLI(c.args...)
		if code != exitError || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, code, errOut, c.want)
		}
	}
	if code, _, _ := runCLI("policy", "--help"); code != exitOK {
		t.Errorf("--help: exit %d", code)
	}
}
