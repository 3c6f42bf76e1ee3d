package secrets

func messagingCases() []ruleCase {
	return []ruleCase{
		{rule: "slack-bot-token", input: "SLACK_BOT_TOKEN=xoxb-2837465019-4829105736-Kq8ZtR2mLw9VpX3nB7cY4hJd", secret: "xoxb-2837465019-4829105736-Kq8ZtR2mLw9VpX3nB7cY4hJd"},
		{rule: "slack-bot-token", input: "SLACK_BOT_TOKEN=xoxb-your-token-here"},
	}
}
