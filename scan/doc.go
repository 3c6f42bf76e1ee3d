// Package scan matches an inventory (an sbom.SBOM of an image, a directory,
// or a CycloneDX document another tool wrote) against OSV vulnerability
// data and reports the vulnerabilities found.
//
// The data lives in a local store: BuildDB makes one from OSV JSON files or
// the per-ecosystem all.zip archives of the public OSV bucket, LoadDB opens
// a store or builds one into the cache from raw OSV input, and FetchDB,
// FetchKEV and FetchEPSS are the only functions that touch the network. Opening a store parses
// nothing: advisories are indexed by ecosystem and package and read only
// for the packages an inventory holds.
//
// Match follows the OSV schema's range semantics with each ecosystem's own
// version ordering (dpkg, apk, rpm, Go, SemVer, PEP 440, Maven, RubyGems,
// NuGet, Composer). Operating-system packages match through their source
// package and the image's distribution release; language packages that an
// OS package installed match through the distribution too, unless asked
// otherwise. Aliases are merged into one finding per vulnerability and
// package, severities come from CVSS v3 and v4 vectors (base scores
// computed) or the advisory's rating, and suppressions (OpenVEX, CycloneDX
// VEX, an ignore file) mark findings without hiding them.
//
// Exploitation signals come from CISA's Known Exploited Vulnerabilities
// catalog and FIRST's EPSS scores, kept in a file of their own beside the
// store (ExploitPath) so that rebuilding the store never loses them:
// FetchKEV and FetchEPSS download them, ImportKEV and ImportEPSS read
// files brought to an offline machine, and OpenDB reads them. Match then
// sets Finding.KEV and Finding.EPSS from every CVE a finding stands for,
// and RiskLess orders findings known exploited first, then by severity,
// then by EPSS percentile; the table output uses that order.
//
// Match also judges the distribution release's support (Report.Support):
// os-release's SUPPORT_END when the image sets one, else a dated table of
// releases' end of support from endoflife.date (MIT licence), embedded
// (DefaultEOLTable) and refreshed by the explicit FetchEOL into the cache
// directory (CachedEOLTable, WithEOLTable). A release past its end gets a
// warning of kind WarnEOL (and package policy's supported-distro rule
// denies it); a release or distribution the table does not know gets
// WarnEOLUnknown, never silence. Debian's end is the end of Debian LTS
// (free, in the same security archive); the others' is the end of the
// support every user gets (Ubuntu standard support, RHEL maintenance,
// SLES general support), the paid extensions being ExtendedEOL. Minor
// releases share their major's end (RHEL 9.4 is RHEL 9), Alpine's patch
// releases their minor's (3.19.1 is 3.19).
//
// Nothing checked is never clean: an inventory with no operating system
// and no package gets a WarnNothing warning and says so in Summary; every
// warning is in every output (the table, JSON, SARIF notifications,
// CycloneDX metadata properties).
//
// Hardening checks of an image's configuration and filesystem are package
// harden's; secrets are package secrets'.
package scan
