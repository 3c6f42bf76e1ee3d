package policy

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/secrets"
)

// BuiltinParams are the parameters of one kind of built-in rule; Builtin
// turns them into a Rule. The types implementing it are MaxSeverity,
// DenyVulnerabilities, NoMaliciousPackages, NoKnownExploited, MaxEPSS, Packages, Licenses,
// Registries, BaseImages, Signed, NoSecrets, NoRoot, MaxAge,
// RequiredLabels, Hardening and SupportedDistro.
type BuiltinParams interface {
	// Type is the rule type's name in policy documents ("max-severity").
	Type() string
	compile(name string) (Rule, error)
}

// Builtin returns the built-in rule of params' type, named name (the
// type's name when empty), after checking the parameters.
func Builtin(name string, params BuiltinParams) (Rule, error) {
	if params == nil {
		return nil, fmt.Errorf("%w: nil parameters", result.ErrInvalidOption)
	}
	if name == "" {
		name = params.Type()
	}
	r, err := params.compile(name)
	if err != nil {
		return nil, fmt.Errorf("%s rule %q: %w", params.Type(), name, err)
	}
	return r, nil
}

// builtinKinds returns zero parameters of every built-in rule type: the
// one list that loading by name and BuiltinTypes both read.
func builtinKinds() []BuiltinParams {
	return []BuiltinParams{&MaxSeverity{}, &DenyVulnerabilities{}, &NoMaliciousPackages{}, &NoKnownExploited{}, &MaxEPSS{},
		&Packages{}, &Licenses{}, &Registries{}, &BaseImages{}, &Signed{}, &NoSecrets{}, &NoRoot{}, &MaxAge{},
		&RequiredLabels{}, &Hardening{}, &SupportedDistro{}}
}

// builtinParams returns zero parameters of a rule type.
func builtinParams(typ string) (BuiltinParams, bool) {
	for _, p := range builtinKinds() {
		if p.Type() == typ {
			return p, true
		}
	}
	return nil, false
}

// BuiltinTypes lists the built-in rule types, sorted.
func BuiltinTypes() []string {
	var out []string
	for _, p := range builtinKinds() {
		out = append(out, p.Type())
	}
	slices.Sort(out)
	return out
}

// builtinRule is the common Rule of the built-in types.
type builtinRule struct {
	name string
	desc string
	eval func(in *Input) []Violation
}

func (r *builtinRule) Name() string        { return r.name }
func (r *builtinRule) Description() string { return r.desc }
func (r *builtinRule) Evaluate(_ context.Context, in *Input) ([]Violation, error) {
	if in == nil {
		in = &Input{}
	}
	return r.eval(in), nil
}

func noScan(what string) Violation {
	return MissingEvidence(MissingVulnerabilities, "no vulnerability report: cannot check "+what)
}

// MaxSeverity denies vulnerabilities above a severity.
//
// Findings a VEX statement or ignore rule suppressed in the scan report do
// not count. A finding no source rates (severity unknown; see
// scan.SeveritySource) may be of any severity: Unrated says what to do
// with it, and by default it violates the rule, so that a gate never
// passes over a finding it could not judge. A negligible finding (one its
// distribution judged not to matter) exceeds no Max but itself. The ages
// IgnoreNewerThanDays and IgnoreOlderThanDays speak of are measured from
// a finding's publication date to Input.Now.
type MaxSeverity struct {
	// Max is the highest severity allowed; findings above it violate.
	Max result.Severity `yaml:"max"`
	// FixableOnly counts only findings with a known fixed version.
	FixableOnly bool `yaml:"fixable_only"`
	// IgnoreNewerThanDays leaves out findings published fewer than this
	// many days ago (a grace period to ship the fix); IgnoreOlderThanDays
	// those published more than this many days ago. A finding whose data
	// gives no publication date is never left out. 0 means no bound.
	IgnoreNewerThanDays int `yaml:"ignore_newer_than_days"`
	IgnoreOlderThanDays int `yaml:"ignore_older_than_days"`
	// Unrated is what an unrated finding does: UnratedDeny (the default)
	// makes it a violation with the rule's action, UnratedWarn a violation
	// that only warns (or is informational when the rule is), UnratedIgnore
	// leaves it out.
	Unrated Unrated `yaml:"unrated"`
}

