package secrets

// DefaultRules returns the built-in rules: fresh values, so that callers
// may change them (drop one, lower a severity, add an allowlist) and pass
// them to WithRules.
func DefaultRules() []Rule {
	var rules []Rule
	for _, family := range [][]Rule{
		cloudRules(),
		scmRules(),
		registryRules(),
		databaseRules(),
		commerceRules(),
		messagingRules(),
		monitoringRules(),
		aiRules(),
		identityRules(),
		saasRules(),
		keyRules(),
		genericRules(),
	} {
		rules = append(rules, family...)
	}
	for i := range rules {
		rules[i].hooksFor = rules[i].Regex
	}
	return rules
}
