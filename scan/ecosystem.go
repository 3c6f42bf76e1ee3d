package scan

import (
	"slices"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/version"
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
	// namedVersions is set for a family whose records may spell a range's
	// versions after the package name (Mageia: "gtk+3.0-3.24.8-1.1.mga7").
	namedVersions bool
}

// rangeOrdering is the ordering the range events of a record's entry for
// package name parse with: ord, which for a family with namedVersions
// first drops the "name-" in front of an event's version.
func (t target) rangeOrdering(ord version.Ordering, name string) version.Ordering {
	if !t.namedVersions {
		return ord
	}
	return namePrefixed{Ordering: ord, prefix: name + "-"}
}

// namePrefixed parses versions that may carry a package name in front.
type namePrefixed struct {
	version.Ordering
	prefix string
}

func (o namePrefixed) Parse(s string) (version.Version, error) {
	return o.Ordering.Parse(strings.TrimPrefix(s, o.prefix))
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
// Debian, Ubuntu and Echo publish advisories against source packages and
// their versions; Alpine against the origin package; RPM distributions
// against binary package names (source names are tried too); the other
// families are in otherOSTarget.
//
// The distributions, by os-release ID, with the OSV ecosystems their
// packages are looked up in and the version ordering compared with
// (internal/version):
//
//	debian                      deb  Debian:<major>                                   dpkg
//	ubuntu                      deb  Ubuntu:<ver>[:LTS], Ubuntu:Pro:<ver>[:LTS]       dpkg
//	echo                        deb  Echo                                             dpkg
//	alpine                      apk  Alpine:v<major.minor>                            apk
//	wolfi, chainguard           apk  Wolfi, Chainguard                                apk
//	alpaquita                   apk  Alpaquita:<VERSION_ID> (23, 25, stream)          apk
//	bellsoft-hardened-containers
//	                            apk  BellSoft Hardened Containers:<VERSION_ID>        apk
//	minimos                     apk  MinimOS                                          apk
//	cleanstart, clnstrt         apk  CleanStart                                       apk
//	dhi (ID_LIKE alpine)        apk  Docker Hardened Images:Alpine:<major.minor>      apk
//	dhi (ID_LIKE debian)        deb  Docker Hardened Images:Debian:<major>            dpkg
//	rhel                        rpm  Red Hat:enterprise_linux:<major>[::<stream>]     rpm
//	rocky, almalinux            rpm  Rocky Linux:<major>, AlmaLinux:<major>           rpm
//	sles, sles_sap, sled, sle_hpc, sle-micro, sl-micro
//	                            rpm  every SUSE:<product> <release>[-LTSS|-ESPOS]     rpm
//	opensuse-leap               rpm  openSUSE:Leap <VERSION_ID>                       rpm
//	opensuse-tumbleweed         rpm  openSUSE:Tumbleweed                              rpm
//	azurelinux, mariner         rpm  Azure Linux:<major> (CBL-Mariner 2.0 is 2)       rpm
//	mageia                      rpm  Mageia:<VERSION_ID>                              rpm, "name-" dropped from range versions
//	openeuler                   rpm  openEuler:<ver>-LTS[-SPn], from PRETTY_NAME      rpm, epoch dropped
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
	case p.Type == sbom.TypeDeb && d.ID == "echo":
		// Echo's Debian-based images: one rolling stream, advisories
		// filed like Debian's against source packages and versions.
		return target{base: "Echo", names: []string{src}, version: srcVersion, accept: exactly("Echo"), release: "Echo"}, true
	case p.Type == sbom.TypeDeb && d.ID == "ubuntu" && d.VersionID != "":
		// The standard archive and its Pro (ESM) extension only: the
		// FIPS, Realtime and vendor streams (Ubuntu:Pro:FIPS:22.04:LTS,
		// Ubuntu:Nvidia-BlueField:22.04:LTS, …) ship different builds.
		rel := d.VersionID
		return target{base: "Ubuntu", names: []string{src}, version: srcVersion, accept: exactly(
			"Ubuntu:"+rel, "Ubuntu:"+rel+":LTS", "Ubuntu:Pro:"+rel, "Ubuntu:Pro:"+rel+":LTS"), release: "Ubuntu:" + rel}, true
	case p.Type == sbom.TypeAPK && d.ID == "alpine":
		rel, ok := majorMinor(d.VersionID)
		if !ok {
			return target{}, false
		}
		rel = "Alpine:v" + rel
		return target{base: "Alpine", names: []string{src}, version: p.Version, accept: exactly(rel), release: rel}, true
	case p.Type == sbom.TypeAPK && (d.ID == "wolfi" || d.ID == "chainguard"):
		eco := map[string]string{"wolfi": "Wolfi", "chainguard": "Chainguard"}[d.ID]
		return target{base: eco, names: []string{src}, version: p.Version, accept: exactly(eco), release: eco}, true
	case p.Type == sbom.TypeRPM && major != "" && (d.ID == "rocky" || d.ID == "almalinux" || d.ID == "rhel"):
		base := map[string]string{"rocky": "Rocky Linux", "almalinux": "AlmaLinux", "rhel": "Red Hat"}[d.ID]
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
	return otherOSTarget(d, p, src)
}

