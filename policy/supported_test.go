package policy_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/policy/policytest"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestSupportedDistro: a release past its end (judged at the input's
// time) is denied; one close to its end warns when asked; an unknown one
// warns (or denies when asked); images without a distribution and
// rolling ones pass.
func TestSupportedDistro(t *testing.T) {
	deb12 := sbom.Distro{ID: "debian", VersionID: "12"} // supported until 2028-06-30 (LTS)
	in := func(d sbom.Distro, now string) *policy.Input {
		return policytest.New().Now(date(now)).Distro(d, date(now)).Input()
	}
	for _, tt := range []struct {
		name   string
		params policy.SupportedDistro
		in     *policy.Input
		action policy.Action // "" for no violation
		msg    string
	}{
		{"supported", policy.SupportedDistro{}, in(deb12, "2028-06-30"), "", ""},
		{"past the end", policy.SupportedDistro{}, in(deb12, "2028-07-01"), policy.Deny, "debian 12 is past its end of support, which ended after 2028-06-30 (endoflife.date as of 2026-08-22)"},
		{"judged at the input's time", policy.SupportedDistro{},
			policytest.New().Now(date("2029-01-01")).Distro(deb12, date("2027-01-01")).Input(), policy.Deny, "past its end of support"},
		{"far from the end", policy.SupportedDistro{WarnWithinDays: 90}, in(deb12, "2028-03-01"), "", ""},
		{"close to the end", policy.SupportedDistro{WarnWithinDays: 90}, in(deb12, "2028-04-02"), policy.Warn, "reaches its end of support after 2028-06-30, in 90 days"},
		{"SUPPORT_END wins", policy.SupportedDistro{}, in(sbom.Distro{ID: "fedora", VersionID: "40", SupportEnd: "2024-05-14"}, "2024-06-01"), policy.Deny, "(os-release SUPPORT_END)"},
		{"unknown release", policy.SupportedDistro{}, in(sbom.Distro{ID: "alpine", VersionID: "3.99.1"}, "2026-01-01"), policy.Warn, "the end of support of alpine 3.99.1 is unknown"},
		{"unknown, denied", policy.SupportedDistro{DenyUnknown: true}, in(sbom.Distro{ID: "alpine", VersionID: "3.99.1"}, "2026-01-01"), policy.Deny, "unknown"},
		{"rolling", policy.SupportedDistro{}, in(sbom.Distro{ID: "wolfi"}, "2040-01-01"), "", ""},
		{"no distribution", policy.SupportedDistro{}, policytest.New().CleanScan().Input(), "", ""},
		{"no scan", policy.SupportedDistro{}, policytest.New().Input(), policy.Deny, "no vulnerability report"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := policy.Builtin("", tt.params)
			if err != nil {
				t.Fatal(err)
			}
			p, err := policy.New(policy.WithRule(r, policy.Deny))
			if err != nil {
				t.Fatal(err)
			}
			d := policytest.Decide(t, p, tt.in)
			if tt.action == "" {
				if len(d.Violations) != 0 {
					t.Fatalf("violations %+v", d.Violations)
				}
				return
			}
			if len(d.Violations) != 1 || d.Violations[0].Action != tt.action || !strings.Contains(d.Violations[0].Message, tt.msg) {
				t.Fatalf("violations %+v, want one %s with %q", d.Violations, tt.action, tt.msg)
			}
		})
	}
	if _, err := policy.Builtin("", policy.SupportedDistro{WarnWithinDays: -1}); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("negative days: %v", err)
	}
}

// TestSupportedDistroDocument: the rule and input.distro in a policy
// document.
func TestSupportedDistroDocument(t *testing.T) {
	doc := `version: 1
rules:
  - name: supported-distro
    type: supported-distro
    action: deny
    warn_within_days: 90
  - name: distro-ending
    action: warn
    expression: input.distro.has_eol && input.distro.status == "supported" && input.distro.days_left < 365
    message: "{{ input.distro.id }} {{ input.distro.version_id }} ends in {{ string(input.distro.days_left) }} days"
`
	p, err := policy.Load([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	deb12 := sbom.Distro{ID: "debian", VersionID: "12"}
	for _, tt := range []struct {
		now     string
		verdict policy.Verdict
		rules   []string
	}{
		{"2026-01-01", policy.VerdictPass, nil},
		{"2027-12-31", policy.VerdictWarn, []string{"distro-ending"}},
		{"2028-06-01", policy.VerdictWarn, []string{"supported-distro", "distro-ending"}},
		{"2028-07-01", policy.VerdictDeny, []string{"supported-distro"}},
	} {
		in := policytest.New().Now(date(tt.now)).Distro(deb12, date(tt.now)).Input()
		d, err := p.Evaluate(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		var rules []string
		for _, v := range d.Violations {
			rules = append(rules, v.Rule)
		}
		if d.Verdict != tt.verdict || strings.Join(rules, ",") != strings.Join(tt.rules, ",") {
			t.Errorf("%s: %s %v, want %s %v", tt.now, d.Verdict, d.Violations, tt.verdict, tt.rules)
		}
	}
	// Without a scan report, input.distro is missing evidence.
	d, err := p.Evaluate(context.Background(), policytest.New().Now(date("2026-01-01")).Input())
	if err != nil || d.Verdict != policy.VerdictDeny {
		t.Errorf("no scan: %v %v", d, err)
	}
}
