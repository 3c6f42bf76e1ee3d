package secrets

import (
	"bytes"
	"strings"

	"github.com/shipshape-dev/shipshape/result"
)

// registryRules find credentials of package and image registries, and the
// configuration files (.npmrc, .yarnrc.yml, Docker's config.json,
// NuGet.config) that hold them.
func registryRules() []Rule {
	return []Rule{
		{
			ID:          "npm-access-token",
			Description: "npm access token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"npm_"},
			// 30 base62 characters and their CRC32, as GitHub's tokens.
			Regex:            `\b(npm_[0-9A-Za-z]{36})\b`,
			Validate:         func(s string) bool { return crc32Base62(s, 4) },
			KeepPlaceholders: true,
			MaxLength:        60,
		},
		{
			ID:          "pypi-upload-token",
			Description: "PyPI (or TestPyPI) API token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"pypi-ageichlwas5vcmc", "pypi-agendgvzdc5wexbplm9yzw"},
			// A macaroon in base64url whose first bytes name pypi.org or
			// test.pypi.org as its location.
			Regex:     `\b(pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[0-9A-Za-z_-]{50,1000})(?:[^0-9A-Za-z_-]|$)`,
			Validate:  validPyPIToken,
			MaxLength: 1100,
		},
		{
			ID:          "rubygems-api-token",
			Description: "RubyGems API key",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"rubygems_"},
			Regex:       `\b(rubygems_[0-9a-f]{48})\b`,
			Entropy:     3,
			MaxLength:   80,
		},
		{
			ID:          "nuget-api-key",
			Description: "NuGet.org API key",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"oy2"},
			// 46 characters of a lower-case base32 encoding of 32 bytes,
			// some of whose positions can take only a few values.
			Regex:     `(?:^|[^0-9a-z])(?P<secret>oy2[a-p][0-9a-z]{15}[aq][0-9a-z]{11}[eu][bdfhjlnprtvxz357][a-p][0-9a-z]{11}[aeimquy4])(?:[^0-9a-z]|$)`,
			Entropy:   3.5,
			MaxLength: 80,
		},
		{
			ID:          "dockerhub-pat",
			Description: "Docker Hub personal or organization access token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"dckr_pat_", "dckr_oat_"},
			Regex:       `\b(dckr_(?:pat|oat)_[0-9A-Za-z_-]{24,40})(?:[^0-9A-Za-z_-]|$)`,
			Entropy:     3.5,
			MaxLength:   80,
		},
		{
			ID:          "docker-config-auth",
			Description: "Registry credentials in a Docker config.json auths entry (base64 user:password)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{`"auth"`},
			Regex:       `"auth"\s*:\s*"(?P<secret>[A-Za-z0-9+/]{8,400}={0,2})"`,
			Validate:    userColonPassword,
			MaxLength:   500,
		},
		{
			ID:          "crates-io-api-token",
			Description: "crates.io API token near a Cargo registry name",
			Severity:    result.SeverityCritical,
			// The prefix cio is too short to look for: look near the
			// names Cargo gives the token instead.
			Keywords:  []string{"cargo_registr", "crates.io", "crates_io", "[registry]", "cargo publish", "cargo login"},
			Regex:     `\b(cio[0-9A-Za-z]{32})\b`,
			Entropy:   3.5,
			MaxLength: 200,
		},
		{
			ID:          "clojars-api-token",
			Description: "Clojars deploy token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"clojars_"},
			Regex:       `\b(CLOJARS_[0-9A-Za-z]{60})\b`,
			Entropy:     3,
			MaxLength:   90,
		},
		{
			ID:          "npmrc-auth-token",
			Description: "Registry token in .npmrc (_authToken) or .yarnrc.yml (npmAuthToken)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"_authtoken", "npmauthtoken"},
			// Any registry's, GitHub Packages' included; tokens of a known
			// format are left to their own rule.
			Regex: `(?m)(?:^|[\s"':/])_authToken[ \t]*=[ \t]*["']?(?P<secret>[^\s"'#;]{16,300})|` +
				`(?m)\bnpmAuthToken["']?[ \t]*:[ \t]*["']?(?P<secret2>[^\s"'#]{16,300})`,
			Entropy:   3.5,
			MaxLength: 400,
			check:     func(c *candidate) bool { return !knownTokenPrefix(c.secret) && !strings.ContainsAny(c.secret, "${}") },
		},
		{
			ID:          "npmrc-auth",
			Description: "Base64 credentials in .npmrc (_auth user:password, or _password)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"_auth=", "_auth =", "_password=", "_password ="},
			Regex:       `(?m)(?:^|[\s:/])_(?:auth|password)[ \t]*=[ \t]*["']?(?P<secret>[A-Za-z0-9+/]{4,400}={0,2})(?:["'\s]|$)`,
			Validate:    printableBase64,
			MaxLength:   500,
		},
		{
			ID:          "hex-api-key",
			Description: "Hex (hex.pm) API key assigned to a Hex name",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"hex_api_key", "hex-api-key", "hexapikey", "hexpm"},
			Regex:       infraAssigned("secret", `hex[_-]?api[_-]?key|hexpm[\w.-]{0,20}(?:key|token)`, `[0-9A-Za-z_-]{32,64}`),
			Entropy:     3.5,
			MaxLength:   140,
		},
		{
			ID:               "private-packagist-token",
			Description:      "Private Packagist organization, user or conductor token",
			Severity:         result.SeverityHigh,
			Keywords:         []string{"packagist_ort_", "packagist_out_", "packagist_uut_", "packagist_cut_"},
			Regex:            `\b(packagist_(?:ort|out|uut|cut)_[0-9a-f]{68})\b`,
			Validate:         func(s string) bool { return infraCRC32Hex(s, 0) },
			KeepPlaceholders: true,
			MaxLength:        100,
		},
		{
			ID:          "artifactory-api-key",
			Description: "JFrog Artifactory API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"akcp"},
			Regex:       `\b(AKCp[0-9A-Za-z]{69})\b`,
			Entropy:     4,
			MaxLength:   100,
		},
		{
			ID:          "artifactory-reference-token",
			Description: "JFrog Artifactory reference token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"cmvmdgtu"},
			// base64 of "reftkn:01:<expiry>:<random>".
			Regex: `\b(cmVmdGtuOjAxOj[A-Za-z0-9+/]{40,60}={0,2})(?:[^A-Za-z0-9+/=]|$)`,
			Validate: func(s string) bool {
				b, ok := infraBase64(s)
				rest, found := bytes.CutPrefix(b, []byte("reftkn:01:"))
				expiry, _, colon := bytes.Cut(rest, []byte(":"))
				return ok && found && colon && len(expiry) > 0 && len(bytes.Trim(expiry, "0123456789")) == 0
			},
			Entropy:   4,
			MaxLength: 100,
		},
		{
			ID:          "quay-robot-token",
			Description: "Quay robot account token, near a Quay name or a robot (namespace+name) login",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"quay"},
			Regex: infraAssigned("secret", `quay[\w.-]{0,20}(?:token|password|passwd|pwd|secret)`, `[0-9A-Za-z]{32,100}`) + `|` +
				`(?:-u|--username)[= ]["']?[0-9a-z_-]+\+[0-9a-z_]+["']?[ \t]+(?:-p|--password)[= ]["']?(?P<secret2>[0-9A-Za-z]{32,100})\b`,
			Entropy:   3.5,
			MaxLength: 300,
		},
		{
			ID:          "nuget-config-password",
			Description: "Package source password in NuGet.config (ClearTextPassword or Password)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"cleartextpassword", "packagesourcecredentials"},
			Regex:       `(?i)<add\s+key\s*=\s*"(?:ClearText)?Password"\s+value\s*=\s*"(?P<secret>[^"\r\n]{4,1000})"`,
			Entropy:     2.5,
			MaxLength:   1200,
		},
	}
}

