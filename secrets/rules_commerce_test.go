package secrets

func commerceCases() []ruleCase {
	return []ruleCase{
		{rule: "stripe-access-token", input: `stripe.api_key = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"`, secret: "sk_live_4eC39HqLyjWDarjtT1zdp7dc"},
		{rule: "stripe-access-token", input: `key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"`},
	}
}
