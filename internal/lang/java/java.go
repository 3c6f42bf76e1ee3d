// Package java reads Java archives (jar, war, ear and the archives nested
// in them) and the dependency declarations of source trees (pom.xml,
// gradle.lockfile).
package java

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/lang"
	"github.com/shipshape-dev/shipshape/internal/pkgdb"
)

// Type is the purl type of Maven packages.
const Type = "maven"

// Limits guards archive reading against nesting and decompression bombs.
type Limits struct {
	// MaxDepth is how deep archives inside archives are opened (the
	// outer archive is depth 0).
	MaxDepth int
	// MaxExpanded bounds the bytes decompressed from one outer archive,
	// nested archives included.
	MaxExpanded int64
	// MaxEntries bounds the entries of one archive.
	MaxEntries int
	// MaxMemory bounds the bytes of compressed nested archives held in
	// memory at once: a nested archive stored uncompressed (as Spring
	// Boot and most tools write them) is read in place from its parent,
	// while a deflated one must be inflated whole, and it and its
	// ancestors' inflated copies together may not pass MaxMemory.
	MaxMemory int64
}

// DefaultLimits returns the limits callers use when they set none.
func DefaultLimits() Limits {
	return Limits{MaxDepth: 4, MaxExpanded: 512 << 20, MaxEntries: 200_000, MaxMemory: 128 << 20}
}

// ErrLimit marks an archive that hit one of the Limits.
var ErrLimit = errors.New("archive limit reached")

// IsArchive reports whether a file name is a Java archive.
func IsArchive(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".jar", ".war", ".ear", ".jpi", ".hpi", ".rar":
		return true
	}
	return false
}

// ParseArchive reads a Java archive held in memory. name is its file name,
// used when nothing inside says what it is. Packages of nested archives
// carry the inner path. Problems with nested archives are returned joined
// with the packages found elsewhere.
func ParseArchive(b []byte, name string, lim Limits) ([]lang.Package, error) {
	return ParseArchiveAt(bytes.NewReader(b), int64(len(b)), name, lim)
}

// ParseArchiveAt is ParseArchive for an archive of size bytes read through
// r, which need not be held in memory.
func ParseArchiveAt(r io.ReaderAt, size int64, name string, lim Limits) ([]lang.Package, error) {
	if lim.MaxMemory <= 0 {
		lim.MaxMemory = DefaultLimits().MaxMemory
	}
	st := &state{lim: lim}
	pkgs := st.archive(r, size, name, "", 0)
	return lang.Dedupe(pkgs), errors.Join(st.errs...)
}

type state struct {
	lim      Limits
	expanded int64
	// held is the bytes of inflated nested archives alive now: the
	// one being read and its ancestors.
	held int64
	errs []error
}

func (st *state) fail(inner string, err error) {
	if inner != "" {
		err = fmt.Errorf("%s: %w", inner, err)
	}
	st.errs = append(st.errs, err)
}

// archive reads one archive; inner is its path inside the outer one.
func (st *state) archive(r io.ReaderAt, size int64, name, inner string, depth int) []lang.Package {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		st.fail(inner, fmt.Errorf("%w: not a zip archive: %w", lang.ErrParse, err))
		return nil
	}
	if len(zr.File) > st.lim.MaxEntries {
		st.fail(inner, fmt.Errorf("%w: %d entries (limit %d)", ErrLimit, len(zr.File), st.lim.MaxEntries))
		return nil
	}
	var out []lang.Package
	var manifest map[string]string
	for _, f := range zr.File {
		switch {
		case strings.HasPrefix(f.Name, "META-INF/maven/") && strings.HasSuffix(f.Name, "/pom.properties"):
			data, err := st.read(f, 1<<20)
			if err != nil {
				st.fail(join(inner, f.Name), err)
				continue
			}
			if p, ok := pomProperties(data); ok {
				p.Inner = inner
				out = append(out, p)
			}
		case f.Name == "META-INF/MANIFEST.MF":
			data, err := st.read(f, 1<<20)
			if err != nil {
				st.fail(join(inner, f.Name), err)
				continue
			}
			manifest = parseManifest(data)
		case IsArchive(f.Name) && !strings.HasSuffix(f.Name, "/"):
			if depth+1 > st.lim.MaxDepth {
				st.fail(join(inner, f.Name), fmt.Errorf("%w: nested deeper than %d", ErrLimit, st.lim.MaxDepth))
				continue
			}
			out = append(out, st.nested(r, f, join(inner, f.Name), depth+1)...)
		}
	}
	// The archive's own identity: its pom.properties when there is exactly
	// one for it, else its manifest and file name.
	if !hasOwn(out, inner) {
		if p, ok := fromManifest(manifest, name); ok {
			p.Inner = inner
			out = append(out, p)
		}
	}
	return out
}

