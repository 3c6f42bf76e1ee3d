package policy

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shipshape-dev/shipshape/result"
)

// SchemaVersion is the version of the JSON form of Decision.
const SchemaVersion = "1"

// Verdict is the outcome of a policy evaluation.
type Verdict string

// The verdicts.
const (
	// VerdictPass: no violation of a deny or warn rule that is not waived.
	VerdictPass Verdict = "pass"
	// VerdictWarn: violations of warn rules, none of deny rules.
	VerdictWarn Verdict = "warn"
	// VerdictDeny: at least one violation of a deny rule that is not
	// waived. The image must not ship.
	VerdictDeny Verdict = "deny"
)

// Decision is the outcome of evaluating a policy over an input.
type Decision struct {
	SchemaVersion string  `json:"schema_version"`
	Verdict       Verdict `json:"verdict"`
	// Image and Digest name what was evaluated, when the input says.
	Image  string `json:"image,omitempty"`
	Digest string `json:"digest,omitempty"`
	// EvaluatedAt is the time the evidence was judged at: the input's Now
	// when the caller set it, else the policy's clock at evaluation, in
	// UTC. Waivers expire and images age against it.
	EvaluatedAt time.Time `json:"evaluated_at"`
	// Rules lists every rule evaluated, in policy order, with its counts.
	// When the input is incomplete, the rule IncompleteRule under which
	// its unread layers are reported comes first; when the policy has
	// waivers, the rule WaiverRule under which expired ones are reported
	// comes last.
	Rules []RuleResult `json:"rules"`
	// Violations are ordered by rule (in policy order), then evidence.
	Violations []Violation `json:"violations"`
}

// RuleResult summarises one rule's outcome.
type RuleResult struct {
	Name        string `json:"name"`
	Action      Action `json:"action"`
	Description string `json:"description,omitempty"`
	// Violations counts all its violations, Waived those waived.
	Violations int `json:"violations"`
	Waived     int `json:"waived,omitempty"`
}

// Active returns the violations that no waiver covers.
func (d *Decision) Active() []Violation {
	var out []Violation
	for _, v := range d.Violations {
		if v.Waived == nil {
			out = append(out, v)
		}
	}
	return out
}

// Describer is implemented by rules that can say in a sentence what they
// check; the description appears in the decision's rule list and in
// JUnit and SARIF output.
type Describer interface {
	Description() string
}

// Policy is a set of rules with actions, and waivers. It is immutable
// and safe for concurrent use.
type Policy struct {
	rules      []boundRule
	waivers    []compiledWaiver
	now        func() time.Time
	incomplete Action
}

type boundRule struct {
	rule   Rule
	action Action
}

// Option configures New and Load.
type Option func(*options) error

type options struct {
	rules          []boundRule
	waivers        []Waiver
	allowPermanent bool
	now            func() time.Time
	celCostLimit   uint64
	sourceName     string
	// incomplete is the action of IncompleteRule; incompleteSet says an
	// option chose it (it then wins over a document's key).
	incomplete    Action
	incompleteSet bool
}

// WithRule adds a rule with its action. Rules are evaluated, and their
// violations reported, in the order they are added; names must be unique.
func WithRule(r Rule, a Action) Option {
	return func(o *options) error {
		if r == nil {
			return fmt.Errorf("%w: nil rule", result.ErrInvalidOption)
		}
		if _, err := ParseAction(string(a)); err != nil {
			return fmt.Errorf("rule %q: %w", r.Name(), err)
		}
		o.rules = append(o.rules, boundRule{rule: r, action: a})
		return nil
	}
}

// WithWaivers adds waivers.
func WithWaivers(w ...Waiver) Option {
	return func(o *options) error {
		o.waivers = append(o.waivers, w...)
		return nil
	}
}

// WithPermanentWaivers accepts waivers without an expiry date.
func WithPermanentWaivers() Option {
	return func(o *options) error {
		o.allowPermanent = true
		return nil
	}
}

