package secrets

import (
	"encoding/hex"
	"hash/crc32"
	"strings"

	"github.com/shipshape-dev/shipshape/result"
)

// monitoringRules find credentials of monitoring and observability
// services.
func monitoringRules() []Rule {
	uuid := `[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}`
	datadog := []string{"datadog", "dd_api_key", "dd_app_key", "dd_application_key", "dd-api-key", "dd-application-key",
		"ddapikey", "ddappkey", "ddapplicationkey"}
	datadogNames := `datadog|dd[_-]?(?:api|app|application)[_-]?key`
	return []Rule{
		{
			ID:          "new-relic-user-api-key",
			Description: "New Relic user API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"nrak-"},
			Regex:       `\b(NRAK-[A-Z0-9]{27})\b`,
		},
		{
			ID:          "new-relic-insert-key",
			Description: "New Relic insert (Insights event) key",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"nrii-"},
			Regex:       `\b(NRII-[A-Za-z0-9_-]{32})(?:[^A-Za-z0-9_-]|$)`,
			Entropy:     3.5,
			MaxLength:   60,
		},
		{
			ID:          "new-relic-browser-api-token",
			Description: "New Relic browser ingest key",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"nrjs-"},
			Regex:       `\b(NRJS-[a-f0-9]{19})\b`,
			Entropy:     3,
			MaxLength:   40,
		},
		{
			ID:          "new-relic-license-key",
			Description: "New Relic ingest license key",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"nral"},
			// 36 characters (a region prefix such as eu01xx, hex, often
			// FFFF) and the NRAL suffix.
			Regex:     `\b([a-z0-9]{6}[a-f0-9]{26}[A-Fa-f0-9]{4}NRAL)\b`,
			Entropy:   3,
			MaxLength: 60,
		},
		{
			ID:          "datadog-api-key",
			Description: "Datadog API key",
			Severity:    result.SeverityHigh,
			Keywords:    datadog,
			Regex:       vendorAssigned(datadogNames, `(?P<secret>[0-9a-f]{32})`),
			Entropy:     3,
			MaxLength:   200,
		},
		{
			ID:          "datadog-access-token",
			Description: "Datadog application key",
			Severity:    result.SeverityHigh,
			Keywords:    datadog,
			Regex:       vendorAssigned(datadogNames, `(?P<secret>[0-9a-f]{40})`),
			Entropy:     3,
			MaxLength:   200,
		},
		{
			ID:          "sentry-user-token",
			Description: "Sentry user auth token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"sntryu_"},
			Regex:       `\b(sntryu_[0-9a-f]{64})\b`,
			Entropy:     3.5,
			MaxLength:   90,
		},
		{
			ID:          "sentry-org-token",
			Description: "Sentry organization auth token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"sntrys_"},
			// sntrys_, base64 of a JSON object with the issue time and the
			// organization's URLs, an underscore and the secret.
			Regex: `\b(sntrys_eyJ[A-Za-z0-9+/]{20,600}={0,2}_[A-Za-z0-9+/]{43})(?:[^A-Za-z0-9+/]|$)`,
			Validate: func(s string) bool {
				body := strings.TrimPrefix(s, "sntrys_")
				i := strings.LastIndexByte(body, '_')
				if i < 0 {
					return false
				}
				m := base64JSON(body[:i])
				return m != nil && m["iat"] != nil
			},
			MaxLength:        700,
			KeepPlaceholders: true,
		},
		{
			ID:          "sentry-access-token",
			Description: "Sentry legacy auth token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"sentry"},
			Regex:       vendorAssigned(`sentry`, `(?P<secret>[0-9a-f]{64})`),
			Entropy:     3.5,
			MaxLength:   200,
		},
		{
			ID:          "sentry-dsn-secret",
			Description: "Secret key in a legacy Sentry DSN",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"sentry"},
			// https://public:secret@host/project: current DSNs hold only
			// the public key, which is not a secret.
			Regex:     `\bhttps?://[0-9a-f]{32}:([0-9a-f]{32})@[A-Za-z0-9.-]+(?::[0-9]{1,5})?/(?:[A-Za-z0-9._-]+/)*[0-9]+\b`,
			Entropy:   3,
			MaxLength: 250,
		},
		{
			ID:          "grafana-api-key",
			Description: "Grafana API key (legacy)",
			Severity:    result.SeverityHigh,
			// base64 of {"k":"…","n":"…","id":…}.
			Keywords:         []string{"eyjrijoi"},
			Regex:            `\b(eyJrIjoi[A-Za-z0-9+/]{40,400}={0,3})`,
			Validate:         func(s string) bool { m := base64JSON(s); return m != nil && m["n"] != nil },
			MaxLength:        420,
			KeepPlaceholders: true,
		},
		{
			ID:          "grafana-cloud-api-token",
			Description: "Grafana Cloud access policy token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"glc_"},
			// glc_ and base64 of a JSON object.
			Regex:            `\b(glc_[A-Za-z0-9+/]{32,400}={0,3})`,
			Validate:         func(s string) bool { return base64JSON(strings.TrimPrefix(s, "glc_")) != nil },
			MaxLength:        420,
			KeepPlaceholders: true,
		},
		{
			ID:          "grafana-service-account-token",
			Description: "Grafana service account token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"glsa_"},
			// 32 random characters and the hex CRC32 of the rest.
			Regex:            `\b(glsa_[A-Za-z0-9]{32}_[0-9a-f]{8})\b`,
			Validate:         validGrafanaChecksum,
			MaxLength:        60,
			KeepPlaceholders: true,
		},
		{
			ID:          "dynatrace-api-token",
			Description: "Dynatrace access token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"dt0c0", "dt0s"},
			// A type prefix, a 24-character public part and a 64-character
			// secret part, base32.
			Regex:     `\b(dt0[cs][0-9]{2}\.[A-Z2-7]{24}\.[A-Z2-7]{64})\b`,
			Entropy:   3.5,
			MaxLength: 110,
			Allowlists: []Allowlist{{
				Description: "the example in Dynatrace's documentation",
				Regexes:     []string{`^dt0s01\.ST2EY72KQINMH574WMNVI7YN\.`},
			}},
		},
		{
			ID:          "splunk-hec-token",
			Description: "Splunk HTTP Event Collector token",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"splunk"},
			// In an "Authorization: Splunk …" header or assigned to a name
			// that mentions Splunk.
			Regex:     `(?:\bSplunk[ \t]+(?P<secret1>` + uuid + `)\b|` + vendorAssigned(`splunk`, `(?P<secret2>`+uuid+`)`) + `)`,
			Entropy:   3,
			MaxLength: 200,
		},
		{
			ID:          "pagerduty-api-key",
			Description: "PagerDuty REST API key or integration key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"pagerduty", "pager_duty", "pager-duty"},
			Regex:       vendorAssigned(`pager[_.-]?duty`, `(?P<secret>[A-Za-z0-9_+-]{20}|[0-9a-f]{32})`),
			Entropy:     3.5,
			MaxLength:   200,
		},
		{
			ID:          "rollbar-access-token",
			Description: "Rollbar access token",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"rollbar"},
			Regex:       vendorAssigned(`rollbar`, `(?P<secret>[0-9a-f]{32})`),
			Entropy:     3,
			MaxLength:   200,
		},
		{
			ID:          "bugsnag-api-key",
			Description: "Bugsnag API key",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"bugsnag"},
			Regex:       vendorAssigned(`bugsnag`, `(?P<secret>[0-9a-f]{32})`),
			Entropy:     3,
			MaxLength:   200,
		},
		{
			ID:          "launchdarkly-access-token",
			Description: "LaunchDarkly API access token or server-side SDK key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"launchdarkly", "launch_darkly", "launch-darkly"},
			// api- or sdk- and a UUID, near the vendor's name (mob- keys and
			// client-side ids are public).
			Regex:     `\b((?:api|sdk)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b`,
			Entropy:   3,
			MaxLength: 250,
		},
		{
			ID:          "honeycomb-api-key",
			Description: "Honeycomb API key",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"hcaik_", "honeycomb"},
			// Ingest keys: hcaik_ and 58 base32 characters; classic keys
			// (22 characters, or 32 hex) by the vendor's name.
			Regex: `(?:\b(?P<secret1>hcaik_[0-9a-z]{58})\b|` +
				vendorAssigned(`honeycomb`, `(?P<secret2>[A-Za-z0-9]{22}|[0-9a-f]{32})`) + `)`,
			Entropy:   3.5,
			MaxLength: 200,
		},
		{
			ID:          "lightstep-access-token",
			Description: "Lightstep (Cloud Observability) access token",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"lightstep"},
			Regex:       vendorAssigned(`lightstep`, `(?P<secret>[A-Za-z0-9+/]{32,140}={0,2})`),
			Entropy:     4,
			MaxLength:   250,
		},
		{
			ID:          "logzio-api-token",
			Description: "Logz.io shipping or API token",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"logz"},
			Regex:       vendorAssigned(`logz`, `(?P<secret>[A-Za-z]{32}|`+uuid+`)`),
			Entropy:     3.5,
			MaxLength:   200,
		},
		{
			ID:          "loggly-customer-token",
			Description: "Loggly customer token",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"loggly"},
			// Assigned to a name that mentions Loggly, or in an input URL.
			Regex: `(?:\bloggly\.com/(?:inputs|bulk)/(?P<secret1>` + uuid + `)\b|` +
				vendorAssigned(`loggly`, `(?P<secret2>`+uuid+`)`) + `)`,
			Entropy:   3,
			MaxLength: 200,
		},
		{
			ID:          "sumologic-access-id",
			Description: "Sumo Logic access ID",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"sumologic", "sumo_", "sumo-"},
			Regex:       vendorAssigned(`sumo`, `(?P<secret>su[A-Za-z0-9]{12})`),
			Entropy:     3,
			MaxLength:   200,
		},
		{
			ID:          "sumologic-access-token",
			Description: "Sumo Logic access key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"sumologic", "sumo_", "sumo-"},
			Regex:       vendorAssigned(`sumo`, `(?P<secret>[A-Za-z0-9]{64})`),
			Entropy:     4,
			MaxLength:   200,
		},
		{
			ID:          "posthog-personal-api-key",
			Description: "PostHog personal API key",
			Severity:    result.SeverityHigh,
			// phx_ only: phc_ project keys are public by design.
			Keywords:  []string{"phx_"},
			Regex:     `\b(phx_[A-Za-z0-9_]{32,64})\b`,
			Entropy:   4,
			MaxLength: 80,
		},
		{
			ID:          "mixpanel-api-secret",
			Description: "Mixpanel API or service account secret",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"mixpanel"},
			// The project token is public; only secrets are flagged.
			Regex:     vendorAssigned(`mixpanel[\w.-]{0,30}secret`, `(?P<secret>[A-Za-z0-9]{32})`),
			Entropy:   3.2,
			MaxLength: 200,
		},
		{
			ID:          "amplitude-secret-key",
			Description: "Amplitude secret key",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"amplitude"},
			// The API key is public; only the secret key is flagged.
			Regex:     vendorAssigned(`amplitude[\w.-]{0,30}secret`, `(?P<secret>[0-9a-f]{32})`),
			Entropy:   3,
			MaxLength: 200,
		},
	}
}

// validGrafanaChecksum checks a Grafana service account token's suffix:
// the hex of the little-endian CRC32 (IEEE) of the token before it.
func validGrafanaChecksum(s string) bool {
	i := strings.LastIndexByte(s, '_')
	if i < 0 {
		return false
	}
	sum := crc32.ChecksumIEEE([]byte(s[:i]))
	want := hex.EncodeToString([]byte{byte(sum), byte(sum >> 8), byte(sum >> 16), byte(sum >> 24)})
	return s[i+1:] == want
}
