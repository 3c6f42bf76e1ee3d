package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/examples/demo"
)

func demoOSV(t *testing.T) string {
	t.Helper()
	dir, err := demo.WriteOSV(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestScan(t *testing.T) {
	ref, db, cache := demoRef(t), demoOSV(t), t.TempDir()
	code, out, errOut := runCLI("scan", ref, "--db", db, "--cache-dir", cache)
	if code != exitOK || !strings.Contains(out, "CVE-2023-43804") || !strings.Contains(out, "13 vulnerabilities") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	// A gate: PyYAML's critical (rated by GitHub's alias record) fails
	// --fail-on critical.
	if code, _, errOut := runCLI("scan", ref, "--db", db, "--cache-dir", cache, "--fail-on", "critical"); code != exitGate ||
		!strings.Contains(errOut, "a critical vulnerability is at or above --fail-on critical") {
		t.Errorf("--fail-on critical: exit %d %s", code, errOut)
	}
	// Suppressing the rated findings above medium leaves the unrated ones
	// (the demo's Debian advisories and jinja2's PyPA record rate
	// nothing): by default they fail the gate, --unrated warn lets them
	// pass with a warning, --unrated ignore silently. They stay in the
	// report, suppressed.
	ignore := filepath.Join(t.TempDir(), "ignore.yaml")
	os.WriteFile(ignore, []byte("ignore:\n"+
		"  - id: CVE-2023-43804\n    reason: cookies are not forwarded by our client\n    expires: 2099-01-01\n"+
		"  - id: CVE-2021-33503\n    reason: URLs come from our configuration only\n    expires: 2099-01-01\n"+
		"  - id: CVE-2020-14343\n    reason: only yaml.safe_load is called\n    expires: 2099-01-01\n"), 0o644)
	gate := []string{"scan", ref, "--db", db, "--cache-dir", cache, "--fail-on", "high", "--ignore", ignore}
	if code, _, errOut := runCLI(gate...); code != exitGate ||
		!strings.Contains(errOut, "failing: 8 vulnerabilities are unrated, first DSA-5587-1 in curl 7.88.1-10+deb12u1") {
		t.Errorf("unrated: exit %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(append(gate, "--unrated", "warn")...); code != exitOK ||
		!strings.Contains(errOut, "warning: 8 unrated vulnerabilities pass the gate (--unrated warn)") {
		t.Errorf("--unrated warn: exit %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(append(gate, "--unrated", "ignore", "--quiet")...); code != exitOK || errOut != "" {
		t.Errorf("--unrated ignore: exit %d %q", code, errOut)
	}
	if code, _, errOut := runCLI("scan", ref, "--db", db, "--cache-dir", cache, "--unrated", "maybe"); code != exitError || !strings.Contains(errOut, "--unrated") {
		t.Errorf("--unrated maybe: exit %d %s", code, errOut)
	}
	code, out, _ = runCLI(append(gate, "--unrated", "ignore", "--format", "json")...)
	if code != exitOK {
		t.Errorf("suppressed: exit %d", code)
	}
	var rep struct {
		Findings []struct {
			ID         string `json:"id"`
			Suppressed *struct {
				Reason string `json:"reason"`
			} `json:"suppressed"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var suppressed int
	for _, f := range rep.Findings {
		if f.Suppressed != nil && f.ID == "CVE-2023-43804" {
			suppressed++
		}
	}
	if len(rep.Findings) != 13 || suppressed != 1 {
		t.Errorf("%d findings, %d suppressed", len(rep.Findings), suppressed)
	}
	// SARIF and CycloneDX.
	if code, out, _ := runCLI("scan", ref, "--db", db, "--cache-dir", cache, "--format", "sarif"); code != exitOK || !strings.Contains(out, `"version": "2.1.0"`) {
		t.Errorf("sarif: exit %d", code)
	}
	if code, out, _ := runCLI("scan", ref, "--db", db, "--cache-dir", cache, "--format", "cyclonedx-json"); code != exitOK || !strings.Contains(out, `"vulnerabilities"`) {
		t.Errorf("cyclonedx: exit %d", code)
	}
}

func TestScanSBOMFile(t *testing.T) {
	sbomFile := filepath.Join(t.TempDir(), "sbom.cdx.json")
	if code, _, errOut := runCLI("sbom", demoRef(t), "--format", "cyclonedx-json", "--output", sbomFile); code != exitOK {
		t.Fatal(errOut)
	}
	code, out, errOut := runCLI("scan", "sbom:"+sbomFile, "--db", demoOSV(t), "--cache-dir", t.TempDir())
	if code != exitOK || !strings.Contains(out, "13 vulnerabilities") {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestScanErrors(t *testing.T) {
	empty := t.TempDir()
	if code, _, errOut := runCLI("scan", demoRef(t), "--cache-dir", empty); code != exitError || !strings.Contains(errOut, "no vulnerability data") {
		t.Errorf("no db: exit %d %s", code, errOut)
	}
	if code, _, errOut := runCLI("scan", demoRef(t), "--db", demoOSV(t), "--fail-on", "severe"); code != exitError || !strings.Contains(errOut, "severity") {
		t.Errorf("bad --fail-on: exit %d %s", code, errOut)
	}
	if code, _, errOut := runCLI("scan", demoRef(t), "--db", demoOSV(t), "--vex", "/nonexistent.json"); code != exitError || !strings.Contains(errOut, "nonexistent") {
		t.Errorf("bad --vex: exit %d %s", code, errOut)
	}
}

func TestDB(t *testing.T) {
	store := filepath.Join(t.TempDir(), "demo.db")
	code, out, errOut := runCLI("db", "build", "--output", store, demoOSV(t))
	if code != exitOK || !strings.Contains(out, "14 advisories") {
		t.Fatalf("build: exit %d %s %s", code, out, errOut)
	}
	if code, out, _ := runCLI("db", "info", "--db", store); code != exitOK || !strings.Contains(out, "14 advisories") {
		t.Errorf("info: exit %d %s", code, out)
	}
	if code, out, _ := runCLI("scan", demoRef(t), "--db", store); code != exitOK || !strings.Contains(out, "13 vulnerabilities") {
		t.Errorf("scan with a built store: exit %d %s", code, out)
	}
	// fetch from a bucket served by the test.
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	rec, _ := os.ReadFile(filepath.Join(demoOSV(t), "PyPI", "PYSEC-2023-74.json"))
	w, _ := zw.Create("PYSEC-2023-74.json")
	w.Write(rec)
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/PyPI/all.zip" {
			http.NotFound(w, r)
			return
		}
		w.Write(zipped.Bytes())
	}))
	defer srv.Close()
	cache := t.TempDir()
	code, out, errOut = runCLI("db", "fetch", "--for", demoRef(t), "--url", srv.URL, "--cache-dir", cache)
	// The demo needs Debian and PyPI; the test bucket has only PyPI.
	if code != exitError || !strings.Contains(errOut, "Debian") {
		t.Errorf("fetch --for: exit %d %s %s", code, out, errOut)
	}
	code, out, errOut = runCLI("db", "fetch", "--ecosystem", "PyPI", "--url", srv.URL, "--cache-dir", cache)
	if code != exitOK || !strings.Contains(out, "1 advisories") || !strings.Contains(out, "updated: PyPI") {
		t.Errorf("fetch: exit %d %s %s", code, out, errOut)
	}
	code, out, _ = runCLI("scan", demoRef(t), "--cache-dir", cache)
	if code != exitOK || !strings.Contains(out, "CVE-2023-32681") {
		t.Errorf("scan with the fetched store: exit %d %s", code, out)
	}
	if code, _, _ := runCLI("db"); code != exitError {
		t.Error("db without a command")
	}
}

func TestScanHardening(t *testing.T) {
	ref := demoRef(t)
	// Hardening alone needs no vulnerability data.
	code, out, errOut := runCLI("scan", ref, "--checks", "hardening")
	if code != exitOK || !strings.Contains(out, "root-user") || !strings.Contains(out, "hardening findings") || strings.Contains(out, "vulnerabilities") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut := runCLI("scan", ref, "--checks", "hardening", "--fail-on", "high"); code != exitGate || !strings.Contains(errOut, "hardening") {
		t.Errorf("--fail-on high: exit %d %s", code, errOut)
	}
	if code, _, _ := runCLI("scan", ref, "--checks", "hardening", "--fail-on", "high", "--skip-check", "root-user"); code != exitOK {
		t.Errorf("--skip-check root-user: exit %d", code)
	}
	// JSON of --checks hardening: the harden.Report, with the checks that ran.
	code, out, _ = runCLI("scan", ref, "--checks", "hardening", "--format", "json")
	var hrep struct {
		Checks   []string          `json:"checks"`
		Findings []json.RawMessage `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &hrep); err != nil || code != exitOK || len(hrep.Checks) == 0 || len(hrep.Findings) == 0 {
		t.Errorf("hardening json: exit %d, %v, %s", code, err, out)
	}
	// Both, in one read: JSON is the inspection shape.
	code, out, errOut = runCLI("scan", ref, "--checks", "all", "--db", demoOSV(t), "--cache-dir", t.TempDir(), "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d %s", code, errOut)
	}
	var res struct {
		Evidence struct {
			SBOM *json.RawMessage `json:"sbom"`
			Scan struct {
				Findings []json.RawMessage `json:"findings"`
			} `json:"scan"`
			Hardening struct {
				Checks   []string `json:"checks"`
				Findings []struct {
					ID       string `json:"id"`
					Severity string `json:"severity"`
				} `json:"findings"`
			} `json:"hardening"`
			Secrets *json.RawMessage `json:"secrets"`
		} `json:"evidence"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, h := range res.Evidence.Hardening.Findings {
		ids[h.ID] = true
	}
	if len(res.Evidence.Scan.Findings) != 13 || !ids["root-user"] || !ids["image-age"] || res.Evidence.SBOM != nil || res.Evidence.Secrets != nil {
		t.Errorf("%d vulnerabilities, hardening %v", len(res.Evidence.Scan.Findings), ids)
	}
	// Table: both tables; SARIF: one run with both.
	code, out, _ = runCLI("scan", ref, "--checks", "all", "--db", demoOSV(t), "--cache-dir", t.TempDir())
	if code != exitOK || !strings.Contains(out, "13 vulnerabilities") || !strings.Contains(out, "hardening findings") {
		t.Errorf("all, table: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI("scan", ref, "--checks", "all", "--db", demoOSV(t), "--cache-dir", t.TempDir(), "--format", "sarif")
	if code != exitOK {
		t.Errorf("all, sarif: exit %d", code)
	}
	checkSARIF(t, out, "CVE-2023-43804", "root-user")
	code, out, _ = runCLI("scan", ref, "--checks", "hardening", "--format", "sarif")
	if code != exitOK || !strings.Contains(out, `"ruleId": "root-user"`) {
		t.Errorf("sarif: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{
		{"scan", ref, "--checks", "everything"},
		{"scan", ref, "--checks", "hardening", "--skip-check", "no-such-check"},
		{"scan", "sbom:x.json", "--checks", "hardening"},
		{"scan", ref, "--checks", "all", "--format", "cyclonedx-json"},
		{"scan", "dir:" + t.TempDir(), "--checks", "hardening"},
	} {
		if code, _, _ := runCLI(args...); code != exitError {
			t.Errorf("%v: exit %d, want %d", args, code, exitError)
		}
	}
}
