package secrets

func scmCases() []ruleCase {
	tok := checksummed("ghp_", "Zx8QvR2mN5tLw9KpB3cY7hJ4dF6gA1")
	return []ruleCase{
		{rule: "github-pat", input: "GITHUB_TOKEN=" + tok, secret: tok},
		{rule: "github-pat", input: `{"token": "` + tok + `"}`, secret: tok},
		// A wrong checksum: a look-alike, not a token.
		{rule: "github-pat", input: "token: ghp_Zx8QvR2mN5tLw9KpB3cY7hJ4dF6gA1aaaaaa"},
	}
}
