// Package ruby reads installed gem specifications (specifications/*.gemspec)
// and Gemfile.lock.
package ruby

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/lang"
	"github.com/shipshape-dev/shipshape/internal/pkgdb"
)

// Type is the purl type of Ruby gems.
const Type = "gem"

var (
	specName    = regexp.MustCompile(`^\s*\w+\.name\s*=\s*["']([^"']+)["']`)
	specVersion = regexp.MustCompile(`^\s*\w+\.version\s*=\s*(?:Gem::Version\.new\()?["']([^"']+)["']`)
	specLicense = regexp.MustCompile(`^\s*\w+\.licenses?\s*=\s*(.*)$`)
	quoted      = regexp.MustCompile(`["']([^"']+)["']`)
	stub        = regexp.MustCompile(`^# stub: (\S+) (\S+)`)
)

// ParseGemspec reads an installed gem specification. These are generated
// Ruby; the assignments of name, version and licences are read, never
// evaluated.
func ParseGemspec(r io.Reader) ([]lang.Package, error) {
	p := lang.Package{Type: Type}
	var stubName, stubVersion string
	err := pkgdb.Lines(r, func(_ int, line []byte, lerr error) error {
		if lerr != nil {
			return nil
		}
		s := string(line)
		switch {
		case p.Name == "" && specName.MatchString(s):
			p.Name = specName.FindStringSubmatch(s)[1]
		case p.Version == "" && specVersion.MatchString(s):
			p.Version = specVersion.FindStringSubmatch(s)[1]
		case p.Licenses == nil && specLicense.MatchString(s):
			for _, m := range quoted.FindAllStringSubmatch(specLicense.FindStringSubmatch(s)[1], -1) {
				p.Licenses = append(p.Licenses, m[1])
			}
		case stubName == "" && stub.MatchString(s):
			m := stub.FindStringSubmatch(s)
			stubName, stubVersion = m[1], m[2]
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if p.Name == "" {
		p.Name = stubName
	}
	if p.Version == "" {
		p.Version = stubVersion
	}
	if p.Name == "" || p.Version == "" {
		return nil, fmt.Errorf("%w: gemspec without name or version", lang.ErrParse)
	}
	return []lang.Package{p}, nil
}

// ParseGemfileLock reads the gems a Gemfile.lock resolved from gem servers
// and git (the GEM and GIT sections; PATH gems are the project's own).
func ParseGemfileLock(r io.Reader) ([]lang.Package, error) {
	var out []lang.Package
	section := ""
	inSpecs := false
	err := pkgdb.Lines(r, func(_ int, line []byte, lerr error) error {
		if lerr != nil {
			return nil
		}
		s := strings.TrimRight(string(line), " \t")
		if s == "" {
			inSpecs = false
			return nil
		}
		if s[0] != ' ' {
			section, inSpecs = s, false
			return nil
		}
		if strings.TrimSpace(s) == "specs:" {
			inSpecs = true
			return nil
		}
		if !inSpecs || (section != "GEM" && section != "GIT") {
			return nil
		}
		// Gems sit at four spaces; their dependencies at six.
		if !strings.HasPrefix(s, "    ") || strings.HasPrefix(s, "     ") {
			return nil
		}
		name, rest, ok := strings.Cut(strings.TrimSpace(s), " (")
		if !ok || !strings.HasSuffix(rest, ")") {
			return nil
		}
		version := strings.TrimSuffix(rest, ")")
		p := lang.Package{Type: Type, Name: name, Version: version}
		// Platform gems: "nokogiri (1.15.4-x86_64-linux)".
		for _, plat := range []string{"-x86_64-", "-aarch64-", "-arm64-", "-x86-", "-java", "-universal-", "-arm-"} {
			if i := strings.Index(version, plat); i > 0 {
				p.Version = version[:i]
				p.SetProp("gem:platform", version[i+1:])
				break
			}
		}
		out = append(out, p)
		return nil
	})
	return lang.Dedupe(out), err
}
