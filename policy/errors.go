package policy

import (
	"errors"
	"fmt"
)

// Errors callers can test for with errors.Is.
var (
	// ErrInvalidPolicy is returned by Load for a policy document that does
	// not parse or names an unknown rule type, action or parameter. The
	// error is a *LoadError naming the position and the rule.
	ErrInvalidPolicy = errors.New("invalid policy")
	// ErrInvalidExpression is returned for a CEL expression or message
	// template that does not compile.
	ErrInvalidExpression = errors.New("invalid CEL expression")
	// ErrCostLimit is returned when a CEL rule's evaluation exceeds its
	// cost limit.
	ErrCostLimit = errors.New("CEL cost limit exceeded")
	// ErrInvalidWaiver is returned for a waiver without scope, owner,
	// reason, or (unless the policy allows permanent waivers) expiry.
	ErrInvalidWaiver = errors.New("invalid waiver")
	// ErrInvalidPattern is returned for a package or image pattern that
	// does not parse.
	ErrInvalidPattern = errors.New("invalid pattern")
	// ErrEvidence is returned by ReadSignatureEvidence for a document that
	// is not signature evidence.
	ErrEvidence = errors.New("invalid signature evidence")
)

// LoadError locates a problem in a policy document. It wraps
// ErrInvalidPolicy, ErrInvalidExpression, ErrInvalidPattern or
// ErrInvalidWaiver.
type LoadError struct {
	// File is the document's name, when it was read from a file.
	File string
	// Line and Column are 1-based; zero when unknown.
	Line, Column int
	// Rule names the rule (or "waivers[i]") the problem is in; empty for
	// the document as a whole.
	Rule string
	// Err is the cause.
	Err error
}

// Error implements error.
func (e *LoadError) Error() string {
	pos := e.File
	if e.Line > 0 {
		if pos != "" {
			pos += ":"
		}
		pos += fmt.Sprintf("%d:%d", e.Line, e.Column)
	}
	msg := e.Err.Error()
	if e.Rule != "" {
		msg = fmt.Sprintf("rule %q: %s", e.Rule, msg)
	}
	if pos != "" {
		msg = pos + ": " + msg
	}
	return msg
}

// Unwrap returns the cause.
func (e *LoadError) Unwrap() error { return e.Err }

// RuleError is returned by Evaluate when a rule fails to evaluate (as
// opposed to finding violations). It wraps the rule's error.
type RuleError struct {
	Rule string
	Err  error
}

// Error implements error.
func (e *RuleError) Error() string { return fmt.Sprintf("rule %q: %v", e.Rule, e.Err) }

// Unwrap returns the cause.
func (e *RuleError) Unwrap() error { return e.Err }
