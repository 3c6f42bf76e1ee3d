package scan

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/shipshape-dev/shipshape/internal/sarif"
	"github.com/shipshape-dev/shipshape/internal/term"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
)

// Format is an output format of Encode.
type Format string

// The formats Encode writes.
const (
	FormatJSON          Format = "json"
	FormatTable         Format = "table"
	FormatSARIF         Format = "sarif"
	FormatCycloneDXJSON Format = "cyclonedx-json"
	FormatCycloneDXXML  Format = "cyclonedx-xml"
)

// ParseFormat checks a format name.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case FormatJSON, FormatTable, FormatSARIF, FormatCycloneDXJSON, FormatCycloneDXXML:
		return f, nil
	}
	return "", fmt.Errorf("%w: %q (want json, table, sarif, cyclonedx-json or cyclonedx-xml)", result.ErrUnknownFormat, s)
}

// Encode writes r in format f. The CycloneDX formats need the inventory
// the report was matched from: use EncodeCycloneDX for a report that did
// not come from Match.
func Encode(w io.Writer, r *Report, f Format, opts ...sbom.EncodeOption) error {
	switch f {
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case FormatTable:
		return encodeTable(w, r)
	case FormatSARIF:
		return encodeSARIF(w, r)
	case FormatCycloneDXJSON, FormatCycloneDXXML:
		if r.sbom == nil {
			return fmt.Errorf("%w: CycloneDX output needs the SBOM; use EncodeCycloneDX", result.ErrUnknownFormat)
		}
		return EncodeCycloneDX(w, r.sbom, r, f, opts...)
	}
	return fmt.Errorf("%w: %q", result.ErrUnknownFormat, f)
}

// EncodeCycloneDX writes the SBOM s with r's findings as its
// vulnerabilities section (CycloneDX 1.6), each affecting the package
// component it was found in.
func EncodeCycloneDX(w io.Writer, s *sbom.SBOM, r *Report, f Format, opts ...sbom.EncodeOption) error {
	bom, err := sbom.ToCycloneDX(s, opts...)
	if err != nil {
		return err
	}
	vulns := make([]cdx.Vulnerability, 0, len(r.Findings))
	for _, fd := range r.Findings {
		v := cdx.Vulnerability{
			BOMRef:      fd.ID + "/" + fd.Package.ID,
			ID:          fd.ID,
			Source:      &cdx.Source{Name: sourceName(fd.ID)},
			Description: fd.Summary,
			Affects:     &[]cdx.Affects{{Ref: fd.Package.ID}},
		}
		rt := cdx.VulnerabilityRating{Severity: cdxSeverity(fd.Severity)}
		if fd.RatedBy != "" {
			rt.Source = &cdx.Source{Name: sourceName(fd.RatedBy)}
		}
		if fd.Vector != "" {
			score := fd.Score
			rt.Score, rt.Vector, rt.Method = &score, fd.Vector, cvssMethod(fd.Vector)
		}
		ratings := []cdx.VulnerabilityRating{rt}
		if fd.EPSS != nil {
			// EPSS is a probability, not a severity: CycloneDX's "other"
			// method, named by its source.
			score := fd.EPSS.Score
			ratings = append(ratings, cdx.VulnerabilityRating{Source: &cdx.Source{Name: "FIRST EPSS", URL: "https://www.first.org/epss/"},
				Score: &score, Method: cdx.ScoringMethodOther, Justification: fmt.Sprintf("EPSS percentile %.5f", fd.EPSS.Percentile)})
		}
		v.Ratings = &ratings
		if len(fd.Aliases) > 0 {
			var refs []cdx.VulnerabilityReference
			for _, a := range fd.Aliases {
				refs = append(refs, cdx.VulnerabilityReference{ID: a, Source: &cdx.Source{Name: sourceName(a)}})
			}
			v.References = &refs
		}
		if len(fd.References) > 0 {
			var adv []cdx.Advisory
			for _, u := range fd.References {
				adv = append(adv, cdx.Advisory{URL: u})
			}
			v.Advisories = &adv
		}
		if len(fd.FixedVersions) > 0 {
			v.Recommendation = "Upgrade " + fd.Package.Name + " to " + strings.Join(fd.FixedVersions, " or ")
		}
		props := []cdx.Property{{Name: "shipshape:severity_source", Value: string(fd.SeveritySource)}}
		if fd.Class != "" {
			props = append(props, cdx.Property{Name: "shipshape:class", Value: string(fd.Class)})
		}
		props = append(props, exploitProperties(&fd)...)
		if fd.Suppressed != nil {
			props = append(props, cdx.Property{Name: "shipshape:suppressed_by", Value: fd.Suppressed.By}, cdx.Property{Name: "shipshape:suppressed_reason", Value: fd.Suppressed.Reason})
		}
		v.Properties = &props
		vulns = append(vulns, v)
	}
	bom.Vulnerabilities = &vulns
	addCoverageProperties(bom, r)
	sf := sbom.FormatCycloneDXJSON
	if f == FormatCycloneDXXML {
		sf = sbom.FormatCycloneDXXML
	}
	return sbom.EncodeCycloneDX(w, bom, sf)
}