// nested reads an archive inside the archive r: in place when it is
// stored uncompressed, else inflated within the memory budget.
func (st *state) nested(r io.ReaderAt, f *zip.File, inner string, depth int) []lang.Package {
	if f.Method == zip.Store && f.CompressedSize64 == f.UncompressedSize64 {
		off, err := f.DataOffset()
		if err != nil {
			st.fail(inner, fmt.Errorf("%w: %w", lang.ErrParse, err))
			return nil
		}
		n := int64(f.UncompressedSize64)
		// Reading it in place costs no memory, but its bytes count against
		// the expansion budget all the same: overlapping entries must not
		// multiply the work.
		if left := st.lim.MaxExpanded - st.expanded; n > left {
			st.fail(inner, fmt.Errorf("%w: more than %d bytes of archives read (sbom.Limits.MaxArchiveBytes)", ErrLimit, st.lim.MaxExpanded))
			return nil
		}
		st.expanded += n
		return st.archive(io.NewSectionReader(r, off, n), n, path.Base(f.Name), inner, depth)
	}
	if left := st.lim.MaxMemory - st.held; f.UncompressedSize64 > uint64(max(left, 0)) {
		st.fail(inner, fmt.Errorf("%w: a compressed nested archive of %d bytes, past the %d bytes of nested archives held in memory at once (sbom.Limits.MaxArchiveMemory)",
			ErrLimit, f.UncompressedSize64, st.lim.MaxMemory))
		return nil
	}
	data, err := st.read(f, st.lim.MaxExpanded)
	if err != nil {
		st.fail(inner, err)
		return nil
	}
	st.held += int64(len(data))
	defer func() { st.held -= int64(len(data)) }()
	return st.archive(bytes.NewReader(data), int64(len(data)), path.Base(f.Name), inner, depth)
}

func hasOwn(ps []lang.Package, inner string) bool {
	for _, p := range ps {
		if p.Inner == inner {
			return true
		}
	}
	return false
}

func join(inner, name string) string {
	if inner == "" {
		return name
	}
	return inner + "!/" + name
}

// read decompresses one entry, counting against the expanded budget.
func (st *state) read(f *zip.File, max int64) ([]byte, error) {
	left := st.lim.MaxExpanded - st.expanded
	if left <= 0 {
		return nil, fmt.Errorf("%w: more than %d bytes of archives read (sbom.Limits.MaxArchiveBytes)", ErrLimit, st.lim.MaxExpanded)
	}
	if max > left {
		max = left
	}
	if f.UncompressedSize64 > uint64(max) {
		// Skip what says it is too large before spending the budget on it.
		budget := "sbom.Limits.MaxArchiveBytes"
		if max < left {
			budget = "the limit for metadata files"
		}
		return nil, fmt.Errorf("%w: entry of %d bytes decompressed, limit %d (%s)", ErrLimit, f.UncompressedSize64, max, budget)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", lang.ErrParse, err)
	}
	defer rc.Close()
	// The declared size is the most archive/zip lets an entry inflate to
	// (it fails a longer one), so one allocation of it is all it takes.
	data := make([]byte, f.UncompressedSize64)
	n, err := io.ReadFull(rc, data)
	st.expanded += int64(n)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", lang.ErrParse, err)
	}
	return data, nil
}

