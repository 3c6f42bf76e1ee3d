package secrets

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

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

// Encode writes r in format f. Secrets appear as the report holds them:
// redacted unless the scanner revealed them.
func Encode(w io.Writer, r *Report, f Format) error {
	switch f {
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case FormatTable:
		return encodeTable(w, r)
	case FormatSARIF:
		return encodeSARIF(w, r)
	}
	return fmt.Errorf("%w: %q", result.ErrUnknownFormat, f)
}

func encodeTable(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	classed := map[result.Class]int{}
	owned := false
	for _, f := range r.Findings {
		classed[f.Class]++
		owned = owned || f.Owner != ""
	}
	if owned {
		fmt.Fprintln(tw, "SEVERITY\tRULE\tLOCATION\tLAYER\tSECRET\tWHOSE")
	} else {
		fmt.Fprintln(tw, "SEVERITY\tRULE\tLOCATION\tLAYER\tSECRET")
	}
	for _, f := range r.Findings {
		loc := f.File
		if f.Line > 0 {
			loc = fmt.Sprintf("%s:%d", f.File, f.Line)
		}
		layer := result.ShortDigest(f.Layer)
		if f.Layer != "" && !f.Visible {
			layer += " (deleted later)"
		}
		whose := string(f.Class)
		if f.Owner != "" {
			if whose == "" {
				whose = "modified"
			}
			whose += " " + f.Owner
		}
		if owned {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", f.Severity, f.RuleID, term.Clean(loc), layer, term.Clean(f.Secret), term.Clean(whose))
		} else {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.Severity, f.RuleID, term.Clean(loc), layer, term.Clean(f.Secret))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(bw, "\n%s in %s (%.1f MB) of %s", plural(len(r.Findings), "secret"), plural(r.Stats.Files, "file"), float64(r.Stats.Bytes)/1e6, term.Clean(r.Source.Name))
	if r.Baselined > 0 {
		fmt.Fprintf(bw, "; %d known from the baseline", r.Baselined)
	}
	if n := classed[result.ClassVendor] + classed[result.ClassThirdParty]; n > 0 {
		fmt.Fprintf(bw, "; %d in files the image's packages installed (%d vendor, %d third-party), not gated by default",
			n, classed[result.ClassVendor], classed[result.ClassThirdParty])
	}
	fmt.Fprintln(bw)
	for _, e := range r.Errors {
		fmt.Fprintf(bw, "error: %s\n", term.Clean(e.Error()))
	}
	return bw.Flush()
}

func encodeSARIF(w io.Writer, r *Report) error {
	run := sarif.NewRun()
	ruleIndex := map[string]int{}
	for _, f := range r.Findings {
		idx, ok := ruleIndex[f.RuleID]
		if !ok {
			idx = len(run.Tool.Driver.Rules)
			ruleIndex[f.RuleID] = idx
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarif.Rule{
				ID: f.RuleID, Name: "HardcodedSecret",
				ShortDescription: sarif.Text{Text: f.Description}, FullDescription: sarif.Text{Text: f.Description},
				Help: sarif.Markdown{Text: f.Description + ": revoke it and remove it from the history.",
					Markdown: "**" + f.Description + "**\n\nRevoke the credential, then remove it from the source or image (and its history)."},
				Default: sarif.Config{Level: sarif.Level(f.Severity)},
				Properties: map[string]any{"security-severity": sarif.SecuritySeverity(f.Severity), "tags": []string{"security", "secret", f.Severity.String()},
					"precision": precision(f.Confidence)},
			})
		}
		msg := fmt.Sprintf("%s: %s", f.Description, f.Secret)
		if f.Layer != "" {
			msg += " (layer " + result.ShortDigest(f.Layer)
			if !f.Visible {
				msg += ", deleted by a later layer but still in the image"
			}
			msg += ")"
		}
		line := max(f.Line, 1)
		res := sarif.Result{
			RuleID: f.RuleID, RuleIndex: idx, Level: sarif.Level(f.Severity), Message: sarif.Text{Text: msg},
			Locations: []sarif.Location{{Physical: sarif.Physical{
				Artifact: sarif.Artifact{URI: f.File},
				Region:   sarif.Region{StartLine: line, StartColumn: f.Column, EndLine: max(f.EndLine, line)},
			}}},
			Fingerprints: map[string]string{"shipshape/v1": f.Fingerprint},
		}
		props := map[string]any{}
		if f.Confidence != "" {
			props["confidence"] = f.Confidence
		}
		if f.Layer != "" {
			props["layer"], props["visible"] = f.Layer, f.Visible
		}
		if f.Class != "" {
			props["class"] = f.Class
		}
		if f.Owner != "" {
			props["owner"] = f.Owner
		}
		if len(props) > 0 {
			res.Properties = props
		}
		run.Results = append(run.Results, res)
	}
	return sarif.Write(w, run)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// precision is SARIF's (and GitHub code scanning's) rule precision for a
// confidence.
func precision(c Confidence) string {
	switch c {
	case ConfidenceValidated:
		return "very-high"
	case ConfidenceHeuristic:
		return "medium"
	}
	return "high"
}