// WithClock sets the clock that waiver expiry and image age are judged
// against (default time.Now), so that decisions are reproducible. An
// input whose Now is set is judged at that time instead.
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return fmt.Errorf("%w: nil clock", result.ErrInvalidOption)
		}
		o.now = now
		return nil
	}
}

// WithIncompleteAction sets the action of the violations Evaluate reports,
// under the rule IncompleteRule, for the layers an input lists as
// incomplete (Input.Incomplete): Deny (the default, so that a gate fails
// closed on evidence it could not read whole), Warn or Info. Given to Load
// or LoadFile, it overrides the document's incomplete key.
func WithIncompleteAction(a Action) Option {
	return func(o *options) error {
		if _, err := ParseAction(string(a)); err != nil {
			return fmt.Errorf("incomplete action: %w", err)
		}
		o.incomplete, o.incompleteSet = a, true
		return nil
	}
}

// WithCELCostLimit bounds the cost of evaluating each CEL rule of a
// loaded policy (default DefaultCELCostLimit). A policy document's own
// cel_cost_limit, when lower, wins.
func WithCELCostLimit(limit uint64) Option {
	return func(o *options) error {
		if limit == 0 {
			return fmt.Errorf("%w: CEL cost limit must be positive", result.ErrInvalidOption)
		}
		o.celCostLimit = limit
		return nil
	}
}

// New builds a policy of Go rules.
func New(opts ...Option) (*Policy, error) {
	o, err := buildOptions(opts)
	if err != nil {
		return nil, err
	}
	return newPolicy(o)
}

func buildOptions(opts []Option) (*options, error) {
	o := &options{now: time.Now, celCostLimit: DefaultCELCostLimit, incomplete: Deny}
	for _, opt := range opts {
		if err := opt(o); err != nil {
			return nil, err
		}
	}
	return o, nil
}

func newPolicy(o *options) (*Policy, error) {
	p := &Policy{rules: o.rules, now: o.now, incomplete: o.incomplete}
	seen := map[string]bool{WaiverRule: true, IncompleteRule: true}
	for _, r := range o.rules {
		n := r.rule.Name()
		if n == "" || strings.TrimSpace(n) != n {
			return nil, fmt.Errorf("%w: rule name %q", result.ErrInvalidOption, n)
		}
		if seen[n] {
			return nil, fmt.Errorf("%w: rule name %q used twice (or reserved)", result.ErrInvalidOption, n)
		}
		seen[n] = true
	}
	for i, w := range o.waivers {
		cw, err := compileWaiver(w, i, o.allowPermanent)
		if err != nil {
			return nil, fmt.Errorf("waiver %d (%s): %w", i, w.Owner, err)
		}
		if cw.Rule != "" && !seen[cw.Rule] {
			return nil, fmt.Errorf("waiver %d: %w: rule %q is not in the policy", i, ErrInvalidWaiver, cw.Rule)
		}
		p.waivers = append(p.waivers, cw)
	}
	return p, nil
}

// RuleNames lists the policy's rules in evaluation order.
func (p *Policy) RuleNames() []string {
	out := make([]string, len(p.rules))
	for i, r := range p.rules {
		out[i] = r.rule.Name()
	}
	return out
}

