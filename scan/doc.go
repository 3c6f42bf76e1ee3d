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
// Hardening checks of an image's configuration and filesystem are package
// harden's; secrets are package secrets'.
package scan
