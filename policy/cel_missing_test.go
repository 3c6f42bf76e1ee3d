package policy_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/policy/policytest"
	"github.com/shipshape-dev/shipshape/result"
)

// A CEL rule that reads evidence the input lacks reports it missing, as
// the built-in rules do, unless the expression reads input.present.
func TestCELMissingEvidence(t *testing.T) {
	criticals := `input.vulnerabilities.filter(v, v.severity_rank == 4)`
	full := func() *policytest.Builder {
		return policytest.New().Image("ghcr.io/acme/app:1", digest).User("app").Created(goldenNow).
			CleanSBOM().CleanScan().CleanHardening().CleanSecrets().SignedBy("sha256:k")
	}
	for _, c := range []struct {
		name, expr string
		in         *policy.Input
		want       []string // "missing:KIND" or the message
	}{
		{"vulnerabilities without a scan", criticals, policytest.New().CleanSBOM().Input(), []string{"missing:vulnerabilities"}},
		{"vulnerabilities with a clean scan", criticals, policytest.New().CleanScan().Input(), nil},
		{"vulnerabilities with a finding", criticals, policytest.New().Vuln("CVE-1", result.SeverityCritical, curl).Input(), []string{"violates c"}},
		{"guarded by input.present", `!input.present.vulnerabilities || ` + criticals + `.size() > 0`, policytest.New().Input(), []string{"violates c"}},
		{"guarded, with a clean scan", `!input.present.vulnerabilities || ` + criticals + `.size() > 0`, policytest.New().CleanScan().Input(), nil},
		{"packages", `input.packages.exists(p, p.name == "curl")`, policytest.New().Input(), []string{"missing:sbom"}},
		{"hardening", `input.hardening.size() > 0`, policytest.New().CleanScan().Input(), []string{"missing:hardening"}},
		{"secrets", `input.secrets.exists(s, !s.visible)`, policytest.New().Input(), []string{"missing:secrets"}},
		{"signatures", `!input.signatures.exists(s, s.verified)`, policytest.New().Input(), []string{"missing:signatures"}},
		{"labels need the config", `!("team" in input.image.labels)`, policytest.New().Image("ghcr.io/acme/app:1", "").Input(), []string{"missing:config"}},
		{"has() on the config", `!has(input.image.user)`, policytest.New().Input(), []string{"missing:config"}},
		{"registry needs the reference", `input.image.registry != "ghcr.io"`, policytest.New().Config().Input(), []string{"missing:reference"}},
		{"digest", `input.image.digest == ""`, policytest.New().Config().Input(), []string{"missing:digest"}},
		{"created", `input.image.created < timestamp("2020-01-01T00:00:00Z")`, policytest.New().Config().Input(), []string{"missing:created"}},
		{"one violation per absent kind, in order", `input.image.user == "root" || input.secrets.size() > 0 || input.packages.size() > 0`,
			policytest.New().CleanSecrets().Input(), []string{"missing:sbom", "missing:config"}},
		{"all present", `input.image.user == "root" || input.secrets.size() > 0 || input.packages.size() > 0`, full().Input(), nil},
		// The whole input handed on: every kind it holds is read.
		{"input used whole", `[input].exists(i, i.packages.size() > 100)`, full().Input(), nil},
		{"input used whole, without signatures", `[input].exists(i, i.packages.size() > 100)`,
			policytest.New().Image("ghcr.io/acme/app:1", digest).User("app").Created(goldenNow).CleanSBOM().CleanScan().CleanHardening().CleanSecrets().Input(),
			[]string{"missing:signatures"}},
		{"image used whole", `[input.image].size() == 0`, policytest.New().Config().Input(), []string{"missing:reference", "missing:digest", "missing:created"}},
		// References are found in the checked expression, not its text: a
		// string that names a field reads nothing, and an iteration
		// variable named input is not the input.
		{"a string is not a reference", `"input.vulnerabilities" == "x"`, policytest.New().Input(), nil},
		{"shadowed input", `input.packages.exists(input, input.name == "curl")`, policytest.New().Package(curl).Input(), []string{"violates c"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := policy.NewCELRule("c", "", c.expr, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range policytest.Violations(t, r, c.in) {
				if v.Evidence.Missing != "" {
					got = append(got, "missing:"+v.Evidence.Missing)
					if !strings.Contains(v.Message, "cannot evaluate the expression, which reads input") {
						t.Errorf("message %q", v.Message)
					}
					continue
				}
				got = append(got, v.Message)
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// Through a policy, a CEL rule's missing evidence takes the rule's action
// and counts towards the verdict.
func TestCELMissingEvidenceDecides(t *testing.T) {
	doc := `
rules:
  - name: no-criticals
    action: deny
    expression: input.vulnerabilities.exists(v, v.severity_rank == 4)
    message: a critical vulnerability
`
	p, err := policy.Load([]byte(doc), policy.WithClock(func() time.Time { return goldenNow }))
	if err != nil {
		t.Fatal(err)
	}
	d := policytest.Decide(t, p, policytest.New().CleanSBOM().Input())
	if d.Verdict != policy.VerdictDeny || len(d.Violations) != 1 {
		t.Fatalf("%s: %+v", d.Verdict, d.Violations)
	}
	v := d.Violations[0]
	if v.Rule != "no-criticals" || v.Action != policy.Deny || v.Evidence.Missing != policy.MissingVulnerabilities ||
		v.Message != "no vulnerability report: cannot evaluate the expression, which reads input.vulnerabilities" {
		t.Errorf("%+v", v)
	}
	if d := policytest.Decide(t, p, policytest.New().CleanScan().Input()); d.Verdict != policy.VerdictPass {
		t.Errorf("clean scan: %s %+v", d.Verdict, d.Violations)
	}
}
