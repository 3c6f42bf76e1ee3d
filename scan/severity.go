package scan

import (
	"encoding/json"
	"math"
	"strings"

	gocvss20 "github.com/pandatix/go-cvss/20"
	gocvss30 "github.com/pandatix/go-cvss/30"
	gocvss31 "github.com/pandatix/go-cvss/31"
	gocvss40 "github.com/pandatix/go-cvss/40"

	"github.com/shipshape-dev/shipshape/internal/osv"
	"github.com/shipshape-dev/shipshape/result"
)

// SeveritySource says where a finding's severity came from
// (Finding.SeveritySource). Match resolves a severity in this order, the
// first that gives one winning:
//
//  1. SeverityFromDistribution, for a package of a distribution: the
//     distribution's own rating of the issue in its package — Debian's
//     urgency, Ubuntu's priority, the Red Hat family's (Red Hat, AlmaLinux,
//     Rocky Linux) advisory severity (the "Important:" of its title, or
//     database_specific.severity), openEuler's (database_specific.severity
//     of its OESA records), and any other distribution's record that puts
//     a rating word in a severity or urgency field. A distribution that
//     judged an issue not to matter in its package says so ("unimportant",
//     "negligible"): result.SeverityNegligible. Families whose published
//     records rate with a CVSS vector only (Alpaquita and BellSoft
//     Hardened Containers, CleanStart) take step 2; records that rate
//     nothing (Mageia's, Docker Hardened Images' reference record, SUSE's
//     as osv.dev serves them, as far as published data shows) take step
//     3 through the CVEs they name as aliases or upstream.
//  2. SeverityFromCVSS: the base score of a CVSS vector of the matched
//     records (the newest CVSS version wins, then the highest score).
//  3. SeverityFromAlias: a CVSS vector, else a rating, of a record in the
//     store that names the same vulnerability (GitHub's GHSA record next to
//     the Go database's, which rates nothing).
//  4. SeverityFromDatabase: the advisory database's qualitative rating
//     ("HIGH", "moderate").
//
// A malicious package (an OSV MAL- record) is SeverityFromMalicious and
// critical whatever its records say: installing it is the compromise.
// When nothing rates a finding its severity is result.SeverityUnknown and
// its source SeverityUnrated; gates do not count such findings as low (see
// policy.MaxSeverity's Unrated).
type SeveritySource string

// The severity sources, in the order Match tries them.
const (
	SeverityFromDistribution SeveritySource = "distribution"
	SeverityFromCVSS         SeveritySource = "cvss"
	SeverityFromAlias        SeveritySource = "alias"
	SeverityFromDatabase     SeveritySource = "database"
	SeverityFromMalicious    SeveritySource = "malicious"
	SeverityUnrated          SeveritySource = "none"
)

// rating is a severity, its score and vector when it came from CVSS, where
// it came from and the record that gave it.
type rating struct {
	severity result.Severity
	score    float64
	vector   string
	source   SeveritySource
	by       string
}

// better says whether r outranks o among ratings of one kind: higher
// severity, then higher score.
func (r rating) better(o rating) bool {
	return r.severity > o.severity || (r.severity == o.severity && r.score > o.score)
}

// distroRating is the distribution's own rating of the issue in a record
// a distribution published about its package, if it gives one.
func distroRating(v *osv.Vulnerability, a *osv.Affected) (result.Severity, bool) {
	// Ubuntu's priority, as a severity entry of its own type.
	for _, sevs := range [][]osv.Severity{a.Severity, v.Severity} {
		for _, s := range sevs {
			if strings.EqualFold(s.Type, "Ubuntu") {
				if sev, ok := qualitative(s.Score); ok {
					return sev, true
				}
			}
		}
	}
	// Debian's urgency and the ratings other distributions keep in their
	// records' specific data.
	for _, raw := range []json.RawMessage{a.EcosystemSpecific, a.DatabaseSpecific, v.DatabaseSpecific} {
		sev, ok := specificRating(raw)
		if ok {
			return sev, true
		}
	}
	// The Red Hat family titles its advisories with their severity:
	// "Important: openssl security update".
	if prefix, _, ok := strings.Cut(v.Summary, ": "); ok && !strings.ContainsAny(prefix, " \t") {
		if sev, ok := qualitative(prefix); ok {
			return sev, true
		}
	}
	return 0, false
}

