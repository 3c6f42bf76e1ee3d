package secrets

import (
	"strings"

	"github.com/shipshape-dev/shipshape/result"
)

// saasRules find credentials of other hosted services.
func saasRules() []Rule {
	uuid := `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
	return []Rule{
		{
			ID:          "shopify-access-token",
			Description: "Shopify access token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"shpat_"},
			Regex:       `\b(shpat_[a-fA-F0-9]{32})\b`,
		},
		{
			ID:          "notion-api-token",
			Description: "Notion integration token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"ntn_", "notion"},
			// ntn_, 11 digits and 35 base62 characters; the older secret_
			// form (43 characters) by the vendor's name.
			Regex: `(?:\b(?P<secret1>ntn_[0-9]{11}[A-Za-z0-9]{35})\b|` +
				vendorAssigned(`notion`, `(?P<secret2>secret_[A-Za-z0-9]{43})`) + `)`,
			Entropy:   4,
			MaxLength: 200,
		},
		{
			ID:          "airtable-personnal-access-token",
			Description: "Airtable personal access token",
			Severity:    result.SeverityHigh,
			// "pat" is no keyword: windows open at the vendor's name.
			Keywords:  []string{"airtable"},
			Regex:     `\b(pat[A-Za-z0-9]{14}\.[a-f0-9]{64})\b`,
			Entropy:   3.5,
			MaxLength: 300,
		},
		{
			ID:          "linear-api-key",
			Description: "Linear personal API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"lin_api_"},
			Regex:       `\b(lin_api_[A-Za-z0-9]{40})\b`,
			Entropy:     4,
			MaxLength:   60,
		},
		{
			ID:          "figma-personal-access-token",
			Description: "Figma personal access token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"figd_", "figp_"},
			Regex:       `\b(fig[dp]_[A-Za-z0-9_=-]{40,54})(?:[^A-Za-z0-9_=-]|$)`,
			Entropy:     4,
			MaxLength:   70,
		},
		{
			ID:          "typeform-api-token",
			Description: "Typeform personal access token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"tfp_"},
			Regex:       `\b(tfp_[A-Za-z0-9_=-]{40,64})(?:[^A-Za-z0-9_=-]|$)`,
			Entropy:     4,
			MaxLength:   80,
		},
		{
			ID:          "contentful-personal-access-token",
			Description: "Contentful personal access token (management API)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"cfpat-"},
			// CFPAT- and 43 base64url characters, or 64 hex digits in
			// older tokens.
			Regex:     `\b(CFPAT-(?:[0-9a-f]{64}|[A-Za-z0-9_-]{43}))(?:[^A-Za-z0-9_-]|$)`,
			Entropy:   3.5,
			MaxLength: 90,
		},
		{
			ID:          "contentful-delivery-api-token",
			Description: "Contentful delivery or preview API token",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"contentful"},
			Regex:       vendorAssigned(`contentful[\w.-]{0,30}(?:delivery|preview|cda|cpa|access)`, `(?P<secret>[0-9a-f]{64}|[A-Za-z0-9_-]{43})`),
			Entropy:     3.5,
			MaxLength:   200,
		},
		{
			ID:          "postman-api-token",
			Description: "Postman API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"pmak-"},
			Regex:       `\b(PMAK-[0-9a-f]{24}-[0-9a-f]{34})\b`,
			Entropy:     3.5,
			MaxLength:   80,
		},
		{
			ID:          "mapbox-secret-token",
			Description: "Mapbox secret access token",
			Severity:    result.SeverityHigh,
			// sk. and a base64url JSON payload naming the user; pk. tokens
			// are public.
			Keywords: []string{"sk.eyj"},
			Regex:    `\b(sk\.eyJ[A-Za-z0-9_-]{10,300}\.[A-Za-z0-9_-]{20,40})\b`,
			Validate: func(s string) bool {
				parts := strings.Split(s, ".")
				if len(parts) != 3 {
					return false
				}
				m := base64JSON(parts[1])
				return m != nil && m["u"] != nil
			},
			MaxLength:        360,
			KeepPlaceholders: true,
		},
		{
			ID:          "algolia-api-key",
			Description: "Algolia admin or write API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"algolia"},
			Regex:       vendorAssigned(`(?P<key>algolia[\w.-]{0,40})`, `(?P<secret>[0-9a-f]{32})`),
			Entropy:     3,
			MaxLength:   200,
			// Search-only keys are public by design.
			check: func(c *candidate) bool {
				k := strings.ToLower(c.key)
				return !strings.Contains(k, "search") && !strings.Contains(k, "public")
			},
		},
		{
			ID:          "dropbox-short-lived-api-token",
			Description: "Dropbox short-lived access token",
			Severity:    result.SeverityHigh,
			// "sl." occurs inside words: windows open at the delimited
			// forms and at the vendor's name.
			Keywords:  append(delimitedKeywords("sl."), "dropbox"),
			Regex:     `\b(sl\.(?:u\.)?[A-Za-z0-9_-]{130,1000}[A-Za-z0-9_-]{0,800})(?:[^A-Za-z0-9_-]|$)`,
			Entropy:   4.5,
			MaxLength: 1850,
			// A thousand random characters hold "todo" or "fake" now and
			// then; the entropy floor rejects masks and templates.
			KeepPlaceholders: true,
		},
		{
			ID:          "dropbox-long-lived-api-token",
			Description: "Dropbox long-lived access token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"dropbox"},
			Regex:       vendorAssigned(`dropbox`, `(?P<secret>[A-Za-z0-9]{11}AAAAAAAAAA[A-Za-z0-9_=-]{43})`),
			Entropy:     3.5,
			MaxLength:   200,
		},
		{
			ID:          "hubspot-private-app-token",
			Description: "HubSpot private app access token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"pat-na", "pat-eu", "pat-ap"},
			// pat-, the data center (na1, eu1, …) and a UUID.
			Regex:     `\b(pat-(?:na|eu|ap)[0-9]-` + uuid + `)\b`,
			MaxLength: 60,
		},
		{
			ID:          "hubspot-api-key",
			Description: "HubSpot legacy API key (hapikey)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"hubspot", "hapikey"},
			Regex:       vendorAssigned(`hubspot|hapikey`, `(?P<secret>`+uuid+`)`),
			Entropy:     3,
			MaxLength:   200,
		},
		{
			ID:          "asana-personal-access-token",
			Description: "Asana personal access token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"asana"},
			// 1/ or 2/, the user's (and app's) numeric ids, a colon and 32
			// hex digits, near the vendor's name.
			Regex:     `\b([12]/[0-9]{10,20}(?:/[0-9]{10,20})?:[0-9a-f]{32})\b`,
			Entropy:   3,
			MaxLength: 250,
		},
		{
			ID:          "asana-client-secret",
			Description: "Asana OAuth client secret",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"asana"},
			Regex:       vendorAssigned(`asana[\w.-]{0,30}secret`, `(?P<secret>[A-Za-z0-9]{32})`),
			Entropy:     3.5,
			MaxLength:   200,
		},
		{
			ID:          "prefect-api-token",
			Description: "Prefect Cloud API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"pnu_"},
			Regex:       `\b(pnu_[A-Za-z0-9]{36})\b`,
			Entropy:     4,
			MaxLength:   60,
		},
		{
			ID:          "readme-api-token",
			Description: "ReadMe API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"rdme_"},
			Regex:       `\b(rdme_[a-z0-9]{70})\b`,
			Entropy:     4,
			MaxLength:   90,
		},
		{
			ID:          "ngrok-auth-token",
			Description: "ngrok authtoken or API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"ngrok"},
			// 2, 26 base62 characters, an underscore, a digit and 20 more,
			// near the vendor's name.
			Regex:     `\b(2[A-Za-z0-9]{26}_[0-9][A-Za-z0-9]{20})\b`,
			Entropy:   4,
			MaxLength: 250,
		},
		{
			ID:          "cloudinary-url",
			Description: "Cloudinary URL with API secret",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"cloudinary://"},
			// cloudinary://api_key:api_secret@cloud_name
			Regex:     `\bcloudinary://[0-9]{12,16}:([A-Za-z0-9_-]{20,40})@[A-Za-z0-9_-]+`,
			Entropy:   3.5,
			MaxLength: 120,
		},
		{
			ID:          "zoom-client-secret",
			Description: "Zoom app client or API secret",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"zoom"},
			Regex:       vendorAssigned(`zoom[\w.-]{0,30}(?:client|api|sdk)[_.-]?secret`, `(?P<secret>[A-Za-z0-9]{32})`),
			Entropy:     3.5,
			MaxLength:   200,
		},
		{
			ID:          "twitch-api-token",
			Description: "Twitch client secret or OAuth token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"twitch"},
			Regex:       vendorAssigned(`twitch`, `(?P<secret>[a-z0-9]{30})`),
			Entropy:     3.5,
			MaxLength:   200,
		},
		{
			ID:          "frameio-api-token",
			Description: "Frame.io developer token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"fio-u-"},
			Regex:       `\b(fio-u-[A-Za-z0-9_=-]{64})(?:[^A-Za-z0-9_=-]|$)`,
			Entropy:     4,
			MaxLength:   90,
		},
		{
			ID:          "freshdesk-api-key",
			Description: "Freshdesk API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"freshdesk"},
			Regex:       vendorAssigned(`freshdesk`, `(?P<secret>[A-Za-z0-9]{20})`),
			Entropy:     3.5,
			MaxLength:   200,
		},
		{
			ID:          "zapier-webhook-url",
			Description: "Zapier catch hook URL",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"hooks.zapier.com"},
			Regex:       `(https://hooks\.zapier\.com/hooks/catch/[0-9]{4,12}/[A-Za-z0-9]{5,12})\b`,
			MaxLength:   120,
		},
	}
}