// Evaluate runs every rule over in, applies the waivers and returns the
// decision. An error means a rule could not be evaluated (a *RuleError)
// or ctx ended; violations are never errors.
//
// The rules see a shallow copy of in whose Now is in.Now when set, else
// the policy's clock, in UTC; in itself is never modified. When
// in.Incomplete lists layers, each is a violation of IncompleteRule, with
// the action WithIncompleteAction set (deny by default); no waiver covers
// them.
func (p *Policy) Evaluate(ctx context.Context, in *Input) (*Decision, error) {
	var ev Input
	if in != nil {
		ev = *in
	}
	if ev.Now.IsZero() {
		ev.Now = p.now()
	}
	ev.Now = ev.Now.UTC()
	ev.eval = &evaluation{in: &ev}
	now := ev.Now
	ref, digest := ev.ImageReference(), ev.ImageDigest()
	d := &Decision{SchemaVersion: SchemaVersion, Image: ref, Digest: digest, EvaluatedAt: now,
		Rules: make([]RuleResult, 0, len(p.rules)+2), Violations: []Violation{}}
	if len(ev.Incomplete) > 0 {
		vs := incompleteViolations(ev.Incomplete)
		sortViolations(vs)
		for i := range vs {
			vs[i].Rule, vs[i].Action = IncompleteRule, p.incomplete
		}
		d.Rules = append(d.Rules, RuleResult{Name: IncompleteRule, Action: p.incomplete,
			Description: incompleteDescription, Violations: len(vs)})
		d.Violations = append(d.Violations, vs...)
	}
	for _, br := range p.rules {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name := br.rule.Name()
		vs, err := br.rule.Evaluate(ctx, &ev)
		if err != nil {
			return nil, &RuleError{Rule: name, Err: err}
		}
		rr := RuleResult{Name: name, Action: br.action, Violations: len(vs)}
		if ds, ok := br.rule.(Describer); ok {
			rr.Description = ds.Description()
		}
		sortViolations(vs)
		for i := range vs {
			v := &vs[i]
			v.Rule, v.Action = name, weaker(br.action, v.Action)
			for wi := range p.waivers {
				w := &p.waivers[wi]
				if w.covers(v, ref, digest) && (w.Expires.IsZero() || now.Before(w.Expires)) {
					v.Waived = &Waived{Owner: w.Owner, Reason: w.Reason, Expires: w.Expires}
					rr.Waived++
					break
				}
			}
		}
		d.Rules = append(d.Rules, rr)
		d.Violations = append(d.Violations, vs...)
	}
	if len(p.waivers) > 0 {
		rr := RuleResult{Name: WaiverRule, Action: Warn, Description: "waivers must not have expired"}
		for wi := range p.waivers {
			w := &p.waivers[wi]
			if w.Expires.IsZero() || now.Before(w.Expires) {
				continue
			}
			n := 0
			for i := range d.Violations {
				if v := &d.Violations[i]; v.Waived == nil && v.Rule != IncompleteRule && w.covers(v, ref, digest) {
					n++
				}
			}
			msg := fmt.Sprintf("waiver for %s (owner %s) expired on %s", w.describe(), w.Owner, w.Expires.UTC().Format(time.DateOnly))
			if n > 0 {
				msg += "; it no longer covers " + plural(n, "violation")
			}
			d.Violations = append(d.Violations, Violation{Rule: WaiverRule, Action: Warn, Message: msg,
				Evidence: Evidence{Finding: w.Vulnerability, Package: w.Package, Value: fmt.Sprintf("waivers[%d]", w.index)}})
			rr.Violations++
		}
		d.Rules = append(d.Rules, rr)
	}
	d.Verdict = VerdictPass
	for _, v := range d.Violations {
		if v.Waived != nil {
			continue
		}
		switch v.Action {
		case Deny:
			d.Verdict = VerdictDeny
		case Warn:
			if d.Verdict == VerdictPass {
				d.Verdict = VerdictWarn
			}
		}
	}
	return d, nil
}

// sortViolations orders one rule's violations: missing evidence first,
// then by finding, package, layer, path, line, value and message.
func sortViolations(vs []Violation) {
	slices.SortStableFunc(vs, func(a, b Violation) int {
		ea, eb := &a.Evidence, &b.Evidence
		if ma, mb := ea.Missing != "", eb.Missing != ""; ma != mb {
			if ma {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(ea.Missing, eb.Missing), cmp.Compare(ea.Finding, eb.Finding),
			cmp.Compare(ea.Package, eb.Package), cmp.Compare(ea.Layer, eb.Layer), cmp.Compare(ea.Path, eb.Path),
			cmp.Compare(ea.Line, eb.Line), cmp.Compare(ea.Value, eb.Value), cmp.Compare(a.Message, b.Message))
	})
}
