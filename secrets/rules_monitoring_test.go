package secrets

func monitoringCases() []ruleCase {
	return []ruleCase{
		{rule: "new-relic-user-api-key", input: "NEW_RELIC_API_KEY=NRAK-7QZ2M4X9KLP3T8VW5YB6N1HRJC0", secret: "NRAK-7QZ2M4X9KLP3T8VW5YB6N1HRJC0"},
		{rule: "new-relic-user-api-key", input: "NRAK-XXXXXXXXXXXXXXXXXXXXXXXXXXX"},
	}
}
