# The 20-rule benchmark policy of policy/bench_test.go, written in Rego for
# OPA, over the same input (exported as JSON by the policy tests). Where
# Rego has no equivalent of a shipshape facility the rule approximates it,
# and the comparison script prints both sides' violation counts per rule:
#   - SPDX expressions: split on " OR " and " AND " (no parentheses, no WITH);
#   - version ranges: semver.compare for Go modules only;
#   - purl patterns: regular expressions written by hand.
package shipshape

import rego.v1

sev_rank := {"unknown": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}

active_findings contains f if {
	some f in input.scan.findings
	not f.suppressed
}

fixable(f) if count(object.get(f, "fixed_versions", [])) > 0

pkg_of(f) := object.get(f.package, "purl", "")

purl_base(purl) := regex.replace(purl, `@[^@]*$`, "")

purl_version(purl) := v if {
	parts := split(purl, "@")
	v := parts[count(parts) - 1]
}

# 1 no-fixable-highs (deny): max-severity medium, fixable only
raw contains {"rule": "no-fixable-highs", "action": "deny", "finding": f.id, "package": pkg_of(f), "message": sprintf("%s (%s) in %s %s", [f.id, f.severity, f.package.name, f.package.version])} if {
	some f in active_findings
	sev_rank[f.severity] > 2
	fixable(f)
}

# 2 no-criticals (warn): max-severity high
raw contains {"rule": "no-criticals", "action": "warn", "finding": f.id, "package": pkg_of(f), "message": sprintf("%s (%s) in %s %s", [f.id, f.severity, f.package.name, f.package.version])} if {
	some f in active_findings
	sev_rank[f.severity] > 3
}

# 3 log4shell (deny): deny list by id or alias
denied_ids := {"CVE-2021-44228"}

raw contains {"rule": "log4shell", "action": "deny", "finding": f.id, "package": pkg_of(f), "message": sprintf("%s is denied", [f.id])} if {
	some f in active_findings
	ids := {f.id} | {a | some a in object.get(f, "aliases", [])}
	count(ids & denied_ids) > 0
}

# 4 banned-packages (deny)
raw contains {"rule": "banned-packages", "action": "deny", "finding": "", "package": p.purl, "message": sprintf("%s %s is banned", [p.name, p.version])} if {
	some p in input.sbom.packages
	banned(p.purl)
}

banned(purl) if regex.match(`^pkg:deb/debian/telnet[^@]*@`, purl)

banned(purl) if purl == "pkg:npm/event-stream@3.3.6"

# 5 licences (warn): deny AGPL-3.0-only, GPL-3.0-only
denied_licences := {"AGPL-3.0-only", "GPL-3.0-only"}

licence_denied(expr) if {
	branches := split(expr, " OR ")
	every b in branches {
		some l in split(b, " AND ")
		denied_licences[trim_space(l)]
	}
}

raw contains {"rule": "licences", "action": "warn", "finding": "", "package": p.purl, "message": sprintf("%s %s: licence %s is denied", [p.name, p.version, l])} if {
	some p in input.sbom.packages
	some l in object.get(p, "licenses", [])
	licence_denied(l)
}

# 6 registries (deny): allow ghcr.io/acme
raw contains {"rule": "registries", "action": "deny", "finding": "", "package": "", "message": "not from an allowed registry"} if {
	not startswith(input.reference, "ghcr.io/acme/")
}

# 7 base-image (warn)
raw contains {"rule": "base-image", "action": "warn", "finding": "", "package": "", "message": "base image not allowed"} if {
	base := object.get(input.config.config, ["Labels", "org.opencontainers.image.base.name"], "")
	not regex.match(`^(docker\.io/library/)?debian:12`, base)
}

# 8 signed (deny): a verified signature of the digest by a GitHub workflow of acme
raw contains {"rule": "signed", "action": "deny", "finding": "", "package": "", "message": "no valid signature by a trusted signer"} if {
	not signed_ok
}

signed_ok if {
	some s in input.signatures
	s.verified
	s.digest == input.digest
	count(object.get(s, "predicate_types", [])) == 0
	s.issuer == "https://token.actions.githubusercontent.com"
	startswith(s.subject, "https://github.com/acme/")
}

# 9 provenance (warn)
raw contains {"rule": "provenance", "action": "warn", "finding": "", "package": "", "message": "no valid https://slsa.dev/provenance/v1 attestation"} if {
	not attested
}

attested if {
	some s in input.signatures
	s.verified
	s.digest == input.digest
	"https://slsa.dev/provenance/v1" in object.get(s, "predicate_types", [])
}

# 10 no-secrets (deny)
raw contains {"rule": "no-secrets", "action": "deny", "finding": s.rule_id, "package": "", "message": sprintf("%s in %s:%d", [s.rule_id, s.file, s.line])} if {
	some s in input.secrets.findings
}

# 11 no-root (deny)
raw contains {"rule": "no-root", "action": "deny", "finding": "", "package": "", "message": "the image runs as root"} if {
	user := split(object.get(input.config.config, "User", ""), ":")[0]
	user in {"", "root", "0"}
}

