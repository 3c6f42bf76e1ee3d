package secrets

import (
	"encoding/base64"
	"strings"

	"github.com/shipshape-dev/shipshape/result"
)

// messagingRules find credentials of chat, messaging and email services.
func messagingRules() []Rule {
	uuid := `[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}`
	var mailchimpKeywords []string
	for d := '1'; d <= '9'; d++ {
		mailchimpKeywords = append(mailchimpKeywords, "-us"+string(d))
	}
	return []Rule{
		{
			ID:          "slack-bot-token",
			Description: "Slack bot token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"xoxb-"},
			Regex:       `\b(xoxb-[0-9]{10,13}-[0-9]{10,13}-[0-9A-Za-z]{24,34})\b`,
		},
		{
			ID:          "slack-legacy-bot-token",
			Description: "Slack legacy bot token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"xoxb-"},
			Regex:       `\b(xoxb-[0-9]{8,14}-[A-Za-z0-9]{18,26})\b`,
			Entropy:     3.5,
			MaxLength:   80,
		},
		{
			ID:          "slack-user-token",
			Description: "Slack user token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"xoxp-"},
			Regex:       `\b(xoxp-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{28,34})\b`,
			Entropy:     3.5,
			MaxLength:   120,
		},
		{
			ID:          "slack-legacy-workspace-token",
			Description: "Slack legacy workspace (xoxa) or refresh (xoxr) token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"xoxa-", "xoxr-"},
			// xoxa-2- and hyphenated groups of digits and letters.
			Regex:   `\b(xox[ar]-(?:[0-9]-)?[0-9A-Za-z]{8,48}(?:-[0-9A-Za-z]{8,48}){0,4})\b`,
			Entropy: 3.5,
			// Words ("xoxa-access-token-string") are no tokens.
			Validate:  func(s string) bool { return strings.ContainsAny(s[5:], "0123456789") },
			MaxLength: 180,
		},
		{
			ID:          "slack-legacy-token",
			Description: "Slack legacy (xoxo, xoxs) token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"xoxo-", "xoxs-"},
			Regex:       `\b(xox[os]-[0-9]{1,16}-[0-9]{1,16}-[0-9]{1,16}-[a-fA-F0-9]{16,64})\b`,
			Entropy:     3,
			MaxLength:   150,
		},
		{
			ID:          "slack-config-access-token",
			Description: "Slack app configuration access token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"xoxe.xoxp-", "xoxe.xoxb-"},
			Regex:       `\b(xoxe\.xox[bp]-[0-9]-[A-Za-z0-9]{163,166})\b`,
			Entropy:     4,
			MaxLength:   200,
		},
		{
			ID:          "slack-config-refresh-token",
			Description: "Slack app configuration refresh token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"xoxe-"},
			Regex:       `\b(xoxe-[0-9]-[A-Za-z0-9]{146})\b`,
			Entropy:     4,
			MaxLength:   170,
		},
		{
			ID:          "slack-app-token",
			Description: "Slack app-level token (Socket Mode)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"xapp-"},
			Regex:       `\b(xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,16}-[a-f0-9]{64})\b`,
			Entropy:     3.5,
			MaxLength:   120,
		},
		{
			ID:          "slack-webhook-url",
			Description: "Slack incoming webhook or workflow webhook URL",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"hooks.slack.com"},
			Regex: `((?:https?://)?hooks\.slack\.com/(?:services/T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{24}` +
				`|workflows/T[A-Z0-9]{8,12}/A[A-Z0-9]{8,12}/[0-9]{15,20}/[A-Za-z0-9]{24,40}` +
				`|triggers/T[A-Z0-9]{8,12}/[0-9]{10,20}/[A-Za-z0-9]{24,40}))\b`,
			Entropy:   4,
			MaxLength: 200,
		},
		{
			ID:          "discord-webhook-url",
			Description: "Discord webhook URL",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"discord.com/api/", "discordapp.com/api/"},
			// The webhook's snowflake id and its 68-character token.
			Regex:     `(https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api/(?:v[0-9]{1,2}/)?webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{68})(?:[^A-Za-z0-9_-]|$)`,
			Entropy:   4,
			MaxLength: 200,
		},
		{
			ID:          "discord-bot-token",
			Description: "Discord bot token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"discord"},
			// base64 of the bot's numeric id, a timestamp and an HMAC.
			Regex:     `\b([MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40})(?:[^A-Za-z0-9_.-]|$)`,
			Validate:  validDiscordBotToken,
			MaxLength: 250,
		},
		{
			ID:          "discord-client-secret",
			Description: "Discord application client secret",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"discord"},
			Regex:       vendorAssigned(`discord[\w.-]{0,30}secret`, `(?P<secret>[A-Za-z0-9_-]{32})`),
			Entropy:     3.5,
			MaxLength:   200,
		},
		{
			ID:          "telegram-bot-api-token",
			Description: "Telegram bot token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"telegram", "bot_token", "bottoken"},
			// The bot's numeric id, a colon and 35 characters; in API URLs
			// right after "/bot".
			Regex:     `(?:/bot|\b)([0-9]{5,16}:A[A-Za-z0-9_-]{34})(?:[^A-Za-z0-9_-]|$)`,
			Entropy:   3.5,
			MaxLength: 250,
		},
		{
			ID:          "twilio-api-key",
			Description: "Twilio API key secret",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"twilio"},
			// The secret shortly after its SK… key SID ("SK…:secret" in
			// basic auth, the next line, the next column) or assigned to a
			// name that mentions Twilio.
			Regex: `(?:\bSK[0-9a-fA-F]{32}\b[\s\S]{0,150}?\b(?P<secret1>[A-Za-z0-9]{32})\b|` +
				vendorAssigned(`twilio[\w.-]{0,30}secret`, `(?P<secret2>[A-Za-z0-9]{32})`) + `)`,
			Entropy:   3.5,
			MaxLength: 250,
		},
		{
			ID:          "twilio-auth-token",
			Description: "Twilio account auth token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"twilio", "account_sid", "accountsid", "account-sid"},
			// 32 hex digits shortly after an AC… account SID ("AC…:token",
			// a pair of arguments, the next line or column) or assigned to
			// an auth token name near Twilio.
			Regex: `(?:\bAC[0-9a-f]{32}\b[\s\S]{0,150}?\b(?P<secret1>[0-9a-f]{32})\b|` +
				vendorAssigned(`(?:twilio[\w.-]{0,20})?auth[_.-]?token`, `(?P<secret2>[0-9a-f]{32})`) + `)`,
			Entropy:   3,
			MaxLength: 256,
		},
		{
			ID:          "sendgrid-api-token",
			Description: "SendGrid API key",
			Severity:    result.SeverityHigh,
			// "sg." occurs in every "msg.": windows open at the delimited
			// forms only.
			Keywords:  append(delimitedKeywords("sg."), "sendgrid"),
			Regex:     `\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)`,
			Entropy:   4,
			MaxLength: 120,
		},
		{
			ID:          "mailgun-private-api-token",
			Description: "Mailgun private API key",
			Severity:    result.SeverityHigh,
			Keywords:    append(delimitedKeywords("key-"), "mailgun"),
			// key- and 32 hex digits; current keys (32-8-8 hex digits)
			// carry no prefix and count near the vendor's name only.
			Regex:     `\b(key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})\b`,
			Entropy:   3,
			MaxLength: 200,
		},
		{
			ID:          "mailchimp-api-key",
			Description: "Mailchimp API key",
			Severity:    result.SeverityHigh,
			// 32 hex digits and the data center, -us1 to -us99.
			Keywords:  mailchimpKeywords,
			Regex:     `\b([0-9a-f]{32}-us[0-9]{1,2})\b`,
			Entropy:   3,
			MaxLength: 60,
		},
		{
			ID:          "sendinblue-api-token",
			Description: "Brevo (Sendinblue) API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"xkeysib-"},
			Regex:       `\b(xkeysib-[0-9a-f]{64}-[A-Za-z0-9]{16})\b`,
			Entropy:     3,
			MaxLength:   100,
		},
		{
			ID:          "brevo-smtp-key",
			Description: "Brevo (Sendinblue) SMTP key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"xsmtpsib-"},
			Regex:       `\b(xsmtpsib-[0-9a-f]{64}-[A-Za-z0-9]{16})\b`,
			Entropy:     3,
			MaxLength:   100,
		},
		{
			ID:          "postmark-server-token",
			Description: "Postmark server or account API token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"postmark"},
			Regex:       vendorAssigned(`postmark`, `(?P<secret>`+uuid+`)`),
			Entropy:     3,
			MaxLength:   200,
		},
		{
			ID:          "microsoft-teams-webhook",
			Description: "Microsoft Teams incoming webhook URL",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"webhook.office.com", "outlook.office.com/webhook", "outlook.office365.com/webhook"},
			Regex: `(https://(?:[a-z0-9-]+\.webhook\.office\.com/webhookb2|outlook\.office(?:365)?\.com/webhook)/` +
				uuid + `@` + uuid + `/IncomingWebhook/[0-9a-f]{32}/` + uuid + `(?:/V2[A-Za-z0-9_-]{20,80})?)`,
			MaxLength: 300,
		},
		{
			ID:          "mattermost-access-token",
			Description: "Mattermost personal access or bot token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"mattermost"},
			Regex:       vendorAssigned(`mattermost`, `(?P<secret>[a-z0-9]{26})`),
			Entropy:     3.5,
			MaxLength:   200,
		},
		{
			ID:          "messagebird-api-token",
			Description: "MessageBird (Bird) access key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"messagebird", "message_bird", "message-bird"},
			Regex:       vendorAssigned(`message[_.-]?bird`, `(?P<secret>[A-Za-z0-9]{25})`),
			Entropy:     3.5,
			MaxLength:   200,
		},
		{
			ID:          "vonage-api-secret",
			Description: "Vonage (Nexmo) API secret",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"vonage", "nexmo"},
			Regex:       vendorAssigned(`(?:vonage|nexmo)[\w.-]{0,30}secret`, `(?P<secret>[A-Za-z0-9]{16})`),
			Entropy:     3.2,
			MaxLength:   200,
		},
		{
			ID:          "pusher-app-secret",
			Description: "Pusher Channels app secret",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"pusher"},
			// The app key is public; the secret signs server calls.
			Regex:     vendorAssigned(`pusher[\w.-]{0,30}secret`, `(?P<secret>[0-9a-f]{20})`),
			Entropy:   3,
			MaxLength: 200,
		},
		{
			ID:          "zendesk-secret-key",
			Description: "Zendesk API token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"zendesk"},
			Regex:       vendorAssigned(`zendesk`, `(?P<secret>[A-Za-z0-9]{40})`),
			Entropy:     4,
			MaxLength:   200,
		},
		{
			ID:          "intercom-api-key",
			Description: "Intercom access token",
			Severity:    result.SeverityHigh,
			// base64 of "tok:…" always begins "dG9rO".
			Keywords:  []string{"dg9ro"},
			Regex:     `\b(dG9rO[A-Za-z0-9+/]{50,80}={0,2})(?:[^A-Za-z0-9+/=]|$)`,
			Validate:  validIntercomToken,
			MaxLength: 120,
		},
	}
}

// validDiscordBotToken accepts a token whose first part is the base64 of
// a Discord snowflake: 17 to 20 decimal digits.
func validDiscordBotToken(s string) bool {
	id, _, _ := strings.Cut(s, ".")
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(id, "="))
	if err != nil || len(b) < 17 || len(b) > 20 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// validIntercomToken accepts base64 of "tok:…", the form of Intercom's
// access tokens.
func validIntercomToken(s string) bool {
	b, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
	return err == nil && strings.HasPrefix(string(b), "tok:") && len(b) >= 36
}