// exploitProperties are a finding's KEV and EPSS data as CycloneDX
// properties.
func exploitProperties(f *Finding) []cdx.Property {
	var props []cdx.Property
	if k := f.KEV; k != nil {
		props = append(props, cdx.Property{Name: "shipshape:kev", Value: "true"},
			cdx.Property{Name: "shipshape:kev_date_added", Value: k.DateAdded.Format(time.DateOnly)})
		if !k.DueDate.IsZero() {
			props = append(props, cdx.Property{Name: "shipshape:kev_due_date", Value: k.DueDate.Format(time.DateOnly)})
		}
		props = append(props, cdx.Property{Name: "shipshape:kev_ransomware", Value: strconv.FormatBool(k.Ransomware)})
	}
	if e := f.EPSS; e != nil {
		props = append(props, cdx.Property{Name: "shipshape:epss_score", Value: strconv.FormatFloat(e.Score, 'f', -1, 64)},
			cdx.Property{Name: "shipshape:epss_percentile", Value: strconv.FormatFloat(e.Percentile, 'f', -1, 64)})
		if !e.Date.IsZero() {
			props = append(props, cdx.Property{Name: "shipshape:epss_date", Value: e.Date.Format(time.DateOnly)})
		}
	}
	return props
}

// sourceName names the database an identifier comes from.
func sourceName(id string) string {
	prefix, _, _ := strings.Cut(id, "-")
	switch prefix {
	case "CVE":
		return "NVD"
	case "GHSA":
		return "GitHub"
	case "GO":
		return "Go Vulnerability Database"
	case "PYSEC":
		return "PyPA"
	case "DSA", "DLA", "DTSA", "DEBIAN":
		return "Debian"
	case "USN", "UBUNTU":
		return "Ubuntu"
	case "ALPINE":
		return "Alpine"
	case "RHSA", "RHBA", "RHEA":
		return "Red Hat"
	case "MAL":
		return "OpenSSF Malicious Packages"
	}
	return "OSV"
}

func cdxSeverity(s result.Severity) cdx.Severity {
	switch s {
	case result.SeverityCritical:
		return cdx.SeverityCritical
	case result.SeverityHigh:
		return cdx.SeverityHigh
	case result.SeverityMedium:
		return cdx.SeverityMedium
	case result.SeverityLow:
		return cdx.SeverityLow
	case result.SeverityNegligible:
		return cdx.SeverityInfo
	}
	return cdx.SeverityUnknown
}

func cvssMethod(vector string) cdx.ScoringMethod {
	switch {
	case strings.HasPrefix(vector, "CVSS:4.0/"):
		return cdx.ScoringMethodCVSSv4
	case strings.HasPrefix(vector, "CVSS:3.1/"):
		return cdx.ScoringMethodCVSSv31
	case strings.HasPrefix(vector, "CVSS:3.0/"):
		return cdx.ScoringMethodCVSSv3
	}
	return cdx.ScoringMethodCVSSv2
}

