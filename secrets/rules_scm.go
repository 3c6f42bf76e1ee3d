package secrets

import (
	"encoding/base64"
	"hash/crc32"
	"strconv"
	"strings"

	"github.com/shipshape-dev/shipshape/result"
)

// scmRules find credentials of source hosting and CI services.
func scmRules() []Rule {
	rules := []Rule{
		// GitHub: a prefix, 30 base62 characters and their CRC32 in six
		// more (see crc32Base62).
		{
			ID:               "github-pat",
			Description:      "GitHub personal access token (classic)",
			Severity:         result.SeverityCritical,
			Keywords:         []string{"ghp_"},
			Regex:            `\b(ghp_[0-9A-Za-z]{36})\b`,
			Validate:         func(s string) bool { return crc32Base62(s, 4) },
			KeepPlaceholders: true,
			MaxLength:        60,
		},
		{
			ID:               "github-oauth",
			Description:      "GitHub OAuth access token",
			Severity:         result.SeverityCritical,
			Keywords:         []string{"gho_"},
			Regex:            `\b(gho_[0-9A-Za-z]{36})\b`,
			Validate:         func(s string) bool { return crc32Base62(s, 4) },
			KeepPlaceholders: true,
			MaxLength:        60,
		},
		{
			ID:          "github-app-token",
			Description: "GitHub App user-to-server (ghu_) or installation (ghs_) token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"ghu_", "ghs_"},
			// Installation tokens also come as ghs_<app id>_<JWT>.
			Regex: `\b(?P<secret>gh[us]_[0-9A-Za-z]{36})\b|` +
				`\b(?P<secret2>ghs_[0-9]{1,20}_eyJ[0-9A-Za-z_-]{10,200}\.eyJ[0-9A-Za-z_-]{10,800}\.[0-9A-Za-z_-]{20,700})(?:[^0-9A-Za-z_.-]|$)`,
			Validate: func(s string) bool {
				if len(s) == 40 {
					return crc32Base62(s, 4)
				}
				_, jwt, ok := strings.Cut(s[len("ghs_"):], "_")
				return ok && validJWT(jwt)
			},
			KeepPlaceholders: true,
			MaxLength:        1800,
		},
		{
			ID:          "github-refresh-token",
			Description: "GitHub App refresh token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"ghr_"},
			// Refresh tokens are 76 characters after the prefix; a 36
			// character one must carry the checksum of the other kinds.
			Regex: `\b(ghr_(?:[0-9A-Za-z]{76}|[0-9A-Za-z]{36}))\b`,
			Validate: func(s string) bool {
				return len(s) != 40 || crc32Base62(s, 4)
			},
			Entropy:   4,
			MaxLength: 100,
		},
		{
			ID:          "github-fine-grained-pat",
			Description: "GitHub fine-grained personal access token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"github_pat_"},
			Regex:       `\b(github_pat_[0-9A-Za-z]{22}_[0-9A-Za-z]{59})\b`,
			Entropy:     4,
			MaxLength:   110,
		},

		// Atlassian: Bitbucket Cloud and Atlassian Cloud tokens end with
		// the hexadecimal CRC32 of what precedes it.
		{
			ID:               "atlassian-api-token",
			Description:      "Atlassian Cloud API token (Jira, Confluence, Bitbucket)",
			Severity:         result.SeverityCritical,
			Keywords:         []string{"atatt3"},
			Regex:            `\b(ATATT3[0-9A-Za-z_=-]{60,400}[0-9A-Fa-f]{8})(?:[^0-9A-Za-z_=-]|$)`,
			Validate:         func(s string) bool { return infraCRC32Hex(s, 0) },
			KeepPlaceholders: true,
			MaxLength:        440,
		},
		{
			ID:               "bitbucket-app-password",
			Description:      "Bitbucket Cloud app password",
			Severity:         result.SeverityCritical,
			Keywords:         []string{"atbb"},
			Regex:            `\b(ATBB[0-9A-Za-z]{24}[0-9A-Fa-f]{8})\b`,
			Validate:         func(s string) bool { return infraCRC32Hex(s, 0) },
			KeepPlaceholders: true,
			MaxLength:        60,
		},
		{
			ID:               "bitbucket-access-token",
			Description:      "Bitbucket Cloud repository, project or workspace access token",
			Severity:         result.SeverityCritical,
			Keywords:         []string{"atctt3"},
			Regex:            `\b(ATCTT3[0-9A-Za-z_=-]{60,400}[0-9A-Fa-f]{8})(?:[^0-9A-Za-z_=-]|$)`,
			Validate:         func(s string) bool { return infraCRC32Hex(s, 0) },
			KeepPlaceholders: true,
			MaxLength:        440,
		},
		{
			ID:          "bitbucket-data-center-token",
			Description: "Bitbucket Data Center HTTP access token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"bbdc-"},
			// base64 of "<numeric id>:<random bytes>".
			Regex:     `\b(BBDC-[A-Za-z0-9+/]{40,60}={0,2})(?:[^A-Za-z0-9+/=]|$)`,
			Validate:  func(s string) bool { return numericColonPayload(s[len("BBDC-"):]) },
			MaxLength: 90,
		},

		// CI services.
		{
			ID:          "circleci-personal-access-token",
			Description: "CircleCI personal API token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"ccipat_"},
			Regex:       `\b(CCIPAT_[0-9A-Za-z]{22}_[0-9a-f]{40})\b`,
			Entropy:     3.5,
			MaxLength:   90,
		},
		{
			ID:          "circleci-project-token",
			Description: "CircleCI project API token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"cciprj_"},
			Regex:       `\b(CCIPRJ_[0-9A-Za-z]{22}_[0-9a-f]{40})\b`,
			Entropy:     3.5,
			MaxLength:   90,
		},
		{
			ID:          "buildkite-api-token",
			Description: "Buildkite API access token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"bkua_"},
			// Newer tokens put a short region tag and a dot before the
			// 40 hexadecimal digits.
			Regex:     `\b(bkua_(?:[0-9A-Za-z]{2,12}\.)?[0-9a-f]{40})\b`,
			Entropy:   3,
			MaxLength: 80,
		},
		{
			ID:          "harness-api-key",
			Description: "Harness personal (pat.) or service account (sat.) token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"pat.", "sat."},
			// <kind>.<account id>.<token id>.<secret>.
			Regex:     `\b((?:pat|sat)\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z]{24}\.[0-9A-Za-z]{20})\b`,
			Entropy:   4,
			MaxLength: 90,
		},
		{
			ID:          "octopus-deploy-api-key",
			Description: "Octopus Deploy API key on a line that names Octopus",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"octopus"},
			// API- and 25 to 32 upper-case letters and digits; the prefix
			// is too common to look for alone.
			Regex: `(?i:octopus)[^\r\n]{0,200}?\b(?P<secret>API-[0-9A-Z]{25,32})\b|` +
				`\b(?P<secret2>API-[0-9A-Z]{25,32})\b[^\r\n]{0,200}?(?i:octopus)`,
			Entropy:   3.5,
			MaxLength: 260,
		},

		// Artifact, quality and security services used from CI.
		{
			ID:          "jfrog-identity-token",
			Description: "JFrog identity token assigned to a JFrog or Artifactory name",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"jfrog", "artifactory"},
			Regex:       infraAssigned("secret", `(?:jfrog|artifactory)[\w.-]{0,20}(?:token|key|password|secret)`, `[0-9A-Za-z]{64}`),
			Entropy:     4,
			MaxLength:   180,
		},
		{
			ID:          "sonar-api-token",
			Description: "SonarQube or SonarCloud token (squ_/sqp_/sqa_, or assigned to sonar.login/SONAR_TOKEN)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"squ_", "sqp_", "sqa_", "sonar"},
			Regex: `\b(?P<secret>sq[upa]_[0-9a-f]{40})\b|` +
				infraAssigned("secret2", `sonar[_.-]?(?:login|token)`, `[0-9a-f]{40}`),
			Entropy:   3,
			MaxLength: 120,
		},
		{
			ID:          "snyk-api-token",
			Description: "Snyk API token assigned to a Snyk name",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"snyk"},
			Regex:       infraAssigned("secret", `snyk[\w.-]{0,20}(?:token|key)`, infraUUID),
			Entropy:     3.3,
			MaxLength:   140,
		},
		{
			ID:          "codecov-access-token",
			Description: "Codecov upload or API token assigned to a Codecov name",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"codecov"},
			Regex:       infraAssigned("secret", `codecov[\w.-]{0,20}token`, infraUUID+`|[0-9a-f]{32}|[0-9a-f]{40}`),
			Entropy:     3.3,
			MaxLength:   140,
		},
		{
			ID:          "sourcegraph-access-token",
			Description: "Sourcegraph access token (sgp_, or assigned to a Sourcegraph name)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"sgp_", "sourcegraph"},
			// sgp_<instance id or "local">_<40 hex>, or sgp_<40 hex>.
			Regex: `\b(?P<secret>sgp_(?:(?:[0-9a-f]{16}|local)_)?[0-9a-f]{40})\b|` +
				infraAssigned("secret2", `sourcegraph[\w.-]{0,20}(?:token|key)`, `[0-9a-f]{40}`),
			Entropy:   3,
			MaxLength: 140,
		},
	}
	return append(rules, gitlabRules()...)
}

