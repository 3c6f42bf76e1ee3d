package secretcorpus

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScore(t *testing.T) {
	labels := Labels{
		{File: "a/.env", Line: 3, EndLine: 3, Format: "github-pat", Carrier: "dotenv"},
		{File: "a/.env", Line: 7, EndLine: 7, Format: "generic-password", Carrier: "dotenv"},
		{File: "keys/server.key", Line: 1, EndLine: 27, Format: "private-key-rsa", Carrier: "pem-file"},
		{File: "twilio.env", Line: 4, EndLine: 5, Format: "twilio-auth-token", Carrier: "dotenv"},
	}
	tests := []struct {
		name                   string
		findings               []Finding
		tp, fn, fp, tpf, lines int
		recall, precision      float64
		perFormatFound         map[string]int
	}{
		{
			name: "no findings",
			fn:   4, recall: 0, precision: 0,
			perFormatFound: map[string]int{"github-pat": 0},
		},
		{
			name:     "exact line",
			findings: []Finding{{File: "a/.env", Line: 3, RuleID: "github-pat"}},
			tp:       1, fn: 3, tpf: 1, lines: 1, recall: 0.25, precision: 1,
			perFormatFound: map[string]int{"github-pat": 1, "generic-password": 0},
		},
		{
			name: "same line twice counts once for precision and recall",
			findings: []Finding{
				{File: "a/.env", Line: 3, EndLine: 3, RuleID: "github-pat"},
				{File: "a/.env", Line: 3, EndLine: 3, RuleID: "generic-api-key"},
			},
			tp: 1, fn: 3, tpf: 1, lines: 1, recall: 0.25, precision: 1,
		},
		{
			name: "a finding inside a key block matches it; one at its END line too",
			findings: []Finding{
				{File: "keys/server.key", Line: 1, EndLine: 27, RuleID: "private-key"},
				{File: "keys/server.key", Line: 27, RuleID: "other"},
			},
			tp: 1, fn: 3, tpf: 2, lines: 2, recall: 0.25, precision: 1,
		},
		{
			name: "a multi-line finding that starts before the label overlaps it",
			findings: []Finding{
				{File: "twilio.env", Line: 1, EndLine: 4, RuleID: "twilio"},
			},
			tp: 1, fn: 3, tpf: 1, lines: 1, recall: 0.25, precision: 1,
		},
		{
			name: "wrong file, wrong line and a line just past the label are false positives",
			findings: []Finding{
				{File: "b/.env", Line: 3, RuleID: "github-pat"},
				{File: "a/.env", Line: 4, RuleID: "generic"},
				{File: "twilio.env", Line: 6, RuleID: "generic"},
				{File: "a/.env", Line: 7, RuleID: "generic"},
			},
			tp: 1, fn: 3, fp: 3, tpf: 1, lines: 4, recall: 0.25, precision: 0.25,
			perFormatFound: map[string]int{"generic-password": 1, "github-pat": 0},
		},
		{
			name: "everything found",
			findings: []Finding{
				{File: "a/.env", Line: 3}, {File: "a/.env", Line: 7}, {File: "keys/server.key", Line: 1, EndLine: 27}, {File: "twilio.env", Line: 5},
			},
			tp: 4, tpf: 4, lines: 4, recall: 1, precision: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Score(labels, tc.findings)
			if r.TP != tc.tp || r.FN != tc.fn || r.FP != tc.fp || r.TPFindings != tc.tpf || r.Findings != tc.lines {
				t.Errorf("TP %d FN %d FP %d TPFindings %d Findings %d, want %d %d %d %d %d",
					r.TP, r.FN, r.FP, r.TPFindings, r.Findings, tc.tp, tc.fn, tc.fp, tc.tpf, tc.lines)
			}
			if r.Recall != tc.recall || r.Precision != tc.precision {
				t.Errorf("recall %v precision %v, want %v %v", r.Recall, r.Precision, tc.recall, tc.precision)
			}
			if r.Labels != len(labels) || len(r.Misses) != r.FN || len(r.FalsePositives) != r.FP {
				t.Errorf("inconsistent result %+v", r)
			}
			for _, fr := range r.PerFormat {
				if want, ok := tc.perFormatFound[fr.Name]; ok && fr.Found != want {
					t.Errorf("format %s found %d, want %d", fr.Name, fr.Found, want)
				}
			}
		})
	}
}

