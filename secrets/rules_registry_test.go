package secrets

func registryCases() []ruleCase {
	return []ruleCase{
		{rule: "npm-access-token", input: "//registry.npmjs.org/:_authToken=npm_k3Jd8QmZx2LpV9rT5wYb7NcH1fG4sA6eU0oI", secret: "npm_k3Jd8QmZx2LpV9rT5wYb7NcH1fG4sA6eU0oI"},
		{rule: "npm-access-token", input: "npm_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
	}
}
