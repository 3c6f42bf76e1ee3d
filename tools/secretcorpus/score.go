package secretcorpus

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Finding is one detector finding, reduced to what scoring needs.
type Finding struct {
	File    string // slash path relative to the tree
	Line    int    // 1-based
	EndLine int    // 0 or less means Line
	RuleID  string
}

func (f Finding) end() int { return max(f.Line, f.EndLine) }

// FormatResult is the recall of one format (or carrier).
type FormatResult struct {
	Name   string
	Labels int
	Found  int
	Recall float64
}

// FindingLine is a unique (file, line) among the findings, with the rules
// that reported it.
type FindingLine struct {
	File  string
	Line  int
	Rules []string
}

// Result is the score of a set of findings against the labels.
type Result struct {
	Labels   int // labeled secrets
	Findings int // unique (file, line) findings
	// TP counts labels matched by a finding; FN labels that none matched;
	// FP unique finding lines that overlap no label. TPFindings counts the
	// unique finding lines that overlap a label.
	TP, FN, FP, TPFindings int
	Recall                 float64 // TP / Labels
	Precision              float64 // TPFindings / Findings (0 when there are none)
	PerFormat              []FormatResult
	PerCarrier             []FormatResult
	Misses                 []Label       // labels no finding matched
	FalsePositives         []FindingLine // finding lines that overlap no label
}

