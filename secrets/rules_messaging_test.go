package secrets

import "encoding/base64"

func messagingCases() []ruleCase {
	digits := "0123456789"
	legacyBot := "xoxb-" + sampleToken(digits, 11, "legacy-bot-id") + "-" + sampleToken(base62, 24, "legacy-bot")
	user := "xoxp-" + sampleToken(digits, 10, "u1") + "-" + sampleToken(digits, 11, "u2") + "-" + sampleToken(digits, 12, "u3") + "-" + sampleToken(sampleHex, 32, "u4")
	workspace := "xoxa-2-" + sampleToken(digits, 9, "xoxa-1") + "-" + sampleToken(digits, 11, "xoxa-2") + "-" + sampleToken(digits, 13, "xoxa-3") + "-" + sampleToken(sampleHex, 18, "xoxa-4")
	refresh := "xoxr-" + sampleToken(base62, 48, "xoxr")
	legacy := "xoxs-" + sampleToken(digits, 10, "s1") + "-" + sampleToken(digits, 10, "s2") + "-" + sampleToken(digits, 12, "s3") + "-" + sampleToken(sampleHex, 64, "s4")
	configAccess := "xoxe.xoxp-1-" + sampleToken(base62, 164, "xoxe-access")
	configRefresh := "xoxe-1-" + sampleToken(base62, 146, "xoxe-refresh")
	app := "xapp-1-A" + sampleToken(sampleUpperAlnum, 10, "xapp-app") + "-" + sampleToken(digits, 13, "xapp-n") + "-" + sampleToken(sampleHex, 64, "xapp")
	hook := "https://hooks.slack.com/services/T" + sampleToken(sampleUpperAlnum, 10, "team") + "/B" + sampleToken(sampleUpperAlnum, 10, "bot") + "/" + sampleToken(base62, 24, "hook")
	workflow := "https://hooks.slack.com/workflows/T" + sampleToken(sampleUpperAlnum, 10, "wteam") + "/A" + sampleToken(sampleUpperAlnum, 10, "wapp") + "/" + sampleToken(digits, 18, "wid") + "/" + sampleToken(base62, 24, "wsecret")
	discordHook := "https://discord.com/api/webhooks/" + sampleToken(digits, 19, "dh-id") + "/" + sampleToken(sampleURLSafe, 68, "dh-token")
	discordBot := base64.RawStdEncoding.EncodeToString([]byte("1098765432123456789")) + "." + sampleToken(sampleURLSafe, 6, "db-ts") + "." + sampleToken(sampleURLSafe, 38, "db-hmac")
	notDiscordBot := "MzJh" + sampleToken(base62, 22, "nd-id") + "." + sampleToken(sampleURLSafe, 6, "nd-ts") + "." + sampleToken(sampleURLSafe, 38, "nd-hmac")
	discordSecret := sampleToken(sampleURLSafe, 32, "discord-secret")
	telegram := sampleToken(digits, 10, "tg-id") + ":AA" + sampleToken(sampleURLSafe, 33, "tg")
	twilioKeySID := "SK" + sampleToken(sampleHex, 32, "tw-sk")
	twilioKeySecret := sampleToken(base62, 32, "tw-sk-secret")
	twilioSID := "AC" + sampleToken(sampleHex, 32, "tw-ac")
	twilioToken := sampleToken(sampleHex, 32, "tw-token")
	sendgrid := "SG." + sampleToken(sampleURLSafe, 22, "sg-id") + "." + sampleToken(sampleURLSafe, 43, "sg-secret")
	mailgunOld := "key-" + sampleToken(sampleHex, 32, "mg-old")
	mailgun := sampleToken(sampleHex, 32, "mg-1") + "-" + sampleToken(sampleHex, 8, "mg-2") + "-" + sampleToken(sampleHex, 8, "mg-3")
	mailchimp := sampleToken(sampleHex, 32, "mailchimp") + "-us14"
	brevo := "xkeysib-" + sampleToken(sampleHex, 64, "brevo-1") + "-" + sampleToken(base62, 16, "brevo-2")
	brevoSMTP := "xsmtpsib-" + sampleToken(sampleHex, 64, "brevo-smtp-1") + "-" + sampleToken(base62, 16, "brevo-smtp-2")
	postmark := sampleUUID("postmark")
	teams := "https://contoso.webhook.office.com/webhookb2/" + sampleUUID("t1") + "@" + sampleUUID("t2") + "/IncomingWebhook/" + sampleToken(sampleHex, 32, "t3") + "/" + sampleUUID("t4")
	teamsV2 := teams + "/V2" + sampleToken(sampleURLSafe, 44, "t5")
	mattermost := sampleToken(sampleLowerAlnum, 26, "mattermost")
	messagebird := sampleToken(base62, 25, "messagebird")
	vonage := sampleToken(base62, 16, "vonage")
	pusher := sampleToken(sampleHex, 20, "pusher")
	zendesk := sampleToken(base62, 40, "zendesk")
	intercom := base64.StdEncoding.EncodeToString([]byte("tok:" + sampleUUID("intercom") + ":1:0"))
	notIntercom := base64.StdEncoding.EncodeToString([]byte("tok;" + sampleUUID("intercom") + ":1:0"))
	return []ruleCase{
		{rule: "slack-bot-token", input: "SLACK_BOT_TOKEN=xoxb-2837465019-4829105736-Kq8ZtR2mLw9VpX3nB7cY4hJd", secret: "xoxb-2837465019-4829105736-Kq8ZtR2mLw9VpX3nB7cY4hJd"},
		{rule: "slack-bot-token", input: "SLACK_BOT_TOKEN=xoxb-your-token-here"},

		{rule: "slack-legacy-bot-token", input: "SLACK_TOKEN=" + legacyBot, secret: legacyBot},
		{rule: "slack-legacy-bot-token", input: "SLACK_BOT_TOKEN=xoxb-2837465019-4829105736-Kq8ZtR2mLw9VpX3nB7cY4hJd"},
		{rule: "slack-legacy-bot-token", input: "SLACK_TOKEN=xoxb-12345678-xxxxxxxxxxxxxxxxxxxxxxxx"},

		{rule: "slack-user-token", input: `token: "` + user + `"`, secret: user},
		{rule: "slack-user-token", input: "SLACK_USER_TOKEN=xoxp-1234567890-1234567890-1234567890-" + sampleToken(sampleHex, 12, "short")},

		{rule: "slack-legacy-workspace-token", input: "SLACK_TOKEN=" + workspace, secret: workspace},
		{rule: "slack-legacy-workspace-token", input: "refresh_token: " + refresh, secret: refresh},
		{rule: "slack-legacy-workspace-token", input: "SLACK_TOKEN=xoxa-xxxxxxxxxxxxxxxx"},
		{rule: "slack-legacy-workspace-token", input: "token: xoxa-access-token-string"},
		{rule: "slack-legacy-workspace-token", input: "see https://github.com/xoxa-nyc/xoxa-nyc.github.io"},

		{rule: "slack-legacy-token", input: "SLACK_TOKEN=" + legacy, secret: legacy},
		{rule: "slack-legacy-token", input: "SLACK_TOKEN=xoxs-1-2-3-abc"},

		{rule: "slack-config-access-token", input: "SLACK_CONFIG_TOKEN=" + configAccess, secret: configAccess},
		{rule: "slack-config-access-token", input: "SLACK_CONFIG_TOKEN=xoxe.xoxp-1-" + sampleToken(base62, 100, "xoxe-short")},
		{rule: "slack-config-refresh-token", input: "SLACK_CONFIG_REFRESH_TOKEN=" + configRefresh, secret: configRefresh},
		{rule: "slack-config-refresh-token", input: "SLACK_CONFIG_REFRESH_TOKEN=xoxe-1-" + sampleToken(base62, 140, "xoxe-r-short")},

		{rule: "slack-app-token", input: "SLACK_APP_TOKEN=" + app, secret: app},
		{rule: "slack-app-token", input: "SLACK_APP_TOKEN=xapp-1-your-app-token"},

		{rule: "slack-webhook-url", input: "SLACK_WEBHOOK_URL=" + hook, secret: hook},
		{rule: "slack-webhook-url", input: `url: "` + workflow + `"`, secret: workflow},
		// Slack's documentation example.
		{rule: "slack-webhook-url", input: "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"},
		{rule: "slack-webhook-url", input: "see https://hooks.slack.com/services/ for details"},

		{rule: "discord-webhook-url", input: `WEBHOOK = "` + discordHook + `"`, secret: discordHook},
		{rule: "discord-webhook-url", input: `stub_request(:post, "https://discord.com/api/webhooks/0123456789/all")`},

		{rule: "discord-bot-token", input: "DISCORD_BOT_TOKEN=" + discordBot, secret: discordBot},
		// The first part does not decode to a numeric id.
		{rule: "discord-bot-token", input: "DISCORD_BOT_TOKEN=" + notDiscordBot},
		{rule: "discord-bot-token", input: "bot.run(" + discordBot + ")"},

		{rule: "discord-client-secret", input: "DISCORD_CLIENT_SECRET=" + discordSecret, secret: discordSecret},
		{rule: "discord-client-secret", input: "DISCORD_CLIENT_ID=" + sampleToken(digits, 18, "discord-id")},

		{rule: "telegram-bot-api-token", input: "TELEGRAM_BOT_TOKEN=" + telegram, secret: telegram},
		{rule: "telegram-bot-api-token", input: "requests.get(f\"https://api.telegram.org/bot" + telegram + "/getMe\")", secret: telegram},
		// The example in Telegram's documentation is one character short.
		{rule: "telegram-bot-api-token", input: "TELEGRAM_BOT_TOKEN=123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"},
		{rule: "telegram-bot-api-token", input: "time = 10:" + sampleToken(base62, 35, "not-telegram")},

		{rule: "twilio-api-key", input: "TWILIO_API_KEY=" + twilioKeySID + "\nTWILIO_API_SECRET=" + twilioKeySecret, secret: twilioKeySecret},
		{rule: "twilio-api-key", input: "curl -u " + twilioKeySID + ":" + twilioKeySecret + " https://api.twilio.com/2010-04-01/Accounts.json", secret: twilioKeySecret},
		{rule: "twilio-api-key", input: "TWILIO_API_KEY=" + twilioKeySID},

		{rule: "twilio-auth-token", input: "TWILIO_ACCOUNT_SID=" + twilioSID + "\nTWILIO_AUTH_TOKEN=" + twilioToken, secret: twilioToken},
		{rule: "twilio-auth-token", file: "sms.py", input: "from twilio.rest import Client\nclient = Client(\"" + twilioSID + "\", \"" + twilioToken + "\")", secret: twilioToken},
		{rule: "twilio-auth-token", file: "accounts.csv", input: "1005,twilio-account-sid,ops@acme.io,prod," + twilioSID + ",2023-12-23\n1005,twilio-auth-token,ops@acme.io,prod," + twilioToken + ",2024-03-26", secret: twilioToken},
		{rule: "twilio-auth-token", input: "TWILIO_AUTH_TOKEN=your_auth_token"},
		{rule: "twilio-auth-token", input: "GITHUB_AUTH_TOKEN=" + twilioToken},

		{rule: "sendgrid-api-token", input: "SENDGRID_API_KEY=" + sendgrid, secret: sendgrid},
		{rule: "sendgrid-api-token", input: `sg.send(Mail(...), api_key="` + sendgrid + `")`, secret: sendgrid},
		{rule: "sendgrid-api-token", input: "SENDGRID_API_KEY=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
		{rule: "sendgrid-api-token", input: "SENDGRID_API_KEY=SG." + sampleToken(base62, 22, "sg-short") + "." + sampleToken(base62, 20, "sg-short-2")},

		{rule: "mailgun-private-api-token", input: "curl -s --user 'api:" + mailgunOld + "' https://api.mailgun.net/v3/domains", secret: mailgunOld},
		{rule: "mailgun-private-api-token", input: "MAILGUN_API_KEY=" + mailgun, secret: mailgun},
		{rule: "mailgun-private-api-token", file: "task-definition.json", input: "{\n  \"name\": \"MAILGUN_KEY\",\n  \"value\": \"" + mailgun + "\"\n}", secret: mailgun},
		{rule: "mailgun-private-api-token", input: "CHECKSUM=" + mailgun},
		{rule: "mailgun-private-api-token", input: "MAILGUN_API_KEY=key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},

		{rule: "mailchimp-api-key", input: "MAILCHIMP_API_KEY=" + mailchimp, secret: mailchimp},
		{rule: "mailchimp-api-key", input: "MAILCHIMP_API_KEY=" + sampleToken(sampleHex, 32, "mc-short")[:24] + "-us14"},
		{rule: "mailchimp-api-key", input: "region: east-us1"},

		{rule: "sendinblue-api-token", input: "BREVO_API_KEY=" + brevo, secret: brevo},
		{rule: "sendinblue-api-token", input: "BREVO_API_KEY=xkeysib-your_brevo_api_key_here"},
		{rule: "brevo-smtp-key", input: "SMTP_PASS=" + brevoSMTP, secret: brevoSMTP},
		{rule: "brevo-smtp-key", input: "SMTP_PASS=xsmtpsib-..."},

		{rule: "postmark-server-token", input: "POSTMARK_SERVER_TOKEN=" + postmark, secret: postmark},
		{rule: "postmark-server-token", input: `-H "X-Postmark-Server-Token: ` + postmark + `"`, secret: postmark},
		{rule: "postmark-server-token", input: "POSTMARK_SERVER_TOKEN=00000000-0000-0000-0000-000000000000"},
		{rule: "postmark-server-token", input: "REQUEST_ID=" + postmark},

		{rule: "microsoft-teams-webhook", input: "TEAMS_WEBHOOK=" + teams, secret: teams},
		{rule: "microsoft-teams-webhook", input: "TEAMS_WEBHOOK=" + teamsV2, secret: teamsV2},
		{rule: "microsoft-teams-webhook", input: "TEAMS_WEBHOOK=https://contoso.webhook.office.com/webhookb2/" + sampleUUID("t1")},

		{rule: "mattermost-access-token", input: "MATTERMOST_TOKEN=" + mattermost, secret: mattermost},
		{rule: "mattermost-access-token", input: "MATTERMOST_URL=https://chat.example.org"},

		{rule: "messagebird-api-token", input: "MESSAGEBIRD_ACCESS_KEY=" + messagebird, secret: messagebird},
		{rule: "messagebird-api-token", input: "MESSAGEBIRD_ACCESS_KEY=" + messagebird[:20]},

		{rule: "vonage-api-secret", input: "VONAGE_API_SECRET=" + vonage, secret: vonage},
		{rule: "vonage-api-secret", input: "VONAGE_API_KEY=" + sampleToken(sampleHex, 8, "vonage-key")},

		{rule: "pusher-app-secret", input: "PUSHER_APP_SECRET=" + pusher, secret: pusher},
		{rule: "pusher-app-secret", input: "PUSHER_APP_KEY=" + pusher},

		{rule: "zendesk-secret-key", input: "ZENDESK_API_TOKEN=" + zendesk, secret: zendesk},
		{rule: "zendesk-secret-key", input: "ZENDESK_API_TOKEN=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},

		{rule: "intercom-api-key", input: "INTERCOM_ACCESS_TOKEN=" + intercom, secret: intercom},
		{rule: "intercom-api-key", input: "INTERCOM_ACCESS_TOKEN=" + notIntercom},
	}
}
