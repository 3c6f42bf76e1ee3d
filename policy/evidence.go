package policy

import (
	"net/url"

	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/secrets"
)

// The conversions from findings to violation evidence. The built-in
// rules, CEL rules and users' Go rules all use them, so that a finding
// points at the same package, layer and file whichever rule reports it
// (and a waiver scoped by package or vulnerability covers it alike).

// VulnerabilityEvidence is the evidence of a vulnerability finding: its
// id, aliases and severity, and its package's purl (type/name@version
// when the finding carries none), layer and location.
func VulnerabilityEvidence(f *scan.Finding) Evidence {
	return Evidence{Finding: f.ID, Aliases: f.Aliases, Severity: f.Severity, Package: findingPURL(f),
		Layer: f.Package.Layer, Path: f.Package.Location}
}

// SecretEvidence is the evidence of a secret finding: the rule that found
// it, its severity, its layer, file and line, and its fingerprint as the
// value. The secret itself never appears.
func SecretEvidence(f *secrets.Finding) Evidence {
	return Evidence{Finding: f.RuleID, Severity: f.Severity, Layer: f.Layer, Path: f.File, Line: f.Line, Value: f.Fingerprint}
}

// HardeningEvidence is the evidence of a hardening finding: the check,
// its severity, the file and layer it is about, and as the value the
// first that is set of the environment variable, label, port, user,
// command and detail it names.
func HardeningEvidence(f *harden.Finding) Evidence {
	return Evidence{Finding: f.ID, Severity: f.Severity, Layer: f.Evidence.Layer, Path: f.Evidence.Path,
		Value: hardeningValue(&f.Evidence)}
}

// PackageEvidence is the evidence of a package: its purl (type/name@version
// when it has none), layer and location.
func PackageEvidence(p *sbom.Package) Evidence {
	return Evidence{Package: packagePURL(p), Layer: p.Layer, Path: p.Location}
}

// packagePURL returns a package's purl, or one made of its type, name and
// version when it has none.
func packagePURL(pkg *sbom.Package) string {
	if pkg.PURL != "" {
		return pkg.PURL
	}
	return purlOf(pkg.Type, pkg.Name, pkg.Version)
}

// findingPURL returns the purl of a finding's package, or one made of its
// type, name and version when it has none.
func findingPURL(f *scan.Finding) string {
	if f.Package.PURL != "" {
		return f.Package.PURL
	}
	return purlOf(f.Package.Type, f.Package.Name, f.Package.Version)
}

func purlOf(typ, name, version string) string {
	return "pkg:" + typ + "/" + url.PathEscape(name) + "@" + url.PathEscape(version)
}

// hardeningValue is the value a hardening finding is about.
func hardeningValue(e *harden.Evidence) string {
	for _, v := range []string{e.EnvKey, e.Label, e.Port, e.User, e.Command, e.Detail} {
		if v != "" {
			return v
		}
	}
	return ""
}