// Score matches findings to labels: a finding matches a label when it is in
// the same file and its line range overlaps the label's. Each label counts
// once however many findings match it; for precision, findings are counted
// once per (file, line).
func Score(labels Labels, findings []Finding) Result {
	byFile := map[string][]Finding{}
	for _, f := range findings {
		byFile[f.File] = append(byFile[f.File], f)
	}
	labelsByFile := map[string][]Label{}
	for _, l := range labels {
		labelsByFile[l.File] = append(labelsByFile[l.File], l)
	}
	overlaps := func(f Finding, l Label) bool { return f.Line <= l.EndLine && l.Line <= f.end() }

	res := Result{Labels: len(labels)}
	formats := map[string]*FormatResult{}
	carriers := map[string]*FormatResult{}
	tally := func(m map[string]*FormatResult, name string, found bool) {
		fr := m[name]
		if fr == nil {
			fr = &FormatResult{Name: name}
			m[name] = fr
		}
		fr.Labels++
		if found {
			fr.Found++
		}
	}
	for _, l := range labels {
		found := false
		for _, f := range byFile[l.File] {
			if overlaps(f, l) {
				found = true
				break
			}
		}
		if found {
			res.TP++
		} else {
			res.FN++
			res.Misses = append(res.Misses, l)
		}
		tally(formats, l.Format, found)
		tally(carriers, l.Carrier, found)
	}

	type key struct {
		file string
		line int
	}
	lines := map[key]*FindingLine{}
	matched := map[key]bool{}
	for _, f := range findings {
		k := key{f.File, f.Line}
		fl := lines[k]
		if fl == nil {
			fl = &FindingLine{File: f.File, Line: f.Line}
			lines[k] = fl
		}
		if !contains(fl.Rules, f.RuleID) {
			fl.Rules = append(fl.Rules, f.RuleID)
		}
		for _, l := range labelsByFile[f.File] {
			if overlaps(f, l) {
				matched[k] = true
				break
			}
		}
	}
	res.Findings = len(lines)
	for k, fl := range lines {
		if matched[k] {
			res.TPFindings++
			continue
		}
		sort.Strings(fl.Rules)
		res.FalsePositives = append(res.FalsePositives, *fl)
	}
	res.FP = len(res.FalsePositives)
	sort.Slice(res.FalsePositives, func(i, j int) bool {
		a, b := res.FalsePositives[i], res.FalsePositives[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	if res.Labels > 0 {
		res.Recall = float64(res.TP) / float64(res.Labels)
	}
	if res.Findings > 0 {
		res.Precision = float64(res.TPFindings) / float64(res.Findings)
	}
	res.PerFormat = sortedResults(formats)
	res.PerCarrier = sortedResults(carriers)
	return res
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func sortedResults(m map[string]*FormatResult) []FormatResult {
	out := make([]FormatResult, 0, len(m))
	for _, fr := range m {
		fr.Recall = float64(fr.Found) / float64(fr.Labels)
		out = append(out, *fr)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// RelPath turns the path of a finding into a slash path relative to the
// scanned tree. p may be absolute, relative to the tree, or relative to the
// working directory with the tree's path as its prefix (how gitleaks reports
// files when given a relative directory). The last two cases are resolved
// only for files that exist.
func RelPath(p, tree string) string {
	p = filepath.FromSlash(p)
	absTree, err := filepath.Abs(tree)
	if err != nil {
		absTree = filepath.Clean(tree)
	}
	under := func(abs string) (string, bool) {
		rel, err := filepath.Rel(absTree, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return "", false
		}
		return filepath.ToSlash(rel), true
	}
	if filepath.IsAbs(p) {
		if rel, ok := under(p); ok {
			return rel
		}
		return filepath.ToSlash(p)
	}
	clean := filepath.Clean(p)
	if t := filepath.Clean(tree); t != "." && strings.HasPrefix(clean, t+string(filepath.Separator)) {
		return filepath.ToSlash(strings.TrimPrefix(clean, t+string(filepath.Separator)))
	}
	// Relative to the working directory, which holds the tree.
	if abs, err := filepath.Abs(clean); err == nil {
		if rel, ok := under(abs); ok {
			if _, err := os.Stat(abs); err == nil {
				return rel
			}
		}
	}
	// Relative to the tree's parent, scanned from elsewhere: "tree/a/b".
	if base := filepath.Base(absTree) + string(filepath.Separator); strings.HasPrefix(clean, base) {
		rel := strings.TrimPrefix(clean, base)
		if _, err := os.Stat(filepath.Join(absTree, rel)); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(clean)
}

// ReadGitleaksReport reads a gitleaks JSON report (an array of findings
// with File, StartLine, EndLine and RuleID) of a scan of tree.
func ReadGitleaksReport(r io.Reader, tree string) ([]Finding, error) {
	var raw []struct {
		File      string
		StartLine int
		EndLine   int
		RuleID    string
	}
	if err := json.NewDecoder(r).Decode(&raw); err != nil {
		return nil, fmt.Errorf("gitleaks report: %w: %w", ErrBadReport, err)
	}
	out := make([]Finding, 0, len(raw))
	for _, f := range raw {
		out = append(out, Finding{File: RelPath(f.File, tree), Line: f.StartLine, EndLine: f.EndLine, RuleID: f.RuleID})
	}
	return out, nil
}

// ReadShipshapeReport reads a shipshape secrets JSON report (an object
// whose "findings" have rule_id, file, line and end_line) of a scan of tree.
func ReadShipshapeReport(r io.Reader, tree string) ([]Finding, error) {
	var raw struct {
		Findings *[]struct {
			RuleID  string `json:"rule_id"`
			File    string `json:"file"`
			Line    int    `json:"line"`
			EndLine int    `json:"end_line"`
		} `json:"findings"`
	}
	if err := json.NewDecoder(r).Decode(&raw); err != nil {
		return nil, fmt.Errorf("shipshape report: %w: %w", ErrBadReport, err)
	}
	if raw.Findings == nil {
		return nil, fmt.Errorf("shipshape report: %w: no \"findings\" member", ErrBadReport)
	}
	out := make([]Finding, 0, len(*raw.Findings))
	for _, f := range *raw.Findings {
		out = append(out, Finding{File: RelPath(f.File, tree), Line: f.Line, EndLine: f.EndLine, RuleID: f.RuleID})
	}
	return out, nil
}
