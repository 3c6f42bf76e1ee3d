package secrets

import "github.com/shipshape-dev/shipshape/result"

// saasRules find credentials of other hosted services.
func saasRules() []Rule {
	return []Rule{
		{
			ID:          "shopify-access-token",
			Description: "Shopify access token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"shpat_"},
			Regex:       `\b(shpat_[a-fA-F0-9]{32})\b`,
		},
	}
}