// gitlabRules find GitLab tokens: a prefix, then 20 characters (the
// legacy form, kept where it differs) or a routable token, whose payload,
// length and CRC32 gitlabRoutable checks.
func gitlabRules() []Rule {
	type token struct {
		id, desc string
		sev      result.Severity
		prefix   string // a regular expression
		keywords []string
		legacy   string // body of the legacy form, or "" for routable only
		routable bool
	}
	const body20 = `[0-9A-Za-z_-]{20}`
	var rules []Rule
	for _, t := range []token{
		{"gitlab-pat", "GitLab personal, project or group access token", result.SeverityCritical,
			`glpat-`, []string{"glpat-"}, body20, false},
		{"gitlab-pat-routable", "GitLab personal, project or group access token (routable)", result.SeverityCritical,
			`glpat-`, []string{"glpat-"}, "", true},
		{"gitlab-deploy-token", "GitLab deploy token", result.SeverityHigh,
			`gldt-`, []string{"gldt-"}, body20, true},
		{"gitlab-ptt", "GitLab pipeline trigger token", result.SeverityHigh,
			`glptt-`, []string{"glptt-"}, `[0-9a-f]{40}`, true},
		{"gitlab-runner-authentication-token", "GitLab runner authentication token", result.SeverityHigh,
			`glrt-`, []string{"glrt-"}, body20, false},
		{"gitlab-runner-authentication-token-routable", "GitLab runner authentication token (routable)", result.SeverityHigh,
			`glrtr?-(?:t\d_)?`, []string{"glrt-", "glrtr-"}, "", true},
		{"gitlab-cicd-job-token", "GitLab CI/CD job token", result.SeverityMedium,
			`glcbt-`, []string{"glcbt-"}, `[0-9A-Za-z]{1,5}_` + body20, true},
		{"gitlab-scim-token", "GitLab SCIM token", result.SeverityHigh,
			`glsoat-`, []string{"glsoat-"}, body20, true},
		{"gitlab-feed-token", "GitLab feed token", result.SeverityMedium,
			`glft-`, []string{"glft-"}, body20, true},
		{"gitlab-incoming-mail-token", "GitLab incoming email token", result.SeverityMedium,
			`glimt-`, []string{"glimt-"}, `[0-9A-Za-z_-]{25}`, true},
		{"gitlab-kubernetes-agent-token", "GitLab agent for Kubernetes token", result.SeverityCritical,
			`glagent-`, []string{"glagent-"}, `[0-9A-Za-z_-]{50}`, true},
		{"gitlab-oauth-app-secret", "GitLab OAuth application secret", result.SeverityHigh,
			`gloas-`, []string{"gloas-"}, `[0-9a-f]{64}`, true},
		{"gitlab-feature-flag-client-token", "GitLab feature flags client token", result.SeverityLow,
			`glffct-`, []string{"glffct-"}, body20, true},
		{"gitlab-rrt", "GitLab runner registration token", result.SeverityHigh,
			`GR1348941`, []string{"gr1348941"}, body20, false},
	} {
		var alts []string
		if t.routable {
			alts = append(alts, gitlabRoutableBody)
		}
		if t.legacy != "" {
			alts = append(alts, t.legacy)
		}
		r := Rule{
			ID:          t.id,
			Description: t.desc,
			Severity:    t.sev,
			Keywords:    t.keywords,
			// A routable body is tried first: a legacy body is a prefix
			// of it.
			Regex:     `\b(` + t.prefix + `(?:` + strings.Join(alts, "|") + `))(?:[^0-9A-Za-z_-]|$)`,
			Entropy:   3,
			MaxLength: 360,
		}
		if t.routable {
			r.Validate = func(s string) bool { return !strings.Contains(s, ".") || gitlabRoutable(s) }
		}
		rules = append(rules, r)
	}
	return rules
}

