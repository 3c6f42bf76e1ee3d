package scan

import (
	"fmt"
	"strings"
	"time"

	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
)

// ReportSchemaVersion is the version of the JSON form of Report.
const ReportSchemaVersion = "1"

// Report is the outcome of matching an inventory.
type Report struct {
	SchemaVersion string `json:"schema_version"`
	// Source is the inventoried image or directory, as the SBOM says.
	Source sbom.Source `json:"source"`
	// Distro is the image's operating system, when it has one.
	Distro *sbom.Distro `json:"distro,omitempty"`
	// Support is the distribution release's support status (end of life),
	// when the image has a distribution.
	Support *Support `json:"support,omitempty"`
	// DB describes the vulnerability data used.
	DB DBInfo `json:"db"`
	// Findings are sorted by package (name, version, location) and id.
	Findings []Finding `json:"findings"`
	// Warnings say what could not be checked and why: packages of an
	// ecosystem the store has no data for, a distribution with no advisory
	// ecosystem, versions that do not parse, a store past its age.
	Warnings []Warning `json:"warnings,omitempty"`
	// Errors are the SBOM's per-file errors, carried over.
	Errors []result.FileError `json:"errors,omitempty"`

	// sbom is the inventory Match read, for the CycloneDX encoders.
	sbom *sbom.SBOM
}

// Warning kinds.
const (
	WarnNoEcosystem   = "no-ecosystem"     // no OSV ecosystem for the distribution or package type
	WarnNoData        = "no-data"          // the store holds nothing for an ecosystem the inventory needs
	WarnBadVersion    = "bad-version"      // a package or advisory version its ordering rejects
	WarnStaleDB       = "stale-db"         // the data is older than the caller allows
	WarnExpiredIgnore = "expired-ignore"   // a suppression that has expired
	WarnUnmatchedRule = "unused-rule"      // a suppression that matched nothing
	WarnSkipped       = "skipped-records"  // records of the data that were not valid OSV and were left out
	WarnUnrated       = "unrated"          // findings no source rates: their severity is unknown
	WarnEOL           = "eol"              // the distribution release is past its end of support
	WarnEOLUnknown    = "eol-unknown"      // the distribution release's end of support is not known
	WarnNothing       = "nothing-detected" // no operating system and no package: nothing was checked
)

// Warning is something the scan could not do fully.
type Warning struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
	// Packages counts the packages concerned, where it applies.
	Packages int `json:"packages,omitempty"`
}

// Finding is one vulnerability of one package.
type Finding struct {
	// ID is the vulnerability's primary identifier: its CVE when it has
	// one, else the advisory's id.
	ID      string   `json:"id"`
	Aliases []string `json:"aliases,omitempty"`
	Package Package  `json:"package"`
	// Severity is resolved as SeveritySource documents; SeveritySource
	// says which source gave it and RatedBy names the record it came from.
	// Score and Vector are set when it came from a CVSS vector.
	Severity       result.Severity `json:"severity"`
	SeveritySource SeveritySource  `json:"severity_source"`
	RatedBy        string          `json:"rated_by,omitempty"`
	Score          float64         `json:"score,omitempty"`
	Vector         string          `json:"cvss,omitempty"`
	// Class is result.ClassMalicious for a malicious package (an OSV MAL-
	// record), else empty.
	Class result.Class `json:"class,omitempty"`
	// FixedVersions are the versions that fix it, from the advisory's
	// ranges; empty when no fix is known.
	FixedVersions []string `json:"fixed_versions,omitempty"`
	Summary       string   `json:"summary,omitempty"`
	// Published is when the vulnerability was first published, the
	// earliest date of the advisories merged (zero when none says).
	Published  time.Time `json:"published,omitzero"`
	References []string  `json:"references,omitempty"`
	// Advisories are the records this finding merges (ids of the store).
	Advisories []string `json:"advisories"`
	// Ecosystem is the OSV ecosystem the match was made in ("Debian:12").
	Ecosystem string `json:"ecosystem"`
	// Suppressed is set when a VEX statement or ignore rule covers the
	// finding; it stays in the report.
	Suppressed *Suppression `json:"suppressed,omitempty"`
	// KEV is set when the vulnerability, or a CVE it stands for (an alias,
	// a CVE an advisory about several fixes), is in CISA's Known Exploited
	// Vulnerabilities catalog; EPSS is its highest EPSS score. Both need
	// the data loaded next to the store (FetchKEV, FetchEPSS, ImportKEV,
	// ImportEPSS); without it they are never set.
	KEV  *KEV  `json:"kev,omitempty"`
	EPSS *EPSS `json:"epss,omitempty"`

	// bundled are the vulnerabilities of advisories about several
	// (upstream ids of a DSA fixing three CVEs) that are not the
	// finding's own: a suppression must cover each of them.
	bundled []string
}

