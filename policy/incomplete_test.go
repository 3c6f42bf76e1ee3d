package policy_test

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/policy/policytest"
	"github.com/shipshape-dev/shipshape/result"
)

var errMismatch = errors.New("content does not match its diff_id")

// incompleteInput is a clean image two of whose layers were not read whole.
func incompleteInput() *policy.Input {
	return policytest.New().User("app").
		Incomplete(digest2, "", errMismatch).
		Incomplete(digest, "usr/lib/libc.so.6", io.ErrUnexpectedEOF).
		Input()
}

func TestIncompleteEvidence(t *testing.T) {
	root := mustBuiltin(t, policy.NoRoot{})
	for _, c := range []struct {
		name   string
		opts   []policy.Option
		in     *policy.Input
		action policy.Action // "" when the rule must not appear
		want   policy.Verdict
	}{
		{"deny by default", nil, incompleteInput(), policy.Deny, policy.VerdictDeny},
		{"warn", []policy.Option{policy.WithIncompleteAction(policy.Warn)}, incompleteInput(), policy.Warn, policy.VerdictWarn},
		{"info", []policy.Option{policy.WithIncompleteAction(policy.Info)}, incompleteInput(), policy.Info, policy.VerdictPass},
		{"complete", nil, policytest.New().User("app").Input(), "", policy.VerdictPass},
		// A waiver of every violation of the policy's own rule leaves the
		// incomplete read alone.
		{"waivers do not cover it", []policy.Option{policy.WithWaivers(policy.Waiver{Rule: "no-root", Owner: "a", Reason: "b", Expires: goldenNow.Add(time.Hour)})},
			incompleteInput(), policy.Deny, policy.VerdictDeny},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts := append([]policy.Option{policy.WithRule(root, policy.Deny), policy.WithClock(func() time.Time { return goldenNow })}, c.opts...)
			p, err := policy.New(opts...)
			if err != nil {
				t.Fatal(err)
			}
			d := policytest.Decide(t, p, c.in)
			if d.Verdict != c.want {
				t.Errorf("verdict %s, want %s", d.Verdict, c.want)
			}
			if c.action == "" {
				for _, r := range d.Rules {
					if r.Name == policy.IncompleteRule {
						t.Errorf("rule %s reported for a complete input", r.Name)
					}
				}
				return
			}
			if r := d.Rules[0]; r.Name != policy.IncompleteRule || r.Action != c.action || r.Violations != 2 || r.Waived != 0 || r.Description == "" {
				t.Errorf("first rule %+v", r)
			}
			var vs []policy.Violation
			for _, v := range d.Violations {
				if v.Rule == policy.IncompleteRule {
					vs = append(vs, v)
				}
			}
			if len(vs) != 2 {
				t.Fatalf("%d violations: %+v", len(vs), d.Violations)
			}
			// Sorted by layer: digest (with a path), then digest2.
			want := []struct {
				ev  policy.Evidence
				msg string
			}{
				{policy.Evidence{Missing: policy.MissingLayers, Layer: digest, Path: "usr/lib/libc.so.6"},
					"layer " + result.ShortDigest(digest) + " (at usr/lib/libc.so.6): unexpected EOF: the evidence drawn from it is partial"},
				{policy.Evidence{Missing: policy.MissingLayers, Layer: digest2},
					"layer " + result.ShortDigest(digest2) + ": content does not match its diff_id: the evidence drawn from it is partial"},
			}
			for i, v := range vs {
				if v.Action != c.action || v.Waived != nil || v.Evidence.Missing != want[i].ev.Missing || v.Evidence.Layer != want[i].ev.Layer ||
					v.Evidence.Path != want[i].ev.Path || v.Message != want[i].msg {
					t.Errorf("violation %d: %+v, want %+v %q", i, v, want[i].ev, want[i].msg)
				}
			}
			// The summary counts the policy's own rules, and the
			// incomplete read among the violations.
			if s := d.Summary(); !strings.HasPrefix(s, "policy "+string(c.want)+": 1 rule, ") {
				t.Errorf("summary %q", s)
			}
		})
	}
}

