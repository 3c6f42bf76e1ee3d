package secrets

func saasCases() []ruleCase {
	return []ruleCase{
		{rule: "shopify-access-token", input: "SHOPIFY_TOKEN=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", secret: "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"},
		{rule: "shopify-access-token", input: "SHOPIFY_TOKEN=shpat_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
	}
}
