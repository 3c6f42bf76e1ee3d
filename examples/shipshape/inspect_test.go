package main

import (
	"encoding/json"
	"strings"
	"testing"
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
	var in struct {
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
	}
	if err := json.Unmarshal([]byte(out), &in); err != nil {
		t.Fatal(err)
	}
	if len(in.SBOM.Packages) != 34 || len(in.Secrets.Findings) != 1 || in.Secrets.Findings[0].Visible || len(in.Hardening.Findings) == 0 {
		t.Errorf("inspection %+v", in)
	}
	if code, _, _ := runCLI("inspect", ref, "--fail-on", "high"); code != exitGate {
		t.Errorf("--fail-on high: exit %d", code)
	}
	if code, _, _ := runCLI("inspect", ref, "--format", "xml"); code != exitError {
		t.Errorf("bad format: exit %d", code)
	}
}