// otherOSTarget covers the families whose advisories name the source
// package (SUSE, openSUSE, Azure Linux, Mageia, openEuler: the source RPM;
// Alpaquita, BellSoft Hardened Containers, MinimOS, CleanStart: the apk
// origin) or the binary package (Docker Hardened Images): both names are
// tried, and the installed package's own version is compared, since these
// distributions version source and binary packages alike (openEuler's
// without its epoch: its records carry none).
func otherOSTarget(d *sbom.Distro, p *sbom.Package, src string) (target, bool) {
	base, release, accept := otherOSEcosystem(d, p.Type)
	if base == "" {
		return target{}, false
	}
	if accept == nil {
		accept = exactly(release)
	}
	names := []string{src}
	if p.Name != src {
		names = append(names, p.Name)
	}
	v := p.Version
	if base == "openEuler" {
		// openEuler's OSV records carry no epoch ("fixed":
		// "1.0-7.oe2203sp3") even for packages that have one, so the
		// installed epoch would put every such package past every fix.
		v = withoutEpoch(v)
	}
	// Mageia's records spell some versions after their package's name:
	// MGAA-2021-0024 fixes gtk+3.0 in "gtk+3.0-3.24.8-1.1.mga7", and
	// MGASA-2024-0312 has "gtk+2.0-2.24.33-5.1.mga9" (osv.dev's ecosystem
	// tests quote it). Read as is, the leading "gtk" sorts below every
	// installed version and hides the finding.
	return target{base: base, names: names, version: v, accept: accept, release: release, namedVersions: base == "Mageia"}, true
}

// withoutEpoch is an rpm version without its "N:" epoch.
func withoutEpoch(v string) string {
	if e, rest, ok := strings.Cut(v, ":"); ok && e != "" && strings.Trim(e, "0123456789") == "" {
		return rest
	}
	return v
}