// Package is the matched package, as the SBOM records it.
type Package struct {
	Name     string `json:"name"`
	Version  string `json:"version"`
	Type     string `json:"type"`
	PURL     string `json:"purl,omitempty"`
	Location string `json:"location"`
	Layer    string `json:"layer,omitempty"`
	// ID is the package's id in the SBOM.
	ID string `json:"id"`
}

// Suppression says why a finding is not counted.
type Suppression struct {
	// By names the document or file and the statement or rule.
	By     string `json:"by"`
	Reason string `json:"reason"`
	// Expires is when the rule stops applying (zero: never).
	Expires time.Time `json:"expires,omitzero"`
}

// Unrated returns the active findings that no source rates (severity
// unknown): a gate must decide about them on their own, as they may be of
// any severity.
func (r *Report) Unrated() []Finding {
	var out []Finding
	for i := range r.Findings {
		if f := &r.Findings[i]; f.Suppressed == nil && f.Severity == result.SeverityUnknown {
			out = append(out, *f)
		}
	}
	return out
}

// Active returns the findings that are not suppressed.
func (r *Report) Active() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Suppressed == nil {
			out = append(out, f)
		}
	}
	return out
}

// MaxSeverity returns the highest severity among the active findings, and
// whether there is any.
func (r *Report) MaxSeverity() (result.Severity, bool) {
	var max result.Severity
	any := false
	for _, f := range r.Active() {
		any = true
		if f.Severity > max {
			max = f.Severity
		}
	}
	return max, any
}

// Counts returns the number of active findings per severity.
func (r *Report) Counts() map[result.Severity]int {
	m := map[result.Severity]int{}
	for _, f := range r.Active() {
		m[f.Severity]++
	}
	return m
}

// Summary counts the active findings in a line: by severity, unrated and
// malicious ones named as such ("12 vulnerabilities: 1 critical, 3 high,
// 2 medium, 0 low, 4 negligible, 2 unrated; 1 malicious package"), and
// says when nothing was checked or the distribution is past its end of
// support ("…; nothing checked: no operating system or package detected").
func (r *Report) Summary() string {
	counts := r.Counts()
	active, mal := 0, 0
	for i := range r.Findings {
		if f := &r.Findings[i]; f.Suppressed == nil {
			active++
			if f.Class == result.ClassMalicious {
				mal++
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d vulnerabilities: %d critical, %d high, %d medium, %d low", active, counts[result.SeverityCritical],
		counts[result.SeverityHigh], counts[result.SeverityMedium], counts[result.SeverityLow])
	if n := counts[result.SeverityNegligible]; n > 0 {
		fmt.Fprintf(&b, ", %d negligible", n)
	}
	fmt.Fprintf(&b, ", %d unrated", counts[result.SeverityUnknown])
	if mal > 0 {
		fmt.Fprintf(&b, "; %d malicious %s", mal, map[bool]string{true: "package", false: "packages"}[mal == 1])
	}
	b.WriteString(r.coverageSummary())
	return b.String()
}
