package secrets

import "github.com/shipshape-dev/shipshape/result"

// identityRules find tokens of identity providers and signed credentials.
func identityRules() []Rule {
	return []Rule{
		{
			ID:          "jwt",
			Description: "JSON Web Token",
			Severity:    result.SeverityMedium,
			// The header is a JSON object: base64url of `{"` is "eyJ".
			Keywords:         []string{"eyj"},
			Regex:            `\b(eyJ[A-Za-z0-9_-]{8,}={0,2}\.eyJ[A-Za-z0-9_-]{8,}={0,2}\.[A-Za-z0-9_-]{16,}={0,2})`,
			Validate:         validJWT,
			KeepPlaceholders: true,
		},
	}
}
