package scan

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/shipshape-dev/shipshape/internal/osv"
	"github.com/shipshape-dev/shipshape/internal/version"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
)

// MatchOption configures Match.
type MatchOption func(*matchOptions) error

type matchOptions struct {
	now          func() time.Time
	maxAge       time.Duration
	ownedAsLang  bool
	suppressions []*Suppressions
	eol          *EOLTable
}

// WithNow sets the clock used to judge the store's age and suppressions'
// expiry (default: time.Now).
func WithNow(now func() time.Time) MatchOption {
	return func(o *matchOptions) error {
		if now == nil {
			return fmt.Errorf("%w: nil clock", result.ErrInvalidOption)
		}
		o.now = now
		return nil
	}
}

// WithEOLTable sets the end-of-life table Match judges the distribution's
// support by (default: DefaultEOLTable; CachedEOLTable finds the one
// FetchEOL downloaded).
func WithEOLTable(t *EOLTable) MatchOption {
	return func(o *matchOptions) error {
		if t == nil {
			return fmt.Errorf("%w: nil end-of-life table", result.ErrInvalidOption)
		}
		o.eol = t
		return nil
	}
}

// WithMaxDBAge adds a warning to the report when the store's newest record
// is older than d.
func WithMaxDBAge(d time.Duration) MatchOption {
	return func(o *matchOptions) error {
		if d <= 0 {
			return fmt.Errorf("%w: maximum age %v", result.ErrInvalidOption, d)
		}
		o.maxAge = d
		return nil
	}
}

// WithOwnedLanguagePackages also matches language packages that an OS
// package installed (SBOM's OwnedBy) in their language ecosystem. By
// default they are left to the distribution's advisories: distributions
// backport fixes without changing the upstream version, so matching
// Debian's python3-requests as PyPI's requests reports fixed bugs.
func WithOwnedLanguagePackages() MatchOption {
	return func(o *matchOptions) error {
		o.ownedAsLang = true
		return nil
	}
}

// WithSuppressions applies VEX statements and ignore rules to the findings.
func WithSuppressions(s ...*Suppressions) MatchOption {
	return func(o *matchOptions) error {
		for _, x := range s {
			if x == nil {
				return fmt.Errorf("%w: nil suppressions", result.ErrInvalidOption)
			}
		}
		o.suppressions = append(o.suppressions, s...)
		return nil
	}
}

// hit is one advisory's affected entry that covers a package.
type hit struct {
	adv       *osv.Vulnerability
	affected  *osv.Affected
	ecosystem string
	fixed     []version.Version
}

