package scan

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/shipshape-dev/shipshape/result"
)

// TestSARIFRuleSeverity: GitHub shows an alert with its rule's
// security-severity, so a vulnerability's rule carries its worst rating.
func TestSARIFRuleSeverity(t *testing.T) {
	r := &Report{Findings: []Finding{
		{ID: "CVE-2024-1", Package: Package{Name: "aaa-low", Location: "a"}, Severity: result.SeverityLow, Score: 2.0},
		{ID: "CVE-2024-1", Package: Package{Name: "mmm-unrated", Location: "m"}},
		{ID: "CVE-2024-1", Package: Package{Name: "zzz-critical", Location: "z"}, Severity: result.SeverityCritical, Score: 9.8},
		{ID: "CVE-2024-2", Package: Package{Name: "aaa-low", Location: "a"}, Severity: result.SeverityHigh},
	}}
	var buf bytes.Buffer
	if err := encodeSARIF(&buf, r); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string
						Default    struct{ Level string } `json:"defaultConfiguration"`
						Properties map[string]any
					}
				}
			}
			Results []struct{ RuleIndex int }
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	rules := log.Runs[0].Tool.Driver.Rules
	want := map[string][2]string{"CVE-2024-1": {"9.8", "error"}, "CVE-2024-2": {"8.0", "error"}}
	if len(rules) != len(want) || len(log.Runs[0].Results) != len(r.Findings) {
		t.Fatalf("%d rules, %d results", len(rules), len(log.Runs[0].Results))
	}
	for _, rule := range rules {
		if got := [2]string{rule.Properties["security-severity"].(string), rule.Default.Level}; got != want[rule.ID] {
			t.Errorf("%s: security-severity and level %v, want %v", rule.ID, got, want[rule.ID])
		}
	}
}