func properties(data []byte) map[string]string {
	m := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == '!' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			k, v, ok = strings.Cut(line, ":")
		}
		if ok {
			m[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return m
}

func pomProperties(data []byte) (lang.Package, bool) {
	m := properties(data)
	if m["artifactId"] == "" || m["version"] == "" {
		return lang.Package{}, false
	}
	return lang.Package{Type: Type, Namespace: m["groupId"], Name: m["artifactId"], Version: m["version"]}, true
}

// parseManifest reads MANIFEST.MF's main section, joining continuation
// lines.
func parseManifest(data []byte) map[string]string {
	m := map[string]string{}
	last := ""
	for _, line := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
		if line == "" {
			break // end of the main section
		}
		if line[0] == ' ' && last != "" {
			m[last] += line[1:]
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		last = strings.TrimSpace(k)
		m[last] = strings.TrimSpace(v)
	}
	return m
}

// fileVersion splits "commons-lang3-3.12.0.jar" into name and version.
var fileVersion = regexp.MustCompile(`^(.+?)-(\d[\w.+-]*?)(?:\.jar|\.war|\.ear|\.jpi|\.hpi|\.rar)$`)

func fromManifest(m map[string]string, name string) (lang.Package, bool) {
	p := lang.Package{Type: Type}
	if n := m["Bundle-SymbolicName"]; n != "" {
		n, _, _ = strings.Cut(n, ";")
		p.Name = strings.TrimSpace(n)
	}
	for _, k := range []string{"Implementation-Version", "Bundle-Version", "Specification-Version"} {
		if m[k] != "" {
			p.Version = m[k]
			break
		}
	}
	fm := fileVersion.FindStringSubmatch(name)
	if p.Name == "" {
		if fm != nil {
			p.Name = fm[1]
		} else {
			p.Name = strings.TrimSuffix(name, path.Ext(name))
		}
	}
	if p.Version == "" && fm != nil {
		p.Version = fm[2]
	}
	if p.Name == "" {
		return p, false
	}
	// A jar that says nothing of its version is still inventory.
	p.SetProp("maven:title", m["Implementation-Title"])
	p.SetProp("maven:vendor", m["Implementation-Vendor"])
	if lic := m["Bundle-License"]; lic != "" && !strings.Contains(lic, "://") {
		p.Licenses = lang.SplitLicenses(lic)
	}
	return p, true
}

// pom is the part of pom.xml shipshape reads.
type pom struct {
	GroupID    string `xml:"groupId"`
	ArtifactID string `xml:"artifactId"`
	Version    string `xml:"version"`
	Parent     struct {
		GroupID string `xml:"groupId"`
		Version string `xml:"version"`
	} `xml:"parent"`
	Properties struct {
		Entries []struct {
			XMLName xml.Name
			Value   string `xml:",chardata"`
		} `xml:",any"`
	} `xml:"properties"`
	Dependencies []struct {
		GroupID    string `xml:"groupId"`
		ArtifactID string `xml:"artifactId"`
		Version    string `xml:"version"`
		Scope      string `xml:"scope"`
	} `xml:"dependencies>dependency"`
}

var placeholder = regexp.MustCompile(`\$\{([^}]+)\}`)

// ParsePom reads a pom.xml's dependencies whose versions are literal or
// defined in the same file's properties (project.version included).
// Versions that need a parent POM or a BOM are left out.
func ParsePom(r io.Reader) ([]lang.Package, error) {
	var p pom
	dec := xml.NewDecoder(io.LimitReader(r, 64<<20))
	dec.Strict = false
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%w: %w", lang.ErrParse, err)
	}
	props := map[string]string{
		"project.version": firstNonEmpty(p.Version, p.Parent.Version),
		"project.groupId": firstNonEmpty(p.GroupID, p.Parent.GroupID),
	}
	for _, e := range p.Properties.Entries {
		props[e.XMLName.Local] = strings.TrimSpace(e.Value)
	}
	resolve := func(s string) string {
		for i := 0; i < 8 && strings.Contains(s, "${"); i++ {
			s = placeholder.ReplaceAllStringFunc(s, func(m string) string {
				if v, ok := props[m[2:len(m)-1]]; ok {
					return v
				}
				return m
			})
		}
		return strings.TrimSpace(s)
	}
	var out []lang.Package
	for _, d := range p.Dependencies {
		g, a, v := resolve(d.GroupID), resolve(d.ArtifactID), resolve(d.Version)
		if a == "" || v == "" || strings.Contains(v, "${") || strings.ContainsAny(v, "[](),") {
			continue
		}
		out = append(out, lang.Package{Type: Type, Namespace: g, Name: a, Version: v, Dev: d.Scope == "test"})
	}
	return lang.Dedupe(out), nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// ParseGradleLockfile reads gradle.lockfile: "group:artifact:version=confs".
func ParseGradleLockfile(r io.Reader) ([]lang.Package, error) {
	var out []lang.Package
	err := pkgdb.Lines(r, func(_ int, line []byte, lerr error) error {
		if lerr != nil {
			return nil
		}
		s := strings.TrimSpace(string(line))
		if s == "" || s[0] == '#' || strings.HasPrefix(s, "empty=") {
			return nil
		}
		coord, confs, _ := strings.Cut(s, "=")
		parts := strings.Split(coord, ":")
		if len(parts) != 3 || parts[1] == "" || parts[2] == "" {
			return nil
		}
		dev := confs != ""
		for _, c := range strings.Split(confs, ",") {
			if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(c)), "test") {
				dev = false
			}
		}
		out = append(out, lang.Package{Type: Type, Namespace: parts[0], Name: parts[1], Version: parts[2], Dev: dev})
		return nil
	})
	return lang.Dedupe(out), err
}
