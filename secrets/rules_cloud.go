package secrets

import "github.com/shipshape-dev/shipshape/result"

// cloudRules find credentials of cloud providers.
func cloudRules() []Rule {
	return []Rule{
		{
			ID:          "aws-access-token",
			Description: "AWS access key ID",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"akia", "asia", "abia", "acca", "a3t"},
			// A four-character prefix that says what kind of key it is,
			// then 16 characters of the RFC 4648 base32 alphabet.
			Regex: `\b((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16})\b`,
		},
	}
}
