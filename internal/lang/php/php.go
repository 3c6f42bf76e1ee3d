// Package php reads Composer's installed.json (vendor/composer) and
// composer.lock.
package php

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/shipshape-dev/shipshape/internal/lang"
)

// Type is the purl type of Composer packages.
const Type = "composer"

type composerPackage struct {
	Name    string          `json:"name"`
	Version string          `json:"version"`
	License json.RawMessage `json:"license"`
}

func (c composerPackage) pkg(dev bool) (lang.Package, bool) {
	if c.Name == "" || c.Version == "" {
		return lang.Package{}, false
	}
	p := lang.Package{Type: Type, Name: c.Name, Version: c.Version, Dev: dev}
	var ls []string
	if json.Unmarshal(c.License, &ls) != nil {
		var one string
		if json.Unmarshal(c.License, &one) == nil && one != "" {
			ls = []string{one}
		}
	}
	p.Licenses = ls
	return p, true
}

// ParseInstalled reads vendor/composer/installed.json in Composer 1's form
// (an array) or Composer 2's ({"packages": [...], "dev-package-names": [...]}).
func ParseInstalled(r io.Reader) ([]lang.Package, error) {
	var raw json.RawMessage
	if err := json.NewDecoder(r).Decode(&raw); err != nil {
		return nil, fmt.Errorf("%w: %w", lang.ErrParse, err)
	}
	var v2 struct {
		Packages []composerPackage `json:"packages"`
		DevNames []string          `json:"dev-package-names"`
	}
	var list []composerPackage
	dev := map[string]bool{}
	if json.Unmarshal(raw, &list) != nil {
		if err := json.Unmarshal(raw, &v2); err != nil {
			return nil, fmt.Errorf("%w: %w", lang.ErrParse, err)
		}
		list = v2.Packages
		for _, n := range v2.DevNames {
			dev[n] = true
		}
	}
	var out []lang.Package
	for _, c := range list {
		if p, ok := c.pkg(dev[c.Name]); ok {
			out = append(out, p)
		}
	}
	return lang.Dedupe(out), nil
}

// ParseLock reads composer.lock.
func ParseLock(r io.Reader) ([]lang.Package, error) {
	var l struct {
		Packages    []composerPackage `json:"packages"`
		PackagesDev []composerPackage `json:"packages-dev"`
	}
	if err := json.NewDecoder(r).Decode(&l); err != nil {
		return nil, fmt.Errorf("%w: %w", lang.ErrParse, err)
	}
	var out []lang.Package
	for _, c := range l.Packages {
		if p, ok := c.pkg(false); ok {
			out = append(out, p)
		}
	}
	for _, c := range l.PackagesDev {
		if p, ok := c.pkg(true); ok {
			out = append(out, p)
		}
	}
	return lang.Dedupe(out), nil
}
