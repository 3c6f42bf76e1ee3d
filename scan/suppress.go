package scan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/package-url/packageurl-go"
	"go.yaml.in/yaml/v3"
)

// Suppressions are the statements of one VEX document or ignore file.
type Suppressions struct {
	name  string
	kind  string // "openvex", "cyclonedx-vex", "ignore"
	rules []*rule
}

// Len returns the number of rules.
func (s *Suppressions) Len() int { return len(s.rules) }

type rule struct {
	id      string
	product string // a purl (version optional), a package name, or "" for any
	reason  string
	expires time.Time
	by      string
	matched int
	expired int
}

// maxSuppressionFile bounds a suppression document.
const maxSuppressionFile = 64 << 20

// LoadSuppressions reads a suppression document, telling its kind from its
// content: an OpenVEX document, a CycloneDX document with a
// vulnerabilities section (CycloneDX VEX), or a YAML ignore file.
func LoadSuppressions(path string) (*Suppressions, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSuppression, err)
	}
	defer f.Close()
	return ParseSuppressions(path, f)
}

// ParseSuppressions reads a suppression document named name from r; see
// LoadSuppressions.
func ParseSuppressions(name string, r io.Reader) (*Suppressions, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxSuppressionFile+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrSuppression, name, err)
	}
	if len(b) > maxSuppressionFile {
		return nil, fmt.Errorf("%w: %s: larger than %d bytes", ErrSuppression, name, maxSuppressionFile)
	}
	t := bytes.TrimSpace(b)
	switch {
	case bytes.HasPrefix(t, []byte("{")) && bytes.Contains(t, []byte(`"statements"`)):
		return parseOpenVEX(name, t)
	case bytes.HasPrefix(t, []byte("{")) || bytes.HasPrefix(t, []byte("<")):
		return parseCycloneDXVEX(name, t)
	}
	return parseIgnore(name, t)
}

