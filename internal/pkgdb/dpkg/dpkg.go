// Package dpkg parses dpkg's package database: the status file
// (var/lib/dpkg/status), the one-stanza files of distroless images
// (var/lib/dpkg/status.d/*), and the copyright files that carry licences.
package dpkg

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/pkgdb"
)

// Package is one stanza of a status file.
type Package struct {
	Name          string
	Version       string // as written, epoch included ("1:2.3-4")
	Architecture  string
	SourceName    string // the Source field's name, or Name
	SourceVersion string // the Source field's version, or Version
	Status        string // e.g. "install ok installed"
	Maintainer    string
	InstalledSize int64 // KiB, as dpkg records it
	Homepage      string
	Description   string // the synopsis (first line)
	// Depends lists Pre-Depends and Depends: each element is a group of
	// alternatives ("a | b"), each alternative a package name without
	// version constraint or architecture qualifier.
	Depends  [][]string
	Provides []string
	// Conffiles are the configuration files of the package with the
	// checksum of the version it shipped (the Conffiles field); an
	// obsolete conffile, or one whose line does not parse, is left out.
	Conffiles []FileSum
	// Line is the line number where the stanza starts.
	Line int
}

// Installed reports whether the package's files are on disk: dpkg states
// installed, half-configured, unpacked, half-installed and the trigger
// states. Packages that are not-installed or have only config-files left
// are not.
func (p *Package) Installed() bool {
	f := strings.Fields(p.Status)
	if len(f) != 3 {
		return p.Status == "" // status.d stanzas of distroless images omit Status
	}
	switch f[2] {
	case "installed", "half-configured", "unpacked", "half-installed", "triggers-awaited", "triggers-pending":
		return true
	}
	return false
}

// ErrStanza marks a stanza that cannot be used (no Package or Version
// field) or a malformed line inside one.
var ErrStanza = errors.New("malformed stanza")

// Parse reads a status file. It returns every usable stanza, in file order,
// and one error per problem found (a stanza without Package or Version, a
// malformed line, an over-long line); an error that stops reading (from r)
// is returned last.
func Parse(r io.Reader) ([]Package, []error) {
	var (
		pkgs []Package
		errs pkgdb.Errors
	)
	err := pkgdb.Paragraphs(r, func(par *pkgdb.Paragraph) {
		cur, fields := Package{Line: par.Line}, 0
		field := ""
		for _, l := range par.Lines {
			if l.Text[0] == ' ' || l.Text[0] == '\t' {
				if l.N == par.Line {
					errs.Addf("%w at line %d: continuation line outside a stanza", ErrStanza, l.N)
				}
				if field == "Conffiles" {
					if cf, ok := parseConffile(l.Text); ok {
						cur.Conffiles = append(cur.Conffiles, cf)
					} else if !obsoleteConffile(l.Text) {
						errs.Addf("%w at line %d: conffile: %.60q", ErrStanza, l.N, bytes.TrimSpace(l.Text))
					}
				}
				continue // continuation of Description and the like: not needed
			}
			i := bytes.IndexByte(l.Text, ':')
			if i <= 0 {
				errs.Addf("%w at line %d: not a field: %.40q", ErrStanza, l.N, l.Text)
				field = ""
				continue
			}
			field = string(l.Text[:i])
			cur.set(field, string(bytes.TrimSpace(l.Text[i+1:])))
			fields++
		}
		switch {
		case fields == 0:
			// nothing but malformed lines, reported above
		case cur.Name == "":
			errs.Addf("%w at line %d: no Package field", ErrStanza, cur.Line)
		case cur.Version == "":
			errs.Addf("%w at line %d: package %s has no Version field", ErrStanza, cur.Line, cur.Name)
		default:
			if cur.SourceName == "" {
				cur.SourceName = cur.Name
			}
			if cur.SourceVersion == "" {
				cur.SourceVersion = cur.Version
			}
			pkgs = append(pkgs, cur)
		}
	}, func(err error) { errs.Addf("%w: %w", ErrStanza, err) })
	if err != nil {
		errs.Add(err)
	}
	return pkgs, errs.List()
}

func (p *Package) set(field, val string) {
	switch field {
	case "Package":
		p.Name = val
	case "Version":
		p.Version = val
	case "Architecture":
		p.Architecture = val
	case "Status":
		p.Status = val
	case "Source":
		p.SourceName, p.SourceVersion = parseSource(val)
	case "Maintainer":
		p.Maintainer = val
	case "Installed-Size":
		p.InstalledSize, _ = strconv.ParseInt(val, 10, 64)
	case "Homepage":
		p.Homepage = val
	case "Description":
		p.Description = val
	case "Depends", "Pre-Depends":
		p.Depends = append(p.Depends, ParseDepends(val)...)
	case "Provides":
		for _, g := range ParseDepends(val) {
			p.Provides = append(p.Provides, g...)
		}
	}
}

// parseSource splits "glibc (2.36-9)" into name and version.
func parseSource(v string) (name, version string) {
	name = v
	if i := strings.IndexByte(v, '('); i >= 0 {
		name = strings.TrimSpace(v[:i])
		version = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v[i+1:]), ")"))
	}
	return name, version
}

// ParseDepends splits a relationship field ("a (>= 1), b | c:any, d [amd64]")
// into groups of alternative package names.
func ParseDepends(v string) [][]string {
	var out [][]string
	for _, group := range strings.Split(v, ",") {
		var alts []string
		for _, alt := range strings.Split(group, "|") {
			name := strings.TrimSpace(alt)
			if i := strings.IndexAny(name, " ([<"); i >= 0 {
				name = name[:i]
			}
			if i := strings.IndexByte(name, ':'); i >= 0 {
				name = name[:i] // architecture qualifier (":any", ":amd64")
			}
			if name != "" {
				alts = append(alts, name)
			}
		}
		if len(alts) > 0 {
			out = append(out, alts)
		}
	}
	return out
}

// parseConffile reads a line of the Conffiles field: " /etc/x <md5>",
// with "obsolete" or another flag after the checksum on some lines. An
// obsolete conffile is no longer the package's: it is left out.
func parseConffile(line []byte) (FileSum, bool) {
	f := strings.Fields(string(line))
	if len(f) < 2 || len(f[1]) != 32 {
		return FileSum{}, false
	}
	for _, flag := range f[2:] {
		if flag == "obsolete" {
			return FileSum{}, false
		}
	}
	var fs FileSum
	if _, err := hex.Decode(fs.MD5[:], []byte(f[1])); err != nil {
		return FileSum{}, false
	}
	p, ok := cleanPath(f[0])
	if !ok {
		return FileSum{}, false
	}
	fs.Path = p
	return fs, true
}

// obsoleteConffile reports a well-formed conffile line marked obsolete
// (not an error), or dpkg's "newconffile" placeholder checksum.
func obsoleteConffile(line []byte) bool {
	f := strings.Fields(string(line))
	return len(f) >= 2 && (f[1] == "newconffile" || (len(f) >= 3 && f[len(f)-1] == "obsolete"))
}
