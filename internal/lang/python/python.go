// Package python parses installed Python distributions (*.dist-info/METADATA,
// *.egg-info/PKG-INFO) and the lock and requirement files of source trees
// (requirements*.txt, poetry.lock, uv.lock, Pipfile.lock).
package python

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/shipshape-dev/shipshape/internal/lang"
	"github.com/shipshape-dev/shipshape/internal/pkgdb"
)

// Type is the purl type of Python packages.
const Type = "pypi"

var separators = regexp.MustCompile(`[-_.]+`)

// NormalizeName normalizes a distribution name per PEP 503.
func NormalizeName(n string) string {
	return strings.ToLower(separators.ReplaceAllString(strings.TrimSpace(n), "-"))
}

// ParseMetadata reads the header section of a core-metadata file (METADATA
// or PKG-INFO): name, version and licence (License-Expression, else License,
// else the licence classifiers).
func ParseMetadata(r io.Reader) (lang.Package, error) {
	fields := map[string]string{}
	var classifiers []string
	var last string
	done := false
	err := pkgdb.Lines(r, func(_ int, line []byte, lerr error) error {
		if done || lerr != nil {
			return nil
		}
		if len(line) == 0 {
			done = true // the description body follows
			return nil
		}
		if (line[0] == ' ' || line[0] == '\t') && last != "" {
			if last != "Classifier" {
				fields[last] += "\n" + strings.TrimSpace(string(line))
			}
			return nil
		}
		k, v, ok := strings.Cut(string(line), ":")
		if !ok {
			return nil
		}
		last = strings.TrimSpace(k)
		v = strings.TrimSpace(v)
		if last == "Classifier" {
			classifiers = append(classifiers, v)
			return nil
		}
		if _, seen := fields[last]; !seen {
			fields[last] = v
		}
		return nil
	})
	if err != nil {
		return lang.Package{}, err
	}
	if fields["Name"] == "" || fields["Version"] == "" {
		return lang.Package{}, fmt.Errorf("%w: core metadata without Name or Version", lang.ErrParse)
	}
	p := lang.Package{Type: Type, Name: NormalizeName(fields["Name"]), Version: fields["Version"]}
	switch lic := strings.TrimSpace(fields["License"]); {
	case fields["License-Expression"] != "":
		p.Licenses = []string{fields["License-Expression"]}
	case lic != "" && lic != "UNKNOWN" && !strings.Contains(lic, "\n") && len(lic) < 100:
		p.Licenses = []string{lic}
	default:
		for _, c := range classifiers {
			if rest, ok := strings.CutPrefix(c, "License :: "); ok {
				parts := strings.Split(rest, " :: ")
				if name := parts[len(parts)-1]; name != "OSI Approved" {
					p.Licenses = append(p.Licenses, name)
				}
			}
		}
	}
	p.SetProp("pypi:summary", fields["Summary"])
	return p, nil
}

// requirement matches a pinned requirement: name[extras]==version.
var requirement = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([^\s;#\\,]+)`)

// ParseRequirements reads a pip requirements file and returns its pinned
// requirements (name==version); ranges, URLs and options are not versions
// of installed packages and are left out.
func ParseRequirements(r io.Reader) ([]lang.Package, error) {
	var out []lang.Package
	err := pkgdb.Lines(r, func(_ int, line []byte, lerr error) error {
		if lerr != nil {
			return nil
		}
		s := strings.TrimSpace(string(line))
		if s == "" || s[0] == '#' || s[0] == '-' {
			return nil
		}
		if m := requirement.FindStringSubmatch(s); m != nil {
			out = append(out, lang.Package{Type: Type, Name: NormalizeName(m[1]), Version: m[2]})
		}
		return nil
	})
	return lang.Dedupe(out), err
}

// tomlLock is the part of poetry.lock and uv.lock shipshape reads.
type tomlLock struct {
	Package []struct {
		Name     string   `toml:"name"`
		Version  string   `toml:"version"`
		Category string   `toml:"category"` // poetry < 1.2: "main" or "dev"
		Groups   []string `toml:"groups"`
		Source   struct {
			Virtual  string `toml:"virtual"`
			Editable string `toml:"editable"`
		} `toml:"source"`
	} `toml:"package"`
}

// ParseTOMLLock reads poetry.lock or uv.lock.
func ParseTOMLLock(r io.Reader) ([]lang.Package, error) {
	var l tomlLock
	if err := toml.NewDecoder(r).Decode(&l); err != nil {
		return nil, fmt.Errorf("%w: %w", lang.ErrParse, err)
	}
	var out []lang.Package
	for _, p := range l.Package {
		if p.Name == "" || p.Version == "" || p.Source.Virtual != "" || p.Source.Editable != "" {
			continue // the project itself in uv.lock
		}
		dev := p.Category == "dev"
		if len(p.Groups) > 0 {
			dev = !contains(p.Groups, "main")
		}
		out = append(out, lang.Package{Type: Type, Name: NormalizeName(p.Name), Version: p.Version, Dev: dev})
	}
	return lang.Dedupe(out), nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// ParsePipfileLock reads Pipfile.lock.
func ParsePipfileLock(r io.Reader) ([]lang.Package, error) {
	var l map[string]json.RawMessage
	if err := json.NewDecoder(r).Decode(&l); err != nil {
		return nil, fmt.Errorf("%w: %w", lang.ErrParse, err)
	}
	var out []lang.Package
	for _, section := range []string{"default", "develop"} {
		raw, ok := l[section]
		if !ok || bytes.Equal(raw, []byte("null")) {
			continue
		}
		var deps map[string]struct {
			Version string `json:"version"`
		}
		if err := json.Unmarshal(raw, &deps); err != nil {
			return nil, fmt.Errorf("%w: %s: %w", lang.ErrParse, section, err)
		}
		names := make([]string, 0, len(deps))
		for n := range deps {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			v := strings.TrimLeft(deps[n].Version, "=")
			if v == "" {
				continue
			}
			out = append(out, lang.Package{Type: Type, Name: NormalizeName(n), Version: v, Dev: section == "develop"})
		}
	}
	return lang.Dedupe(out), nil
}
