package policy_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/policy/policytest"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/scan"
)

// Evaluate judges the evidence at the input's Now when the caller set it,
// else at the policy's clock, always in UTC; rules see it as in.Now on a
// copy, and the caller's input is left alone.
func TestEvaluateNow(t *testing.T) {
	clock := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	zone := time.FixedZone("UTC+2", 2*60*60)
	given := time.Date(2026, 3, 1, 14, 0, 0, 0, zone)
	for _, c := range []struct {
		name string
		now  time.Time // the caller's Input.Now
		want time.Time
	}{
		{"policy clock", time.Time{}, clock},
		{"caller's time wins", given, given.UTC()},
	} {
		t.Run(c.name, func(t *testing.T) {
			var seen time.Time
			var seenIn *policy.Input
			rule := policy.RuleFunc("clock", func(_ context.Context, in *policy.Input) ([]policy.Violation, error) {
				seen, seenIn = in.Now, in
				return nil, nil
			})
			p, err := policy.New(policy.WithRule(rule, policy.Deny), policy.WithClock(func() time.Time { return clock.In(zone) }))
			if err != nil {
				t.Fatal(err)
			}
			in := policytest.New().Now(c.now).Input()
			d := policytest.Decide(t, p, in)
			if !seen.Equal(c.want) || seen.Location() != time.UTC {
				t.Errorf("rule saw %v, want %v in UTC", seen, c.want)
			}
			if !d.EvaluatedAt.Equal(c.want) || d.EvaluatedAt.Location() != time.UTC {
				t.Errorf("EvaluatedAt %v, want %v in UTC", d.EvaluatedAt, c.want)
			}
			if seenIn == in {
				t.Error("the rule was given the caller's input, not a copy")
			}
			if in.Now != c.now {
				t.Errorf("the caller's input was modified: Now %v", in.Now)
			}
		})
	}
}

// The built-in rules judge ages and expiry at the input's Now, not at the
// wall clock or the policy's clock.
func TestBuiltinsReadInputNow(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	t.Run("max-age", func(t *testing.T) {
		r := mustBuiltin(t, policy.MaxAge{Days: 30})
		in := policytest.New().Created(now.AddDate(0, 0, -10)).Now(now).Input()
		vs, err := r.Evaluate(context.Background(), in) // outside a policy: in.Now alone decides
		if err != nil || len(vs) != 0 {
			t.Errorf("10 days old at in.Now: %v %v", vs, err)
		}
		in.Now = now.AddDate(0, 0, 40)
		if vs, _ := r.Evaluate(context.Background(), in); len(vs) != 1 || !strings.Contains(vs[0].Message, "50 days old") {
			t.Errorf("50 days old at in.Now: %v", vs)
		}
		// Through a policy whose clock says otherwise, the input's Now wins.
		p, err := policy.New(policy.WithRule(r, policy.Deny), policy.WithClock(func() time.Time { return now }))
		if err != nil {
			t.Fatal(err)
		}
		if d := policytest.Decide(t, p, in); d.Verdict != policy.VerdictDeny {
			t.Errorf("verdict %s", d.Verdict)
		}
	})
	t.Run("max-severity age filters", func(t *testing.T) {
		in := policytest.New().Now(now).
			Finding(scan.Finding{ID: "CVE-NEW", Severity: result.SeverityCritical, Published: now.AddDate(0, 0, -2)}, curl).
			Finding(scan.Finding{ID: "CVE-OLD", Severity: result.SeverityCritical, Published: now.AddDate(0, 0, -400)}, curl).
			Input()
		runRuleCases(t, policy.MaxSeverity{Max: result.SeverityHigh, IgnoreNewerThanDays: 7}, []ruleCase{{"grace period", in, []string{"CVE-OLD"}}})
		runRuleCases(t, policy.MaxSeverity{Max: result.SeverityHigh, IgnoreOlderThanDays: 365}, []ruleCase{{"recent only", in, []string{"CVE-NEW"}}})
	})
	t.Run("waiver expiry", func(t *testing.T) {
		w := policy.Waiver{Rule: "no-root", Owner: "a", Reason: "b", Expires: now}
		p, err := policy.New(policy.WithRule(mustBuiltin(t, policy.NoRoot{}), policy.Deny), policy.WithWaivers(w),
			policy.WithClock(func() time.Time { return now.AddDate(0, 0, -1) }))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			at   time.Time
			want policy.Verdict
		}{
			{time.Time{}, policy.VerdictPass},         // the policy's clock: the day before expiry
			{now.Add(-time.Hour), policy.VerdictPass}, // the input's Now: still valid
			{now, policy.VerdictDeny},                 // the input's Now: expired
		} {
			if d := policytest.Decide(t, p, policytest.New().User("root").Now(c.at).Input()); d.Verdict != c.want {
				t.Errorf("at %v: %s, want %s", c.at, d.Verdict, c.want)
			}
		}
	})
}
