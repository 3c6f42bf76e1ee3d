// Package dotnet reads .NET dependency files: an application's
// <name>.deps.json and a project's packages.lock.json.
package dotnet

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/lang"
)

// Type is the purl type of NuGet packages.
const Type = "nuget"

// ParseDepsJSON reads the libraries of type "package" from a deps.json.
func ParseDepsJSON(r io.Reader) ([]lang.Package, error) {
	var d struct {
		Libraries map[string]struct {
			Type string `json:"type"`
		} `json:"libraries"`
	}
	if err := json.NewDecoder(r).Decode(&d); err != nil {
		return nil, fmt.Errorf("%w: %w", lang.ErrParse, err)
	}
	var out []lang.Package
	for key, lib := range d.Libraries {
		if lib.Type != "package" {
			continue // "project" and "reference" are the application's own
		}
		name, version, ok := strings.Cut(key, "/")
		if !ok || name == "" || version == "" {
			continue
		}
		out = append(out, lang.Package{Type: Type, Name: name, Version: version})
	}
	return lang.Dedupe(out), nil
}

// ParsePackagesLock reads packages.lock.json: the resolved Direct and
// Transitive dependencies of every target framework.
func ParsePackagesLock(r io.Reader) ([]lang.Package, error) {
	var l struct {
		Dependencies map[string]map[string]struct {
			Type     string `json:"type"`
			Resolved string `json:"resolved"`
		} `json:"dependencies"`
	}
	if err := json.NewDecoder(r).Decode(&l); err != nil {
		return nil, fmt.Errorf("%w: %w", lang.ErrParse, err)
	}
	var out []lang.Package
	for _, deps := range l.Dependencies {
		for name, d := range deps {
			if d.Resolved == "" || strings.EqualFold(d.Type, "project") {
				continue
			}
			out = append(out, lang.Package{Type: Type, Name: name, Version: d.Resolved})
		}
	}
	return lang.Dedupe(out), nil
}