// Match checks every package of s against db and returns the report.
func Match(ctx context.Context, db *DB, s *sbom.SBOM, opts ...MatchOption) (*Report, error) {
	o := &matchOptions{now: time.Now}
	for _, opt := range opts {
		if err := opt(o); err != nil {
			return nil, err
		}
	}
	rep := &Report{SchemaVersion: ReportSchemaVersion, Source: s.Source, Distro: s.Distro, DB: db.Info(),
		Findings: []Finding{}, Errors: s.Errors, sbom: s}
	// The full ecosystem names the store covers, by family.
	have := map[string][]string{}
	for _, src := range rep.DB.Sources {
		for _, e := range src.Releases {
			b := osv.Base(e)
			have[b] = append(have[b], e)
		}
	}
	// Packages are independent: match them on all cores, then gather in
	// order.
	outs := make([]pkgResult, len(s.Packages))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := range s.Packages {
		g.Go(func() error {
			var err error
			outs[i], err = matchPackage(gctx, db, s.Distro, &s.Packages[i], have, o)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	noEco, noData, badVersion := map[string]int{}, map[string]int{}, map[string]int{}
	badRanges := map[string]bool{}
	for _, out := range outs {
		rep.Findings = append(rep.Findings, out.findings...)
		switch {
		case out.noEco != "":
			noEco[out.noEco]++
		case out.noData != "":
			noData[out.noData]++
		case out.badVersion != "":
			badVersion[out.badVersion]++
		}
		for _, id := range out.badRanges {
			badRanges[id] = true
		}
	}
	if err := db.exploit.annotate(ctx, rep.Findings); err != nil {
		return nil, err
	}
	rep.Warnings = warnings(noEco, noData, badVersion, badRanges)
	rep.Warnings = append(rep.Warnings, coverageWarnings(rep, s, o)...)
	for _, src := range rep.DB.Sources {
		if src.Skipped > 0 {
			rep.Warnings = append(rep.Warnings, Warning{Kind: WarnSkipped, Message: fmt.Sprintf(
				"%s of %s could not be read when the vulnerability data was built: what they describe is not checked (shipshape db info lists them)",
				plural(src.Skipped, "OSV record"), src.Name)})
		}
	}
	if o.maxAge > 0 {
		if snap := rep.DB.Snapshot(); !snap.IsZero() && o.now().Sub(snap) > o.maxAge {
			rep.Warnings = append(rep.Warnings, Warning{Kind: WarnStaleDB,
				Message: fmt.Sprintf("the vulnerability data is from %s, older than %v", snap.Format(time.DateOnly), o.maxAge)})
		}
	}
	rep.Warnings = append(rep.Warnings, applySuppressions(o.suppressions, rep.Findings, o.now())...)
	var ids []string
	for i := range rep.Findings {
		if f := &rep.Findings[i]; f.Suppressed == nil && f.Severity == result.SeverityUnknown {
			ids = append(ids, f.ID)
		}
	}
	if n := len(ids); n > 0 {
		slices.Sort(ids)
		ids = slices.Compact(ids)
		list := strings.Join(ids[:min(len(ids), 5)], ", ")
		if len(ids) > 5 {
			list += fmt.Sprintf(" and %d more", len(ids)-5)
		}
		are := fmt.Sprintf("%d findings are", n)
		if n == 1 {
			are = "1 finding is"
		}
		rep.Warnings = append(rep.Warnings, Warning{Kind: WarnUnrated, Packages: n, Message: fmt.Sprintf(
			"%s unrated (%s): no distribution rating, CVSS vector or database rating in the records or their aliases'; they may be of any severity",
			are, list)})
	}
	sort.SliceStable(rep.Findings, func(i, j int) bool { return lessFinding(&rep.Findings[i], &rep.Findings[j]) })
	return rep, nil
}

// pkgResult is what matching one package found, and why it could not be
// matched if it could not.
type pkgResult struct {
	findings   []Finding
	noEco      string // the kind of package no ecosystem is known for
	noData     string // the ecosystem the store has no data for
	badVersion string // the ecosystem whose ordering rejected the version
	badRanges  []string
}

func matchPackage(ctx context.Context, db *DB, d *sbom.Distro, p *sbom.Package, have map[string][]string, o *matchOptions) (pkgResult, error) {
	var out pkgResult
	var t target
	var ok bool
	switch p.Type {
	case sbom.TypeDeb, sbom.TypeAPK, sbom.TypeRPM:
		if t, ok = osTarget(d, p); !ok {
			out.noEco = distroLabel(d) + " " + p.Type
			return out, nil
		}
	default:
		if p.OwnedBy != "" && !o.ownedAsLang {
			return out, nil // matched through the owning OS package
		}
		if t, ok = languageTarget(p); !ok {
			out.noEco = p.Type
			return out, nil
		}
	}
	if !slices.ContainsFunc(have[t.base], t.accept) {
		out.noData = t.release
		return out, nil
	}
	// The release, not the family: Alpine's releases differ in ordering
	// (apk-tools 2 up to 3.22, 3 from 3.23), and Docker Hardened Images
	// order as their lineage.
	ord, err := version.ForEcosystem(t.release)
	if err != nil {
		out.noEco = t.base
		return out, nil
	}
	if t.version == "" || t.version == "(devel)" {
		return out, nil // nothing to compare: a versionless manifest, a main module built from source
	}
	pv, err := ord.Parse(t.version)
	if err != nil {
		out.badVersion = t.base
		return out, nil
	}
	var hits []hit
	for _, name := range t.names {
		cands, err := db.candidates(ctx, t.base, name)
		if err != nil {
			return out, err
		}
		for _, c := range cands {
			if !t.accept(c.ecosystem) {
				continue
			}
			adv, err := db.advisory(ctx, c.id)
			if err != nil {
				return out, err
			}
			for j := range adv.Affected {
				a := &adv.Affected[j]
				if a.Package.Ecosystem != c.ecosystem || storeName(t.base, a.Package.Name) != storeName(t.base, name) {
					continue
				}
				affected, fixed, bad := affects(t.rangeOrdering(ord, a.Package.Name), pv, a)
				if bad {
					out.badRanges = append(out.badRanges, adv.ID)
				}
				if affected {
					hits = append(hits, hit{adv: adv, affected: a, ecosystem: c.ecosystem, fixed: fixed})
				}
			}
		}
	}
	out.findings = merge(p, hits, func(id string) *osv.Vulnerability {
		v, err := db.advisory(ctx, id)
		if err != nil {
			return nil
		}
		return v
	})
	return out, nil
}

func distroLabel(d *sbom.Distro) string {
	if d == nil {
		return "no distribution"
	}
	return strings.TrimSpace(d.ID + " " + d.VersionID)
}

func lessFinding(a, b *Finding) bool {
	switch {
	case a.Package.Name != b.Package.Name:
		return a.Package.Name < b.Package.Name
	case a.Package.Version != b.Package.Version:
		return a.Package.Version < b.Package.Version
	case a.Package.Location != b.Package.Location:
		return a.Package.Location < b.Package.Location
	}
	return a.ID < b.ID
}

// event is a parsed range event.
type event struct {
	v    version.Version
	kind int // introduced, lastAffected, fixed, limit: the order events of one version sort in
}

const (
	evIntroduced = iota
	evLastAffected
	evFixed
	evLimit
)

// affects applies the OSV range semantics: in each SEMVER or ECOSYSTEM
// range, events sorted by version, a version is affected when the last
// event at or below it is an introduction (fixed at or below it, or a
// last_affected below it, ends the affected stretch), and, when the
// range has limit events, below at least one of them (limit "*" is
// infinity). An explicit versions list also counts. GIT ranges need commit
// information an inventory does not have and are not evaluated. bad
// reports a range with versions the ordering rejects (that range is
// skipped, never guessed).
func affects(ord version.Ordering, pv version.Version, a *osv.Affected) (affected bool, fixed []version.Version, bad bool) {
	for _, r := range a.Ranges {
		if r.Type == osv.RangeGit {
			continue
		}
		evs := make([]event, 0, len(r.Events))
		ok, unlimited := true, false
		for _, e := range r.Events {
			var s string
			var kind int
			switch {
			case e.Introduced != "":
				s, kind = e.Introduced, evIntroduced
			case e.Fixed != "":
				s, kind = e.Fixed, evFixed
			case e.LastAffected != "":
				s, kind = e.LastAffected, evLastAffected
			case e.Limit == "*":
				// Limit "*" is infinity: every version is below it.
				unlimited = true
				continue
			case e.Limit != "":
				s, kind = e.Limit, evLimit
			}
			v, err := ord.Parse(s)
			if err != nil {
				ok = false
				break
			}
			evs = append(evs, event{v: v, kind: kind})
		}
		if !ok {
			bad = true
			continue
		}
		sort.SliceStable(evs, func(i, j int) bool {
			if c := evs[i].v.Compare(evs[j].v); c != 0 {
				return c < 0
			}
			return evs[i].kind < evs[j].kind
		})
		in := false
		// Limits bound the range from above; a version below any of them
		// is in scope (OSV's BeforeLimits).
		haveLimit, belowLimit := false, unlimited
		for _, e := range evs {
			c := pv.Compare(e.v)
			switch e.kind {
			case evIntroduced:
				if c >= 0 {
					in = true
				}
			case evFixed:
				if c >= 0 {
					in = false
				}
			case evLastAffected:
				if c > 0 {
					in = false
				}
			case evLimit:
				haveLimit = true
				if c < 0 {
					belowLimit = true
				}
			}
		}
		if in && (!haveLimit || belowLimit) {
			affected = true
			for _, e := range evs {
				if e.kind == evFixed && pv.Compare(e.v) < 0 {
					fixed = append(fixed, e.v)
				}
			}
		}
	}
	if !affected {
		for _, s := range a.Versions {
			if v, err := ord.Parse(s); err == nil && v.Compare(pv) == 0 {
				affected = true
				break
			}
		}
	}
	return affected, fixed, bad
}

// merge turns the hits of one package into findings, one per
// vulnerability: records that name each other (aliases, upstream ids) are
// the same vulnerability. lookup finds records by id in the store, for the
// ratings of aliases (see resolveSeverity).
func merge(p *sbom.Package, hits []hit, lookup func(id string) *osv.Vulnerability) []Finding {
	if len(hits) == 0 {
		return nil
	}
	// Union-find over the identifiers of the hits.
	parent := map[string]string{}
	find := func(x string) string {
		if _, ok := parent[x]; !ok {
			parent[x] = x
		}
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	union := func(a, b string) { parent[find(a)] = find(b) }
	for _, h := range hits {
		for _, id := range idsOf(h.adv) {
			union(h.adv.ID, id)
		}
	}
	groups := map[string][]hit{}
	var roots []string
	for _, h := range hits {
		r := find(h.adv.ID)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], h)
	}
	var out []Finding
	for _, r := range roots {
		f := finding(p, groups[r])
		rt := resolveSeverity(p, &f, groups[r], lookup)
		f.Severity, f.Score, f.Vector, f.SeveritySource, f.RatedBy = rt.severity, rt.score, rt.vector, rt.source, rt.by
		if rt.source == SeverityFromMalicious {
			f.Class = result.ClassMalicious
		}
		out = append(out, f)
	}
	return out
}

// resolveSeverity rates a finding in the order SeveritySource documents,
// from its records (hs) and the records of its aliases in the store.
func resolveSeverity(p *sbom.Package, f *Finding, hs []hit, lookup func(string) *osv.Vulnerability) rating {
	for _, id := range append([]string{f.ID}, f.Aliases...) {
		if strings.HasPrefix(id, "MAL-") {
			return rating{severity: result.SeverityCritical, source: SeverityFromMalicious, by: id}
		}
	}
	var best rating
	if p.Type == sbom.TypeDeb || p.Type == sbom.TypeAPK || p.Type == sbom.TypeRPM {
		for _, h := range hs {
			if sev, ok := distroRating(h.adv, h.affected); ok && (best.source == "" || sev > best.severity) {
				best = rating{severity: sev, source: SeverityFromDistribution, by: h.adv.ID}
			}
		}
		if best.source != "" {
			return best
		}
	}
	bestRank := 0
	for _, h := range hs {
		if rt, rank := cvssRating(h.adv, h.affected); rank > bestRank || (rank == bestRank && rank > 0 && rt.better(best)) {
			best, bestRank = rt, rank
		}
	}
	if bestRank > 0 {
		return best
	}
	// The records of the aliases, each once, with their entry for the
	// same package when they have one.
	var aliases []*osv.Vulnerability
	var entries []*osv.Affected
	own := map[string]bool{}
	for _, h := range hs {
		own[h.adv.ID] = true
	}
	for _, id := range f.Aliases {
		if own[id] {
			continue
		}
		v := lookup(id)
		if v == nil {
			continue
		}
		a := &osv.Affected{}
		for i := range v.Affected {
			if strings.EqualFold(v.Affected[i].Package.Name, p.Name) {
				a = &v.Affected[i]
				break
			}
		}
		aliases, entries = append(aliases, v), append(entries, a)
	}
	for i, v := range aliases {
		if rt, rank := cvssRating(v, entries[i]); rank > bestRank || (rank == bestRank && rank > 0 && rt.better(best)) {
			best, bestRank = rt, rank
			best.source = SeverityFromAlias
		}
	}
	if bestRank > 0 {
		return best
	}
	for _, h := range hs {
		if sev, ok := databaseRating(h.adv, h.affected); ok && sev > best.severity {
			best = rating{severity: sev, source: SeverityFromDatabase, by: h.adv.ID}
		}
	}
	if best.source != "" {
		return best
	}
	for i, v := range aliases {
		if sev, ok := databaseRating(v, entries[i]); ok && sev > best.severity {
			best = rating{severity: sev, source: SeverityFromAlias, by: v.ID}
		}
	}
	if best.source != "" {
		return best
	}
	return rating{source: SeverityUnrated}
}

// idsOf returns the identifiers that name the same vulnerability as a
// record: its id, its aliases, and its upstream id when it has exactly one
// (an Alpine or Debian record for one CVE). A record with several upstream
// ids (a DSA that fixes three CVEs) is an advisory about several
// vulnerabilities: those ids are listed with the finding but do not merge
// it with others or name it.
func idsOf(v *osv.Vulnerability) []string {
	ids := append([]string{v.ID}, v.Aliases...)
	if len(v.Upstream) == 1 {
		ids = append(ids, v.Upstream[0])
	}
	return ids
}

func finding(p *sbom.Package, hs []hit) Finding {
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].adv.ID < hs[j].adv.ID })
	f := Finding{
		Package:   Package{Name: p.Name, Version: p.Version, Type: p.Type, PURL: p.PURL, Location: p.Location, Layer: p.Layer, ID: p.ID},
		Ecosystem: hs[0].ecosystem,
	}
	ids := map[string]bool{}
	advisories := map[string]bool{}
	refs := map[string]bool{}
	var fixes []version.Version
	for _, h := range hs {
		advisories[h.adv.ID] = true
		for _, id := range idsOf(h.adv) {
			ids[id] = true
		}
		if f.Summary == "" {
			f.Summary = h.adv.Summary
		}
		if t, err := time.Parse(time.RFC3339, h.adv.Published); err == nil && (f.Published.IsZero() || t.Before(f.Published)) {
			f.Published = t.UTC()
		}
		for _, ref := range h.adv.References {
			if !refs[ref.URL] && len(f.References) < maxReferences {
				refs[ref.URL] = true
				f.References = append(f.References, ref.URL)
			}
		}
		fixes = append(fixes, h.fixed...)
	}
	for id := range ids {
		if strings.HasPrefix(id, "CVE-") && (f.ID == "" || id < f.ID) {
			f.ID = id
		}
	}
	if f.ID == "" {
		f.ID = hs[0].adv.ID
	}
	for _, h := range hs {
		for _, id := range h.adv.Upstream {
			if !ids[id] {
				// One of the several vulnerabilities of a bundled
				// advisory: listed, so that rules and policies naming
				// it apply.
				ids[id] = true
				f.bundled = append(f.bundled, id)
			}
		}
	}
	sort.Strings(f.bundled)
	for id := range ids {
		if id != f.ID {
			f.Aliases = append(f.Aliases, id)
		}
	}
	sort.Strings(f.Aliases)
	for id := range advisories {
		f.Advisories = append(f.Advisories, id)
	}
	sort.Strings(f.Advisories)
	sort.SliceStable(fixes, func(i, j int) bool { return fixes[i].Compare(fixes[j]) < 0 })
	for i, v := range fixes {
		if i == 0 || v.Compare(fixes[i-1]) != 0 {
			f.FixedVersions = append(f.FixedVersions, v.String())
		}
	}
	if f.Summary == "" {
		for _, h := range hs {
			if d := firstLine(h.adv.Details); d != "" {
				f.Summary = d
				break
			}
		}
	}
	return f
}

