package secrets

// DefaultRules returns the built-in rules: fresh values, so that callers
// may change them (drop one, lower a severity, add an allowlist) and pass
// them to WithRules.
func DefaultRules() []Rule {
	var rules []Rule
	for _, family := range [][]Rule{
		cloudRules(),
		kubernetesRules(),
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
	proofs := proofs()
	for i := range rules {
		rules[i].hooksFor = rules[i].Regex
		rules[i].Allowlists = append(rules[i].Allowlists, publicValues())
		if p, ok := proofs[rules[i].ID]; ok {
			if p == nil {
				rules[i].proves = true
			} else {
				rules[i].proof = p
			}
		}
	}
	return rules
}

// proofs lists the built-in rules whose findings a check proves
// (ConfidenceValidated): nil when the rule's Validate is that check (a
// checksum, a payload that decodes to the token's structure, a key that
// parses), else the check, for rules that validate only some forms of
// their token or accept more than what proves it.
func proofs() map[string]func(string) bool {
	m := map[string]func(string) bool{}
	for _, id := range []string{
		"github-pat", "github-oauth", "github-app-token", "npm-access-token", "pypi-upload-token", "private-packagist-token",
		"atlassian-api-token", "bitbucket-app-password", "bitbucket-access-token", "cloudflare-api-key", "cloudflare-global-api-key",
		"elastic-api-key", "jwt", "discord-bot-token", "intercom-api-key", "grafana-api-key", "grafana-cloud-api-token",
		"grafana-service-account-token", "1password-service-account-token", "sentry-org-token", "artifactory-reference-token",
		"mapbox-secret-token", "azure-storage-account-key", "azure-sas-token", "docker-config-auth",
	} {
		m[id] = nil
	}
	m["azure-devops-pat"] = func(s string) bool { return len(s) == 52 && adoLegacyChecksum(s) }
	m["vercel-access-token"] = func(s string) bool { return len(s) == 60 && s[3] == '_' && crc32Base62(s, 4) }
	m["github-refresh-token"] = func(s string) bool { return len(s) == 40 && crc32Base62(s, 4) }
	m["private-key"] = validPrivateKey
	return m
}

// publicValues is an allowlist of credentials that look like secrets but
// are published on purpose, so that every repository holding them would
// otherwise report them.
func publicValues() Allowlist {
	values := []string{
		// The search-only Algolia key Yarn Berry ships in every
		// .yarn/releases/yarn-*.cjs (yarnpkg/berry issue 6201).
		"6fe4476ee5a1832882e326b506d14126",
		// Example API keys of the Firebase Android SDK's documentation and
		// tests (firebase/firebase-android-sdk).
		"AIzaSyabcdefghijklmnopqrstuvwxyz1234567", "AIzaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs",
		"AIzaSyCkEhVjf3pduRDt6d1yKOMitrUEke8agEM", "AIzaSyDMAScliyLx7F0NPDEJi1QmyCgHIAODrlU",
		"AIzaSyD3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0", "AIzayDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A",
		"AIzaSyAdOS2zB6NCsk1pCdZ4-P6GBdi_UUPwX7c", "AIzaSyASWm6HmTMdYWpgMnjRBjxcQ9CKctWmLd4",
		"AIzaSyANUvH9H9BsUccjsu2pCmEkOPjjaXeDQgY", "AIzaSyA5_iVawFQ8ABuTZNUdcwERLJv_a_p4wtM",
		"AIzaSyA4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ", "AIzaSyDSb51JiIcB6OJpwwMicseKRhhrOq1cS7g",
		"AIzaSyBF2RrAIm4a0mO64EShQfqfd2AFnzAvvuU", "AIzaSyBcE-OOIbhjyR83gm4r2MFCu4MJmprNXsw",
		"AIzaSyB8qGxt4ec15vitgn44duC5ucxaOi4FmqE", "AIzaSyA8vmApnrHNFE0bApF4hoZ11srVL_n0nvY",
		// Package source passwords of NuGet's documentation (nuget.config
		// reference).
		"33f!!lloppa", "hal+9ooo_da!sY",
	}
	// Stop words: no compilation for each rule, and a secret holding one
	// of these values is that value.
	return Allowlist{
		Description: "public values: keys and passwords published on purpose",
		StopWords:   values,
	}
}
