package secrets

import "github.com/shipshape-dev/shipshape/result"

// scmRules find credentials of source hosting and CI services.
func scmRules() []Rule {
	return []Rule{
		{
			ID:          "github-pat",
			Description: "GitHub personal access token (classic)",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"ghp_"},
			// 30 base62 characters and a six-character CRC32 checksum.
			Regex:            `\b(ghp_[0-9A-Za-z]{36})\b`,
			Validate:         func(s string) bool { return crc32Base62(s, 4) },
			KeepPlaceholders: true,
		},
	}
}
