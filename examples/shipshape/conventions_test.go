package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/scan"
)

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, errOut := runCLI(args...)
		if code != exitOK || errOut != "" || !strings.HasPrefix(out, "shipshape ") || strings.Contains(out, "(devel)") || !strings.Contains(out, "go1.") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	if code, out, _ := runCLI("version"); code != exitOK || !strings.Contains(out, shipshape.Version()) {
		t.Errorf("version %q does not hold the library's %q", out, shipshape.Version())
	}
}

// TestSBOMReproducible: with the serial number and timestamp pinned, two
// runs write the same CycloneDX document; $SOURCE_DATE_EPOCH pins the
// timestamp when --timestamp is not given. The tool's version is this
// build's.
func TestSBOMReproducible(t *testing.T) {
	ref := demoRef(t)
	const serial = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
	pinned := []string{"sbom", ref, "--format", "cyclonedx-json", "--serial-number", serial, "--timestamp", "2024-05-01T10:00:00Z"}
	_, first, _ := runCLI(pinned...)
	code, second, errOut := runCLI(pinned...)
	if code != exitOK || first != second {
		t.Fatalf("exit %d %s; the runs differ", code, errOut)
	}
	var bom struct {
		SerialNumber string `json:"serialNumber"`
		Metadata     struct {
			Timestamp string `json:"timestamp"`
			Tools     struct {
				Components []struct {
					Name, Version string
				} `json:"components"`
			} `json:"tools"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal([]byte(first), &bom); err != nil {
		t.Fatal(err)
	}
	tools := bom.Metadata.Tools.Components
	if bom.SerialNumber != serial || bom.Metadata.Timestamp != "2024-05-01T10:00:00Z" || len(tools) != 1 ||
		tools[0].Version != shipshape.Version() || tools[0].Version == "(devel)" {
		t.Errorf("serial %s, timestamp %s, tools %+v", bom.SerialNumber, bom.Metadata.Timestamp, tools)
	}

	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	code, out, _ := runCLI("sbom", ref, "--format", "cyclonedx-xml", "--serial-number", serial)
	if code != exitOK || !strings.Contains(out, "<timestamp>2023-11-14T22:13:20Z</timestamp>") || !strings.Contains(out, serial) {
		t.Errorf("SOURCE_DATE_EPOCH: exit %d\n%.600s", code, out)
	}
	// --timestamp wins over the environment.
	if _, out, _ := runCLI(pinned...); out != first {
		t.Error("--timestamp does not override SOURCE_DATE_EPOCH")
	}
	t.Setenv("SOURCE_DATE_EPOCH", "last tuesday")
	if code, _, errOut := runCLI("sbom", ref, "--format", "cyclonedx-json"); code != exitError || !strings.Contains(errOut, "SOURCE_DATE_EPOCH") {
		t.Errorf("bad SOURCE_DATE_EPOCH: exit %d %s", code, errOut)
	}
}

// TestFailOnNone: --fail-on none is no gate, in every command that has
// --fail-on; a severity is one.
func TestFailOnNone(t *testing.T) {
	ref, db := demoRef(t), demoOSV(t)
	for _, cmd := range [][]string{
		{"scan", ref, "--db", db, "--cache-dir", t.TempDir()},
		{"scan", ref, "--checks", "hardening"},
		{"scan", ref, "--checks", "all", "--db", db, "--cache-dir", t.TempDir()},
		{"inspect", ref},
		{"secrets", ref},
	} {
		if code, _, errOut := runCLI(append(cmd, "--fail-on", "none")...); code != exitOK {
			t.Errorf("%v --fail-on none: exit %d %s", cmd[:min(3, len(cmd))], code, errOut)
		}
		if code, _, errOut := runCLI(append(cmd, "--fail-on", "low")...); code != exitGate || !strings.Contains(errOut, "failing") {
			t.Errorf("%v --fail-on low: exit %d %s", cmd[:min(3, len(cmd))], code, errOut)
		}
	}
}

// TestProgressFlags: every command that reads an image takes --quiet and
// --verbose; --verbose says what was read on stderr, --quiet leaves
// stderr empty (the progress bar itself draws only on a terminal).
func TestProgressFlags(t *testing.T) {
	ref, db := demoRef(t), demoOSV(t)
	pol := writeFile(t, t.TempDir(), "policy.yaml", "version: 1\nrules:\n  - type: no-root\n    action: warn\n")
	for _, cmd := range [][]string{
		{"sbom", ref},
		{"scan", ref, "--db", db, "--cache-dir", t.TempDir()},
		{"scan", ref, "--checks", "hardening"},
		{"inspect", ref},
		{"check", ref, "--policy", pol, "--db", db, "--cache-dir", t.TempDir(), "--format", "json"},
		{"secrets", ref, "--fail-on", "none"},
	} {
		code, _, errOut := runCLI(append(cmd, "--verbose", "--no-layer-cache")...)
		if cmd[0] == "secrets" {
			code, _, errOut = runCLI(append(cmd, "--verbose")...)
		}
		if code != exitOK || !regexp.MustCompile(`shipshape: 3 layers, [0-9.]+ MiB decompressed, in `).MatchString(errOut) {
			t.Errorf("%v --verbose: exit %d, stderr %q", cmd[:2], code, errOut)
		}
		code, _, errOut = runCLI(append(cmd, "--quiet")...)
		if code != exitOK || errOut != "" {
			t.Errorf("%v --quiet: exit %d, stderr %q", cmd[:2], code, errOut)
		}
	}
}

// TestScanHelpIgnoreFile: 'scan -h' documents the ignore file with an
// example that parses, and the example file shipped with the policies
// works with --ignore.
func TestScanHelpIgnoreFile(t *testing.T) {
	code, out, _ := runCLI("scan", "-h")
	if code != exitOK || !strings.Contains(out, "ignore:\n    - id: CVE-") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	// The example, as a user would copy it from the help.
	i := strings.Index(out, "  ignore:\n")
	j := strings.Index(out[i:], "\n\n")
	example := out[i : i+j+1]
	s, err := scan.ParseSuppressions("help", strings.NewReader(example))
	if err != nil || s.Len() != 1 {
		t.Errorf("the example in the help: %v\n%s", err, example)
	}
	if _, err := os.Stat("../policies/ignore.yaml"); err != nil {
		t.Fatal(err)
	}
	ref := demoRef(t)
	code, out, errOut := runCLI("scan", ref, "--db", demoOSV(t), "--cache-dir", t.TempDir(), "--ignore", "../policies/ignore.yaml", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d %s", code, errOut)
	}
	var rep scan.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 13 || len(rep.Active()) != 11 {
		t.Errorf("%d findings, %d active", len(rep.Findings), len(rep.Active()))
	}
}

// TestExamplePolicies runs check with the shipped policies over the demo.
func TestExamplePolicies(t *testing.T) {
	ref, db := demoRef(t), demoOSV(t)
	// Both deny: PyYAML 5.3.1 has a critical vulnerability with a fix.
	for name, want := range map[string]int{"baseline": exitGate, "strict": exitGate} {
		code, out, errOut := runCLI("check", ref, "--policy", filepath.Join("..", "policies", name+".yaml"), "--db", db, "--cache-dir", t.TempDir(), "--format", "json")
		var res struct {
			Decision policy.Decision `json:"decision"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		if code != want {
			t.Errorf("%s: exit %d, %s\n%s", name, code, res.Decision.Summary(), errOut)
		}
	}
}
