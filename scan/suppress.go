package scan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"sort"
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
	product string // a purl (version optional), a package id or name, or "" for any
	// suppress is false for a statement that the product is affected (or
	// under investigation): it overrides earlier statements, it does not
	// suppress.
	suppress bool
	reason   string
	expires  time.Time
	by       string
	// unresolved marks a CycloneDX reference that names no component of
	// its document and is not a purl.
	unresolved bool

	matched int
	expired map[int]bool // the findings it would have suppressed
	partial []string     // bundled advisories it covers only one vulnerability of
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

// parseOpenVEX reads OpenVEX (v0.0.x and v0.2.x). Statements are a
// sequence: for a vulnerability and product the latest one (by timestamp,
// the document's when a statement has none, then by position) decides.
// not_affected and fixed suppress; affected and under_investigation
// override earlier statements and suppress nothing.
func parseOpenVEX(name string, b []byte) (*Suppressions, error) {
	var doc struct {
		Timestamp  string `json:"timestamp"`
		Statements []struct {
			Vulnerability json.RawMessage   `json:"vulnerability"`
			Products      []json.RawMessage `json:"products"`
			Status        string            `json:"status"`
			Justification string            `json:"justification"`
			Impact        string            `json:"impact_statement"`
			Action        string            `json:"action_statement"`
			Timestamp     string            `json:"timestamp"`
		} `json:"statements"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrSuppression, name, err)
	}
	docTime, err := vexTime(doc.Timestamp)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: timestamp: %w", ErrSuppression, name, err)
	}
	s := &Suppressions{name: name, kind: "openvex"}
	var times []time.Time // of each rule, for the ordering
	for i, st := range doc.Statements {
		switch st.Status {
		case "not_affected", "fixed", "affected", "under_investigation":
		default:
			return nil, fmt.Errorf("%w: %s: statement %d: unknown status %q", ErrSuppression, name, i, st.Status)
		}
		at, err := vexTime(st.Timestamp)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: statement %d: timestamp: %w", ErrSuppression, name, i, err)
		}
		if at.IsZero() {
			at = docTime
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
		suppress := st.Status == "not_affected" || st.Status == "fixed"
		for _, p := range products {
			s.rules = append(s.rules, &rule{id: id, product: p, suppress: suppress, reason: reason, by: fmt.Sprintf("%s (OpenVEX statement %d)", name, i)})
			times = append(times, at)
		}
	}
	// Oldest first, so that the last covering rule is the latest.
	idx := make([]int, len(s.rules))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return times[idx[a]].Before(times[idx[b]]) })
	sorted := make([]*rule, len(idx))
	for i, j := range idx {
		sorted[i] = s.rules[j]
	}
	s.rules = sorted
	return s, nil
}

// vexTime parses an RFC 3339 timestamp; "" is the zero time.
func vexTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339, s)
}

// openVEXProducts lists the purls of a statement's products: strings in
// v0.0.x, objects with @id (or identifiers.purl) and subcomponents in v0.2.
func openVEXProducts(raw []json.RawMessage) ([]string, error) {
	type component struct {
		ID          string `json:"@id"`
		Identifiers struct {
			PURL string `json:"purl"`
		} `json:"identifiers"`
	}
	ref := func(c component) string {
		if c.Identifiers.PURL != "" {
			return c.Identifiers.PURL
		}
		return c.ID
	}
	var out []string
	for _, r := range raw {
		var s string
		if json.Unmarshal(r, &s) == nil {
			out = append(out, s)
			continue
		}
		var p struct {
			component
			Subcomponents []component `json:"subcomponents"`
		}
		if err := json.Unmarshal(r, &p); err != nil {
			return nil, err
		}
		if len(p.Subcomponents) > 0 {
			for _, sc := range p.Subcomponents {
				out = append(out, ref(sc))
			}
			continue
		}
		out = append(out, ref(p.component))
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
				products = append(products, a.Ref)
			}
		}
		for _, ref := range products {
			r := &rule{id: v.ID, suppress: true, reason: reason, by: fmt.Sprintf("%s (CycloneDX VEX vulnerability %d)", name, i)}
			r.product, r.unresolved = resolveBOMRef(ref, refs)
			s.rules = append(s.rules, r)
		}
	}
	return s, nil
}

// resolveBOMRef turns an affects reference into a product: a BOM-Link
// (urn:cdx:<serial>/<version>#<bom-ref>, how a standalone VEX document
// points into an SBOM) is reduced to its bom-ref; a bom-ref of a component
// in the document becomes that component's purl. Anything else stays as
// it is: a purl, or a bom-ref of the scanned SBOM (a package id).
// unresolved reports a reference that is neither a purl nor a component.
func resolveBOMRef(ref string, components map[string]string) (product string, unresolved bool) {
	if strings.HasPrefix(ref, "urn:cdx:") {
		if _, frag, ok := strings.Cut(ref, "#"); ok {
			if u, err := url.PathUnescape(frag); err == nil {
				frag = u
			}
			ref = frag
		}
	}
	if purl, ok := components[ref]; ok {
		return purl, false
	}
	return ref, ref != "" && !strings.HasPrefix(ref, "pkg:")
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
		r := &rule{id: e.ID, product: e.Package, suppress: true, reason: e.Reason, by: fmt.Sprintf("%s (entry %d)", name, i+1)}
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

// applySuppressions marks the findings the documents suppress and returns
// warnings for expired rules (they no longer suppress), rules that cover
// only part of a bundled advisory, CycloneDX references that name nothing
// and, for ignore files, rules that matched nothing.
//
// Within a document the latest rule about a vulnerability and package
// decides; across documents any one that suppresses suppresses. A finding
// for an advisory about several vulnerabilities (a DSA or RLSA fixing
// three CVEs) is suppressed by a rule naming the advisory, or when every
// one of its vulnerabilities is.
func applySuppressions(sups []*Suppressions, findings []Finding, now time.Time) []Warning {
	for i := range findings {
		f := &findings[i]
		if f.Suppressed != nil {
			continue
		}
		whole := func(id string) bool { return namesVulnerability(id, f) }
		if r := decideAll(sups, i, f, whole, now); r != nil {
			r.matched++
			f.Suppressed = &Suppression{By: r.by, Reason: r.reason, Expires: r.expires}
			continue
		}
		if len(f.bundled) == 0 {
			continue
		}
		var used []*rule
		for _, id := range f.bundled {
			if r := decideAll(sups, i, f, func(x string) bool { return strings.EqualFold(x, id) }, now); r != nil {
				used = append(used, r)
			}
		}
		if len(used) < len(f.bundled) {
			for _, r := range used {
				r.partial = append(r.partial, f.ID)
			}
			continue
		}
		sup := &Suppression{}
		var by, reasons []string
		for k, r := range used {
			r.matched++
			if !slices.Contains(by, r.by) {
				by = append(by, r.by)
			}
			reasons = append(reasons, f.bundled[k]+": "+r.reason)
			if !r.expires.IsZero() && (sup.Expires.IsZero() || r.expires.Before(sup.Expires)) {
				sup.Expires = r.expires
			}
		}
		sup.By, sup.Reason = strings.Join(by, "; "), strings.Join(reasons, "; ")
		f.Suppressed = sup
	}
	var out []Warning
	for _, s := range sups {
		for _, r := range s.rules {
			switch {
			case len(r.expired) > 0:
				out = append(out, Warning{Kind: WarnExpiredIgnore, Packages: len(r.expired),
					Message: fmt.Sprintf("%s: the rule for %s expired on %s; %d findings are reported again", r.by, r.id, r.expires.Format(time.DateOnly), len(r.expired))})
			case r.matched == 0 && len(r.partial) > 0:
				out = append(out, Warning{Kind: WarnUnmatchedRule,
					Message: fmt.Sprintf("%s: %s is one of several vulnerabilities of %s; the findings stay until each is covered", r.by, r.id, strings.Join(dedupeStrings(r.partial), ", "))})
			case r.matched == 0 && r.unresolved:
				out = append(out, Warning{Kind: WarnUnmatchedRule,
					Message: fmt.Sprintf("%s: the reference %q is no component of the document, no purl and no package of the SBOM; the statement suppresses nothing", r.by, r.product)})
			case r.matched == 0 && s.kind == "ignore":
				out = append(out, Warning{Kind: WarnUnmatchedRule,
					Message: fmt.Sprintf("%s: the rule for %s matched no finding", r.by, r.id)})
			}
		}
	}
	return out
}

// decideAll returns the first suppressing decision of the documents for
// the vulnerability names picks out.
func decideAll(sups []*Suppressions, i int, f *Finding, names func(string) bool, now time.Time) *rule {
	for _, s := range sups {
		if r := s.decide(i, f, names, now); r != nil && r.suppress {
			return r
		}
	}
	return nil
}

// decide returns the rule of s that decides about finding i for the
// vulnerability names picks out: the last (latest) rule covering it that
// has not expired, or nil when none does.
func (s *Suppressions) decide(i int, f *Finding, names func(string) bool, now time.Time) *rule {
	for k := len(s.rules) - 1; k >= 0; k-- {
		r := s.rules[k]
		if !names(r.id) || (r.product != "" && !productMatches(r.product, &f.Package)) {
			continue
		}
		if r.suppress && !r.expires.IsZero() && now.After(r.expires) {
			if r.expired == nil {
				r.expired = map[int]bool{}
			}
			r.expired[i] = true
			continue
		}
		return r
	}
	return nil
}

// namesVulnerability reports whether id names the finding's vulnerability
// as a whole: its id, an alias or one of its advisories (not one of the
// several vulnerabilities of a bundled advisory).
func namesVulnerability(id string, f *Finding) bool {
	if strings.EqualFold(id, f.ID) {
		return true
	}
	for _, ids := range [][]string{f.Aliases, f.Advisories} {
		for _, a := range ids {
			if strings.EqualFold(id, a) && !slices.ContainsFunc(f.bundled, func(b string) bool { return strings.EqualFold(b, a) }) {
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
		return product == p.Name || product == p.ID
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
