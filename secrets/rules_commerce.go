package secrets

import "github.com/shipshape-dev/shipshape/result"

// commerceRules find credentials of payment and commerce services.
func commerceRules() []Rule {
	return []Rule{
		{
			ID:          "stripe-access-token",
			Description: "Stripe live secret or restricted key",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"sk_live_", "rk_live_"},
			Regex:       `\b((?:sk|rk)_live_[0-9A-Za-z]{24,247})\b`,
		},
	}
}
