package report

import (
	"bufio"
	"embed"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/secrets"
)

//go:embed page.html.tmpl
var pageFS embed.FS

// Option configures HTML.
type Option func(*options) error

type options struct {
	generated time.Time
}

// WithGenerated sets when the report was made (default: now), so that
// pages compare in tests.
func WithGenerated(t time.Time) Option {
	return func(o *options) error {
		if t.IsZero() {
			return fmt.Errorf("%w: zero generation time", result.ErrInvalidOption)
		}
		o.generated = t
		return nil
	}
}

// page is the template's data.
type page struct {
	Image, Digest, Generated string
	Verdict, Summary         string
	Violations               []policy.Violation
	Packages, Layers         int
	Distro                   string
	VulnChecked              bool
	Support, SupportClass    string
	ScanWarnings             []scan.Warning
	Vulns                    []vulnRow
	BySeverity               []sevCount
	MaxCount, ChartHeight    int
	Fixable, Unfixable       int
	Suppressed               int
	LayerRows                []layerRow
	SecretsChecked           bool
	Secrets                  []secrets.Finding
	HardeningChecked         bool
	Hardening                []harden.Finding
	Errors                   int
}

type vulnRow struct {
	ID, Severity, Package, Version, Fixed, Layer, Summary string
	Rank                                                  int
	Score                                                 float64
}

type sevCount struct {
	Name             string
	Count            int
	Y, Width, LabelX int // the bar's place in the chart, in pixels
}

type layerRow struct {
	Index                 int
	DiffID                string
	Packages, Vulns, High int
	Untrusted             bool
}

// HTML writes the page of the evidence in and the decision d made over
// it (nil when no policy judged it). Any part of the evidence may be
// missing; the page says what was not checked rather than leaving it out
// silently.
func HTML(w io.Writer, in *policy.Input, d *policy.Decision, opts ...Option) error {
	var o options
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return err
		}
	}
	if in == nil {
		in = &policy.Input{}
	}
	tmpl, err := template.New("page.html.tmpl").Funcs(template.FuncMap{
		"short":   result.ShortDigest,
		"where":   func(e policy.Evidence) string { return e.String() },
		"lower":   strings.ToLower,
		"hwhere":  func(f harden.Finding) string { return f.Evidence.Where() },
		"hdetail": func(f harden.Finding) string { return f.Evidence.Text() },
	}).ParseFS(pageFS, "page.html.tmpl")
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	if err := tmpl.Execute(bw, build(in, d, o.generated)); err != nil {
		return err
	}
	return bw.Flush()
}

func build(in *policy.Input, d *policy.Decision, gen time.Time) *page {
	p := &page{Image: in.Name, Digest: in.ImageDigest()}
	if p.Image == "" {
		p.Image = in.ImageReference()
	}
	if gen.IsZero() {
		gen = time.Now()
	}
	p.Generated = gen.UTC().Format(time.RFC3339)
	if in.SBOM != nil {
		if p.Image == "" {
			p.Image = in.SBOM.Source.Name
		}
		p.Packages, p.Layers = len(in.SBOM.Packages), len(in.SBOM.Source.Layers)
		if d := in.SBOM.Distro; d != nil {
			switch {
			case d.Name == "":
				p.Distro = strings.TrimSpace(d.ID + " " + d.VersionID)
			case strings.Contains(d.Name, d.VersionID):
				p.Distro = d.Name
			default:
				p.Distro = d.Name + " " + d.VersionID
			}
		}
		p.Errors += len(in.SBOM.Errors)
	}
	if d != nil {
		p.Verdict = string(d.Verdict)
		p.Summary = d.Summary()
		p.Violations = d.Violations
	}
	p.layerRows(in)
	if in.Scan != nil && !in.Scan.DB.BuiltAt.IsZero() {
		p.VulnChecked = true
		// What could not be checked, and whether the distribution still
		// gets fixes: a page without them would pass an unchecked image
		// for a clean one.
		p.ScanWarnings = in.Scan.Warnings
		if s := in.Scan.Support; s != nil {
			p.Support = s.String()
			p.SupportClass = map[scan.SupportStatus]string{scan.SupportEnded: "deny", scan.SupportUnknown: "warn"}[s.Status]
		}
		counts := map[result.Severity]int{}
		for _, f := range in.Scan.Findings {
			if f.Suppressed != nil {
				p.Suppressed++
				continue
			}
			counts[f.Severity]++
			if len(f.FixedVersions) > 0 {
				p.Fixable++
			} else {
				p.Unfixable++
			}
			p.Vulns = append(p.Vulns, vulnRow{ID: f.ID, Severity: f.Severity.String(), Rank: int(f.Severity), Score: f.Score,
				Package: f.Package.Name, Version: f.Package.Version, Fixed: strings.Join(f.FixedVersions, ", "),
				Layer: f.Package.Layer, Summary: f.Summary})
		}
		sort.SliceStable(p.Vulns, func(i, j int) bool { return p.Vulns[i].Rank > p.Vulns[j].Rank })
		for s := result.SeverityCritical; ; s-- {
			name := s.String()
			if s == result.SeverityUnknown {
				name = "unrated"
			}
			p.BySeverity = append(p.BySeverity, sevCount{Name: name, Count: counts[s]})
			p.MaxCount = max(p.MaxCount, counts[s])
			if s == result.SeverityUnknown {
				break
			}
		}
		for i := range p.BySeverity {
			b := &p.BySeverity[i]
			if p.MaxCount > 0 {
				b.Width = 300 * b.Count / p.MaxCount
			}
			b.Y, b.LabelX = 22*i, 88+b.Width
		}
		p.ChartHeight = 22 * len(p.BySeverity)
	}
	if in.Secrets != nil {
		p.SecretsChecked = true
		p.Secrets = in.Secrets.Findings
		p.Errors += len(in.Secrets.Errors)
	}
	if in.Hardening != nil {
		p.HardeningChecked = true
		p.Hardening = append([]harden.Finding(nil), in.Hardening.Findings...)
		sort.SliceStable(p.Hardening, func(i, j int) bool { return p.Hardening[i].Severity > p.Hardening[j].Severity })
	}
	return p
}

// layerRows says, per layer, how many packages and vulnerabilities it
// brought in.
func (p *page) layerRows(in *policy.Input) {
	if in.SBOM == nil {
		return
	}
	idx := map[string]int{}
	for i, l := range in.SBOM.Source.Layers {
		idx[l.DiffID] = i
		p.LayerRows = append(p.LayerRows, layerRow{Index: i + 1, DiffID: l.DiffID, Untrusted: l.Untrusted})
	}
	for _, pkg := range in.SBOM.Packages {
		if i, ok := idx[pkg.Layer]; ok {
			p.LayerRows[i].Packages++
		}
	}
	if in.Scan == nil {
		return
	}
	for _, f := range in.Scan.Findings {
		if i, ok := idx[f.Package.Layer]; ok && f.Suppressed == nil {
			p.LayerRows[i].Vulns++
			if f.Severity >= result.SeverityHigh {
				p.LayerRows[i].High++
			}
		}
	}
}
