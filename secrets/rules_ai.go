package secrets

import "github.com/shipshape-dev/shipshape/result"

// aiRules find credentials of AI model APIs.
func aiRules() []Rule {
	return []Rule{
		{
			ID:          "openai-api-key",
			Description: "OpenAI API key",
			Severity:    result.SeverityHigh,
			// Every OpenAI key carries "T3BlbkFJ", base64 of "OpenAI".
			Keywords: []string{"t3blbkfj"},
			Regex:    `\b(sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,74}T3BlbkFJ[A-Za-z0-9_-]{20,74})\b`,
		},
	}
}