// validPyPIToken decodes a PyPI token's macaroon and checks its location.
func validPyPIToken(s string) bool {
	b, ok := infraBase64(strings.TrimPrefix(s, "pypi-"))
	return ok && (bytes.HasPrefix(b, []byte("\x02\x01\x08pypi.org")) || bytes.HasPrefix(b, []byte("\x02\x01\x0dtest.pypi.org")))
}

// userColonPassword reports base64 that decodes to printable "user:password"
// with a user and a password of six characters or more that is not a
// placeholder (user:password, joe:hello).
func userColonPassword(s string) bool {
	b, ok := infraBase64(s)
	if !ok || !printableText(b) {
		return false
	}
	user, pass, ok := strings.Cut(string(b), ":")
	return ok && user != "" && len(pass) >= 6 && !IsPlaceholder(pass) && plausiblePassword(pass)
}

// printableBase64 reports base64 that decodes to at least four printable
// characters.
func printableBase64(s string) bool {
	b, ok := infraBase64(s)
	return ok && len(b) >= 4 && printableText(b)
}

// printableText reports bytes that are all printable ASCII.
func printableText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// knownTokenPrefix reports tokens that rules of their own find (and
// check) wherever they are: a configuration rule leaves them alone.
func knownTokenPrefix(s string) bool {
	for _, p := range []string{"npm_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-",
		"AKCp", "cmVmdGtu", "pypi-", "dckr_pat_", "dckr_oat_"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
