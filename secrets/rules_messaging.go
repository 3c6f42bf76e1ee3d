package secrets

import "github.com/shipshape-dev/shipshape/result"

// messagingRules find credentials of chat, messaging and email services.
func messagingRules() []Rule {
	return []Rule{
		{
			ID:          "slack-bot-token",
			Description: "Slack bot token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"xoxb-"},
			Regex:       `\b(xoxb-[0-9]{10,13}-[0-9]{10,13}-[0-9A-Za-z]{24,34})\b`,
		},
	}
}
