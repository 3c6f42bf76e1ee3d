package secrets

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/shipshape-dev/shipshape/result"
)

// identityRules find tokens of identity providers and signed credentials.
func identityRules() []Rule {
	return []Rule{
		{
			ID:          "jwt",
			Description: "JSON Web Token",
			Severity:    result.SeverityMedium,
			// The header is a JSON object: base64url of `{"` is "eyJ".
			Keywords:         []string{"eyj"},
			Regex:            `\b(eyJ[A-Za-z0-9_-]{8,}={0,2}\.eyJ[A-Za-z0-9_-]{8,}={0,2}\.[A-Za-z0-9_-]{16,}={0,2})`,
			Validate:         validJWT,
			KeepPlaceholders: true,
		},
		{
			ID:          "okta-access-token",
			Description: "Okta API token (SSWS)",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"okta", "ssws "},
			// "okta" inside a word (rookTable) opens no window.
			wordKeywords: true,
			// "00" and 40 base64url characters, near the vendor's name or
			// an "SSWS" authorization header (also in layouts that put the
			// name on another line, such as Hadoop XML).
			Regex:     `(?:^|[^A-Za-z0-9_-])(00[A-Za-z0-9_-]{40})(?:[^A-Za-z0-9_-]|$)`,
			Entropy:   4,
			MaxLength: 200,
		},
		{
			ID:          "auth0-client-secret",
			Description: "Auth0 application client secret",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"auth0"},
			Regex:       vendorAssigned(`auth0[\w.-]{0,30}secret`, `(?P<secret>[A-Za-z0-9_-]{32,128})`),
			Entropy:     4,
			MaxLength:   250,
		},
		{
			ID:          "clerk-secret-key",
			Description: "Clerk live secret key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"clerk"},
			// Clerk shares Stripe's sk_live_ prefix: the vendor name tells
			// them apart (the Stripe rule skips lines that name Clerk).
			Regex:     vendorAssigned(`clerk`, `(?P<secret>sk_live_[A-Za-z0-9]{30,64})`),
			Entropy:   4,
			MaxLength: 200,
		},
		{
			ID:          "1password-secret-key",
			Description: "1Password account Secret Key",
			Severity:    result.SeverityCritical,
			// "A3-" is short: it opens windows only after a delimiter.
			Keywords: delimitedKeywords("a3-"),
			// A3, the account id, then the key proper in groups of five or six.
			Regex:     `\b(A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})\b`,
			Entropy:   3.5,
			MaxLength: 60,
		},
		{
			ID:          "1password-service-account-token",
			Description: "1Password service account token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"ops_eyj"},
			// ops_ and a base64 JSON object.
			Regex: `\b(ops_eyJ[A-Za-z0-9+/]{250,1000}[A-Za-z0-9+/]{0,1000}={0,3})`,
			Validate: func(s string) bool {
				return base64JSON(strings.TrimPrefix(s, "ops_")) != nil
			},
			MaxLength:        2100,
			KeepPlaceholders: true,
		},
		{
			ID:          "facebook-page-access-token",
			Description: "Facebook (Meta) user or page access token",
			Severity:    result.SeverityHigh,
			// "EAA" is short: it opens windows only after a delimiter.
			Keywords: delimitedKeywords("eaa"),
			// EAA and 100 or more base62 characters. Square's EAAA tokens
			// have 64 characters in all and never match.
			Regex:     `\b(EAA[A-Za-z0-9]{100,400})\b`,
			Entropy:   4.5,
			MaxLength: 420,
		},
		{
			ID:          "facebook-access-token",
			Description: "Facebook app access token (app id|app secret)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"facebook", "fb_access_token", "fb_app_token"},
			Regex:       `\b(\d{15,16}(?:\||%7[Cc])[A-Za-z0-9_-]{27,40})(?:[^A-Za-z0-9_-]|$)`,
			Entropy:     3.5,
			MaxLength:   300,
		},
		{
			ID:          "facebook-secret",
			Description: "Facebook app secret",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"facebook", "fb_app_secret", "fb_secret", "fbappsecret", "fb-app-secret"},
			Regex:       vendorAssigned(`facebook[\w.-]{0,30}secret|fb[_.-]?(?:app[_.-]?)?secret`, `(?P<secret>[0-9a-f]{32})`),
			Entropy:     3,
			MaxLength:   200,
		},
		{
			ID:          "twitter-bearer-token",
			Description: "Twitter (X) app-only bearer token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"aaaaaaaaaaaaaaaaaaaa"},
			// A run of A's, the app's base64 id, an URL-encoded (or plain)
			// "=" and the secret part.
			Regex:     `\b(A{20,24}[A-Za-z0-9%]{20,80}(?:%3D|=)[A-Za-z0-9]{40,60})\b`,
			Entropy:   3.5,
			MaxLength: 200,
			Allowlists: []Allowlist{{
				Description: "the example in Twitter's documentation",
				Regexes:     []string{`^AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI`},
			}},
		},
		{
			ID:          "twitter-api-secret",
			Description: "Twitter (X) API key secret (consumer secret)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"twitter"},
			Regex:       vendorAssigned(`twitter`, `(?P<secret>[A-Za-z0-9]{50})`),
			Entropy:     4,
			MaxLength:   200,
		},
		{
			ID:          "twitter-access-secret",
			Description: "Twitter (X) access token secret",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"twitter"},
			Regex:       vendorAssigned(`twitter`, `(?P<secret>[A-Za-z0-9]{45})`),
			Entropy:     4,
			MaxLength:   200,
		},
		{
			ID:          "twitter-access-token",
			Description: "Twitter (X) user access token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"twitter"},
			// The user's numeric id, a hyphen and the token.
			Regex:     vendorAssigned(`twitter`, `(?P<secret>[0-9]{5,25}-[A-Za-z0-9]{20,50})`),
			Entropy:   3.5,
			MaxLength: 200,
		},
		{
			ID:          "linkedin-client-secret",
			Description: "LinkedIn OAuth client secret",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"wpl_ap1.", "linkedin", "linked_in", "linked-in"},
			// WPL_AP1., 16 characters, a dot and six base64 characters with
			// their padding; older secrets are 16 characters assigned to a
			// name that mentions LinkedIn.
			Regex: `(?:\b(?P<secret1>WPL_AP1\.[A-Za-z0-9]{16}\.[A-Za-z0-9+/]{6}==)|` +
				vendorAssigned(`linked[_.-]?in[\w.-]{0,30}secret`, `(?P<secret2>[A-Za-z0-9]{16})`) + `)`,
			Entropy:   3,
			MaxLength: 200,
		},
		{
			ID:          "stytch-project-secret",
			Description: "Stytch live project secret",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"secret-live-"},
			Regex:       `\b(secret-live-[A-Za-z0-9_=-]{28,64})(?:[^A-Za-z0-9_=-]|$)`,
			Entropy:     4,
			MaxLength:   100,
		},
		{
			ID:          "workos-api-key",
			Description: "WorkOS API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"workos"},
			Regex:       vendorAssigned(`workos`, `(?P<secret>sk_[A-Za-z0-9_]{20,120})`),
			Entropy:     4,
			// Test-environment keys reach no real users.
			Validate:  func(s string) bool { return !strings.HasPrefix(s, "sk_test_") },
			MaxLength: 250,
		},
		{
			ID:          "keycloak-client-secret",
			Description: "Keycloak client secret",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"keycloak"},
			Regex:       vendorAssigned(`keycloak[\w.-]{0,30}secret`, `(?P<secret>[A-Za-z0-9]{32})`),
			Entropy:     3.5,
			MaxLength:   200,
		},
	}
}

