// Package npm reads JavaScript packages: installed package.json files and
// the lock files of npm (package-lock.json v1–v3), Yarn (classic and
// berry) and pnpm.
package npm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/shipshape-dev/shipshape/internal/lang"
	"github.com/shipshape-dev/shipshape/internal/pkgdb"
)

// Type is the purl type of npm packages.
const Type = "npm"

// license reads the forms package.json has used for licences: "MIT",
// {"type": "MIT"}, and arrays of either.
type license []string

func (l *license) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*l = lang.SplitLicenses(strings.Trim(s, "()"))
		if strings.ContainsAny(s, " ") {
			*l = []string{s}
		}
		return nil
	}
	var o struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(b, &o) == nil {
		if o.Type != "" {
			*l = []string{o.Type}
		}
		return nil
	}
	var arr []json.RawMessage
	if err := json.Unmarshal(b, &arr); err != nil {
		return nil // an unreadable licence does not spoil the package
	}
	for _, e := range arr {
		var one license
		_ = one.UnmarshalJSON(e)
		*l = append(*l, one...)
	}
	return nil
}

// ParsePackageJSON reads a package.json. A manifest without a name yields
// nothing; one without a version (an entry point inside a package) is kept
// with an empty version, as inventory.
func ParsePackageJSON(r io.Reader) ([]lang.Package, error) {
	var m struct {
		Name     string  `json:"name"`
		Version  string  `json:"version"`
		License  license `json:"license"`
		Licenses license `json:"licenses"`
	}
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return nil, fmt.Errorf("%w: %w", lang.ErrParse, err)
	}
	if m.Name == "" {
		return nil, nil // a project's own manifest, or not a package at all
	}
	p := lang.Package{Type: Type, Name: m.Name, Version: m.Version, Licenses: m.License}
	if len(p.Licenses) == 0 {
		p.Licenses = m.Licenses
	}
	return []lang.Package{p}, nil
}

// ParsePackageLock reads package-lock.json (or npm-shrinkwrap.json) of any
// lockfileVersion: the "packages" map of v2 and v3, else the nested
// "dependencies" of v1.
func ParsePackageLock(r io.Reader) ([]lang.Package, error) {
	var l struct {
		Packages map[string]struct {
			Name     string  `json:"name"`
			Version  string  `json:"version"`
			Dev      bool    `json:"dev"`
			Link     bool    `json:"link"`
			License  license `json:"license"`
			Resolved string  `json:"resolved"`
		} `json:"packages"`
		Dependencies map[string]lockDep `json:"dependencies"`
	}
	if err := json.NewDecoder(r).Decode(&l); err != nil {
		return nil, fmt.Errorf("%w: %w", lang.ErrParse, err)
	}
	var out []lang.Package
	if len(l.Packages) > 0 {
		for key, p := range l.Packages {
			if key == "" || p.Link || p.Version == "" {
				continue // the project itself, or a symlinked workspace
			}
			name := p.Name
			if i := strings.LastIndex(key, "node_modules/"); i >= 0 && name == "" {
				name = key[i+len("node_modules/"):]
			}
			if name == "" {
				continue
			}
			out = append(out, lang.Package{Type: Type, Name: name, Version: p.Version, Dev: p.Dev, Licenses: p.License})
		}
		return lang.Dedupe(out), nil
	}
	var walk func(deps map[string]lockDep, depth int)
	walk = func(deps map[string]lockDep, depth int) {
		if depth > 64 {
			return
		}
		for name, d := range deps {
			if d.Version != "" && !strings.HasPrefix(d.Version, "file:") {
				out = append(out, lang.Package{Type: Type, Name: name, Version: d.Version, Dev: d.Dev})
			}
			walk(d.Dependencies, depth+1)
		}
	}
	walk(l.Dependencies, 0)
	return lang.Dedupe(out), nil
}

type lockDep struct {
	Version      string             `json:"version"`
	Dev          bool               `json:"dev"`
	Dependencies map[string]lockDep `json:"dependencies"`
}

// ParseYarnLock reads a yarn.lock, classic (v1) or berry (v2+, YAML).
func ParseYarnLock(r io.Reader) ([]lang.Package, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if bytes.Contains(b, []byte("\n__metadata:")) || bytes.HasPrefix(b, []byte("__metadata:")) {
		return parseBerry(b)
	}
	return parseClassic(b)
}

