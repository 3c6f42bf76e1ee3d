package scan

import (
	"strings"

	"github.com/shipshape-dev/shipshape/sbom"
)

// target says where to look for a package's advisories: the ecosystem
// family and name it is indexed under, the version to compare, and which
// of the family's ecosystems apply (a distribution's release).
type target struct {
	base    string
	names   []string
	version string
	accept  func(ecosystem string) bool
}

func exactly(e string) func(string) bool { return func(x string) bool { return x == e } }
func anyOf(string) bool                  { return true }

// languageBase maps package types to OSV ecosystem families.
var languageBase = map[string]string{
	sbom.TypeGolang:   "Go",
	sbom.TypePyPI:     "PyPI",
	sbom.TypeNPM:      "npm",
	sbom.TypeMaven:    "Maven",
	sbom.TypeGem:      "RubyGems",
	sbom.TypeCargo:    "crates.io",
	sbom.TypeComposer: "Packagist",
	sbom.TypeNuGet:    "NuGet",
}

// languageTarget is where a language package's advisories are. ok is false
// for types OSV has no ecosystem for.
func languageTarget(p *sbom.Package) (target, bool) {
	base, ok := languageBase[p.Type]
	if !ok {
		return target{}, false
	}
	name := p.Name
	if p.Type == sbom.TypeMaven {
		// OSV names Maven packages group:artifact; the purl has the group.
		group := mavenGroup(p.PURL)
		if group == "" {
			return target{}, false
		}
		name = group + ":" + p.Name
	}
	return target{base: base, names: []string{name}, version: p.Version, accept: anyOf}, true
}

// mavenGroup reads the namespace of a pkg:maven purl.
func mavenGroup(purl string) string {
	rest, ok := strings.CutPrefix(purl, "pkg:maven/")
	if !ok {
		return ""
	}
	if i := strings.IndexByte(rest, '/'); i > 0 {
		return rest[:i]
	}
	return ""
}

// osTarget is where an OS package's advisories are for the distribution;
// ok is false when the distribution has no OSV ecosystem shipshape knows.
// Debian and Ubuntu publish advisories against source packages and their
// versions; Alpine against the origin package; RPM distributions against
// binary package names (source names are tried too).
func osTarget(d *sbom.Distro, p *sbom.Package) (target, bool) {
	if d == nil {
		return target{}, false
	}
	major, _, _ := strings.Cut(d.VersionID, ".")
	src := p.SourceName
	if src == "" {
		src = p.Name
	}
	srcVersion := p.SourceVersion
	if srcVersion == "" {
		srcVersion = p.Version
	}
	switch {
	case p.Type == sbom.TypeDeb && d.ID == "debian" && major != "":
		return target{base: "Debian", names: []string{src}, version: srcVersion, accept: exactly("Debian:" + major)}, true
	case p.Type == sbom.TypeDeb && d.ID == "ubuntu" && d.VersionID != "":
		// Ubuntu:22.04, Ubuntu:22.04:LTS, Ubuntu:Pro:22.04:LTS, …
		rel := ":" + d.VersionID
		return target{base: "Ubuntu", names: []string{src}, version: srcVersion, accept: func(e string) bool {
			return strings.HasSuffix(e, rel) || strings.Contains(e, rel+":")
		}}, true
	case p.Type == sbom.TypeAPK && d.ID == "alpine":
		parts := strings.SplitN(d.VersionID, ".", 3)
		if len(parts) < 2 {
			return target{}, false
		}
		return target{base: "Alpine", names: []string{src}, version: p.Version, accept: exactly("Alpine:v" + parts[0] + "." + parts[1])}, true
	case p.Type == sbom.TypeAPK && (d.ID == "wolfi" || d.ID == "chainguard"):
		eco := map[string]string{"wolfi": "Wolfi", "chainguard": "Chainguard"}[d.ID]
		return target{base: eco, names: []string{src}, version: p.Version, accept: exactly(eco)}, true
	case p.Type == sbom.TypeRPM && major != "":
		base, ok := map[string]string{"rocky": "Rocky Linux", "almalinux": "AlmaLinux", "rhel": "Red Hat"}[d.ID]
		if !ok {
			return target{}, false
		}
		names := []string{p.Name}
		if src != p.Name {
			names = append(names, src)
		}
		if base == "Red Hat" {
			// Red Hat:enterprise_linux:9::appstream and the like.
			return target{base: base, names: names, version: p.Version, accept: func(e string) bool {
				return strings.Contains(e, ":"+major+":") || strings.HasSuffix(e, ":"+major)
			}}, true
		}
		return target{base: base, names: names, version: p.Version, accept: exactly(base + ":" + major)}, true
	}
	return target{}, false
}