// vendorAssigned returns an expression for a value assigned to a name
// that mentions a vendor, in the shapes of most languages and formats:
// the name (an identifier matching names, case-insensitively), an
// optional closing quote or bracket, an assignment operator, an optional
// opening quote, the value (matched case-sensitively; it carries the
// secret's group) and a character that ends it. The expression is one
// group, so that it combines with others by alternation.
func vendorAssigned(names, value string) string {
	return `(?:(?i)(?:` + names + `)[\w.-]{0,40}["'\]]?` + declaredType + `[ \t]{0,5}(?:=|:=|::=|:::=|:|=>|\?=|\?\?=|\.=|,)[ \t]{0,5}["'` + "`" + `]?(?-i:` +
		value + `)(?:["'` + "`" + `\s;,)}\]<&]|\\[nrt]|$))`
}

// delimitedKeywords returns a short token prefix preceded by each byte
// that can start a value: quotes, an assignment, white space. A prefix of
// two or three letters occurs inside many words ("msg." holds "sg."); the
// delimited forms open windows only where a token can begin.
func delimitedKeywords(prefix string) []string {
	var out []string
	for _, d := range []string{`"`, `'`, "`", "=", ":", " ", "\t", "\n"} {
		out = append(out, d+prefix)
	}
	return out
}

// base64JSON decodes standard or URL-safe base64, padded or not, and
// parses the result as a JSON object; nil when it is neither.
func base64JSON(s string) map[string]any {
	s = strings.TrimRight(s, "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		b, err := enc.DecodeString(s)
		if err != nil {
			continue
		}
		var m map[string]any
		if json.Unmarshal(b, &m) == nil && m != nil {
			return m
		}
	}
	return nil
}