// Unrated says what a severity rule does with findings no source rates.
type Unrated string

// The choices for unrated findings.
const (
	UnratedDeny   Unrated = "deny"
	UnratedWarn   Unrated = "warn"
	UnratedIgnore Unrated = "ignore"
)

// ParseUnrated checks a choice for unrated findings; "" is UnratedDeny.
func ParseUnrated(s string) (Unrated, error) {
	switch u := Unrated(s); u {
	case "":
		return UnratedDeny, nil
	case UnratedDeny, UnratedWarn, UnratedIgnore:
		return u, nil
	}
	return "", fmt.Errorf("%w: unrated %q (want deny, warn or ignore)", result.ErrInvalidOption, s)
}

// Type implements BuiltinParams.
func (MaxSeverity) Type() string { return "max-severity" }

func (p MaxSeverity) compile(name string) (Rule, error) {
	if p.Max > result.SeverityCritical {
		return nil, fmt.Errorf("%w: severity %d", result.ErrInvalidOption, p.Max)
	}
	if p.IgnoreNewerThanDays < 0 || p.IgnoreOlderThanDays < 0 {
		return nil, fmt.Errorf("%w: negative number of days", result.ErrInvalidOption)
	}
	unrated, err := ParseUnrated(string(p.Unrated))
	if err != nil {
		return nil, err
	}
	if p.IgnoreOlderThanDays > 0 && p.IgnoreNewerThanDays >= p.IgnoreOlderThanDays {
		return nil, fmt.Errorf("%w: ignore_newer_than_days %d and ignore_older_than_days %d leave nothing", result.ErrInvalidOption, p.IgnoreNewerThanDays, p.IgnoreOlderThanDays)
	}
	desc := fmt.Sprintf("no vulnerability above %s", p.Max)
	if p.FixableOnly {
		desc = fmt.Sprintf("no fixable vulnerability above %s", p.Max)
	}
	if p.IgnoreNewerThanDays > 0 {
		desc += fmt.Sprintf(", published at least %d days ago", p.IgnoreNewerThanDays)
	}
	if p.IgnoreOlderThanDays > 0 {
		desc += fmt.Sprintf(", published in the last %d days", p.IgnoreOlderThanDays)
	}
	day := 24 * time.Hour
	return &builtinRule{name: name, desc: desc, eval: func(in *Input) []Violation {
		if in.Scan == nil {
			return []Violation{noScan("vulnerability severities")}
		}
		now := in.now()
		var out []Violation
		for i := range in.Scan.Findings {
			f := &in.Scan.Findings[i]
			if f.Suppressed != nil || (p.FixableOnly && len(f.FixedVersions) == 0) {
				continue
			}
			unknown := f.Severity == result.SeverityUnknown
			if (unknown && unrated == UnratedIgnore) || (!unknown && f.Severity <= p.Max) {
				continue
			}
			if !f.Published.IsZero() {
				age := now.Sub(f.Published)
				if p.IgnoreNewerThanDays > 0 && age < time.Duration(p.IgnoreNewerThanDays)*day {
					continue
				}
				if p.IgnoreOlderThanDays > 0 && age > time.Duration(p.IgnoreOlderThanDays)*day {
					continue
				}
			}
			msg := fmt.Sprintf("%s (%s) in %s %s", f.ID, f.Severity, f.Package.Name, f.Package.Version)
			if unknown {
				msg = fmt.Sprintf("%s in %s %s is unrated (no source rates it: it may be of any severity)", f.ID, f.Package.Name, f.Package.Version)
			}
			if len(f.FixedVersions) > 0 {
				msg += ", fixed in " + strings.Join(f.FixedVersions, ", ")
			} else {
				msg += ", no fix known"
			}
			v := Violation{Message: msg, Evidence: VulnerabilityEvidence(f)}
			if unknown && unrated == UnratedWarn {
				v.Action = Warn
			}
			out = append(out, v)
		}
		return out
	}}, nil
}

// NoMaliciousPackages denies packages published to attack their users:
// findings of the class result.ClassMalicious (OSV MAL- records, from
// the OpenSSF Malicious Packages data in the npm, PyPI and other feeds).
// No version of such a package is safe, so there is no fix to wait for;
// a suppressed finding does not count, as with every vulnerability rule.
type NoMaliciousPackages struct{}

