// Package apk parses Alpine's installed-package database,
// lib/apk/db/installed.
package apk

import (
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/pkgdb"
)

// Package is one record of the database.
type Package struct {
	Name          string // P:
	Version       string // V:
	Architecture  string // A:
	Origin        string // o: the source package
	License       string // L: usually an SPDX expression
	Description   string // T:
	URL           string // U:
	Maintainer    string // m:
	InstalledSize int64  // I: bytes
	Commit        string // c: aports commit
	// Depends lists D: entries without constraints ("so:libc.musl-x86_64.so.1",
	// "ca-certificates-bundle"); conflicts ("!name") are left out.
	Depends []string
	// Provides lists p: entries without versions ("so:libcrypto.so.3",
	// "cmd:openssl").
	Provides []string
	// Files are the files the package installed (F: directories joined
	// with R: names), relative to the root.
	Files []string
	// SHA1s are the files' checksums (Z: lines), raw 20-byte digests,
	// aligned with Files; "" where the database records none.
	SHA1s []string
	// Line is the line number where the record starts.
	Line int
}

// ErrRecord marks a record without a name or version, or a malformed line.
var ErrRecord = errors.New("malformed record")

// Parse reads the database. It returns every usable record in file order
// and one error per problem found; an error that stops reading (from r) is
// returned last.
func Parse(r io.Reader) ([]Package, []error) {
	var (
		pkgs []Package
		errs pkgdb.Errors
	)
	err := pkgdb.Paragraphs(r, func(par *pkgdb.Paragraph) {
		cur, fields := Package{Line: par.Line}, 0
		dir := ""
		for _, l := range par.Lines {
			if len(l.Text) < 2 || l.Text[1] != ':' {
				errs.Addf("%w at line %d: not a field: %.40q", ErrRecord, l.N, l.Text)
				continue
			}
			switch l.Text[0] {
			case 'F':
				dir = string(l.Text[2:])
			case 'R':
				f := string(l.Text[2:])
				if dir != "" {
					f = dir + "/" + f
				}
				cur.Files = append(cur.Files, f)
				cur.SHA1s = append(cur.SHA1s, "")
			case 'Z':
				if n := len(cur.SHA1s); n > 0 && cur.SHA1s[n-1] == "" {
					if sum, ok := decodeChecksum(string(l.Text[2:])); ok {
						cur.SHA1s[n-1] = sum
					} else {
						errs.Addf("%w at line %d: checksum %.40q", ErrRecord, l.N, l.Text[2:])
					}
				}
			default:
				cur.set(l.Text[0], string(l.Text[2:]))
			}
			fields++
		}
		switch {
		case fields == 0:
			// nothing but malformed lines, reported above
		case cur.Name == "":
			errs.Addf("%w at line %d: no P: (name) field", ErrRecord, cur.Line)
		case cur.Version == "":
			errs.Addf("%w at line %d: package %s has no V: (version) field", ErrRecord, cur.Line, cur.Name)
		default:
			if cur.Origin == "" {
				cur.Origin = cur.Name
			}
			pkgs = append(pkgs, cur)
		}
	}, func(err error) { errs.Addf("%w: %w", ErrRecord, err) })
	if err != nil {
		errs.Add(err)
	}
	return pkgs, errs.List()
}

func (p *Package) set(key byte, val string) {
	switch key {
	case 'P':
		p.Name = val
	case 'V':
		p.Version = val
	case 'A':
		p.Architecture = val
	case 'o':
		p.Origin = val
	case 'L':
		p.License = val
	case 'T':
		p.Description = val
	case 'U':
		p.URL = val
	case 'm':
		p.Maintainer = val
	case 'I':
		p.InstalledSize, _ = strconv.ParseInt(val, 10, 64)
	case 'c':
		p.Commit = val
	case 'D':
		for _, d := range strings.Fields(val) {
			if strings.HasPrefix(d, "!") {
				continue
			}
			p.Depends = append(p.Depends, stripConstraint(d))
		}
	case 'p':
		for _, d := range strings.Fields(val) {
			p.Provides = append(p.Provides, stripConstraint(d))
		}
	}
}

// stripConstraint turns "name>=1.2", "so:libz.so.1=1.3" or "name~1" into
// the bare name.
func stripConstraint(s string) string {
	if i := strings.IndexAny(s, "<>=~"); i > 0 {
		return s[:i]
	}
	return s
}

// decodeChecksum reads apk's "Q1<base64 of the SHA-1>" form.
func decodeChecksum(z string) (string, bool) {
	b64, ok := strings.CutPrefix(z, "Q1")
	if !ok {
		return "", false
	}
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(b) != sha1.Size {
		return "", false
	}
	return string(b), true
}
