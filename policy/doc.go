// Package policy decides whether an image may ship, over everything the
// other packages found: its SBOM, vulnerability and hardening report,
// secret scan, signature verification and config.
//
// # Input
//
// An Input holds any subset of that evidence. Rules never pass for want
// of evidence: a rule that needs a kind of evidence the input lacks
// reports a violation whose Evidence.Missing names it, with the rule's
// action, so that a policy which requires signatures denies an image whose
// signatures were not checked. InputFromImage fills the image facts from a
// v1.Image; ReadSignatureEvidence reads signature evidence as the sign
// module writes it.
//
// Nor does an image pass for want of a whole read: the layers an input
// lists in Incomplete (cut short by a budget or a broken stream, or not
// matching their diff_id) are each a violation of the reserved rule
// IncompleteRule ("complete-read"), denied unless WithIncompleteAction or
// the document's incomplete key says warn or info, and never waived.
//
// Input.Now is the time the evidence is judged at. Evaluate passes the
// rules a copy of the input whose Now is the caller's, when set, or else
// the policy's clock (WithClock); the caller's input is not modified.
//
// # Rules
//
// A Rule has a name and returns violations for an input. Teams write
// their own as Go types or with RuleFunc and test them with package
// policytest; rules that judge ages read in.Now, never time.Now, and
// VulnerabilityEvidence, SecretEvidence, HardeningEvidence and
// PackageEvidence turn findings into the evidence the built-in rules give.
// Built-in rules are configured by parameter structs and Builtin:
//
//	max-severity          MaxSeverity{Max, FixableOnly}
//	deny-vulnerabilities  DenyVulnerabilities{IDs} (ids or aliases)
//	no-malicious-packages NoMaliciousPackages{}
//	no-known-exploited    NoKnownExploited{RansomwareOnly} (CISA KEV)
//	max-epss              MaxEPSS{Percentile} (EPSS percentile at or above, 0 < p ≤ 1)
//	packages              Packages{Deny, Allow} (purl patterns with version ranges)
//	licenses              Licenses{Allow, Deny, RequireLicense} (SPDX expressions)
//	registries            Registries{Allow}
//	base-images           BaseImages{Allow}
//	signed                Signed{Keys, Identities, PredicateTypes}
//	no-secrets            NoSecrets{MinSeverity, Classes, MinConfidence}
//	no-root               NoRoot{}
//	max-age               MaxAge{Days}
//	required-labels       RequiredLabels{Labels}
//	hardening             Hardening{IDs, MinSeverity}
//	supported-distro      SupportedDistro{WarnWithinDays, DenyUnknown}
//
// Each rule is added to a policy with an action: Deny, Warn or Info. The
// verdict is deny when a deny rule has a violation no waiver covers, warn
// when only warn rules do, and pass otherwise.
//
// # Declarative policies and CEL
//
// Load reads the same rules from YAML or JSON, plus custom rules written
// in CEL (https://cel.dev). A CEL rule's expression sees the variable
// input:
//
//	input.image            reference, registry, repository, digest, created (timestamp),
//	                       user, labels (map), env_keys, exposed_ports, working_dir, os, architecture
//	input.packages         name, version, type, purl, licenses, source_name, location, layer
//	input.vulnerabilities  id, aliases, severity ("unknown" when unrated), severity_rank (0 unknown or
//	                       negligible, 1 low … 4 critical), severity_source, class ("malicious"), score,
//	                       fixed_versions, fixable, suppressed, kev (in CISA's KEV catalog), kev_ransomware,
//	                       epss_score, epss_percentile (0 without scores),
//	                       package{name, version, type, purl, location, layer}
//	input.hardening        id, title, severity, severity_rank, path, layer, value
//	input.secrets          rule_id, description, severity, severity_rank, file, line, layer, visible, fingerprint, class, owner, confidence
//	input.signatures       verified, digest, key, issuer, subject, predicate_types
//	input.distro           id, version_id, codename, status ("supported", "eol", "rolling", "unknown";
//	                       "" without a distribution), product, release, has_eol, eol (timestamp),
//	                       days_left (to the end of support; negative past it), eol_source
//	input.present          sbom, vulnerabilities, hardening, secrets, signatures, config, reference, digest, created
//
// Secret values and environment variable values are not in the view. An
// expression yielding true is one violation; one yielding a list is one
// violation per element, which the message template sees as item:
//
//	rules:
//	  - name: no-gpl-in-app
//	    action: deny
//	    expression: input.packages.filter(p, p.type == "npm" && p.licenses.exists(l, l.startsWith("GPL")))
//	    message: "{{ item.name }} {{ item.version }} is GPL"
//
// The KEV and EPSS rules and fields need the exploitation data loaded
// with the vulnerability store (scan.FetchKEV, scan.FetchEPSS): without
// it kev is false and the EPSS fields 0, and the two built-in rules warn
// that they could not check (Evidence.Missing "exploitation") rather
// than pass in silence.
//
// Evidence of list elements from the view (packages, vulnerabilities,
// hardening and secret findings) is carried into the violation.
//
// A CEL rule does not pass for want of evidence either: an expression
// that reads a kind of evidence the input lacks (input.vulnerabilities
// without a scan report, input.image.labels without an image config) is
// not evaluated, and the rule reports one violation per absent kind, its
// Evidence.Missing naming the kind, as the built-in rules do. An
// expression that reads input.present handles absence itself and is
// always evaluated:
//
//	expression: input.present.vulnerabilities && input.vulnerabilities.exists(v, v.severity_rank == 4)
//
// Compile
// errors name the rule and the position; each evaluation is bounded by a
// cost limit (DefaultCELCostLimit, WithCELCostLimit, or the document's
// cel_cost_limit) and stops with ErrCostLimit beyond it.
//
// # Waivers
//
// A Waiver excuses the violations in its scope (rule, vulnerability id,
// package pattern, image) until it expires, and names its owner and
// reason. Waived violations stay in the decision, marked; expired
// waivers no longer apply and are reported as warnings under the rule
// "waivers"; waivers without expiry are refused unless the policy allows
// them (WithPermanentWaivers, allow_permanent_waivers). A waiver may not
// name the rule "complete-read".
//
// # Decision
//
// Evaluate returns a Decision: the verdict, every rule with its counts,
// and the violations in a deterministic order (policy order, then
// evidence). Encode writes it as JSON, a table, JUnit XML (one test case
// per rule) or SARIF.
package policy
