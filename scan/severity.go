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

// rating is a finding's severity, its score and the vector it came from.
type rating struct {
	severity result.Severity
	score    float64
	vector   string
}

// rate picks the severity of a vulnerability for a matched package: the
// newest CVSS version among the affected entry's and the record's scores
// (base score computed from the vector), else the rating the advisory or
// its database gives ("HIGH", "moderate", Ubuntu's priorities).
func rate(v *osv.Vulnerability, a *osv.Affected) rating {
	best, bestRank := rating{}, 0
	for _, sevs := range [][]osv.Severity{a.Severity, v.Severity} {
		for _, s := range sevs {
			score, rank, ok := cvssScore(s)
			if !ok || rank <= bestRank {
				continue
			}
			best, bestRank = rating{severity: fromScore(score, rank), score: score, vector: s.Score}, rank
		}
	}
	if bestRank > 0 {
		return best
	}
	for _, sevs := range [][]osv.Severity{a.Severity, v.Severity} {
		for _, s := range sevs {
			if sev, err := result.ParseSeverity(s.Score); err == nil && sev != result.SeverityUnknown {
				return rating{severity: sev}
			}
		}
	}
	for _, raw := range []json.RawMessage{a.EcosystemSpecific, a.DatabaseSpecific, v.DatabaseSpecific} {
		var ds struct {
			Severity string `json:"severity"`
			Urgency  string `json:"urgency"`
		}
		if len(raw) == 0 || json.Unmarshal(raw, &ds) != nil {
			continue
		}
		for _, s := range []string{ds.Severity, strings.TrimSuffix(ds.Urgency, "*")} {
			if sev, err := result.ParseSeverity(s); err == nil && sev != result.SeverityUnknown {
				return rating{severity: sev}
			}
		}
	}
	return rating{}
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
