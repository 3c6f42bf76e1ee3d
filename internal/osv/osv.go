// Package osv reads vulnerability records in the OSV schema
// (https://ossf.github.io/osv-schema/) from JSON files, directories and the
// per-ecosystem all.zip archives of the public OSV bucket.
package osv

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Vulnerability is one OSV record.
type Vulnerability struct {
	SchemaVersion    string          `json:"schema_version,omitempty"`
	ID               string          `json:"id"`
	Modified         string          `json:"modified,omitempty"`
	Published        string          `json:"published,omitempty"`
	Withdrawn        string          `json:"withdrawn,omitempty"`
	Aliases          []string        `json:"aliases,omitempty"`
	Related          []string        `json:"related,omitempty"`
	Upstream         []string        `json:"upstream,omitempty"`
	Summary          string          `json:"summary,omitempty"`
	Details          string          `json:"details,omitempty"`
	Severity         []Severity      `json:"severity,omitempty"`
	Affected         []Affected      `json:"affected,omitempty"`
	References       []Reference     `json:"references,omitempty"`
	DatabaseSpecific json.RawMessage `json:"database_specific,omitempty"`
}

// Severity is a severity score: a CVSS vector, or a distribution's rating.
type Severity struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

// Affected names one package and the versions of it the vulnerability
// affects.
type Affected struct {
	Package           Package         `json:"package"`
	Severity          []Severity      `json:"severity,omitempty"`
	Ranges            []Range         `json:"ranges,omitempty"`
	Versions          []string        `json:"versions,omitempty"`
	EcosystemSpecific json.RawMessage `json:"ecosystem_specific,omitempty"`
	DatabaseSpecific  json.RawMessage `json:"database_specific,omitempty"`
}

// Package identifies a package in an ecosystem.
type Package struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	Purl      string `json:"purl,omitempty"`
}

// Range types.
const (
	RangeSemver    = "SEMVER"
	RangeEcosystem = "ECOSYSTEM"
	RangeGit       = "GIT"
)

// Range is a sequence of events over one version ordering.
type Range struct {
	Type   string  `json:"type"`
	Repo   string  `json:"repo,omitempty"`
	Events []Event `json:"events"`
}

// Event is one point of a range: exactly one field is set.
type Event struct {
	Introduced   string `json:"introduced,omitempty"`
	Fixed        string `json:"fixed,omitempty"`
	LastAffected string `json:"last_affected,omitempty"`
	Limit        string `json:"limit,omitempty"`
}

// Reference is a link about the vulnerability.
type Reference struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// ErrRecord marks a record that is not valid OSV.
var ErrRecord = errors.New("invalid OSV record")

// MaxRecord bounds the size of one record.
const MaxRecord = 16 << 20

// Decode parses and checks one record: it needs an id, and every affected
// entry needs an ecosystem and a name, and ranges of known types with
// events that set exactly one field.
func Decode(b []byte) (*Vulnerability, error) {
	var v Vulnerability
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRecord, err)
	}
	if v.ID == "" {
		return nil, fmt.Errorf("%w: no id", ErrRecord)
	}
	for i, a := range v.Affected {
		if a.Package.Ecosystem == "" || a.Package.Name == "" {
			return nil, fmt.Errorf("%w: %s: affected[%d] has no ecosystem or name", ErrRecord, v.ID, i)
		}
		for j, r := range a.Ranges {
			switch r.Type {
			case RangeSemver, RangeEcosystem, RangeGit:
			default:
				return nil, fmt.Errorf("%w: %s: affected[%d].ranges[%d] has type %q", ErrRecord, v.ID, i, j, r.Type)
			}
			for k, e := range r.Events {
				n := 0
				for _, f := range []string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
					if f != "" {
						n++
					}
				}
				if n != 1 {
					return nil, fmt.Errorf("%w: %s: affected[%d].ranges[%d].events[%d] sets %d fields", ErrRecord, v.ID, i, j, k, n)
				}
			}
		}
	}
	return &v, nil
}

// Base returns an ecosystem's family, the part before the first colon
// ("Debian:12" → "Debian").
func Base(ecosystem string) string {
	b, _, _ := strings.Cut(ecosystem, ":")
	return b
}

// Visit receives one record of a source, or the error of a record that
// could not be read; name says where it came from ("Go/all.zip:GO-2022-0969.json").
// Returning an error stops the reading.
type Visit func(name string, v *Vulnerability, err error) error

// ReadZip reads every *.json entry of a zip archive (an all.zip).
func ReadZip(path string, fn Visit) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer zr.Close()
	files := append([]*zip.File(nil), zr.File...)
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	for _, f := range files {
		if !strings.HasSuffix(f.Name, ".json") {
			continue
		}
		name := path + ":" + f.Name
		b, err := readEntry(f)
		if err != nil {
			if err := fn(name, nil, err); err != nil {
				return err
			}
			continue
		}
		v, err := Decode(b)
		if err := fn(name, v, err); err != nil {
			return err
		}
	}
	return nil
}

func readEntry(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > MaxRecord {
		return nil, fmt.Errorf("%w: %d bytes", ErrRecord, f.UncompressedSize64)
	}
	// Read errors (a bad checksum, a truncated archive) are the
	// archive's, not the record's: they are returned unwrapped.
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, MaxRecord+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxRecord {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrRecord, MaxRecord)
	}
	return b, nil
}

// ReadDir reads every *.json file under dir, and every all.zip (the public
// bucket's layout, <Ecosystem>/all.zip), in path order.
func ReadDir(dir string, fn Visit) error {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".zip")) {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(paths)
	for _, p := range paths {
		if strings.HasSuffix(p, ".zip") {
			if err := ReadZip(p, fn); err != nil {
				return err
			}
			continue
		}
		b, err := readFile(p)
		if err != nil {
			if err := fn(p, nil, err); err != nil {
				return err
			}
			continue
		}
		v, err := Decode(b)
		if err := fn(p, v, err); err != nil {
			return err
		}
	}
	return nil
}

func readFile(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxRecord+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxRecord {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrRecord, MaxRecord)
	}
	return b, nil
}
