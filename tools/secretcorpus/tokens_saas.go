package secretcorpus

import (
	"encoding/base64"
	"fmt"
)

// saasFormats are the tokens of messaging, payment, e-mail, commerce and AI
// services.
func saasFormats() []tokenFormat {
	return []tokenFormat{
		single("slack-bot-token", 6, []string{"SLACK_BOT_TOKEN", "SLACK_TOKEN"}, func(r rng) string {
			return "xoxb-" + r.digitsN(r.between(11, 12)) + "-" + r.digitsN(r.between(12, 13)) + "-" + r.chars(24, base62)
		}),
		single("slack-user-token", 5, []string{"SLACK_USER_TOKEN", "SLACK_LEGACY_TOKEN"}, func(r rng) string {
			return "xoxp-" + r.digitsN(11) + "-" + r.digitsN(12) + "-" + r.digitsN(13) + "-" + r.hex(32)
		}),
		single("slack-app-token", 4, []string{"SLACK_APP_TOKEN"}, func(r rng) string {
			return "xapp-1-A" + r.chars(10, upperABC+digits) + "-" + r.digitsN(13) + "-" + r.hex(64)
		}),
		single("slack-webhook", 7, []string{"SLACK_WEBHOOK_URL", "SLACK_WEBHOOK", "ALERT_WEBHOOK"}, func(r rng) string {
			return "https://hooks.slack.com/services/T" + r.chars(r.between(8, 10), upperABC+digits) + "/B" + r.chars(r.between(8, 10), upperABC+digits) + "/" + r.chars(24, base62)
		}),
		single("discord-webhook", 5, []string{"DISCORD_WEBHOOK_URL", "DISCORD_WEBHOOK"}, func(r rng) string {
			return "https://discord.com/api/webhooks/" + r.digitsN(r.between(18, 19)) + "/" + r.chars(68, b64URLSet)
		}),
		single("discord-bot-token", 4, []string{"DISCORD_BOT_TOKEN", "DISCORD_TOKEN"}, func(r rng) string {
			id := base64.RawStdEncoding.EncodeToString([]byte("1" + r.chars(18, digits)))
			return id + "." + r.chars(6, b64URLSet) + "." + r.chars(38, b64URLSet)
		}),
		single("telegram-bot-token", 5, []string{"TELEGRAM_BOT_TOKEN", "TG_BOT_TOKEN"}, func(r rng) string {
			return r.digitsN(10) + ":AA" + r.chars(33, b64URLSet)
		}),
		single("stripe-secret-key", 7, []string{"STRIPE_SECRET_KEY", "STRIPE_API_KEY", "STRIPE_KEY"}, func(r rng) string {
			return "sk_live_" + stripeBody(r)
		}),
		single("stripe-restricted-key", 5, []string{"STRIPE_RESTRICTED_KEY", "STRIPE_READ_KEY"}, func(r rng) string {
			return "rk_live_" + stripeBody(r)
		}),
		single("stripe-webhook-secret", 5, []string{"STRIPE_WEBHOOK_SECRET", "STRIPE_ENDPOINT_SECRET"}, func(r rng) string {
			return "whsec_" + r.chars(32, base62)
		}),
		single("sendgrid-api-key", 6, []string{"SENDGRID_API_KEY", "SMTP_PASSWORD", "EMAIL_API_KEY"}, func(r rng) string {
			return "SG." + r.chars(22, b64URLSet) + "." + r.chars(43, b64URLSet)
		}),
		single("mailgun-api-key", 5, []string{"MAILGUN_API_KEY", "MAILGUN_KEY"}, func(r rng) string {
			if r.chance(0.4) {
				return "key-" + r.hex(32)
			}
			return r.hex(32) + "-" + r.hex(8) + "-" + r.hex(8)
		}),
		single("mailchimp-api-key", 5, []string{"MAILCHIMP_API_KEY", "MC_API_KEY"}, func(r rng) string {
			return r.hex(32) + "-us" + fmt.Sprint(r.between(1, 21))
		}),
		{name: "twilio-auth-token", count: 5, make: func(r rng) credential {
			return credential{fields: []field{
				{key: "TWILIO_ACCOUNT_SID", value: "AC" + r.hex(32)},
				{key: "TWILIO_AUTH_TOKEN", value: r.hex(32)},
			}, span: "twilio-auth-token", note: "account SID and auth token"}
		}},
		{name: "twilio-api-key", count: 5, make: func(r rng) credential {
			return credential{fields: []field{
				{key: "TWILIO_API_KEY", value: "SK" + r.hex(32)},
				{key: "TWILIO_API_SECRET", value: r.chars(32, base62)},
			}, span: "twilio-api-key", note: "API key SID and secret"}
		}},
		single("shopify-access-token", 5, []string{"SHOPIFY_ACCESS_TOKEN", "SHOPIFY_ADMIN_TOKEN"}, func(r rng) string {
			return pick(r, []string{"shpat_", "shpat_", "shpca_", "shppa_"}) + r.hex(32)
		}),
		single("shopify-shared-secret", 4, []string{"SHOPIFY_API_SECRET", "SHOPIFY_SHARED_SECRET"}, func(r rng) string {
			return "shpss_" + r.hex(32)
		}),
		single("square-access-token", 5, []string{"SQUARE_ACCESS_TOKEN"}, func(r rng) string {
			if r.chance(0.3) {
				return "sq0atp-" + r.chars(22, b64URLSet)
			}
			return "EAAA" + r.chars(60, b64URLSet)
		}),
		single("braintree-access-token", 4, []string{"BRAINTREE_ACCESS_TOKEN", "PAYPAL_ACCESS_TOKEN"}, func(r rng) string {
			return "access_token$production$" + r.chars(16, lowerABC+digits) + "$" + r.hex(32)
		}),
		single("hubspot-token", 4, []string{"HUBSPOT_ACCESS_TOKEN", "HUBSPOT_TOKEN"}, func(r rng) string {
			return "pat-" + pick(r, []string{"na1", "eu1"}) + "-" + r.uuid()
		}),
		single("openai-api-key", 8, []string{"OPENAI_API_KEY", "OPENAI_KEY", "LLM_API_KEY"}, func(r rng) string {
			switch r.IntN(4) {
			case 0:
				return "sk-" + r.chars(20, base62) + "T3BlbkFJ" + r.chars(20, base62)
			case 1:
				return "sk-svcacct-" + r.chars(74, b64URLSet) + "T3BlbkFJ" + r.chars(74, b64URLSet)
			default:
				return "sk-proj-" + r.chars(74, b64URLSet) + "T3BlbkFJ" + r.chars(74, b64URLSet)
			}
		}),
		single("anthropic-api-key", 7, []string{"ANTHROPIC_API_KEY", "CLAUDE_API_KEY"}, func(r rng) string {
			if r.chance(0.2) {
				return "sk-ant-admin01-" + r.chars(93, b64URLSet) + "AA"
			}
			return "sk-ant-api03-" + r.chars(93, b64URLSet) + "AA"
		}),
		single("groq-api-key", 4, []string{"GROQ_API_KEY"}, func(r rng) string { return "gsk_" + r.chars(52, base62) }),
		single("replicate-api-token", 4, []string{"REPLICATE_API_TOKEN"}, func(r rng) string { return "r8_" + r.chars(37, base62) }),
		single("langsmith-api-key", 4, []string{"LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"}, func(r rng) string {
			return "lsv2_" + pick(r, []string{"pt", "sk"}) + "_" + r.hex(32) + "_" + r.hex(10)
		}),
		single("xai-api-key", 4, []string{"XAI_API_KEY", "GROK_API_KEY"}, func(r rng) string { return "xai-" + r.chars(80, base62) }),
	}
}

// stripeBody is the random part of a Stripe live key: 24 characters for
// older keys, about 99 for newer ones that start with the account's "51".
func stripeBody(r rng) string {
	if r.chance(0.4) {
		return r.chars(24, base62)
	}
	return "51" + r.chars(97, base62)
}