func encodeTable(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	// The KEV and EPSS columns show when the data is loaded, so that an
	// empty cell says "not exploited" rather than "not known".
	kev, epss := r.DB.Exploitation.KEV != nil, r.DB.Exploitation.EPSS != nil
	head := "PACKAGE\tVERSION\tVULNERABILITY\tSEVERITY"
	if kev {
		head += "\tKEV"
	}
	if epss {
		head += "\tEPSS"
	}
	fmt.Fprintln(tw, head+"\tFIXED IN\tLAYER")
	for _, f := range r.ByRisk() {
		sev := f.Severity.String()
		if f.Suppressed != nil {
			sev += " (suppressed)"
		}
		row := fmt.Sprintf("%s\t%s\t%s\t%s", term.Clean(f.Package.Name), term.Clean(f.Package.Version), term.Clean(f.ID), sev)
		if kev {
			row += "\t" + kevCell(f.KEV)
		}
		if epss {
			row += "\t" + epssCell(f.EPSS)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", row, term.Clean(strings.Join(f.FixedVersions, ", ")), result.ShortDigest(f.Package.Layer))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(bw, "\n%s", r.Summary())
	if n := len(r.Findings) - len(r.Active()); n > 0 {
		fmt.Fprintf(bw, " (and %d suppressed)", n)
	}
	fmt.Fprintln(bw)
	if line := r.Support.String(); line != "" {
		fmt.Fprintln(bw, term.Clean(line))
	}
	for _, wn := range r.Warnings {
		fmt.Fprintf(bw, "warning: %s\n", term.Clean(wn.Message))
	}
	return bw.Flush()
}

// kevCell is a finding's KEV column: "yes", "ransomware" or empty.
func kevCell(k *KEV) string {
	switch {
	case k == nil:
		return ""
	case k.Ransomware:
		return "ransomware"
	}
	return "yes"
}

// epssCell is a finding's EPSS column: the score and, in parentheses, its
// percentile as a percentage ("0.944 (99.96%)").
func epssCell(e *EPSS) string {
	if e == nil {
		return ""
	}
	return fmt.Sprintf("%.3f (%.2f%%)", e.Score, 100*e.Percentile)
}

// securitySeverity is the score GitHub sorts code-scanning alerts by.
func securitySeverity(f *Finding) string {
	if f.Score > 0 {
		return strconv.FormatFloat(f.Score, 'f', 1, 64)
	}
	return sarif.SecuritySeverity(f.Severity)
}

func encodeSARIF(w io.Writer, r *Report) error {
	run := sarif.NewRun()
	// One rule per vulnerability, rated by its worst finding: GitHub
	// takes an alert's severity from the rule.
	worst := map[string]*Finding{}
	for i := range r.Findings {
		f := &r.Findings[i]
		if w, ok := worst[f.ID]; !ok || f.Severity > w.Severity || (f.Severity == w.Severity && f.Score > w.Score) {
			worst[f.ID] = f
		}
	}
	ruleIndex := map[string]int{}
	for i := range r.Findings {
		f := &r.Findings[i]
		idx, ok := ruleIndex[f.ID]
		if !ok {
			idx = len(run.Tool.Driver.Rules)
			ruleIndex[f.ID] = idx
			summary := f.Summary
			if summary == "" {
				summary = f.ID
			}
			w := worst[f.ID]
			help := fmt.Sprintf("Vulnerability %s\nSeverity: %s\n", f.ID, w.Severity)
			md := fmt.Sprintf("**Vulnerability %s**\n\n| Severity | Aliases |\n| --- | --- |\n| %s | %s |\n", f.ID, w.Severity, strings.Join(f.Aliases, ", "))
			rule := sarif.Rule{
				ID: f.ID, Name: "OSVulnerability", ShortDescription: sarif.Text{Text: summary}, FullDescription: sarif.Text{Text: summary},
				Help:    sarif.Markdown{Text: help, Markdown: md},
				Default: sarif.Config{Level: sarif.Level(w.Severity)},
				Properties: map[string]any{
					"security-severity": securitySeverity(w),
					"tags":              []string{"security", "vulnerability", w.Severity.String()},
				},
			}
			if len(f.References) > 0 {
				rule.HelpURI = f.References[0]
			}
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, rule)
		}
		msg := fmt.Sprintf("%s %s is affected by %s (%s).", f.Package.Name, f.Package.Version, f.ID, f.Severity)
		if len(f.FixedVersions) > 0 {
			msg += " Fixed in " + strings.Join(f.FixedVersions, ", ") + "."
		}
		if r.Source.Name != "" {
			msg += " Image: " + r.Source.Name + "."
		}
		res := sarif.Result{
			RuleID: f.ID, RuleIndex: idx, Level: sarif.Level(f.Severity), Message: sarif.Text{Text: msg},
			Locations: []sarif.Location{{Physical: sarif.Physical{
				Artifact: sarif.Artifact{URI: f.Package.Location},
				Region:   sarif.Region{StartLine: 1},
			}}},
			Fingerprints: map[string]string{"shipshape/v1": f.ID + "|" + f.Package.PURL + "|" + f.Package.Location},
		}
		if f.Suppressed != nil {
			res.Suppressions = []sarif.Suppression{{Kind: "external", Justification: f.Suppressed.Reason + " (" + f.Suppressed.By + ")"}}
		}
		run.Results = append(run.Results, res)
	}
	addCoverageSARIF(&run, r)
	return sarif.Write(w, run)
}