// specificRating reads the severity or urgency key of a record's
// database- or ecosystem-specific object.
func specificRating(raw json.RawMessage) (result.Severity, bool) {
	if len(raw) == 0 {
		return 0, false
	}
	var ds struct {
		Severity json.RawMessage `json:"severity"`
		Urgency  string          `json:"urgency"`
	}
	if json.Unmarshal(raw, &ds) != nil {
		return 0, false
	}
	var sev string
	if json.Unmarshal(ds.Severity, &sev) != nil {
		sev = "" // a severity that is not a string (an object, a list)
	}
	for _, s := range []string{sev, ds.Urgency} {
		if r, ok := qualitative(s); ok {
			return r, true
		}
	}
	return 0, false
}

// qualitative reads a rating word ("High", "moderate", "unimportant",
// Debian's "medium**"); "not yet assigned", "untriaged" and the like rate
// nothing.
func qualitative(s string) (result.Severity, bool) {
	s = strings.TrimRight(strings.TrimSpace(s), "*")
	sev, err := result.ParseSeverity(s)
	if err != nil || sev == result.SeverityUnknown {
		return 0, false
	}
	return sev, true
}

// cvssRating is the best CVSS rating among an affected entry's and its
// record's vectors: the newest CVSS version, then the highest score.
func cvssRating(v *osv.Vulnerability, a *osv.Affected) (rating, int) {
	best, bestRank := rating{}, 0
	for _, sevs := range [][]osv.Severity{a.Severity, v.Severity} {
		for _, s := range sevs {
			score, rank, ok := cvssScore(s)
			if !ok || rank < bestRank || (rank == bestRank && score <= best.score) {
				continue
			}
			best, bestRank = rating{severity: fromScore(score, rank), score: score, vector: strings.TrimSpace(s.Score), source: SeverityFromCVSS, by: v.ID}, rank
		}
	}
	return best, bestRank
}

// databaseRating is the qualitative rating a record gives that is not a
// distribution's: GitHub's "HIGH", a severity entry holding a word.
func databaseRating(v *osv.Vulnerability, a *osv.Affected) (result.Severity, bool) {
	for _, sevs := range [][]osv.Severity{a.Severity, v.Severity} {
		for _, s := range sevs {
			if _, _, isVector := cvssScore(s); isVector {
				continue
			}
			if sev, ok := qualitative(s.Score); ok {
				return sev, true
			}
		}
	}
	for _, raw := range []json.RawMessage{a.EcosystemSpecific, a.DatabaseSpecific, v.DatabaseSpecific} {
		if sev, ok := specificRating(raw); ok {
			return sev, true
		}
	}
	return 0, false
}

// cvssScore computes a vector's base score; rank orders CVSS versions so
// that the newest wins.
func cvssScore(s osv.Severity) (score float64, rank int, ok bool) {
	vec := strings.TrimSpace(s.Score)
	switch {
	case strings.HasPrefix(vec, "CVSS:4.0/"):
		c, err := gocvss40.ParseVector(vec)
		if err != nil {
			return 0, 0, false
		}
		return c.Score(), 4, true
	case strings.HasPrefix(vec, "CVSS:3.1/"):
		c, err := gocvss31.ParseVector(vec)
		if err != nil {
			return 0, 0, false
		}
		return c.BaseScore(), 3, true
	case strings.HasPrefix(vec, "CVSS:3.0/"):
		c, err := gocvss30.ParseVector(vec)
		if err != nil {
			return 0, 0, false
		}
		return c.BaseScore(), 3, true
	case s.Type == "CVSS_V2" || strings.HasPrefix(vec, "AV:"):
		c, err := gocvss20.ParseVector(strings.Trim(vec, "()"))
		if err != nil {
			return 0, 0, false
		}
		return c.BaseScore(), 2, true
	}
	return 0, 0, false
}

// fromScore maps a base score of CVSS version major to its qualitative
// rating. CVSS v2 has no critical (NVD rates 7.0–10.0 high).
func fromScore(s float64, major int) result.Severity {
	s = math.Round(s*10) / 10
	switch {
	case s >= 9.0 && major >= 3:
		return result.SeverityCritical
	case s >= 7.0:
		return result.SeverityHigh
	case s >= 4.0:
		return result.SeverityMedium
	case s > 0:
		return result.SeverityLow
	}
	return result.SeverityUnknown
}
