package secrets

func aiCases() []ruleCase {
	key := "sk-proj-Q7mZx2LpV9rT5wYb7NcH1fG4T3BlbkFJs6eU0oIk3Jd8QmZx2LpV9r"
	return []ruleCase{
		{rule: "openai-api-key", input: `OPENAI_API_KEY="` + key + `"`, secret: key},
		{rule: "openai-api-key", input: `OPENAI_API_KEY="sk-proj-your-key-here"`},
	}
}
