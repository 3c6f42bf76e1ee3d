package scan

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/sbom"
)

// TestWarningsInEveryOutput: what could not be checked (here: nothing at
// all, skipped OSV records, a distribution past its end) shows in each
// format, not only in the JSON.
func TestWarningsInEveryOutput(t *testing.T) {
	db := testDB(t) // its source has skipped records
	ctx := context.Background()
	empty, err := Match(ctx, db, &sbom.SBOM{}, WithNow(fixedNow))
	if err != nil {
		t.Fatal(err)
	}
	stale, err := Match(ctx, db, &sbom.SBOM{Distro: &sbom.Distro{ID: "debian", VersionID: "10"}}, WithNow(fixedNow))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		rep  *Report
		want []string // kinds
	}{
		{"nothing", empty, []string{WarnNothing, WarnSkipped}},
		{"eol", stale, []string{WarnEOL, WarnSkipped}},
	} {
		msg := map[string]string{}
		for _, w := range tt.rep.Warnings {
			msg[w.Kind] = w.Message
		}
		for _, k := range tt.want {
			if msg[k] == "" {
				t.Fatalf("%s: no %s warning in %+v", tt.name, k, tt.rep.Warnings)
			}
		}
		for _, f := range []Format{FormatJSON, FormatTable, FormatSARIF, FormatCycloneDXJSON} {
			var buf bytes.Buffer
			var err error
			if f == FormatCycloneDXJSON {
				err = EncodeCycloneDX(&buf, &sbom.SBOM{Distro: tt.rep.Distro}, tt.rep, f)
			} else {
				err = Encode(&buf, tt.rep, f)
			}
			if err != nil {
				t.Fatalf("%s %s: %v", tt.name, f, err)
			}
			out := buf.String()
			if f != FormatTable {
				// Messages are JSON strings there (quotes escaped).
				var v any
				if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
					t.Fatalf("%s %s: %v", tt.name, f, err)
				}
			}
			for _, k := range tt.want {
				m, _ := json.Marshal(msg[k])
				text := strings.Trim(string(m), `"`)
				if f == FormatCycloneDXJSON {
					// A JSON warning inside a JSON string.
					inner, _ := json.Marshal(string(m))
					text = strings.Trim(string(inner), `"`)
				}
				if f == FormatTable {
					text = msg[k]
				}
				if !strings.Contains(out, text) {
					t.Errorf("%s %s: the %s warning is missing", tt.name, f, k)
				}
			}
		}
	}
	// The SARIF form carries the end of life as a result code scanning
	// shows, the table as its own line.
	var buf bytes.Buffer
	if err := Encode(&buf, stale, FormatSARIF); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"ruleId": "`+RuleDistroEOL+`"`) {
		t.Errorf("no %s result:\n%s", RuleDistroEOL, buf.String())
	}
	buf.Reset()
	if err := Encode(&buf, stale, FormatTable); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "distribution: debian 10 is past its end of support, which ended after 2024-06-30") {
		t.Errorf("table:\n%s", buf.String())
	}
}
