package secrets

import "github.com/shipshape-dev/shipshape/result"

// registryRules find credentials of package and image registries.
func registryRules() []Rule {
	return []Rule{
		{
			ID:          "npm-access-token",
			Description: "npm access token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"npm_"},
			Regex:       `\b(npm_[0-9A-Za-z]{36})\b`,
			Entropy:     3,
		},
	}
}
