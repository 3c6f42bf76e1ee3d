package harden

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/shipshape-dev/shipshape/internal/sarif"
	"github.com/shipshape-dev/shipshape/internal/term"
	"github.com/shipshape-dev/shipshape/result"
)

// Format is an output format of Encode.
type Format string

// The formats Encode writes.
const (
	FormatJSON  Format = "json"
	FormatTable Format = "table"
	FormatSARIF Format = "sarif"
)

// ParseFormat checks a format name.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case FormatJSON, FormatTable, FormatSARIF:
		return f, nil
	}
	return "", fmt.Errorf("%w: %q (want json, table or sarif)", result.ErrUnknownFormat, s)
}

// Encode writes r in format f.
func Encode(w io.Writer, r *Report, f Format) error {
	switch f {
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case FormatTable:
		return encodeTable(w, r.Findings)
	case FormatSARIF:
		return encodeSARIF(w, r)
	}
	return fmt.Errorf("%w: %q", result.ErrUnknownFormat, f)
}

// MaxSeverity returns the highest severity among the findings, and
// whether there is any.
func (r *Report) MaxSeverity() (result.Severity, bool) {
	var max result.Severity
	for _, f := range r.Findings {
		if f.Severity > max {
			max = f.Severity
		}
	}
	return max, len(r.Findings) > 0
}

// encodeTable writes the hardening findings, worst first.
func encodeTable(w io.Writer, hs []Finding) error {
	fs := append([]Finding(nil), hs...)
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Severity > fs[j].Severity })
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CHECK\tSEVERITY\tWHERE\tDETAIL")
	counts := map[result.Severity]int{}
	for _, f := range fs {
		counts[f.Severity]++
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.ID, f.Severity, term.Clean(f.Evidence.Where()), term.Clean(clip(f.Evidence.Text(), 100)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d hardening findings: %d critical, %d high, %d medium, %d low\n", len(fs),
		counts[result.SeverityCritical], counts[result.SeverityHigh], counts[result.SeverityMedium], counts[result.SeverityLow])
	return err
}

// Where says in a few words where the evidence is: a path (with its
// layer), a history step, an env key, a label, a port or the user.
func (e *Evidence) Where() string {
	switch {
	case e.Path != "":
		if e.Layer != "" {
			return e.Path + " (layer " + result.ShortDigest(e.Layer) + ")"
		}
		return e.Path
	case e.History != nil:
		return fmt.Sprintf("history[%d]", *e.History)
	case e.EnvKey != "":
		return "env " + e.EnvKey
	case e.Label != "":
		return "label " + e.Label
	case e.Port != "":
		return "port " + e.Port
	case e.User != "":
		return "user " + e.User
	}
	return "image config"
}

// Text is the evidence's detail and the command it points at, if any.
func (e *Evidence) Text() string {
	if e.Command != "" && e.Detail != "" {
		return e.Detail + ": " + e.Command
	}
	return e.Detail + e.Command
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// artifactURI is where a SARIF viewer should point for the evidence: the
// file, or the image configuration.
func (e *Evidence) artifactURI() string {
	if e.Path != "" && !strings.Contains(e.Path, ", ") {
		return strings.TrimPrefix(e.Path, "/")
	}
	return "image-config.json"
}

// encodeSARIF writes one rule per check and one result per finding.
func encodeSARIF(w io.Writer, r *Report) error {
	run := sarif.NewRun()
	ruleIndex := map[string]int{}
	for i := range r.Findings {
		f := &r.Findings[i]
		idx, ok := ruleIndex[f.ID]
		if !ok {
			idx = len(run.Tool.Driver.Rules)
			ruleIndex[f.ID] = idx
			help := f.Rationale + "\nRemediation: " + f.Remediation + "\nReference: " + f.Reference
			md := "**" + f.Title + "**\n\n" + f.Rationale + "\n\n**Remediation:** " + f.Remediation + "\n\n*" + f.Reference + "*"
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarif.Rule{
				ID: f.ID, Name: "Hardening", ShortDescription: sarif.Text{Text: f.Title}, FullDescription: sarif.Text{Text: f.Rationale},
				Help:    sarif.Markdown{Text: help, Markdown: md},
				Default: sarif.Config{Level: sarif.Level(f.Severity)},
				Properties: map[string]any{
					"security-severity": sarif.SecuritySeverity(f.Severity),
					"tags":              []string{"security", "hardening", f.Severity.String()},
				},
			})
		}
		msg := f.Title + ": " + f.Evidence.Where()
		if d := f.Evidence.Text(); d != "" {
			msg += ": " + d
		}
		run.Results = append(run.Results, sarif.Result{
			RuleID: f.ID, RuleIndex: idx, Level: sarif.Level(f.Severity), Message: sarif.Text{Text: msg},
			Locations: []sarif.Location{{Physical: sarif.Physical{
				Artifact: sarif.Artifact{URI: f.Evidence.artifactURI()},
				Region:   sarif.Region{StartLine: 1},
			}}},
			Fingerprints: map[string]string{"shipshape/v1": f.Fingerprint()},
		})
	}
	return sarif.Write(w, run)
}