func TestRelPath(t *testing.T) {
	dir := t.TempDir()
	tree := filepath.Join(dir, "tree")
	if err := os.MkdirAll(filepath.Join(tree, "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tree, "a", "x.env"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	tests := []struct{ path, tree, want string }{
		{"a/x.env", "tree", "a/x.env"},
		{"tree/a/x.env", "tree", "a/x.env"},
		{"./tree/a/x.env", "./tree", "a/x.env"},
		{filepath.Join(tree, "a", "x.env"), "tree", "a/x.env"},
		{filepath.Join(tree, "a", "x.env"), tree, "a/x.env"},
		{"tree/a/x.env", tree, "a/x.env"},                   // relative to the working directory
		{"tree/a/x.env", "/elsewhere/tree", "tree/a/x.env"}, // unresolvable: left as is
		{"/other/a/x.env", tree, "/other/a/x.env"},
	}
	for _, tc := range tests {
		if got := RelPath(tc.path, tc.tree); got != tc.want {
			t.Errorf("RelPath(%q, %q) = %q, want %q", tc.path, tc.tree, got, tc.want)
		}
	}
}

func TestReadReports(t *testing.T) {
	tests := []struct {
		name, format, in string
		want             []Finding
		wantErr          bool
	}{
		{
			name:   "gitleaks",
			format: "gitleaks",
			in:     `[{"RuleID":"github-pat","File":"/scan/tree/a/.env","StartLine":3,"EndLine":3,"Secret":"x"},{"RuleID":"private-key","File":"keys/k.pem","StartLine":1,"EndLine":9}]`,
			want:   []Finding{{File: "a/.env", Line: 3, EndLine: 3, RuleID: "github-pat"}, {File: "keys/k.pem", Line: 1, EndLine: 9, RuleID: "private-key"}},
		},
		{name: "gitleaks empty", format: "gitleaks", in: `[]`, want: []Finding{}},
		{name: "gitleaks not an array", format: "gitleaks", in: `{"findings":[]}`, wantErr: true},
		{
			name:   "shipshape",
			format: "shipshape",
			in:     `{"schema_version":1,"findings":[{"rule_id":"aws-access-key","file":"a/.env","line":4,"column":18,"end_line":4,"secret":"AKIA****"}],"errors":[]}`,
			want:   []Finding{{File: "a/.env", Line: 4, EndLine: 4, RuleID: "aws-access-key"}},
		},
		{name: "shipshape no findings member", format: "shipshape", in: `{"schema_version":1}`, wantErr: true},
		{name: "shipshape garbage", format: "shipshape", in: `not json`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []Finding
			var err error
			if tc.format == "gitleaks" {
				got, err = ReadGitleaksReport(strings.NewReader(tc.in), "/scan/tree")
			} else {
				got, err = ReadShipshapeReport(strings.NewReader(tc.in), "/scan/tree")
			}
			if tc.wantErr {
				if !errors.Is(err, ErrBadReport) {
					t.Errorf("err = %v, want ErrBadReport", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("finding %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestLabelsJSON(t *testing.T) {
	ls := Labels{{File: "a/b.env", Line: 2, EndLine: 2, Format: "npm-token", Carrier: "dotenv"}}
	var buf bytes.Buffer
	if err := WriteLabels(&buf, 9, ls); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"end_line": 2`) || !strings.Contains(buf.String(), `"schema_version": 1`) {
		t.Errorf("unexpected JSON:\n%s", buf.String())
	}
	back, err := ReadLabels(&buf)
	if err != nil || len(back) != 1 || back[0] != ls[0] {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
	for _, bad := range []string{
		`{"schema_version":2,"labels":[]}`,
		`{"schema_version":1,"labels":[{"file":"","line":1,"end_line":1}]}`,
		`{"schema_version":1,"labels":[{"file":"x","line":3,"end_line":2}]}`,
		`[`,
	} {
		if _, err := ReadLabels(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadLabels(%s) succeeded", bad)
		}
	}
}
