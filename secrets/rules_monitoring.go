package secrets

import "github.com/shipshape-dev/shipshape/result"

// monitoringRules find credentials of monitoring and observability
// services.
func monitoringRules() []Rule {
	return []Rule{
		{
			ID:          "new-relic-user-api-key",
			Description: "New Relic user API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"nrak-"},
			Regex:       `\b(NRAK-[A-Z0-9]{27})\b`,
		},
	}
}
