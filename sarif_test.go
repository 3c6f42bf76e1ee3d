package shipshape_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/layer/layertest"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/scan"
)

// TestEncodeSARIF: one run holds every kind of finding of a Check, each
// result pointing at its own rule, and no secret in clear.
func TestEncodeSARIF(t *testing.T) {
	ctx := context.Background()
	img := layertest.Image(t,
		layertest.Layer(t,
			layertest.File("etc/os-release", "ID=debian\nVERSION_ID=12\n"),
			layertest.File("usr/lib/python3/dist-packages/Flask_Thing-1.1.dist-info/METADATA", "Metadata-Version: 2.1\nName: Flask_Thing\nVersion: 1.1\n"),
			layertest.File("app/.env", "STRIPE_KEY=sk_live_"+"4eC39HqLyjWDarjtT1zdp7dc\n"),
		))
	db, err := scan.LoadDB(ctx, "scan/testdata/osv", scan.WithCacheDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := policy.Load([]byte("rules:\n  - type: no-secrets\n    action: deny\n  - type: no-root\n    action: warn\n"))
	if err != nil {
		t.Fatal(err)
	}
	in, err := shipshape.Check(ctx, imageSource(t, img), p, shipshape.WithDB(db))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := shipshape.EncodeSARIF(&buf, in); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "4eC39HqLyjWDarjtT1zdp7dc") {
		t.Error("the SARIF log holds the secret in clear")
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID   string `json:"id"`
						Name string `json:"name"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %s, %d runs", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	seen := map[string]bool{}
	for _, r := range run.Results {
		if r.RuleIndex < 0 || r.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result for %s points at rule %d", r.RuleID, r.RuleIndex)
			continue
		}
		seen[r.RuleID] = true
	}
	for _, want := range []string{"CVE-2099-0100", "stripe-access-token", "root-user", "policy/no-secrets", "policy/no-root"} {
		if !seen[want] {
			t.Errorf("no result of %s in %v", want, seen)
		}
	}
}
