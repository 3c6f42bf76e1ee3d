package policy

import (
	"fmt"
	"strings"
	"time"
)

// WaiverRule is the name of the rule under which expired waivers are
// reported.
const WaiverRule = "waivers"

// Waiver excuses the violations in its scope until it expires. A waived
// violation stays in the decision, marked waived, and does not count
// towards the verdict.
//
// The scope is the conjunction of the fields that are set; at least one of
// Rule, Vulnerability and Package must be.
type Waiver struct {
	// Rule is the name of the rule whose violations it covers. It may not
	// be IncompleteRule: an incomplete read is never waived.
	Rule string `json:"rule,omitempty"`
	// Vulnerability is a vulnerability id; it matches a violation's
	// finding id or any of its aliases, case-insensitively.
	Vulnerability string `json:"vulnerability,omitempty"`
	// Package is a package pattern (see ParsePackagePattern) over the
	// violation's package.
	Package string `json:"package,omitempty"`
	// Image is a pattern over the image reference ('*' matches any run
	// of characters), or a manifest digest.
	Image string `json:"image,omitempty"`
	// Owner is who answers for the exception; Reason says why it is
	// acceptable. Both are required.
	Owner  string `json:"owner"`
	Reason string `json:"reason"`
	// Expires is when the waiver stops applying. The zero time means
	// never, which a policy accepts only with WithPermanentWaivers.
	Expires time.Time `json:"expires,omitzero"`
}

type compiledWaiver struct {
	Waiver
	index int
	pkg   *PackagePattern
}

func compileWaiver(w Waiver, i int, allowPermanent bool) (compiledWaiver, error) {
	cw := compiledWaiver{Waiver: w, index: i}
	if w.Rule == IncompleteRule {
		return cw, fmt.Errorf("%w: rule %q cannot be waived (an incomplete read is judged by its action: WithIncompleteAction, or the policy's incomplete key)", ErrInvalidWaiver, IncompleteRule)
	}
	if w.Rule == "" && w.Vulnerability == "" && w.Package == "" {
		return cw, fmt.Errorf("%w: no scope: set at least one of rule, vulnerability and package", ErrInvalidWaiver)
	}
	if strings.TrimSpace(w.Owner) == "" || strings.TrimSpace(w.Reason) == "" {
		return cw, fmt.Errorf("%w: owner and reason are required", ErrInvalidWaiver)
	}
	if w.Expires.IsZero() && !allowPermanent {
		return cw, fmt.Errorf("%w: no expiry, and the policy does not allow permanent waivers", ErrInvalidWaiver)
	}
	if w.Package != "" {
		p, err := ParsePackagePattern(w.Package)
		if err != nil {
			return cw, fmt.Errorf("%w: %w", ErrInvalidWaiver, err)
		}
		cw.pkg = &p
	}
	return cw, nil
}

// describe names the waiver in messages.
func (w *compiledWaiver) describe() string {
	var parts []string
	for _, kv := range [][2]string{{"rule", w.Rule}, {"vulnerability", w.Vulnerability}, {"package", w.Package}, {"image", w.Image}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+" "+kv[1])
		}
	}
	return strings.Join(parts, ", ")
}

// covers reports whether the waiver's scope includes v for the image ref
// with digest.
func (w *compiledWaiver) covers(v *Violation, ref, digest string) bool {
	if w.Rule != "" && w.Rule != v.Rule {
		return false
	}
	if w.Vulnerability != "" && !matchID(w.Vulnerability, v.Evidence.Finding, v.Evidence.Aliases) {
		return false
	}
	if w.pkg != nil && (v.Evidence.Package == "" || !w.pkg.MatchPURL(v.Evidence.Package)) {
		return false
	}
	if w.Image != "" {
		switch {
		case strings.HasPrefix(w.Image, "sha256:"):
			if !strings.EqualFold(w.Image, digest) {
				return false
			}
		case ref == "" || !glob(strings.ToLower(w.Image), strings.ToLower(ref)):
			return false
		}
	}
	return true
}

func matchID(want, id string, aliases []string) bool {
	if want == "" {
		return true
	}
	if strings.EqualFold(want, id) {
		return true
	}
	for _, a := range aliases {
		if strings.EqualFold(want, a) {
			return true
		}
	}
	return false
}