// Type implements BuiltinParams.
func (NoMaliciousPackages) Type() string { return "no-malicious-packages" }

func (NoMaliciousPackages) compile(name string) (Rule, error) {
	return &builtinRule{name: name, desc: "no malicious packages", eval: func(in *Input) []Violation {
		if in.Scan == nil {
			return []Violation{noScan("for malicious packages")}
		}
		var out []Violation
		for i := range in.Scan.Findings {
			f := &in.Scan.Findings[i]
			if f.Suppressed != nil || f.Class != result.ClassMalicious {
				continue
			}
			msg := fmt.Sprintf("%s %s is a malicious package (%s): remove it and treat the build as compromised", f.Package.Name, f.Package.Version, f.ID)
			out = append(out, Violation{Message: msg, Evidence: VulnerabilityEvidence(f)})
		}
		return out
	}}, nil
}

// DenyVulnerabilities denies listed vulnerabilities, by id or alias
// (a CVE listed denies the GHSA or distribution advisory that aliases it).
// Suppressed findings do not count.
type DenyVulnerabilities struct {
	IDs []string `yaml:"ids"`
}

// Type implements BuiltinParams.
func (DenyVulnerabilities) Type() string { return "deny-vulnerabilities" }

func (p DenyVulnerabilities) compile(name string) (Rule, error) {
	if len(p.IDs) == 0 {
		return nil, fmt.Errorf("%w: ids is empty", result.ErrInvalidOption)
	}
	ids := map[string]bool{}
	for _, id := range p.IDs {
		ids[strings.ToUpper(strings.TrimSpace(id))] = true
	}
	return &builtinRule{name: name, desc: fmt.Sprintf("none of %d denied vulnerabilities", len(ids)), eval: func(in *Input) []Violation {
		if in.Scan == nil {
			return []Violation{noScan("denied vulnerabilities")}
		}
		var out []Violation
		for i := range in.Scan.Findings {
			f := &in.Scan.Findings[i]
			if f.Suppressed != nil {
				continue
			}
			hit := ids[strings.ToUpper(f.ID)]
			via := f.ID
			for _, a := range f.Aliases {
				if !hit && ids[strings.ToUpper(a)] {
					hit, via = true, a
				}
			}
			if hit {
				msg := fmt.Sprintf("%s in %s %s is denied", f.ID, f.Package.Name, f.Package.Version)
				if via != f.ID {
					msg += fmt.Sprintf(" (as %s)", via)
				}
				out = append(out, Violation{Message: msg, Evidence: VulnerabilityEvidence(f)})
			}
		}
		return out
	}}, nil
}

// Packages denies packages matching any Deny pattern and, when Allow is
// set, packages matching none of the Allow patterns. Patterns are package
// patterns (see ParsePackagePattern).
type Packages struct {
	Deny  []string `yaml:"deny"`
	Allow []string `yaml:"allow"`
}

// Type implements BuiltinParams.
func (Packages) Type() string { return "packages" }

