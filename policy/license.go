package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/github/go-spdx/v2/spdxexp"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
)

// Licenses checks package licences against SPDX lists.
//
// Each licence a package records is taken as an SPDX expression. With
// Allow set, a package violates unless every one of its expressions can be
// satisfied with allowed licences ("MIT OR GPL-3.0-only" passes when MIT
// is allowed). With Deny set, it violates when one of its expressions
// cannot be satisfied without a denied licence ("MIT OR GPL-3.0-only"
// passes a GPL-3.0-only deny list; "MIT AND GPL-3.0-only" does not).
// A denied licence also denies it with an exception ("GPL-2.0-only"
// denies "GPL-2.0-only WITH Classpath-exception-2.0"). Licence strings
// that are not SPDX expressions (free-text names some
// package databases record) violate an allow list and are compared by
// name, case-insensitively, with a deny list. Packages that record no
// licence pass unless RequireLicense is set.
//
// Expressions are evaluated with github.com/github/go-spdx, which knows
// the SPDX licence list, exceptions and the OR/AND/WITH/+ grammar.
type Licenses struct {
	Allow          []string `yaml:"allow"`
	Deny           []string `yaml:"deny"`
	RequireLicense bool     `yaml:"require_license"`
}

// Type implements BuiltinParams.
func (Licenses) Type() string { return "licenses" }

func (p Licenses) compile(ruleName string) (Rule, error) {
	if len(p.Allow) == 0 && len(p.Deny) == 0 {
		return nil, fmt.Errorf("%w: set allow or deny", result.ErrInvalidOption)
	}
	for _, l := range slices.Concat(p.Allow, p.Deny) {
		if ok, _ := spdxexp.ValidateLicenses([]string{l}); !ok {
			return nil, fmt.Errorf("%w: %q is not an SPDX licence identifier", result.ErrInvalidOption, l)
		}
	}
	desc := "licences allowed"
	if len(p.Allow) == 0 {
		desc = "no denied licences"
	}
	return &builtinRule{name: ruleName, desc: desc, eval: func(in *Input) []Violation {
		if in.SBOM == nil {
			return []Violation{MissingEvidence(MissingSBOM, "no SBOM: cannot check licences")}
		}
		memo := map[string]string{} // expression -> problem ("" when fine)
		var out []Violation
		for i := range in.SBOM.Packages {
			pkg := &in.SBOM.Packages[i]
			if len(pkg.Licenses) == 0 {
				if p.RequireLicense {
					out = append(out, Violation{Message: fmt.Sprintf("%s %s records no licence", pkg.Name, pkg.Version),
						Evidence: PackageEvidence(pkg)})
				}
				continue
			}
			for _, l := range pkg.Licenses {
				problem, ok := memo[l]
				if !ok {
					problem = p.check(l)
					memo[l] = problem
				}
				if problem != "" {
					out = append(out, Violation{Message: fmt.Sprintf("%s %s: %s", pkg.Name, pkg.Version, problem),
						Evidence: licenceEvidence(pkg, l)})
				}
			}
		}
		return out
	}}, nil
}

// check returns what is wrong with one licence expression, or "".
func (p Licenses) check(expr string) string {
	lics, err := spdxexp.ExtractLicenses(expr)
	if err != nil {
		if len(p.Allow) > 0 {
			return fmt.Sprintf("licence %q is not an SPDX expression, so it cannot be shown to be allowed", expr)
		}
		for _, d := range p.Deny {
			if strings.EqualFold(strings.TrimSpace(expr), d) {
				return fmt.Sprintf("licence %s is denied", expr)
			}
		}
		return ""
	}
	if len(p.Allow) > 0 {
		if ok, err := spdxexp.Satisfies(expr, p.Allow); err != nil || !ok {
			return fmt.Sprintf("licence %s is not allowed", expr)
		}
	}
	if len(p.Deny) > 0 {
		var rest []string
		for _, l := range lics {
			if !slices.ContainsFunc(p.Deny, func(d string) bool { return licenceIs(l, d) }) {
				rest = append(rest, l)
			}
		}
		if len(rest) == len(lics) {
			return ""
		}
		if len(rest) == 0 {
			return fmt.Sprintf("licence %s is denied", expr)
		}
		if ok, err := spdxexp.Satisfies(expr, rest); err != nil || !ok {
			return fmt.Sprintf("licence %s cannot be met without a denied licence", expr)
		}
	}
	return ""
}

// licenceIs compares an extracted licence ("GPL-2.0-only WITH
// Classpath-exception-2.0" or "Apache-2.0") with a listed one: equal, or
// the same licence before its exception.
func licenceIs(l, listed string) bool {
	if strings.EqualFold(l, listed) {
		return true
	}
	base, _, ok := strings.Cut(l, " WITH ")
	return ok && strings.EqualFold(strings.TrimSpace(base), listed)
}

// licenceEvidence points at a package and the licence at issue.
func licenceEvidence(pkg *sbom.Package, licence string) Evidence {
	ev := PackageEvidence(pkg)
	ev.Value = licence
	return ev
}