// gitlabRoutableBody is a routable token after its prefix: the base64url
// payload (at least 27 characters), a dot, its length in two base36
// digits and the CRC32 of everything before in seven.
const gitlabRoutableBody = `[0-9A-Za-z_-]{27,320}\.[0-9a-z]{2}[0-9a-z]{7}`

// gitlabRoutable checks a routable GitLab token: the base36 CRC32 of
// everything up to the length field, and a length field that fits.
func gitlabRoutable(s string) bool {
	dot := strings.LastIndexByte(s, '.')
	if dot < 0 || len(s)-dot != 10 {
		return false
	}
	n, err := strconv.ParseUint(s[dot+1:dot+3], 36, 16)
	if err != nil || n == 0 || int(n) > dot {
		return false
	}
	sum, err := strconv.ParseUint(s[dot+3:], 36, 64)
	return err == nil && sum == uint64(crc32.ChecksumIEEE([]byte(s[:dot+3])))
}

// numericColonPayload reports base64 that decodes to a decimal id, a
// colon and at least 16 more bytes: the structure of Atlassian Data
// Center tokens.
func numericColonPayload(s string) bool {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
		if err != nil {
			return false
		}
	}
	i := strings.IndexByte(string(b), ':')
	if i < 1 || i > 20 || len(b)-i-1 < 16 {
		return false
	}
	_, err = strconv.ParseUint(string(b[:i]), 10, 64)
	return err == nil
}
