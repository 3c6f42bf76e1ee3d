package result

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Severity ranks findings: SeverityUnknown < SeverityNegligible <
// SeverityLow < SeverityMedium < SeverityHigh < SeverityCritical. The zero
// value is SeverityUnknown: no rating, which is not a low one (gates decide
// what to do with unrated findings on their own; see policy.MaxSeverity).
// SeverityNegligible is what a distribution says of an issue it does not
// consider a security problem in its package (Debian's "unimportant",
// Ubuntu's "negligible"). It encodes to JSON and text as the lower-case
// name ("high").
type Severity uint8

// The severities, in increasing order.
const (
	SeverityUnknown Severity = iota
	SeverityNegligible
	SeverityLow
	SeverityMedium
	SeverityHigh
	SeverityCritical
)

var severityNames = [...]string{"unknown", "negligible", "low", "medium", "high", "critical"}

// String returns the lower-case name of s.
func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("severity(%d)", uint8(s))
}

// ParseSeverity reads a severity name, case-insensitively. It also accepts
// "moderate" (GitHub's and npm's word for medium), "important" (Red Hat's
// word for high), "unimportant" (Debian's word for negligible) and "none"
// (as unknown) so that ratings copied from advisories parse.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "unknown", "none", "":
		return SeverityUnknown, nil
	case "negligible", "unimportant":
		return SeverityNegligible, nil
	case "low":
		return SeverityLow, nil
	case "medium", "moderate":
		return SeverityMedium, nil
	case "high", "important":
		return SeverityHigh, nil
	case "critical":
		return SeverityCritical, nil
	}
	return SeverityUnknown, fmt.Errorf("%w: %q (want unknown, negligible, low, medium, high or critical)", ErrInvalidSeverity, s)
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) {
	if int(s) >= len(severityNames) {
		return nil, fmt.Errorf("%w: %d", ErrInvalidSeverity, uint8(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// MarshalJSON encodes s as its name.
func (s Severity) MarshalJSON() ([]byte, error) {
	b, err := s.MarshalText()
	if err != nil {
		return nil, err
	}
	return json.Marshal(string(b))
}

// UnmarshalJSON decodes a severity name.
func (s *Severity) UnmarshalJSON(b []byte) error {
	var str string
	if err := json.Unmarshal(b, &str); err != nil {
		return fmt.Errorf("%w: %s", ErrInvalidSeverity, b)
	}
	return s.UnmarshalText([]byte(str))
}