func compilePatterns(ps []string) ([]PackagePattern, error) {
	out := make([]PackagePattern, 0, len(ps))
	for _, s := range ps {
		p, err := ParsePackagePattern(s)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func (p Packages) compile(name string) (Rule, error) {
	if len(p.Deny) == 0 && len(p.Allow) == 0 {
		return nil, fmt.Errorf("%w: set deny or allow", result.ErrInvalidOption)
	}
	deny, err := compilePatterns(p.Deny)
	if err != nil {
		return nil, err
	}
	allow, err := compilePatterns(p.Allow)
	if err != nil {
		return nil, err
	}
	return &builtinRule{name: name, desc: "only allowed packages and versions", eval: func(in *Input) []Violation {
		if in.SBOM == nil {
			return []Violation{MissingEvidence(MissingSBOM, "no SBOM: cannot check packages")}
		}
		var out []Violation
		for i := range in.SBOM.Packages {
			pkg := &in.SBOM.Packages[i]
			purl := packagePURL(pkg)
			base, ver, _ := splitPURL(purl)
			ev := PackageEvidence(pkg)
			denied := false
			for _, d := range deny {
				if d.match(base, ver) {
					ev.Value = d.raw
					out = append(out, Violation{Message: fmt.Sprintf("%s %s matches denied %s", pkg.Name, pkg.Version, d.raw), Evidence: ev})
					denied = true
					break
				}
			}
			if denied || len(allow) == 0 {
				continue
			}
			if !slices.ContainsFunc(allow, func(a PackagePattern) bool { return a.match(base, ver) }) {
				out = append(out, Violation{Message: fmt.Sprintf("%s %s is not on the allow list", pkg.Name, pkg.Version), Evidence: ev})
			}
		}
		return out
	}}, nil
}

// Registries allows images only from listed registries or repository
// prefixes ("ghcr.io", "ghcr.io/acme", "docker.io/library"; Docker Hub
// may be written docker.io or index.docker.io).
type Registries struct {
	Allow []string `yaml:"allow"`
}

// Type implements BuiltinParams.
func (Registries) Type() string { return "registries" }

// normalizeRepo turns "docker.io/library/x" and "x" into the canonical
// "index.docker.io/library/x" form go-containerregistry uses.
func normalizeRepo(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(s), "/")
	host, rest, _ := strings.Cut(s, "/")
	if host == "docker.io" {
		host = name.DefaultRegistry
	}
	if rest == "" {
		return host
	}
	return host + "/" + rest
}

func (p Registries) compile(ruleName string) (Rule, error) {
	if len(p.Allow) == 0 {
		return nil, fmt.Errorf("%w: allow is empty", result.ErrInvalidOption)
	}
	allow := make([]string, len(p.Allow))
	for i, a := range p.Allow {
		allow[i] = normalizeRepo(a)
	}
	return &builtinRule{name: ruleName, desc: "image from an allowed registry: " + strings.Join(p.Allow, ", "), eval: func(in *Input) []Violation {
		ref := in.ImageReference()
		if ref == "" {
			return []Violation{MissingEvidence(MissingReference, "no image reference: cannot check its registry")}
		}
		r, err := name.ParseReference(strings.TrimPrefix(ref, "registry:"))
		if err != nil {
			return []Violation{{Message: fmt.Sprintf("image reference %q does not parse: %v", ref, err), Evidence: Evidence{Value: ref}}}
		}
		repo := r.Context().RegistryStr() + "/" + r.Context().RepositoryStr()
		for _, a := range allow {
			if repo == a || strings.HasPrefix(repo, a+"/") {
				return nil
			}
		}
		return []Violation{{Message: fmt.Sprintf("%s is not from an allowed registry", repo), Evidence: Evidence{Value: repo}}}
	}}, nil
}

// Label names used by BaseImages.
const (
	LabelBaseName   = "org.opencontainers.image.base.name"
	LabelBaseDigest = "org.opencontainers.image.base.digest"
)

// BaseImages allows only listed base images, as the image's
// org.opencontainers.image.base.name label names them. Patterns use '*'
// for any run of characters ("docker.io/library/debian:*",
// "cgr.dev/chainguard/*"). An image without the label violates, saying the
// evidence is missing.
type BaseImages struct {
	Allow []string `yaml:"allow"`
}

// Type implements BuiltinParams.
func (BaseImages) Type() string { return "base-images" }

func (p BaseImages) compile(ruleName string) (Rule, error) {
	if len(p.Allow) == 0 {
		return nil, fmt.Errorf("%w: allow is empty", result.ErrInvalidOption)
	}
	return &builtinRule{name: ruleName, desc: "built on an allowed base image", eval: func(in *Input) []Violation {
		if in.Config == nil {
			return []Violation{MissingEvidence(MissingConfig, "no image config: cannot tell the base image")}
		}
		base := in.Config.Config.Labels[LabelBaseName]
		if base == "" {
			return []Violation{MissingEvidence(MissingLabel, "the image does not name its base image (label "+LabelBaseName+")")}
		}
		for _, a := range p.Allow {
			if glob(strings.ToLower(a), strings.ToLower(base)) {
				return nil
			}
		}
		// Also accept the canonical Docker Hub spelling.
		if r, err := name.ParseReference(base); err == nil {
			canon := r.Context().RegistryStr() + "/" + r.Context().RepositoryStr()
			switch r := r.(type) {
			case name.Tag:
				canon += ":" + r.TagStr()
			case name.Digest:
				canon += "@" + r.DigestStr()
			}
			for _, a := range p.Allow {
				if glob(strings.ToLower(normalizeRepo(a)), strings.ToLower(canon)) {
					return nil
				}
			}
		}
		return []Violation{{Message: fmt.Sprintf("base image %s is not allowed", base), Evidence: Evidence{Value: base}}}
	}}, nil
}

// Identity is a keyless signer: an OIDC issuer and a subject pattern
// ('*' matches any run of characters).
type Identity struct {
	Issuer  string `yaml:"issuer" json:"issuer"`
	Subject string `yaml:"subject" json:"subject"`
}

// Signed requires a verified signature of the image's digest by one of
// Keys or Identities (by anyone verified when both are empty) or, when
// PredicateTypes is set, a verified attestation of each predicate type.
type Signed struct {
	Keys           []string   `yaml:"keys"`
	Identities     []Identity `yaml:"identities"`
	PredicateTypes []string   `yaml:"predicate_types"`
}

// Type implements BuiltinParams.
func (Signed) Type() string { return "signed" }

func (p Signed) compile(ruleName string) (Rule, error) {
	for _, id := range p.Identities {
		if id.Issuer == "" || id.Subject == "" {
			return nil, fmt.Errorf("%w: identities need issuer and subject", result.ErrInvalidOption)
		}
	}
	desc := "signed"
	if len(p.PredicateTypes) > 0 {
		desc = "attested with " + strings.Join(p.PredicateTypes, ", ")
	}
	signer := func(e *SignatureEvidence) bool {
		if len(p.Keys) == 0 && len(p.Identities) == 0 {
			return true
		}
		if e.Key != "" && slices.Contains(p.Keys, e.Key) {
			return true
		}
		for _, id := range p.Identities {
			if e.Issuer == id.Issuer && glob(id.Subject, e.Subject) {
				return true
			}
		}
		return false
	}
	return &builtinRule{name: ruleName, desc: desc, eval: func(in *Input) []Violation {
		if len(in.Signatures) == 0 {
			return []Violation{MissingEvidence(MissingSignatures, "no signature verification evidence: cannot tell whether the image is "+desc)}
		}
		digest := in.ImageDigest()
		var problems []string
		ok := func(e *SignatureEvidence) bool {
			switch {
			case !e.Verified:
				if e.Error != "" {
					problems = append(problems, "verification failed: "+e.Error)
				}
				return false
			case digest != "" && e.Digest != digest:
				problems = append(problems, fmt.Sprintf("a signature covers %s, not %s", result.ShortDigest(e.Digest), result.ShortDigest(digest)))
				return false
			case !signer(e):
				problems = append(problems, "signer "+signerName(e)+" is not trusted")
				return false
			}
			return true
		}
		var out []Violation
		if len(p.PredicateTypes) == 0 {
			found := false
			for i := range in.Signatures {
				if e := &in.Signatures[i]; len(e.PredicateTypes) == 0 && ok(e) {
					found = true
				}
			}
			if !found {
				out = append(out, Violation{Message: "no valid signature by a trusted signer" + because(problems), Evidence: Evidence{Value: digest}})
			}
			return out
		}
		for _, pt := range p.PredicateTypes {
			found := false
			problems = problems[:0]
			for i := range in.Signatures {
				if e := &in.Signatures[i]; slices.Contains(e.PredicateTypes, pt) && ok(e) {
					found = true
				}
			}
			if !found {
				out = append(out, Violation{Message: "no valid " + pt + " attestation by a trusted signer" + because(problems), Evidence: Evidence{Value: pt}})
			}
		}
		return out
	}}, nil
}

func signerName(e *SignatureEvidence) string {
	if e.Key != "" {
		return "key " + e.Key
	}
	return e.Subject + " (" + e.Issuer + ")"
}

func because(problems []string) string {
	if len(problems) == 0 {
		return ""
	}
	slices.Sort(problems)
	return ": " + strings.Join(slices.Compact(problems), "; ")
}

// NoSecrets denies secrets at or above MinSeverity (all when unknown),
// including those in files a later layer deletes: they are still in the
// image. Messages never show the secret.
//
// Findings in files a package installed are not counted unless Classes
// names their class: result.ClassVendor (an OS package's file, unchanged
// since installation) and result.ClassThirdParty (a language package's).
// The image's own files, and a package's file modified after
// installation, always count.
//
// MinConfidence leaves out findings less sure than it (see
// secrets.Confidence: heuristic, structural, validated).
type NoSecrets struct {
	MinSeverity   result.Severity    `yaml:"min_severity"`
	Classes       []result.Class     `yaml:"classes"`
	MinConfidence secrets.Confidence `yaml:"min_confidence"`
}

// Type implements BuiltinParams.
func (NoSecrets) Type() string { return "no-secrets" }

func (p NoSecrets) compile(ruleName string) (Rule, error) {
	if p.MinSeverity > result.SeverityCritical {
		return nil, fmt.Errorf("%w: severity %d", result.ErrInvalidOption, p.MinSeverity)
	}
	gated := map[result.Class]bool{"": true}
	for _, c := range p.Classes {
		if c != result.ClassVendor && c != result.ClassThirdParty {
			return nil, fmt.Errorf("%w: class %q (want %s or %s)", result.ErrInvalidOption, c, result.ClassVendor, result.ClassThirdParty)
		}
		gated[c] = true
	}
	if p.MinConfidence != "" {
		if _, err := secrets.ParseConfidence(string(p.MinConfidence)); err != nil {
			return nil, err
		}
	}
	desc := "no secrets"
	if p.MinSeverity > result.SeverityUnknown {
		desc = fmt.Sprintf("no secrets of severity %s or above", p.MinSeverity)
	}
	if p.MinConfidence != "" {
		desc += fmt.Sprintf(" of %s confidence or above", p.MinConfidence)
	}
	if len(p.Classes) > 0 {
		desc += fmt.Sprintf(", also in files of class %v", p.Classes)
	}
	return &builtinRule{name: ruleName, desc: desc, eval: func(in *Input) []Violation {
		if in.Secrets == nil {
			return []Violation{MissingEvidence(MissingSecrets, "no secret scan: cannot check for secrets")}
		}
		var out []Violation
		for i := range in.Secrets.Findings {
			f := &in.Secrets.Findings[i]
			if f.Severity < p.MinSeverity || !gated[f.Class] || f.Confidence.Rank() < p.MinConfidence.Rank() {
				continue
			}
			where := f.File
			if f.Line > 0 {
				where = fmt.Sprintf("%s:%d", f.File, f.Line)
			}
			msg := fmt.Sprintf("%s (%s) in %s", f.Description, f.Severity, where)
			if f.Description == "" {
				msg = fmt.Sprintf("%s secret (%s) in %s", f.RuleID, f.Severity, where)
			}
			if f.Layer != "" && !f.Visible {
				msg += ", deleted by a later layer but still in the image"
			}
			switch {
			case f.Class != "":
				msg += fmt.Sprintf(" (%s file of %s)", f.Class, orUnknown(f.Owner))
			case f.Owner != "":
				msg += fmt.Sprintf(" (a file of %s, modified since it was installed)", f.Owner)
			}
			out = append(out, Violation{Message: msg, Evidence: SecretEvidence(f)})
		}
		return out
	}}, nil
}

// NoRoot denies images whose config runs as root: no USER, "root", "0",
// or either with a group.
type NoRoot struct{}

// Type implements BuiltinParams.
func (NoRoot) Type() string { return "no-root" }

func (NoRoot) compile(ruleName string) (Rule, error) {
	return &builtinRule{name: ruleName, desc: "does not run as root", eval: func(in *Input) []Violation {
		if in.Config == nil {
			return []Violation{MissingEvidence(MissingConfig, "no image config: cannot tell the user")}
		}
		u := strings.TrimSpace(in.Config.Config.User)
		user, _, _ := strings.Cut(u, ":")
		if user == "" || user == "root" || user == "0" {
			msg := "the image runs as root"
			if u == "" {
				msg += " (no USER set)"
			} else {
				msg += " (USER " + u + ")"
			}
			return []Violation{{Message: msg, Evidence: Evidence{Value: u}}}
		}
		return nil
	}}, nil
}

// MaxAge denies images created more than Days days before the time the
// input is judged at (Input.Now).
// An image whose creation time is unknown, or is the Unix epoch as
// reproducible builds set it, violates with missing evidence.
type MaxAge struct {
	Days int `yaml:"days"`
}

// Type implements BuiltinParams.
func (MaxAge) Type() string { return "max-age" }

func (p MaxAge) compile(ruleName string) (Rule, error) {
	if p.Days <= 0 {
		return nil, fmt.Errorf("%w: days must be positive", result.ErrInvalidOption)
	}
	limit := time.Duration(p.Days) * 24 * time.Hour
	return &builtinRule{name: ruleName, desc: fmt.Sprintf("created within %d days", p.Days), eval: func(in *Input) []Violation {
		c := in.CreatedAt()
		if c.IsZero() {
			return []Violation{MissingEvidence(MissingCreated, "the image's creation time is unknown: cannot check its age")}
		}
		if c.Unix() <= 86400 {
			return []Violation{MissingEvidence(MissingCreated, "the image's creation time is the Unix epoch (a reproducible build sets it): cannot check its age")}
		}
		age := in.now().Sub(c)
		if age > limit {
			return []Violation{{Message: fmt.Sprintf("the image is %d days old (created %s), more than %d", int(age.Hours()/24), c.UTC().Format(time.DateOnly), p.Days),
				Evidence: Evidence{Value: c.UTC().Format(time.RFC3339)}}}
		}
		return nil
	}}, nil
}

// RequiredLabels requires config labels: each key must be set, and match
// its value when the value is not empty (a regular expression, anchored).
type RequiredLabels struct {
	Labels map[string]string `yaml:"labels"`
}

// Type implements BuiltinParams.
func (RequiredLabels) Type() string { return "required-labels" }

func (p RequiredLabels) compile(ruleName string) (Rule, error) {
	if len(p.Labels) == 0 {
		return nil, fmt.Errorf("%w: labels is empty", result.ErrInvalidOption)
	}
	keys := make([]string, 0, len(p.Labels))
	res := map[string]*regexp.Regexp{}
	for k, v := range p.Labels {
		keys = append(keys, k)
		if v != "" {
			re, err := regexp.Compile("^(?:" + v + ")$")
			if err != nil {
				return nil, fmt.Errorf("%w: label %s: %w", result.ErrInvalidOption, k, err)
			}
			res[k] = re
		}
	}
	slices.Sort(keys)
	return &builtinRule{name: ruleName, desc: "labels " + strings.Join(keys, ", ") + " set", eval: func(in *Input) []Violation {
		if in.Config == nil {
			return []Violation{MissingEvidence(MissingConfig, "no image config: cannot check labels")}
		}
		var out []Violation
		for _, k := range keys {
			v, ok := in.Config.Config.Labels[k]
			switch {
			case !ok || v == "":
				out = append(out, Violation{Message: "label " + k + " is not set", Evidence: Evidence{Value: k}})
			case res[k] != nil && !res[k].MatchString(v):
				out = append(out, Violation{Message: fmt.Sprintf("label %s is %q, which does not match %q", k, v, p.Labels[k]), Evidence: Evidence{Value: k}})
			}
		}
		return out
	}}, nil
}

// Hardening denies the image's hardening findings with the listed check
// ids ("*" for every check) at or above MinSeverity.
type Hardening struct {
	IDs         []string        `yaml:"ids"`
	MinSeverity result.Severity `yaml:"min_severity"`
}

// Type implements BuiltinParams.
func (Hardening) Type() string { return "hardening" }

func (p Hardening) compile(ruleName string) (Rule, error) {
	if len(p.IDs) == 0 {
		return nil, fmt.Errorf("%w: ids is empty (use \"*\" for every check)", result.ErrInvalidOption)
	}
	all := slices.Contains(p.IDs, "*")
	return &builtinRule{name: ruleName, desc: "no hardening findings " + strings.Join(p.IDs, ", "), eval: func(in *Input) []Violation {
		if in.Hardening == nil {
			return []Violation{MissingEvidence(MissingHardening, "no hardening check results: cannot check "+strings.Join(p.IDs, ", "))}
		}
		var out []Violation
		for i := range in.Hardening.Findings {
			h := &in.Hardening.Findings[i]
			if h.Severity < p.MinSeverity || (!all && !slices.Contains(p.IDs, h.ID)) {
				continue
			}
			out = append(out, Violation{Message: fmt.Sprintf("%s: %s", h.ID, h.Title), Evidence: HardeningEvidence(h)})
		}
		return out
	}}, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown package"
	}
	return s
}
