package scan

import "sort"

// RiskLess orders findings by what to fix first:
//
//  1. active findings before suppressed ones;
//  2. known exploited (Finding.KEV set) before the others, those used by
//     ransomware first: exploitation is a fact, not a prediction;
//  3. higher severity first, unknown last (the table's order so far);
//  4. higher EPSS percentile first, a finding with no score after every
//     scored one;
//  5. then package name, version, location and id, so the order is total.
//
// Without exploitation data loaded this is the severity order the table
// has always had.
func RiskLess(a, b *Finding) bool {
	if as, bs := a.Suppressed != nil, b.Suppressed != nil; as != bs {
		return bs
	}
	if ak, bk := kevRank(a), kevRank(b); ak != bk {
		return ak > bk
	}
	if a.Severity != b.Severity {
		return a.Severity > b.Severity
	}
	if ap, bp := epssPercentile(a), epssPercentile(b); ap != bp {
		return ap > bp
	}
	return lessFinding(a, b)
}

func kevRank(f *Finding) int {
	switch {
	case f.KEV == nil:
		return 0
	case f.KEV.Ransomware:
		return 2
	}
	return 1
}

func epssPercentile(f *Finding) float64 {
	if f.EPSS == nil {
		return -1
	}
	return f.EPSS.Percentile
}

// ByRisk returns the report's findings (a copy) in RiskLess order.
func (r *Report) ByRisk() []Finding {
	fs := append([]Finding(nil), r.Findings...)
	sort.SliceStable(fs, func(i, j int) bool { return RiskLess(&fs[i], &fs[j]) })
	return fs
}
