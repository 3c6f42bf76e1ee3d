// Package version orders version strings the way each package ecosystem
// does, so that OSV advisory ranges ("introduced", "fixed", "last_affected")
// can be matched against installed package versions.
//
// Each ecosystem family has an [Ordering]: its Parse validates a version
// string and returns a [Version] whose Compare follows that ecosystem's own
// rules. [ForEcosystem] maps an OSV ecosystem name ("Debian:12",
// "Alpine:v3.19", "PyPI", ...) to its Ordering:
//
//	o, err := version.ForEcosystem("Debian:12")
//	if err != nil {
//		return err // wraps ErrUnknownEcosystem
//	}
//	c, err := version.Compare(o, "1:2.30-21", "2.31-1") // c == +1: the epoch wins
//
// The orderings and the algorithms they follow:
//
//   - Debian (Debian, Ubuntu, Echo): dpkg's parseversion and verrevcmp.
//   - Alpine: apk-tools' token based version comparison (src/version.c):
//     apk-tools 2.14's for Alpine up to 3.22 and the other apk
//     distributions (Wolfi, Chainguard, Alpaquita, BellSoft Hardened
//     Containers, MinimOS, CleanStart), apk-tools 3's for Alpine 3.23 and
//     later. Like apk, both compare any string, also what apk calls
//     invalid.
//   - RPM (Red Hat, Rocky Linux, AlmaLinux, SUSE, openSUSE, Azure Linux,
//     Mageia, openEuler): rpm's parseEVR and rpmverCmp, rpmvercmp applied
//     to epoch, version and release; any string parses.
//   - Go: golang.org/x/mod/semver, with the "v" prefix added when missing.
//   - SemVer, npm, crates.io: SemVer 2.0.0 precedence (npm also accepts a
//     leading "v").
//   - PyPI: PEP 440, as implemented by the reference "packaging" library.
//   - Maven: Apache Maven's ComparableVersion (Maven 3.9).
//   - RubyGems: Gem::Version.
//   - NuGet: NuGet.Versioning's NuGetVersion and VersionComparer.
//   - Packagist: Composer's VersionParser::normalize followed by PHP's
//     version_compare (and, for what Composer rejects, version_compare of
//     the string itself).
//
// testdata/external holds other projects' comparison fixtures (osv-scalibr,
// apk-tools, rpm, osv.dev), which TestExternalFixtures runs offline.
//
// Every Ordering accepts OSV's special "introduced" value "0", which means
// "from the very first version": it parses in every ordering and sorts
// before every other version string, including strings that the ecosystem
// itself would consider equal to zero ("0.0", "0:0", "0~beta").
//
// Parse never panics; invalid strings return an error wrapping
// [ErrInvalidVersion] that names the ordering and the version.
// Versions are immutable and safe for concurrent use. Compare must only be
// given two Versions parsed by the same Ordering: mixing orderings panics.
package version
