package policy

import (
	"context"
	"fmt"
	"time"

	"github.com/shipshape-dev/shipshape/result"
)

// Action is what a violation of a rule does to the verdict.
type Action string

// The actions, from strongest to weakest.
const (
	// Deny makes the verdict deny.
	Deny Action = "deny"
	// Warn makes the verdict warn, unless something denies.
	Warn Action = "warn"
	// Info is reported and changes nothing.
	Info Action = "info"
)

// weaker returns the weaker of two actions; an empty one does not count.
func weaker(a, b Action) Action {
	rank := map[Action]int{Deny: 3, Warn: 2, Info: 1}
	if b == "" || rank[a] <= rank[b] {
		return a
	}
	return b
}

// ParseAction checks an action name.
func ParseAction(s string) (Action, error) {
	switch a := Action(s); a {
	case Deny, Warn, Info:
		return a, nil
	}
	return "", fmt.Errorf("%w: action %q (want deny, warn or info)", result.ErrInvalidOption, s)
}

// Rule is one check of a policy. Teams write their own as Go types (or
// with RuleFunc) and test them with plain go test and policytest.
//
// Evaluate returns the violations it finds in the input, each with a
// message and evidence; the policy fills in the rule's name and action.
// A rule that needs evidence the input lacks returns a violation whose
// Evidence.Missing names it (see MissingEvidence). An error means the rule
// could not be evaluated and fails the whole evaluation.
//
// A rule must not modify the input. A rule that judges ages or dates
// reads in.Now, the time the evidence is judged at, which Policy.Evaluate
// sets from the caller's input or the policy's clock; it must not read
// time.Now, so that decisions are reproducible. The conversions
// VulnerabilityEvidence, SecretEvidence, HardeningEvidence and
// PackageEvidence give a violation the evidence the built-in rules give
// it.
type Rule interface {
	Name() string
	Evaluate(ctx context.Context, in *Input) ([]Violation, error)
}

// RuleFunc makes a Rule of a name and a function.
func RuleFunc(name string, f func(ctx context.Context, in *Input) ([]Violation, error)) Rule {
	return funcRule{name: name, f: f}
}

type funcRule struct {
	name string
	f    func(context.Context, *Input) ([]Violation, error)
}

func (r funcRule) Name() string { return r.name }
func (r funcRule) Evaluate(ctx context.Context, in *Input) ([]Violation, error) {
	return r.f(ctx, in)
}

// Violation is one breach of a rule.
type Violation struct {
	// Rule and Action are filled in by the policy: Action is the rule's
	// action, or the one the rule set on the violation when that is weaker
	// (a rule may soften some of its violations, never harden them).
	Rule   string `json:"rule"`
	Action Action `json:"action"`
	// Message says in a sentence what is wrong.
	Message string `json:"message"`
	// Evidence points at what the rule saw.
	Evidence Evidence `json:"evidence"`
	// Waived is set when a waiver covers the violation; it then does not
	// count towards the verdict.
	Waived *Waived `json:"waived,omitempty"`
}

// Evidence points at the finding, package, layer or file a violation is
// about. Only the fields that apply are set; secret values never appear.
type Evidence struct {
	// Missing names the kind of evidence the rule needed and the input
	// lacked: one of the Missing constants.
	Missing string `json:"missing,omitempty"`
	// Finding is the id of the vulnerability, hardening check or secret
	// rule; Aliases are the vulnerability's other ids.
	Finding string   `json:"finding,omitempty"`
	Aliases []string `json:"aliases,omitempty"`
	// Severity is the finding's severity.
	Severity result.Severity `json:"severity,omitzero"`
	// Package is the package's purl (or type/name@version when it has
	// none).
	Package string `json:"package,omitempty"`
	// Layer is the diffID of the layer the package or file is in.
	Layer string `json:"layer,omitempty"`
	// Path is the file, and Line its line, where it applies.
	Path string `json:"path,omitempty"`
	Line int    `json:"line,omitempty"`
	// Value is the offending value: a licence, registry, user or label.
	Value string `json:"value,omitempty"`
}

// Kinds of evidence a rule can find missing.
const (
	MissingSBOM            = "sbom"
	MissingVulnerabilities = "vulnerabilities"
	MissingHardening       = "hardening"
	MissingSecrets         = "secrets"
	MissingSignatures      = "signatures"
	MissingConfig          = "config"
	MissingReference       = "reference"
	MissingDigest          = "digest"
	MissingCreated         = "created"
	MissingLabel           = "label"
	// MissingExploitation: the scan report was made without the KEV
	// catalog or the EPSS scores a rule needs (scan.DBInfo.Exploitation).
	MissingExploitation = "exploitation"
	// MissingLayers: layers of the image could not be read whole or did
	// not match their diff_id (Input.Incomplete), so every kind of
	// evidence drawn from them is partial.
	MissingLayers = "layers"
)

// MissingEvidence returns the violation a rule reports when the input
// lacks the evidence it needs.
func MissingEvidence(kind, message string) Violation {
	return Violation{Message: message, Evidence: Evidence{Missing: kind}}
}

// Waived records the waiver that covers a violation.
type Waived struct {
	Owner   string    `json:"owner"`
	Reason  string    `json:"reason"`
	Expires time.Time `json:"expires,omitzero"`
}