// parseOpenVEX reads OpenVEX (v0.0.x and v0.2.x): statements with status
// not_affected or fixed suppress their vulnerability for their products
// (and subcomponents).
func parseOpenVEX(name string, b []byte) (*Suppressions, error) {
	var doc struct {
		Statements []struct {
			Vulnerability json.RawMessage   `json:"vulnerability"`
			Products      []json.RawMessage `json:"products"`
			Status        string            `json:"status"`
			Justification string            `json:"justification"`
			Impact        string            `json:"impact_statement"`
			Action        string            `json:"action_statement"`
		} `json:"statements"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrSuppression, name, err)
	}
	s := &Suppressions{name: name, kind: "openvex"}
	for i, st := range doc.Statements {
		if st.Status != "not_affected" && st.Status != "fixed" {
			continue
		}
		var id string
		if json.Unmarshal(st.Vulnerability, &id) != nil {
			var v struct {
				Name string `json:"name"`
				ID   string `json:"@id"`
			}
			if err := json.Unmarshal(st.Vulnerability, &v); err != nil {
				return nil, fmt.Errorf("%w: %s: statement %d: vulnerability: %w", ErrSuppression, name, i, err)
			}
			id = v.Name
		}
		if id == "" {
			return nil, fmt.Errorf("%w: %s: statement %d names no vulnerability", ErrSuppression, name, i)
		}
		reason := st.Status
		for _, r := range []string{st.Justification, st.Impact, st.Action} {
			if r != "" {
				reason += ": " + r
				break
			}
		}
		products, err := openVEXProducts(st.Products)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: statement %d: %w", ErrSuppression, name, i, err)
		}
		if len(products) == 0 {
			products = []string{""}
		}
		for _, p := range products {
			s.rules = append(s.rules, &rule{id: id, product: p, reason: reason, by: fmt.Sprintf("%s (OpenVEX statement %d)", name, i)})
		}
	}
	return s, nil
}

// openVEXProducts lists the purls of a statement's products: strings in
// v0.0.x, objects with @id and subcomponents in v0.2.
func openVEXProducts(raw []json.RawMessage) ([]string, error) {
	var out []string
	for _, r := range raw {
		var s string
		if json.Unmarshal(r, &s) == nil {
			out = append(out, s)
			continue
		}
		var p struct {
			ID            string `json:"@id"`
			Subcomponents []struct {
				ID string `json:"@id"`
			} `json:"subcomponents"`
		}
		if err := json.Unmarshal(r, &p); err != nil {
			return nil, err
		}
		if len(p.Subcomponents) > 0 {
			for _, sc := range p.Subcomponents {
				out = append(out, sc.ID)
			}
			continue
		}
		out = append(out, p.ID)
	}
	return out, nil
}

// parseCycloneDXVEX reads the vulnerabilities section of a CycloneDX
// document: analyses in state not_affected, false_positive or resolved
// suppress the vulnerability for the components they affect.
func parseCycloneDXVEX(name string, b []byte) (*Suppressions, error) {
	var bom cdx.BOM
	format := cdx.BOMFileFormatJSON
	if bytes.HasPrefix(b, []byte("<")) {
		format = cdx.BOMFileFormatXML
	}
	if err := cdx.NewBOMDecoder(bytes.NewReader(b), format).Decode(&bom); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrSuppression, name, err)
	}
	refs := map[string]string{} // bom-ref → purl
	if bom.Components != nil {
		for _, c := range *bom.Components {
			if c.BOMRef != "" && c.PackageURL != "" {
				refs[c.BOMRef] = c.PackageURL
			}
		}
	}
	s := &Suppressions{name: name, kind: "cyclonedx-vex"}
	if bom.Vulnerabilities == nil {
		return s, nil
	}
	for i, v := range *bom.Vulnerabilities {
		if v.Analysis == nil {
			continue
		}
		switch v.Analysis.State {
		case cdx.IASNotAffected, cdx.IASFalsePositive, cdx.IASResolved, cdx.IASResolvedWithPedigree:
		default:
			continue
		}
		if v.ID == "" {
			return nil, fmt.Errorf("%w: %s: vulnerability %d has no id", ErrSuppression, name, i)
		}
		reason := string(v.Analysis.State)
		if v.Analysis.Justification != "" {
			reason += ": " + string(v.Analysis.Justification)
		} else if v.Analysis.Detail != "" {
			reason += ": " + v.Analysis.Detail
		}
		products := []string{""}
		if v.Affects != nil && len(*v.Affects) > 0 {
			products = products[:0]
			for _, a := range *v.Affects {
				p := a.Ref
				if purl, ok := refs[a.Ref]; ok {
					p = purl
				}
				products = append(products, p)
			}
		}
		for _, p := range products {
			s.rules = append(s.rules, &rule{id: v.ID, product: p, reason: reason, by: fmt.Sprintf("%s (CycloneDX VEX vulnerability %d)", name, i)})
		}
	}
	return s, nil
}

// ignoreFile is the YAML ignore file:
//
//	ignore:
//	  - id: CVE-2023-5363
//	    package: pkg:deb/debian/openssl   # optional: a purl (version optional) or a name
//	    reason: not reachable from our code
//	    expires: 2026-12-31                # optional
type ignoreFile struct {
	Ignore []struct {
		ID      string `yaml:"id"`
		Package string `yaml:"package"`
		Reason  string `yaml:"reason"`
		Expires string `yaml:"expires"`
	} `yaml:"ignore"`
}

func parseIgnore(name string, b []byte) (*Suppressions, error) {
	var f ignoreFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && err != io.EOF {
		return nil, fmt.Errorf("%w: %s: %w", ErrSuppression, name, err)
	}
	s := &Suppressions{name: name, kind: "ignore"}
	for i, e := range f.Ignore {
		if e.ID == "" {
			return nil, fmt.Errorf("%w: %s: entry %d has no id", ErrSuppression, name, i+1)
		}
		if strings.TrimSpace(e.Reason) == "" {
			return nil, fmt.Errorf("%w: %s: entry %d (%s) has no reason", ErrSuppression, name, i+1, e.ID)
		}
		r := &rule{id: e.ID, product: e.Package, reason: e.Reason, by: fmt.Sprintf("%s (entry %d)", name, i+1)}
		if e.Expires != "" {
			t, err := time.Parse(time.DateOnly, e.Expires)
			if err != nil {
				return nil, fmt.Errorf("%w: %s: entry %d (%s): expires %q is not YYYY-MM-DD", ErrSuppression, name, i+1, e.ID, e.Expires)
			}
			r.expires = t.Add(24*time.Hour - time.Nanosecond) // through the whole day
		}
		s.rules = append(s.rules, r)
	}
	return s, nil
}

// apply marks the findings the rules cover and returns warnings for
// expired rules (they no longer suppress) and, for ignore files, rules that
// matched nothing.
func (s *Suppressions) apply(findings []Finding, now time.Time) []Warning {
	for i := range findings {
		f := &findings[i]
		if f.Suppressed != nil {
			continue
		}
		for _, r := range s.rules {
			if !r.covers(f) {
				continue
			}
			if !r.expires.IsZero() && now.After(r.expires) {
				r.expired++
				continue
			}
			r.matched++
			f.Suppressed = &Suppression{By: r.by, Reason: r.reason, Expires: r.expires}
			break
		}
	}
	var out []Warning
	for _, r := range s.rules {
		switch {
		case r.expired > 0:
			out = append(out, Warning{Kind: WarnExpiredIgnore, Packages: r.expired,
				Message: fmt.Sprintf("%s: the rule for %s expired on %s; %d findings are reported again", r.by, r.id, r.expires.Format(time.DateOnly), r.expired)})
		case r.matched == 0 && s.kind == "ignore":
			out = append(out, Warning{Kind: WarnUnmatchedRule,
				Message: fmt.Sprintf("%s: the rule for %s matched no finding", r.by, r.id)})
		}
	}
	return out
}

// covers reports whether the rule names the finding's vulnerability (by
// any of its identifiers) and package.
func (r *rule) covers(f *Finding) bool {
	if !namesVulnerability(r.id, f) {
		return false
	}
	return r.product == "" || productMatches(r.product, &f.Package)
}

func namesVulnerability(id string, f *Finding) bool {
	if strings.EqualFold(id, f.ID) {
		return true
	}
	for _, ids := range [][]string{f.Aliases, f.Advisories} {
		for _, a := range ids {
			if strings.EqualFold(id, a) {
				return true
			}
		}
	}
	return false
}

// productMatches compares a rule's product with a package: a purl matches
// on type, namespace and name, and on version when it has one; an image
// purl (pkg:oci) matches every package; anything else is a package name.
func productMatches(product string, p *Package) bool {
	if !strings.HasPrefix(product, "pkg:") {
		return product == p.Name
	}
	want, err := packageurl.FromString(product)
	if err != nil {
		return false
	}
	if want.Type == "oci" {
		return true
	}
	have, err := packageurl.FromString(p.PURL)
	if err != nil {
		return false
	}
	return want.Type == have.Type && want.Namespace == have.Namespace && want.Name == have.Name &&
		(want.Version == "" || want.Version == have.Version)
}
