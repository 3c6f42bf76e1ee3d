package scan

import (
	"slices"
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
	// release names the ecosystems accept takes, for the warning when
	// the store has none of them ("Debian:13").
	release string
}

func exactly(names ...string) func(string) bool {
	return func(x string) bool { return slices.Contains(names, x) }
}
func anyOf(string) bool { return true }

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
	return target{base: base, names: []string{name}, version: p.Version, accept: anyOf, release: base}, true
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
		return target{base: "Debian", names: []string{src}, version: srcVersion, accept: exactly("Debian:" + major), release: "Debian:" + major}, true
	case p.Type == sbom.TypeDeb && d.ID == "ubuntu" && d.VersionID != "":
		// The standard archive and its Pro (ESM) extension only: the
		// FIPS, Realtime and vendor streams (Ubuntu:Pro:FIPS:22.04:LTS,
		// Ubuntu:Nvidia-BlueField:22.04:LTS, …) ship different builds.
		rel := d.VersionID
		return target{base: "Ubuntu", names: []string{src}, version: srcVersion, accept: exactly(
			"Ubuntu:"+rel, "Ubuntu:"+rel+":LTS", "Ubuntu:Pro:"+rel, "Ubuntu:Pro:"+rel+":LTS"), release: "Ubuntu:" + rel}, true
	case p.Type == sbom.TypeAPK && d.ID == "alpine":
		parts := strings.SplitN(d.VersionID, ".", 3)
		if len(parts) < 2 {
			return target{}, false
		}
		rel := "Alpine:v" + parts[0] + "." + parts[1]
		return target{base: "Alpine", names: []string{src}, version: p.Version, accept: exactly(rel), release: rel}, true
	case p.Type == sbom.TypeAPK && (d.ID == "wolfi" || d.ID == "chainguard"):
		eco := map[string]string{"wolfi": "Wolfi", "chainguard": "Chainguard"}[d.ID]
		return target{base: eco, names: []string{src}, version: p.Version, accept: exactly(eco), release: eco}, true
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
			// Red Hat:enterprise_linux:9::appstream, …::baseos and the
			// like; layered products (Red Hat:ceph_storage:5::el9) and
			// extended-support streams ship other builds.
			stream := "Red Hat:enterprise_linux:" + major
			return target{base: base, names: names, version: p.Version, accept: func(e string) bool {
				return e == stream || strings.HasPrefix(e, stream+"::")
			}, release: stream}, true
		}
		return target{base: base, names: names, version: p.Version, accept: exactly(base + ":" + major), release: base + ":" + major}, true
	}
	return target{}, false
}
