package secrets

import (
	"encoding/base64"
	"encoding/hex"
	"hash/crc32"
)

// grafanaSAToken builds a Grafana service account token with its checksum.
func grafanaSAToken(secret string) string {
	key := "glsa_" + secret
	sum := crc32.ChecksumIEEE([]byte(key))
	return key + "_" + hex.EncodeToString([]byte{byte(sum), byte(sum >> 8), byte(sum >> 16), byte(sum >> 24)})
}

func monitoringCases() []ruleCase {
	b64 := base64.RawStdEncoding.EncodeToString
	insert := "NRII-" + sampleToken(sampleURLSafe, 32, "nrii")
	browser := "NRJS-" + sampleToken(sampleHex, 19, "nrjs")
	license := "eu01xx" + sampleToken(sampleHex, 26, "nral") + "FFFFNRAL"
	ddAPI := sampleToken(sampleHex, 32, "dd-api")
	ddApp := sampleToken(sampleHex, 40, "dd-app")
	sentryUser := "sntryu_" + sampleToken(sampleHex, 64, "sntryu")
	sentryOrg := "sntrys_" + b64([]byte(`{"iat":1718000000.5,"url":"https://sentry.io","region_url":"https://us.sentry.io","org":"acme"}`)) +
		"_" + sampleToken(sampleBase64, 43, "sntrys")
	sentryAuth := sampleToken(sampleHex, 64, "sentry-auth")
	sentryDSNSecret := sampleToken(sampleHex, 32, "dsn-secret")
	sentryDSN := "https://" + sampleToken(sampleHex, 32, "dsn-public") + ":" + sentryDSNSecret + "@sentry.io/123456"
	grafanaKey := b64([]byte(`{"k":"` + sampleToken(base62, 32, "grafana-k") + `","n":"deploy","id":1}`))
	grafanaCloud := "glc_" + b64([]byte(`{"o":"812345","n":"stack-812345-hm-write","k":"`+sampleToken(base62, 24, "glc-k")+`","m":{"r":"prod-us-east-0"}}`))
	glsa := grafanaSAToken(sampleToken(base62, 32, "glsa"))
	dynatrace := "dt0c01." + sampleToken(sampleBase32, 24, "dt-public") + "." + sampleToken(sampleBase32, 64, "dt-secret")
	splunk := sampleUUID("splunk")
	pagerduty := "u+" + sampleToken(sampleURLSafe, 18, "pagerduty")
	pagerdutyRouting := sampleToken(sampleHex, 32, "pd-routing")
	rollbar := sampleToken(sampleHex, 32, "rollbar")
	bugsnag := sampleToken(sampleHex, 32, "bugsnag")
	launchdarkly := "sdk-" + sampleUUID("launchdarkly")
	honeycomb := "hcaik_01" + sampleToken(sampleLowerAlnum, 56, "honeycomb")
	honeycombClassic := sampleToken(sampleHex, 32, "honeycomb-classic")
	lightstep := sampleToken(sampleBase64, 84, "lightstep")
	logzio := sampleToken(sampleLetters, 32, "logzio")
	loggly := sampleUUID("loggly")
	sumoID := "su" + sampleToken(base62, 12, "sumo-id")
	sumoKey := sampleToken(base62, 64, "sumo-key")
	posthog := "phx_" + sampleToken(base62, 43, "posthog")
	mixpanel := sampleToken(base62, 32, "mixpanel")
	amplitude := sampleToken(sampleHex, 32, "amplitude")
	return []ruleCase{
		{rule: "new-relic-user-api-key", input: "NEW_RELIC_API_KEY=NRAK-7QZ2M4X9KLP3T8VW5YB6N1HRJC0", secret: "NRAK-7QZ2M4X9KLP3T8VW5YB6N1HRJC0"},
		{rule: "new-relic-user-api-key", input: "NRAK-XXXXXXXXXXXXXXXXXXXXXXXXXXX"},

		{rule: "new-relic-insert-key", input: "NEW_RELIC_INSERT_KEY=" + insert, secret: insert},
		{rule: "new-relic-insert-key", input: "NEW_RELIC_INSERT_KEY=NRII-" + sampleToken(base62, 20, "nrii-short")},
		{rule: "new-relic-browser-api-token", input: `licenseKey: "` + browser + `"`, secret: browser},
		{rule: "new-relic-browser-api-token", input: `licenseKey: "NRJS-xxxxxxxxxxxxxxxxxxx"`},
		{rule: "new-relic-license-key", input: "license_key: " + license, secret: license},
		{rule: "new-relic-license-key", input: "NEW_RELIC_LICENSE_KEY=" + sampleToken(sampleHex, 40, "nr-legacy")[:32] + "NRAL"},

		{rule: "datadog-api-key", input: "DD_API_KEY=" + ddAPI, secret: ddAPI},
		{rule: "datadog-api-key", input: `-H "DD-API-KEY: ` + ddAPI + `"`, secret: ddAPI},
		{rule: "datadog-api-key", file: "values.yaml", input: "  ddApiKey: " + ddAPI, secret: ddAPI},
		{rule: "datadog-api-key", input: "DD_API_KEY=<DATADOG_API_KEY>"},
		{rule: "datadog-api-key", input: "DD_TRACE_ID=" + ddAPI},
		{rule: "datadog-access-token", input: "datadog_app_key: " + ddApp, secret: ddApp},
		{rule: "datadog-access-token", input: "DD_APP_KEY=" + ddAPI},

		{rule: "sentry-user-token", input: "SENTRY_AUTH_TOKEN=" + sentryUser, secret: sentryUser},
		{rule: "sentry-user-token", input: "SENTRY_AUTH_TOKEN=sntryu_" + sampleToken(sampleHex, 40, "sntryu-short")},
		{rule: "sentry-org-token", input: "SENTRY_AUTH_TOKEN=" + sentryOrg, secret: sentryOrg},
		{rule: "sentry-org-token", input: "SENTRY_AUTH_TOKEN=sntrys_eyJ" + sampleToken(base62, 80, "sntrys-bad") + "_" + sampleToken(sampleBase64, 43, "sntrys-bad-2")},
		{rule: "sentry-access-token", input: "SENTRY_AUTH_TOKEN=" + sentryAuth, secret: sentryAuth},
		{rule: "sentry-access-token", input: "SENTRY_RELEASE=" + sampleToken(sampleHex, 40, "release")},
		{rule: "sentry-dsn-secret", input: "SENTRY_DSN=" + sentryDSN, secret: sentryDSNSecret},
		// Current DSNs hold only the public key.
		{rule: "sentry-dsn-secret", input: "SENTRY_DSN=https://" + sampleToken(sampleHex, 32, "dsn-pub") + "@o123456.ingest.sentry.io/4506"},

		{rule: "grafana-api-key", input: "GRAFANA_API_KEY=" + grafanaKey, secret: grafanaKey},
		{rule: "grafana-api-key", input: "GRAFANA_API_KEY=eyJrIjoi" + sampleToken(base62, 60, "grafana-bad")},
		{rule: "grafana-cloud-api-token", input: "GRAFANA_CLOUD_TOKEN=" + grafanaCloud, secret: grafanaCloud},
		{rule: "grafana-cloud-api-token", input: "GRAFANA_CLOUD_TOKEN=glc_" + sampleToken(base62, 60, "glc-bad")},
		{rule: "grafana-service-account-token", input: "GRAFANA_TOKEN=" + glsa, secret: glsa},
		// A wrong checksum.
		{rule: "grafana-service-account-token", input: "GRAFANA_TOKEN=" + glsa[:len(glsa)-8] + "0badf00d"},

		{rule: "dynatrace-api-token", input: "DT_API_TOKEN=" + dynatrace, secret: dynatrace},
		{rule: "dynatrace-api-token", input: "dt0s01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM"},
		{rule: "dynatrace-api-token", input: "DT_API_TOKEN=dt0c01." + sampleToken(sampleBase32, 24, "dt-p2") + ".<secret>"},

		{rule: "splunk-hec-token", input: `curl -H "Authorization: Splunk ` + splunk + `" https://hec.example.com:8088/services/collector`, secret: splunk},
		{rule: "splunk-hec-token", input: "SPLUNK_HEC_TOKEN=" + splunk, secret: splunk},
		{rule: "splunk-hec-token", input: "SPLUNK_HEC_URL=https://splunk.internal:8088"},

		{rule: "pagerduty-api-key", input: "PAGERDUTY_API_KEY=" + pagerduty, secret: pagerduty},
		{rule: "pagerduty-api-key", input: "pagerduty_routing_key: " + pagerdutyRouting, secret: pagerdutyRouting},
		{rule: "pagerduty-api-key", input: "PAGERDUTY_API_KEY=your-pagerduty-key"},

		{rule: "rollbar-access-token", input: "ROLLBAR_ACCESS_TOKEN=" + rollbar, secret: rollbar},
		{rule: "rollbar-access-token", input: "ROLLBAR_ENVIRONMENT=production"},
		{rule: "bugsnag-api-key", input: `bugsnag_api_key: "` + bugsnag + `"`, secret: bugsnag},
		{rule: "bugsnag-api-key", input: "BUGSNAG_API_KEY=" + bugsnag[:24]},

		{rule: "launchdarkly-access-token", input: "LAUNCHDARKLY_SDK_KEY=" + launchdarkly, secret: launchdarkly},
		{rule: "launchdarkly-access-token", input: "LAUNCHDARKLY_MOBILE_KEY=mob-" + sampleUUID("ld-mobile")},
		{rule: "launchdarkly-access-token", input: "KEY=" + launchdarkly},

		{rule: "honeycomb-api-key", input: `OTEL_EXPORTER_OTLP_HEADERS="x-honeycomb-team=` + honeycomb + `"`, secret: honeycomb},
		{rule: "honeycomb-api-key", input: "HONEYCOMB_WRITEKEY=" + honeycombClassic, secret: honeycombClassic},
		{rule: "honeycomb-api-key", input: "--api-key hcaik_xxxxxxxxxxxx"},

		{rule: "lightstep-access-token", input: "LIGHTSTEP_ACCESS_TOKEN=" + lightstep, secret: lightstep},
		{rule: "lightstep-access-token", input: "LIGHTSTEP_ACCESS_TOKEN=abc123"},

		{rule: "logzio-api-token", input: "LOGZIO_TOKEN=" + logzio, secret: logzio},
		{rule: "logzio-api-token", input: "LOGZIO_LISTENER=https://listener.logz.io:8071"},

		{rule: "loggly-customer-token", input: "url: https://logs-01.loggly.com/inputs/" + loggly + "/tag/http/", secret: loggly},
		{rule: "loggly-customer-token", input: "LOGGLY_TOKEN=" + loggly, secret: loggly},
		{rule: "loggly-customer-token", input: "LOGGLY_TOKEN=00000000-0000-0000-0000-000000000000"},

		{rule: "sumologic-access-id", input: "SUMO_ACCESS_ID=" + sumoID, secret: sumoID},
		{rule: "sumologic-access-id", input: "SUMO_ACCESS_ID=" + sumoID[:10]},
		{rule: "sumologic-access-token", input: "SUMO_ACCESS_KEY=" + sumoKey, secret: sumoKey},
		{rule: "sumologic-access-token", input: "SUMO_ACCESS_KEY=" + sumoKey[:40]},

		{rule: "posthog-personal-api-key", input: "POSTHOG_PERSONAL_API_KEY=" + posthog, secret: posthog},
		// Project keys are public.
		{rule: "posthog-personal-api-key", input: "POSTHOG_KEY=phc_" + sampleToken(base62, 43, "phc")},
		{rule: "posthog-personal-api-key", input: `channel.push("phx_join", {})`},

		{rule: "mixpanel-api-secret", input: "MIXPANEL_API_SECRET=" + mixpanel, secret: mixpanel},
		{rule: "mixpanel-api-secret", input: "MIXPANEL_TOKEN=" + sampleToken(sampleHex, 32, "mixpanel-token")},
		{rule: "amplitude-secret-key", input: "AMPLITUDE_SECRET_KEY=" + amplitude, secret: amplitude},
		{rule: "amplitude-secret-key", input: "AMPLITUDE_API_KEY=" + amplitude},
	}
}
