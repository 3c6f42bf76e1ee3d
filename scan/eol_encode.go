package scan

import (
	"encoding/json"
	"fmt"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/shipshape-dev/shipshape/internal/sarif"
)

// CycloneDX property names of the scan's coverage, on the document's
// metadata.
const (
	// PropWarning is one Warning, as JSON {"kind","message","packages"}.
	PropWarning = "shipshape:scan:warning"
	// PropSupportStatus, PropSupportEOL and PropSupportSource are the
	// distribution's Support: its status, last day of support
	// (YYYY-MM-DD) and where that date comes from.
	PropSupportStatus = "shipshape:distro:support_status"
	PropSupportEOL    = "shipshape:distro:eol"
	PropSupportSource = "shipshape:distro:eol_source"
)

// String says the support status in a sentence ("distribution: debian 12
// is supported until 2028-06-30 (endoflife.date as of 2026-08-22)"), as
// the table form prints it; "" for nil.
func (s *Support) String() string {
	if s == nil {
		return ""
	}
	switch s.Status {
	case SupportEnded:
		if s.EOL.IsZero() {
			return fmt.Sprintf("distribution: %s %s is past its end of support (%s)", s.Product, s.Release, s.Source)
		}
		return fmt.Sprintf("distribution: %s %s is past its end of support, which ended after %s (%s)", s.Product, s.Release, s.EOL.Format(time.DateOnly), s.Source)
	case SupportActive:
		if s.EOL.IsZero() {
			return fmt.Sprintf("distribution: %s %s is supported, no end announced (%s)", s.Product, s.Release, s.Source)
		}
		return fmt.Sprintf("distribution: %s %s is supported until %s (%s)", s.Product, s.Release, s.EOL.Format(time.DateOnly), s.Source)
	case SupportRolling:
		return fmt.Sprintf("distribution: %s is a rolling release (no end of support)", s.Product)
	}
	return "distribution: end of support unknown (" + s.Reason + ")"
}

// addCoverageProperties records the warnings and the support status in
// the document's metadata properties: a consumer of the CycloneDX form
// must not take an unchecked image for a clean one.
func addCoverageProperties(bom *cdx.BOM, r *Report) {
	var props []cdx.Property
	if s := r.Support; s != nil {
		props = append(props, cdx.Property{Name: PropSupportStatus, Value: string(s.Status)})
		if !s.EOL.IsZero() {
			props = append(props, cdx.Property{Name: PropSupportEOL, Value: s.EOL.Format(time.DateOnly)})
		}
		if s.Source != "" {
			props = append(props, cdx.Property{Name: PropSupportSource, Value: s.Source})
		}
	}
	for _, w := range r.Warnings {
		b, err := json.Marshal(w)
		if err != nil {
			continue // a struct of strings and an int always encodes
		}
		props = append(props, cdx.Property{Name: PropWarning, Value: string(b)})
	}
	if len(props) == 0 {
		return
	}
	if bom.Metadata == nil {
		bom.Metadata = &cdx.Metadata{}
	}
	if bom.Metadata.Properties != nil {
		props = append(*bom.Metadata.Properties, props...)
	}
	bom.Metadata.Properties = &props
}

// RuleDistroEOL is the SARIF rule of an image whose distribution release
// is past its end of support.
const RuleDistroEOL = "shipshape/distro-eol"

// addCoverageSARIF adds the warnings as the run's notifications and an
// image past its distribution's end of support as a result, which code
// scanning shows as an alert.
func addCoverageSARIF(run *sarif.Run, r *Report) {
	for _, w := range r.Warnings {
		run.Notify(sarif.Notification{Level: "warning", Message: sarif.Text{Text: w.Message}, Descriptor: &sarif.Descriptor{ID: w.Kind}})
	}
	s := r.Support
	if s == nil || s.Status != SupportEnded {
		return
	}
	text := "The image's distribution release is past its end of support"
	run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarif.Rule{
		ID: RuleDistroEOL, Name: "DistributionEndOfLife", ShortDescription: sarif.Text{Text: text}, FullDescription: sarif.Text{Text: text},
		Help: sarif.Markdown{Text: text + ": its packages get no more security fixes. Rebuild on a supported release.",
			Markdown: "**" + text + "**: its packages get no more security fixes. Rebuild on a supported release."},
		Default:    sarif.Config{Level: "warning"},
		Properties: map[string]any{"tags": []string{"security", "end-of-life"}},
	})
	msg := s.String() + "."
	if r.Source.Name != "" {
		msg += " Image: " + r.Source.Name + "."
	}
	run.Results = append(run.Results, sarif.Result{
		RuleID: RuleDistroEOL, RuleIndex: len(run.Tool.Driver.Rules) - 1, Level: "warning", Message: sarif.Text{Text: msg},
		Locations:    []sarif.Location{{Physical: sarif.Physical{Artifact: sarif.Artifact{URI: "etc/os-release"}, Region: sarif.Region{StartLine: 1}}}},
		Fingerprints: map[string]string{"shipshape/v1": RuleDistroEOL + "|" + s.Product + "|" + s.Release},
	})
}

// coverageSummary is what Summary adds about the image as a whole.
func (r *Report) coverageSummary() string {
	var out string
	for _, w := range r.Warnings {
		if w.Kind == WarnNothing {
			out += "; nothing checked: no operating system or package detected"
			break
		}
	}
	if s := r.Support; s != nil && s.Status == SupportEnded {
		out += fmt.Sprintf("; %s %s is past its end of support", s.Product, s.Release)
	}
	return out
}