# 12 fresh (warn): 90 days
raw contains {"rule": "fresh", "action": "warn", "finding": "", "package": "", "message": "the image is too old"} if {
	time.parse_rfc3339_ns(input.now) - time.parse_rfc3339_ns(input.config.created) > ((90 * 24) * 3600) * 1000000000
}

# 13 labels (info)
required_labels := {"org.opencontainers.image.source": `https://github\.com/acme/.+`, "org.opencontainers.image.revision": ""}

raw contains {"rule": "labels", "action": "info", "finding": "", "package": "", "message": sprintf("label %s is not set or wrong", [k])} if {
	some k, re in required_labels
	v := object.get(input.config.config, ["Labels", k], "")
	not label_ok(v, re)
}

label_ok(v, "") if v != ""

label_ok(v, re) if {
	re != ""
	regex.match(concat("", ["^(?:", re, ")$"]), v)
}

# 14 hardening (warn)
raw contains {"rule": "hardening", "action": "warn", "finding": h.id, "package": "", "message": h.title} if {
	some h in input.scan.hardening
	h.id in {"sshd", "setuid-binaries"}
}

# 15 no-curl-in-runtime (info)
raw contains {"rule": "no-curl-in-runtime", "action": "info", "finding": "", "package": p.purl, "message": sprintf("%s %s is installed", [p.name, p.version])} if {
	some p in input.sbom.packages
	p.name in {"curl", "wget"}
}

# 16 team-label (warn)
raw contains {"rule": "team-label", "action": "warn", "finding": "", "package": "", "message": "the image has no team label"} if {
	not input.config.config.Labels.team
}

# 17 licence-allow-list (warn)
allowed_licences := {"MIT", "Apache-2.0", "BSD-3-Clause", "ISC", "LGPL-2.1-only", "GPL-2.0-or-later", "Artistic-1.0-Perl"}

licence_allowed(expr) if {
	some b in split(expr, " OR ")
	every l in split(b, " AND ") {
		allowed_licences[trim_space(l)]
	}
}

raw contains {"rule": "licence-allow-list", "action": "warn", "finding": "", "package": p.purl, "message": sprintf("%s %s: licence %s is not allowed", [p.name, p.version, l])} if {
	some p in input.sbom.packages
	some l in object.get(p, "licenses", [])
	not licence_allowed(l)
}

# 18 allowed-ecosystems (info): pkg:deb/*, pkg:npm/*, pkg:golang/*@>=v0.1.0
ecosystem_allowed(purl) if startswith(purl, "pkg:deb/")

ecosystem_allowed(purl) if startswith(purl, "pkg:npm/")

ecosystem_allowed(purl) if {
	startswith(purl, "pkg:golang/")
	v := trim_prefix(purl_version(purl), "v")
	semver.is_valid(v)
	semver.compare(v, "0.1.0") >= 0
}

raw contains {"rule": "allowed-ecosystems", "action": "info", "finding": "", "package": p.purl, "message": sprintf("%s %s is not on the allow list", [p.name, p.version])} if {
	some p in input.sbom.packages
	not ecosystem_allowed(p.purl)
}

# 19 fixable-criticals-by-cel (warn)
raw contains {"rule": "fixable-criticals-by-cel", "action": "warn", "finding": f.id, "package": pkg_of(f), "message": sprintf("%s in %s", [f.id, f.package.name])} if {
	some f in active_findings
	f.severity == "critical"
	fixable(f)
}

# 20 old-go-modules (info)
raw contains {"rule": "old-go-modules", "action": "info", "finding": "", "package": p.purl, "message": p.purl} if {
	some p in input.sbom.packages
	p.type == "golang"
	startswith(p.version, "v0.0.")
}

# Waivers: scope rule + vulnerability or package prefix, unexpired.
waivers := [
	{"rule": "no-fixable-highs", "vulnerability": "CVE-2024-2511", "package": "", "expires": "2026-12-31T00:00:00Z"},
	{"rule": "no-criticals", "vulnerability": "", "package": "pkg:deb/debian/curl", "expires": "2026-05-01T00:00:00Z"},
]

waived(v) if {
	some w in waivers
	w.rule == v.rule
	time.parse_rfc3339_ns(input.now) < time.parse_rfc3339_ns(w.expires)
	w.vulnerability in {"", v.finding}
	startswith(v.package, w.package)
}

raw contains {"rule": "waivers", "action": "warn", "finding": w.vulnerability, "package": w.package, "message": "waiver expired"} if {
	some w in waivers
	time.parse_rfc3339_ns(input.now) >= time.parse_rfc3339_ns(w.expires)
}

default is_waived(_) := false

is_waived(v) if waived(v)

violations := [object.union(v, {"waived": is_waived(v)}) | some v in raw]

verdict := "deny" if {
	some v in violations
	v.action == "deny"
	not v.waived
} else := "warn" if {
	some v in violations
	v.action == "warn"
	not v.waived
} else := "pass"