func TestIncompleteOptions(t *testing.T) {
	if _, err := policy.New(policy.WithIncompleteAction("block")); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("bad action: %v", err)
	}
	if _, err := policy.New(policy.WithRule(policy.RuleFunc(policy.IncompleteRule, nil), policy.Deny)); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("reserved rule name: %v", err)
	}
	root := mustBuiltin(t, policy.NoRoot{})
	w := policy.Waiver{Rule: policy.IncompleteRule, Owner: "a", Reason: "b", Expires: goldenNow}
	if _, err := policy.New(policy.WithRule(root, policy.Deny), policy.WithWaivers(w)); !errors.Is(err, policy.ErrInvalidWaiver) {
		t.Errorf("waiver of %s: %v", policy.IncompleteRule, err)
	}
}

func TestLoadIncomplete(t *testing.T) {
	const rules = "rules:\n  - type: no-root\n    action: deny\n"
	for _, c := range []struct {
		name string
		doc  string
		opts []policy.Option
		want policy.Verdict
	}{
		{"default", rules, nil, policy.VerdictDeny},
		{"document says warn", "incomplete: warn\n" + rules, nil, policy.VerdictWarn},
		{"document says info", "incomplete: info\n" + rules, nil, policy.VerdictPass},
		{"document says deny", "incomplete: deny\n" + rules, nil, policy.VerdictDeny},
		{"option overrides the document", "incomplete: warn\n" + rules, []policy.Option{policy.WithIncompleteAction(policy.Deny)}, policy.VerdictDeny},
		{"option without the key", rules, []policy.Option{policy.WithIncompleteAction(policy.Warn)}, policy.VerdictWarn},
		{"JSON", `{"incomplete": "warn", "rules": [{"type": "no-root", "action": "deny"}]}`, nil, policy.VerdictWarn},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := policy.Load([]byte(c.doc), c.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if d := policytest.Decide(t, p, incompleteInput()); d.Verdict != c.want {
				t.Errorf("verdict %s, want %s", d.Verdict, c.want)
			}
		})
	}
	for _, c := range []struct {
		name, doc string
		is        error
		want      string
	}{
		{"unknown action", "incomplete: ignore\n" + rules, policy.ErrInvalidPolicy, "1:13: invalid policy: incomplete: invalid option: action \"ignore\""},
		{"not a scalar", "incomplete: [warn]\n" + rules, policy.ErrInvalidPolicy, "1:13: invalid policy: incomplete: want a scalar"},
		{"waiver of complete-read", rules + "waivers:\n  - rule: complete-read\n    owner: a\n    reason: b\n    expires: 2030-01-01\n",
			policy.ErrInvalidWaiver, "5:5: rule \"waivers[0]\": invalid waiver: rule \"complete-read\" cannot be waived"},
		{"rule named complete-read", "rules:\n  - name: complete-read\n    type: no-root\n    action: deny\n", result.ErrInvalidOption, "rule name \"complete-read\" used twice (or reserved)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := policy.Load([]byte(c.doc))
			var le *policy.LoadError
			if !errors.As(err, &le) || !errors.Is(err, c.is) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want a *LoadError wrapping %v containing %q", err, c.is, c.want)
			}
		})
	}
}

// Incomplete is part of the input's JSON form; Now is not.
func TestInputJSON(t *testing.T) {
	in := policytest.New().Now(goldenNow).Incomplete(digest, "etc/passwd", io.ErrUnexpectedEOF).Input()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"incomplete":[{"layer":"`+digest+`","path":"etc/passwd","error":"unexpected EOF"}]}`; got != want {
		t.Errorf("JSON %s, want %s", got, want)
	}
	var back policy.Input
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Incomplete) != 1 || back.Incomplete[0].Layer != digest || back.Incomplete[0].Err.Error() != "unexpected EOF" || !back.Now.IsZero() {
		t.Errorf("decoded %+v", back)
	}
}
