package policy

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/version"
	"github.com/shipshape-dev/shipshape/sbom"
)

// PackagePattern matches packages by purl. See ParsePackagePattern.
type PackagePattern struct {
	raw     string
	base    string // lower-cased, unescaped "type/namespace/name" glob
	verGlob string // lower-cased version glob; "" with no constraints: any
	cons    []constraint
}

type constraint struct {
	op   string // <, <=, >, >=, =, !=
	ver  string
	want version.Version // ver parsed, when the pattern's type is fixed
}

// ParsePackagePattern reads a package pattern: a purl without qualifiers
// whose type, namespace and name may use '*' (any run of characters,
// slashes included) and '?' (one character), optionally followed by '@'
// and either a version glob or comma-separated comparisons using the
// package type's own version ordering:
//
//	pkg:npm/left-pad                 every version of left-pad
//	pkg:deb/debian/openssl@3.0.*     a version glob
//	pkg:golang/golang.org/x/net@<0.23.0
//	pkg:pypi/django@>=4.0,<4.2.11
//	pkg:*/log4j*                     any type
//
// Names compare case-insensitively, after percent-decoding
// ("pkg:npm/%40angular/core" and "pkg:npm/@angular/core" are the same).
func ParsePackagePattern(s string) (PackagePattern, error) {
	p := PackagePattern{raw: s}
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), "pkg:")
	if !ok || rest == "" {
		return p, fmt.Errorf("%w: package pattern %q does not start with \"pkg:\"", ErrInvalidPattern, s)
	}
	if strings.Contains(rest, "#") {
		return p, fmt.Errorf("%w: package pattern %q: subpaths are not supported", ErrInvalidPattern, s)
	}
	base, ver, hasVer := cutLast(rest, "@")
	if typ, name, _ := strings.Cut(base, "/"); typ == "" || name == "" || strings.HasSuffix(name, "/") {
		return p, fmt.Errorf("%w: package pattern %q: want pkg:TYPE/[NAMESPACE/]NAME", ErrInvalidPattern, s)
	}
	b, err := url.PathUnescape(base)
	if err != nil {
		return p, fmt.Errorf("%w: package pattern %q: %w", ErrInvalidPattern, s, err)
	}
	p.base = strings.ToLower(b)
	if !hasVer {
		return p, nil
	}
	ver = strings.TrimSpace(ver)
	if ver == "" {
		return p, fmt.Errorf("%w: package pattern %q: empty version after @", ErrInvalidPattern, s)
	}
	if !strings.ContainsAny(ver[:1], "<>=!") {
		p.verGlob = ver
		return p, nil
	}
	typ, _, _ := strings.Cut(p.base, "/")
	var ord version.Ordering
	if !strings.ContainsAny(typ, "*?") {
		if ord, err = ordering(typ); err != nil {
			return p, fmt.Errorf("%w: package pattern %q: %w", ErrInvalidPattern, s, err)
		}
	}
	for _, part := range strings.Split(ver, ",") {
		part = strings.TrimSpace(part)
		op := ""
		for _, o := range []string{"<=", ">=", "!=", "<", ">", "="} {
			if strings.HasPrefix(part, o) {
				op = o
				break
			}
		}
		v := strings.TrimSpace(part[len(op):])
		if op == "" || v == "" {
			return p, fmt.Errorf("%w: package pattern %q: comparison %q: want one of < <= > >= = != and a version", ErrInvalidPattern, s, part)
		}
		c := constraint{op: op, ver: v}
		if ord != nil {
			if c.want, err = ord.Parse(v); err != nil {
				return p, fmt.Errorf("%w: package pattern %q: %w", ErrInvalidPattern, s, err)
			}
		}
		p.cons = append(p.cons, c)
	}
	return p, nil
}

// String returns the pattern as written.
func (p PackagePattern) String() string { return p.raw }

// cutLast splits s around the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

// splitPURL returns the lower-cased unescaped "type/namespace/name" and
// the version of a purl string; ok is false for strings that are not
// purls.
func splitPURL(purl string) (base, ver string, ok bool) {
	rest, ok := strings.CutPrefix(purl, "pkg:")
	if !ok {
		return "", "", false
	}
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest = rest[:i]
	}
	b, v, _ := cutLast(rest, "@")
	return lower(unescape(b)), unescape(v), true
}

func unescape(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// lower is strings.ToLower without the copy for strings already in
// lower case, which purls mostly are.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(s)
		}
	}
	return s
}

// MatchPURL reports whether the package with this purl matches.
func (p PackagePattern) MatchPURL(purl string) bool {
	base, ver, ok := splitPURL(purl)
	if !ok {
		return false
	}
	return p.match(base, ver)
}

// Match reports whether an SBOM package matches.
func (p PackagePattern) Match(pkg *sbom.Package) bool {
	return p.MatchPURL(packagePURL(pkg))
}

func (p PackagePattern) match(base, ver string) bool {
	if !glob(p.base, base) {
		return false
	}
	if p.verGlob != "" {
		return glob(strings.ToLower(p.verGlob), strings.ToLower(ver))
	}
	if len(p.cons) == 0 {
		return true
	}
	typ, _, _ := strings.Cut(base, "/")
	ord, err := ordering(typ)
	if err != nil {
		return false
	}
	have, err := ord.Parse(ver)
	if err != nil {
		return false
	}
	for _, c := range p.cons {
		want := c.want
		if want == nil {
			if want, err = ord.Parse(c.ver); err != nil {
				return false
			}
		}
		r := have.Compare(want)
		ok := false
		switch c.op {
		case "<":
			ok = r < 0
		case "<=":
			ok = r <= 0
		case ">":
			ok = r > 0
		case ">=":
			ok = r >= 0
		case "=":
			ok = r == 0
		case "!=":
			ok = r != 0
		}
		if !ok {
			return false
		}
	}
	return true
}

// ordering returns the version ordering of a purl type.
func ordering(typ string) (version.Ordering, error) {
	eco, ok := map[string]string{
		sbom.TypeDeb: "Debian", sbom.TypeAPK: "Alpine", sbom.TypeRPM: "RPM", sbom.TypeGolang: "Go",
		sbom.TypePyPI: "PyPI", sbom.TypeNPM: "npm", sbom.TypeMaven: "Maven", sbom.TypeGem: "RubyGems",
		sbom.TypeCargo: "crates.io", sbom.TypeComposer: "Packagist", sbom.TypeNuGet: "NuGet",
	}[typ]
	if !ok {
		return nil, fmt.Errorf("no version ordering for package type %q", typ)
	}
	return version.ForEcosystem(eco)
}

// glob matches s against pattern, where '*' matches any run of
// characters and '?' any one byte.
func glob(pattern, s string) bool {
	px, sx := 0, 0
	starP, starS := -1, 0
	for sx < len(s) {
		switch {
		case px < len(pattern) && (pattern[px] == '?' || pattern[px] == s[sx]):
			px++
			sx++
		case px < len(pattern) && pattern[px] == '*':
			starP, starS = px, sx
			px++
		case starP >= 0:
			px = starP + 1
			starS++
			sx = starS
		default:
			return false
		}
	}
	for px < len(pattern) && pattern[px] == '*' {
		px++
	}
	return px == len(pattern)
}
