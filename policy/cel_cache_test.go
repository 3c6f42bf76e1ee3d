package policy

import (
	"context"
	"testing"

	"github.com/shipshape-dev/shipshape/sbom"
)

// The CEL view is built once per evaluation, by the first CEL rule, and
// kept with the evaluation's copy of the input: never in the caller's
// input, never shared with an input a rule makes.
func TestCELViewOncePerEvaluation(t *testing.T) {
	a, err := NewCELRule("a", "", `input.packages.exists(p, p.name == "curl")`, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewCELRule("b", "", `input.packages.size() > 1`, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	var views []*celInput
	var inputs []*Input
	probe := func(name string) Rule {
		return RuleFunc(name, func(_ context.Context, in *Input) ([]Violation, error) {
			inputs = append(inputs, in)
			if in.eval == nil {
				t.Fatalf("%s: the evaluation's input has no evaluation state", name)
			}
			views = append(views, in.eval.cel)
			return nil, nil
		})
	}
	// A Go rule that hands a CEL rule an input of its own making, here
	// without the SBOM: the CEL rule must judge that input, not the view
	// cached for the evaluation's.
	var derived []Violation
	wrapper := RuleFunc("wrapper", func(ctx context.Context, in *Input) ([]Violation, error) {
		c := *in
		c.SBOM = nil
		vs, err := a.Evaluate(ctx, &c)
		derived = vs
		return nil, err
	})
	p, err := New(WithRule(probe("before"), Info), WithRule(a, Deny), WithRule(probe("between"), Info),
		WithRule(wrapper, Info), WithRule(b, Deny), WithRule(probe("after"), Info))
	if err != nil {
		t.Fatal(err)
	}
	in := &Input{SBOM: &sbom.SBOM{Packages: []sbom.Package{{Name: "curl", Type: "deb", Version: "1"}}}}
	d, err := p.Evaluate(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if d.Verdict != VerdictDeny {
		t.Errorf("verdict %s", d.Verdict)
	}
	if views[0] != nil {
		t.Error("a view was built before any CEL rule ran")
	}
	if views[1] == nil || views[2] != views[1] {
		t.Errorf("views %p %p: want one view, built once and reused", views[1], views[2])
	}
	if inputs[0] != inputs[1] || inputs[1] != inputs[2] {
		t.Error("rules saw different inputs")
	}
	if len(derived) != 1 || derived[0].Evidence.Missing != MissingSBOM {
		t.Errorf("a CEL rule over a rule's own input used the cached view: %+v", derived)
	}
	if in.eval != nil {
		t.Error("the caller's input holds evaluation state")
	}
	// A second evaluation builds its own view.
	first := views[1]
	views = nil
	if _, err := p.Evaluate(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if views[1] == nil || views[1] == first {
		t.Errorf("second evaluation's view %p, first's %p: want a view of its own", views[1], first)
	}
}
