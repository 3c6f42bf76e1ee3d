package secretcorpus

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"net/url"
)

// awsKeyID returns an AWS access key id: a four-letter prefix (AKIA for a
// long-term key, ASIA for a temporary one) and 16 base32 characters.
func awsKeyID(r rng, prefix string) string { return prefix + r.chars(16, base32Set) }

// awsSecretKey returns 40 characters of standard base64 alphabet, the shape
// of an AWS secret access key.
func awsSecretKey(r rng) string { return r.chars(40, b64Set) }

// cloudFormats are the credentials of cloud providers and infrastructure
// services.
func cloudFormats() []tokenFormat {
	return []tokenFormat{
		{name: "aws-access-key", count: 12, make: func(r rng) credential {
			return credential{fields: []field{
				{key: "AWS_ACCESS_KEY_ID", value: awsKeyID(r, "AKIA"), format: "aws-access-key"},
				{key: "AWS_SECRET_ACCESS_KEY", value: awsSecretKey(r), format: "aws-secret-key"},
			}, note: "key pair"}
		}},
		{name: "aws-temporary-access-key", count: 5, make: func(r rng) credential {
			// An STS session token is a long base64 blob whose decoding
			// starts with a protobuf-like header; real ones start IQoJb3JpZ2luX2Vj.
			session := "IQoJb3JpZ2luX2Vj" + r.chars(r.between(600, 900), b64Set) + "="
			return credential{fields: []field{
				{key: "AWS_ACCESS_KEY_ID", value: awsKeyID(r, "ASIA"), format: "aws-temporary-access-key"},
				{key: "AWS_SECRET_ACCESS_KEY", value: awsSecretKey(r), format: "aws-secret-key"},
				{key: "AWS_SESSION_TOKEN", value: session, format: "aws-session-token"},
			}, note: "STS credentials"}
		}},
		{name: "aws-access-key-alone", count: 4, make: func(r rng) credential {
			c := one("aws-access-key", pick(r, []string{"AWS_KEY", "S3_ACCESS_KEY", "AWS_ACCESS_KEY"}), awsKeyID(r, "AKIA"))
			c.note = "key id without its secret"
			return c
		}},
		single("gcp-api-key", 8, []string{"GOOGLE_API_KEY", "GOOGLE_MAPS_API_KEY", "GEMINI_API_KEY", "FIREBASE_API_KEY", "YOUTUBE_API_KEY"}, func(r rng) string {
			return "AIza" + r.chars(35, b64URLSet)
		}),
		single("gcp-oauth-client-secret", 5, []string{"GOOGLE_CLIENT_SECRET", "GOOGLE_OAUTH_CLIENT_SECRET"}, func(r rng) string {
			return "GOCSPX-" + r.chars(28, b64URLSet)
		}),
		single("azure-storage-connection-string", 6, []string{"AZURE_STORAGE_CONNECTION_STRING", "AzureWebJobsStorage", "STORAGE_CONNECTION"}, func(r rng) string {
			return fmt.Sprintf("DefaultEndpointsProtocol=https;AccountName=%s%s;AccountKey=%s;EndpointSuffix=core.windows.net",
				r.word(), r.chars(4, lowerABC+digits), r.b64(64))
		}),
		single("azure-ad-client-secret", 6, []string{"AZURE_CLIENT_SECRET", "ARM_CLIENT_SECRET", "AAD_CLIENT_SECRET"}, func(r rng) string {
			return r.chars(3, base62) + r.chars(1, digits) + "Q~" + r.chars(34, base62+"_~.-")
		}),
		single("azure-sas-url", 5, []string{"AZURE_SAS_URL", "BLOB_SAS_URL", "BACKUP_CONTAINER_URL"}, func(r rng) string {
			sig := url.QueryEscape(r.b64(32))
			return fmt.Sprintf("https://%s%s.blob.core.windows.net/%s?sv=2022-11-02&ss=b&srt=sco&sp=rwdlacx&se=2027-%02d-%02dT00:00:00Z&st=2025-01-01T00:00:00Z&spr=https&sig=%s",
				r.word(), r.chars(3, digits), r.word(), 1+r.IntN(12), 1+r.IntN(28), sig)
		}),
		single("digitalocean-token", 6, []string{"DIGITALOCEAN_ACCESS_TOKEN", "DO_TOKEN", "DIGITALOCEAN_TOKEN"}, func(r rng) string {
			return pick(r, []string{"dop_v1_", "dop_v1_", "doo_v1_", "dor_v1_"}) + r.hex(64)
		}),
		{name: "alibaba-access-key", count: 4, make: func(r rng) credential {
			return credential{fields: []field{
				{key: "ALIBABA_CLOUD_ACCESS_KEY_ID", value: "LTAI" + r.chars(20, base62), format: "alibaba-access-key"},
				{key: "ALIBABA_CLOUD_ACCESS_KEY_SECRET", value: r.chars(30, base62), format: "alibaba-secret-key"},
			}, note: "key pair"}
		}},
		single("databricks-token", 5, []string{"DATABRICKS_TOKEN"}, func(r rng) string {
			t := "dapi" + r.hex(32)
			if r.chance(0.3) {
				t += "-" + r.chars(1, "23")
			}
			return t
		}),
		single("supabase-access-token", 4, []string{"SUPABASE_ACCESS_TOKEN"}, func(r rng) string { return "sbp_" + r.hex(40) }),
		single("planetscale-password", 4, []string{"PLANETSCALE_PASSWORD", "DATABASE_PASSWORD"}, func(r rng) string {
			return "pscale_pw_" + r.chars(43, b64URLSet)
		}),
		single("flyio-token", 4, []string{"FLY_API_TOKEN"}, func(r rng) string { return "fo1_" + r.chars(43, b64URLSet) }),
		single("grafana-token", 5, []string{"GRAFANA_TOKEN", "GRAFANA_SERVICE_ACCOUNT_TOKEN", "GRAFANA_CLOUD_TOKEN"}, func(r rng) string {
			if r.chance(0.5) {
				// Grafana's suffix: hex of the little-endian CRC32 of the rest.
				body := "glsa_" + r.chars(32, base62)
				sum := crc32.ChecksumIEEE([]byte(body))
				return body + "_" + hex.EncodeToString([]byte{byte(sum), byte(sum >> 8), byte(sum >> 16), byte(sum >> 24)})
			}
			claims := fmt.Sprintf(`{"o":"%s","n":"%s-%s","k":"%s","m":{"r":"prod-us-east-0"}}`, r.digitsN(6), r.word(), r.word(), r.chars(24, base62))
			return "glc_" + base64.StdEncoding.EncodeToString([]byte(claims))
		}),
		single("newrelic-api-key", 5, []string{"NEW_RELIC_API_KEY", "NEWRELIC_API_KEY"}, func(r rng) string {
			return "NRAK-" + r.chars(27, upperABC+digits)
		}),
		single("datadog-api-key", 5, []string{"DD_API_KEY", "DATADOG_API_KEY", "DD_APP_KEY"}, func(r rng) string { return r.hex(32) }),
		single("heroku-api-key", 4, []string{"HEROKU_API_KEY"}, func(r rng) string { return r.uuid() }),
		single("cloudflare-api-token", 5, []string{"CLOUDFLARE_API_TOKEN", "CF_API_TOKEN"}, func(r rng) string {
			return r.chars(40, base62+"_-")
		}),
		single("okta-api-token", 4, []string{"OKTA_API_TOKEN", "OKTA_TOKEN"}, func(r rng) string { return "00" + r.chars(40, b64URLSet) }),
		single("firebase-fcm-server-key", 4, []string{"FCM_SERVER_KEY", "FIREBASE_SERVER_KEY"}, func(r rng) string {
			return "AAAA" + r.chars(7, b64URLSet) + ":APA91b" + r.chars(134, b64URLSet)
		}),
		single("mapbox-secret-token", 4, []string{"MAPBOX_SECRET_TOKEN", "MAPBOX_DOWNLOADS_TOKEN"}, func(r rng) string {
			claims := fmt.Sprintf(`{"u":"%s%s","a":"cl%s"}`, r.word(), r.chars(2, digits), r.chars(23, lowerABC+digits))
			return "sk." + base64.RawURLEncoding.EncodeToString([]byte(claims)) + "." + r.chars(22, b64URLSet)
		}),
	}
}