// maxReferences bounds the links a finding lists.
const maxReferences = 20

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

func warnings(noEco, noData, badVersion map[string]int, badRanges map[string]bool) []Warning {
	var out []Warning
	for _, k := range sortedKeys(noEco) {
		out = append(out, Warning{Kind: WarnNoEcosystem, Packages: noEco[k],
			Message: fmt.Sprintf("%s not checked: no OSV ecosystem is known for %s packages", plural(noEco[k], "package"), k)})
	}
	for _, k := range sortedKeys(noData) {
		out = append(out, Warning{Kind: WarnNoData, Packages: noData[k],
			Message: fmt.Sprintf("%s not checked: the vulnerability data has no %s advisories", plural(noData[k], k+" package"), k)})
	}
	for _, k := range sortedKeys(badVersion) {
		out = append(out, Warning{Kind: WarnBadVersion, Packages: badVersion[k],
			Message: fmt.Sprintf("%s not checked: the version does not parse in %s's ordering", plural(badVersion[k], k+" package"), k)})
	}
	if len(badRanges) > 0 {
		ids := make([]string, 0, len(badRanges))
		for id := range badRanges {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		if len(ids) > 10 {
			ids = append(ids[:10], "…")
		}
		out = append(out, Warning{Kind: WarnBadVersion,
			Message: fmt.Sprintf("%d advisories have ranges whose versions do not parse; those ranges were skipped: %s", len(badRanges), strings.Join(ids, ", "))})
	}
	return out
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