// parseClassic reads Yarn v1's format: unindented lines list the
// specifiers a block resolves ("a@^1.0.0", "@s/b@~2"), and the block's
// indented "version" line gives the version.
func parseClassic(b []byte) ([]lang.Package, error) {
	var out []lang.Package
	name := ""
	err := pkgdb.Lines(bytes.NewReader(b), func(_ int, line []byte, lerr error) error {
		if lerr != nil || len(line) == 0 || line[0] == '#' {
			return nil
		}
		s := string(line)
		if s[0] != ' ' {
			name = ""
			spec := strings.TrimSuffix(s, ":")
			spec, _, _ = strings.Cut(spec, ",")
			name = specName(strings.Trim(strings.TrimSpace(spec), `"`))
			return nil
		}
		if name == "" {
			return nil
		}
		t := strings.TrimSpace(s)
		if v, ok := strings.CutPrefix(t, "version "); ok && strings.HasPrefix(s, "  ") && !strings.HasPrefix(s, "    ") {
			out = append(out, lang.Package{Type: Type, Name: name, Version: strings.Trim(v, `"`)})
			name = ""
		}
		return nil
	})
	return lang.Dedupe(out), err
}

// specName takes the package name from a specifier "name@range" or
// "@scope/name@range". An alias "alias@npm:real@range" names the package
// that is really installed, real.
func specName(spec string) string {
	if i := strings.Index(spec, "@npm:"); i > 0 {
		if real := specName(spec[i+len("@npm:"):]); real != "" && !isRange(real) {
			return real
		}
		return spec[:i]
	}
	if i := strings.LastIndexByte(spec, '@'); i > 0 {
		return spec[:i]
	}
	return spec
}

// isRange tells a version range ("^4.2.0") from a package name.
func isRange(s string) bool {
	return s != "" && strings.ContainsRune("^~<>=*0123456789", rune(s[0]))
}

// parseBerry reads Yarn 2+ lock files, which are YAML.
func parseBerry(b []byte) ([]lang.Package, error) {
	var doc map[string]struct {
		Version    string `yaml:"version"`
		Resolution string `yaml:"resolution"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%w: %w", lang.ErrParse, err)
	}
	var out []lang.Package
	for key, e := range doc {
		if key == "__metadata" || e.Version == "" {
			continue
		}
		res := e.Resolution
		if res == "" {
			res, _, _ = strings.Cut(key, ",")
		}
		if strings.Contains(res, "@workspace:") || strings.Contains(res, "@link:") || strings.Contains(res, "@portal:") {
			continue
		}
		name := specName(res)
		if i := strings.LastIndexByte(res, '@'); i > 0 {
			name = res[:i]
		}
		out = append(out, lang.Package{Type: Type, Name: name, Version: e.Version})
	}
	return lang.Dedupe(out), nil
}

// ParsePnpmLock reads pnpm-lock.yaml of lockfileVersion 5 ("/name/1.0.0"),
// 6 ("/name@1.0.0") and 9 ("name@1.0.0"); peer-dependency suffixes are
// dropped.
func ParsePnpmLock(r io.Reader) ([]lang.Package, error) {
	var l struct {
		LockfileVersion any `yaml:"lockfileVersion"`
		Packages        map[string]struct {
			Version string `yaml:"version"`
			Dev     *bool  `yaml:"dev"`
		} `yaml:"packages"`
	}
	if err := yaml.NewDecoder(r).Decode(&l); err != nil && err != io.EOF {
		return nil, fmt.Errorf("%w: %w", lang.ErrParse, err)
	}
	keys := make([]string, 0, len(l.Packages))
	for k := range l.Packages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	v5 := strings.HasPrefix(fmt.Sprint(l.LockfileVersion), "5")
	var out []lang.Package
	for _, k := range keys {
		name, version := pnpmKey(k, v5)
		if name == "" || version == "" {
			continue
		}
		e := l.Packages[k]
		out = append(out, lang.Package{Type: Type, Name: name, Version: version, Dev: e.Dev != nil && *e.Dev})
	}
	return lang.Dedupe(out), nil
}

// pnpmKey splits a pnpm package key into name and version.
func pnpmKey(k string, v5 bool) (string, string) {
	k = strings.TrimPrefix(k, "/")
	if v5 {
		// name/version, with peers after an underscore.
		if i := strings.LastIndexByte(k, '/'); i > 0 {
			v := k[i+1:]
			if j := strings.IndexByte(v, '_'); j > 0 {
				v = v[:j]
			}
			return k[:i], v
		}
		return "", ""
	}
	if i := strings.IndexByte(k, '('); i > 0 { // peer dependencies in parentheses
		k = k[:i]
	}
	if i := strings.LastIndexByte(k, '@'); i > 0 {
		return k[:i], k[i+1:]
	}
	return "", ""
}
