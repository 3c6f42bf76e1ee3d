package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/sbom"
)

func TestQuickstartDemo(t *testing.T) {
	out := filepath.Join(t.TempDir(), "sbom.json")
	var buf bytes.Buffer
	page := filepath.Join(t.TempDir(), "report.html")
	if err := run(context.Background(), []string{"--sbom", out, "--html", page}, &buf); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	for _, want := range []string{"Debian GNU/Linux 12 (bookworm)", "Packages 34", "Layer 2", "curl 7.88.1-10+deb12u1", "SBOM written",
		"13 vulnerabilities: 1 critical, 2 high, 2 medium, 0 low, 8 unrated", "CVE-2023-43804   urllib3 1.26.4 (fixed in 1.26.17, 2.0.6)", "DSA-5514-1",
		"Secrets 1", "app/config/.env:2 in layer", "(deleted by a later layer, still in the image)",
		"Hardening 3", "root-user", "Image runs as root: user (none: root)", "image-age",
		"policy deny: 7 rules, 1 deny, 14 warn", "deny    no-fixable-criticals  CVE-2020-14343 (critical) in pyyaml 5.3.1, fixed in 5.4", "fixable-highs         CVE-2023-43804 (high) in urllib3", "fixable-highs         DSA-5514-1 in libc6 2.36-9+deb12u1 is unrated", "secrets               Credential"} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	if b, err := os.ReadFile(page); err != nil || !strings.Contains(string(b), `id="verdict-value">deny<`) || !strings.Contains(string(b), "CVE-2023-43804") {
		t.Errorf("HTML report: %v", err)
	}
	if strings.Contains(got, "abcdefghijklmnopqrstuvwxyz") {
		t.Errorf("a secret is printed in clear:\n%s", got)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := sbom.Decode(f)
	if err != nil || len(s.Packages) != 34 {
		t.Fatalf("written SBOM: %v, %d packages", err, len(s.Packages))
	}
}

// TestQuickstartPolicy: without --policy the quickstart judges by
// examples/policies/baseline.yaml; --policy strict.yaml denies the demo.
func TestQuickstartPolicy(t *testing.T) {
	p, err := loadPolicy("")
	if err != nil {
		t.Fatal(err)
	}
	baseline, err := policy.LoadFile("../policies/baseline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.RuleNames(), baseline.RuleNames(); !slices.Equal(got, want) {
		t.Errorf("built-in rules %v, baseline.yaml's %v", got, want)
	}
	var buf bytes.Buffer
	if err := run(context.Background(), []string{"--policy", "../policies/strict.yaml"}, &buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "policy deny") || !strings.Contains(buf.String(), "no-fixable-highs") {
		t.Errorf("strict:\n%s", buf.String())
	}
}

func TestQuickstartBadImage(t *testing.T) {
	if err := run(context.Background(), []string{"docker-archive:/nonexistent.tar"}, &bytes.Buffer{}); err == nil {
		t.Error("no error for a missing archive")
	}
}
