// Package lang holds what the language-ecosystem parsers share: the record
// they return and small helpers. Each ecosystem has its own subpackage; a
// parser reads one file (a manifest, a lock file, an archive, a binary) and
// returns the packages it declares, never walking a tree itself.
package lang

import (
	"errors"
	"sort"
	"strings"
)

// Package is one package a parser found.
type Package struct {
	// Type is the purl type: golang, pypi, npm, maven, gem, cargo,
	// composer, nuget.
	Type string
	// Namespace is the purl namespace where the ecosystem has one: the
	// Maven groupId, the Composer vendor. npm scopes and Go module paths
	// stay in Name.
	Namespace string
	// Name as the ecosystem writes it ("@babel/core", "github.com/a/b",
	// "requests" normalized per PEP 503).
	Name    string
	Version string
	// Licenses are the declared licences: SPDX expressions or names.
	Licenses []string
	// Props are further facts, named "<type>:<fact>" (e.g. "golang:GOOS").
	Props map[string]string
	// Inner is the path inside an archive for packages found in nested
	// archives, "WEB-INF/lib/a.jar" (empty for the file itself).
	Inner string
	// Dev marks a development-only dependency of a lock file.
	Dev bool
}

// Key identifies a package for layer attribution and deduplication.
func (p *Package) Key() string {
	return p.Type + ":" + p.Namespace + "/" + p.Name + "@" + p.Version + "!" + p.Inner
}

// SetProp records a fact, skipping empty values.
func (p *Package) SetProp(k, v string) {
	if v == "" {
		return
	}
	if p.Props == nil {
		p.Props = map[string]string{}
	}
	p.Props[k] = v
}

// ErrParse marks a file that does not parse as the format its name says.
var ErrParse = errors.New("malformed package manifest")

// Dedupe sorts packages and drops exact duplicates (same key), which lock
// files list once per dependent.
func Dedupe(ps []Package) []Package {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Key() < ps[j].Key() })
	out := ps[:0]
	for i := range ps {
		if i > 0 && ps[i].Key() == ps[i-1].Key() {
			continue
		}
		out = append(out, ps[i])
	}
	return out
}

// SplitLicenses turns a comma- or slash-separated licence field into its
// parts, leaving SPDX expressions ("MIT OR Apache-2.0") whole.
func SplitLicenses(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if strings.Contains(s, " OR ") || strings.Contains(s, " AND ") || strings.Contains(s, " WITH ") {
		return []string{s}
	}
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