// otherOSEcosystem maps os-release to the OSV ecosystem family, the
// release's ecosystem and, where a release spans several ecosystems, the
// function that accepts them; base is "" for an unknown distribution or a
// package type it does not ship.
func otherOSEcosystem(d *sbom.Distro, typ string) (base, release string, accept func(string) bool) {
	v := d.VersionID
	major, _, _ := strings.Cut(v, ".")
	switch typ {
	case sbom.TypeAPK:
		switch d.ID {
		case "alpaquita":
			return nonEmpty("Alpaquita", v)
		case "bellsoft-hardened-containers":
			return nonEmpty("BellSoft Hardened Containers", v)
		case "minimos":
			return "MinimOS", "MinimOS", nil
		case "cleanstart", "clnstrt":
			return "CleanStart", "CleanStart", nil
		case "dhi":
			if rel, ok := majorMinor(v); ok && slices.Contains(d.IDLike, "alpine") {
				return "Docker Hardened Images", "Docker Hardened Images:Alpine:" + rel, nil
			}
		}
	case sbom.TypeDeb:
		if d.ID == "dhi" && major != "" && slices.Contains(d.IDLike, "debian") {
			return "Docker Hardened Images", "Docker Hardened Images:Debian:" + major, nil
		}
	case sbom.TypeRPM:
		switch d.ID {
		case "sles", "sles_sap", "sled", "sle_hpc", "sle-micro", "sl-micro":
			return suseEcosystem(v)
		case "opensuse-leap":
			return nonEmpty("openSUSE", "Leap "+v)
		case "opensuse-tumbleweed":
			return "openSUSE", "openSUSE:Tumbleweed", nil
		case "azurelinux", "mariner":
			// CBL-Mariner 2.0 is Azure Linux 2.
			return nonEmpty("Azure Linux", major)
		case "mageia":
			return nonEmpty("Mageia", v)
		case "openeuler":
			return nonEmpty("openEuler", openEulerRelease(d))
		}
	}
	return "", "", nil
}

// nonEmpty is base with the release base:rel, or nothing without a
// release.
func nonEmpty(base, rel string) (string, string, func(string) bool) {
	if rel == "" || strings.HasSuffix(rel, " ") {
		return "", "", nil
	}
	return base, base + ":" + rel, nil
}

// majorMinor is "3.19" of a VERSION_ID "3.19.1".
func majorMinor(v string) (string, bool) {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return "", false
	}
	return parts[0] + "." + parts[1], true
}

// suseEcosystem is where a SUSE Linux Enterprise release's advisories are.
// SUSE files a fix under every product that ships the package, and on SLE
// 15 the base packages ship in modules: gzip on SLES 15 SP5 is in
// "SUSE:Linux Enterprise Module for Basesystem 15 SP5", not in "SUSE:Linux
// Enterprise Server 15 SP5". So every SUSE product of the same release is
// accepted, with its -LTSS or -ESPOS support stream: "15 SP5" for
// VERSION_ID 15.5, "15" for 15, and the VERSION_ID itself otherwise (SLE
// Micro 5.5, SLES 16.0).
func suseEcosystem(v string) (string, string, func(string) bool) {
	if v == "" {
		return "", "", nil
	}
	rel := v
	if major, sp, ok := strings.Cut(v, "."); ok && (major == "12" || major == "15") && sp != "0" {
		rel = major + " SP" + sp
	}
	return "SUSE", "SUSE:Linux Enterprise Server " + rel, func(e string) bool {
		product, ok := strings.CutPrefix(e, "SUSE:")
		if !ok {
			return false
		}
		if i := strings.LastIndexByte(product, '-'); i > 0 && !strings.Contains(product[i:], " ") {
			product = product[:i] // "15 SP5-LTSS"
		}
		return strings.HasSuffix(product, " "+rel)
	}
}

// openEulerRelease is openEuler's release as its advisories name it: the
// version and the LTS stream from PRETTY_NAME, "openEuler 24.03 (LTS-SP1)"
// becoming "24.03-LTS-SP1"; only LTS releases get advisories.
func openEulerRelease(d *sbom.Distro) string {
	rest, ok := strings.CutPrefix(d.Name, "openEuler ")
	if !ok {
		return ""
	}
	ver, stream, _ := strings.Cut(rest, " ")
	stream = strings.TrimSuffix(strings.TrimPrefix(stream, "("), ")")
	if ver != d.VersionID || !strings.HasPrefix(stream, "LTS") {
		return ""
	}
	return ver + "-" + strings.ReplaceAll(stream, " ", "-")
}
