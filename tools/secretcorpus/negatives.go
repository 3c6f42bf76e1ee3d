package secretcorpus

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// Hard negatives: values in the same places and under the same names as
// secrets, which are not secrets. None of them is ever labeled.

// secretishKeys are names that usually hold secrets.
func secretishKeys() []string {
	return []string{
		"DB_PASSWORD", "POSTGRES_PASSWORD", "MYSQL_ROOT_PASSWORD", "REDIS_PASSWORD", "SMTP_PASSWORD", "ADMIN_PASSWORD",
		"API_KEY", "SERVICE_API_KEY", "CLIENT_SECRET", "SECRET_KEY", "JWT_SECRET", "SESSION_SECRET", "ENCRYPTION_KEY",
		"AUTH_TOKEN", "ACCESS_TOKEN", "GITHUB_TOKEN", "GITLAB_TOKEN", "NPM_TOKEN", "SLACK_BOT_TOKEN", "STRIPE_SECRET_KEY",
		"OPENAI_API_KEY", "SENDGRID_API_KEY", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "DATABASE_URL", "SLACK_WEBHOOK_URL",
		"TWILIO_AUTH_TOKEN", "DATADOG_API_KEY", "PRIVATE_KEY", "DOCKER_PASSWORD", "ANTHROPIC_API_KEY", "HF_TOKEN",
	}
}

// placeholder returns a placeholder a person would leave for key.
func (r rng) placeholder(key string) string {
	switch {
	case key == "AWS_ACCESS_KEY_ID" && r.chance(0.7):
		return "AKIAIOSFODNN7EXAMPLE" // the key id of the AWS documentation
	case key == "AWS_SECRET_ACCESS_KEY" && r.chance(0.7):
		return "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	case key == "GITHUB_TOKEN" && r.chance(0.5):
		return pick(r, []string{"ghp_" + strings.Repeat("x", 36), "ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "<your-github-token>"})
	case key == "STRIPE_SECRET_KEY" && r.chance(0.5):
		return pick(r, []string{"sk_live_XXXXXXXXXXXXXXXXXXXXXXXX", "sk_live_...", "sk_test_xxxxxxxxxxxxxxxxxxxxxxxx"})
	case key == "SLACK_BOT_TOKEN" && r.chance(0.5):
		return "xoxb-XXXXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX"
	case key == "SLACK_WEBHOOK_URL" && r.chance(0.6):
		return "https://hooks.slack.com/services/TXXXXXXXX/BXXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX"
	case key == "OPENAI_API_KEY" && r.chance(0.5):
		return pick(r, []string{"sk-...", "sk-proj-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "sk-your-key-here"})
	case key == "DATABASE_URL" && r.chance(0.7):
		return pick(r, []string{
			"postgres://user:password@localhost:5432/app",
			"postgres://postgres:postgres@localhost:5432/app_test",
			"postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:5432/${DB_NAME}",
			"mysql://root:changeme@127.0.0.1:3306/dev",
			"postgresql://USERNAME:PASSWORD@HOST:PORT/DATABASE",
		})
	case key == "PRIVATE_KEY":
		return pick(r, []string{"-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n", "/etc/ssl/private/server.key", "<path to key>"})
	}
	return pick(r, []string{
		"changeme", "CHANGEME", "change-me", "xxxxxxxx", "xxxxxxxxxxxxxxxxxxxxxxxx", "<redacted>", "[REDACTED]",
		"your-api-key-here", "<YOUR_API_KEY>", "YOUR_TOKEN_HERE", "REPLACE_ME", "replace-with-real-secret", "********", "****",
		"TODO", "todo-set-in-vault", "example", "password", "secret", "none", "null", "dummy", "placeholder",
		"insert-token-here", "<password>", "<token>", "abc123", "test", "notasecret", "local-dev-only", "${" + key + "}",
	})
}

// reference returns a value that points at where the secret really is.
func (r rng) reference(key string) string {
	low := lowerSnake(key)
	return pick(r, []string{
		"${" + key + "}", "${" + key + ":-}", "$" + key, "${{ secrets." + key + " }}", "{{ .Values." + camel(key) + " }}",
		"{{ vault_" + low + " }}", "%(" + low + ")s", "${var." + low + "}", "$(cat /run/secrets/" + low + ")",
		"vault:secret/data/" + kebab(key) + "#value", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/" + kebab(key) + "-" + r.chars(6, base62),
		"projects/" + r.word() + "-prod/secrets/" + kebab(key) + "/versions/latest", "op://Engineering/" + pascal(key) + "/credential",
		"@Microsoft.KeyVault(SecretUri=https://kv-" + r.word() + ".vault.azure.net/secrets/" + kebab(key) + "/)", "#{" + pascal(key) + "}#",
		"<%= ENV['" + key + "'] %>", "ref+awsssm://prod/" + low, "${env:" + key + "}", "${file:/etc/secrets/" + low + "}", "%" + key + "%",
	})
}

// digestValue returns a hash, digest or identifier that is not a secret,
// with a name that says what it is.
func (r rng) digestValue() (string, string) {
	switch r.IntN(11) {
	case 0:
		return pick(r, []string{"GIT_COMMIT", "COMMIT_SHA", "SOURCE_VERSION", "REVISION"}), r.hex(40)
	case 1:
		return pick(r, []string{"CHECKSUM", "SHA256", "ARTIFACT_SHA256", "CONTENT_HASH"}), r.hex(64)
	case 2:
		return pick(r, []string{"ETAG", "MD5", "CACHE_BUSTER", "ASSET_HASH"}), r.hex(32)
	case 3:
		return pick(r, []string{"IMAGE_DIGEST", "BASE_IMAGE_DIGEST"}), "sha256:" + r.hex(64)
	case 4:
		return "IMAGE", pick(r, []string{"ghcr.io/", "registry.gitlab.com/", "public.ecr.aws/"}) + r.word() + "/" + r.word() + "@sha256:" + r.hex(64)
	case 5:
		return pick(r, []string{"REQUEST_ID", "TENANT_ID", "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "SUBSCRIPTION_ID", "INSTALLATION_ID",
			"TRACE_ID", "APP_ID", "PROJECT_ID", "WORKSPACE_ID", "CORRELATION_ID", "DEVICE_ID"}), r.uuid()
	case 6:
		return pick(r, []string{"INTEGRITY", "SRI_HASH"}), pick(r, []string{"sha384-", "sha512-"}) + r.b64(48)
	case 7:
		return pick(r, []string{"CACHE_KEY", "BUILD_CACHE_KEY"}), "deps-" + pick(r, []string{"linux", "macos"}) + "-" + r.hex(64)
	case 8:
		return pick(r, []string{"GPG_FINGERPRINT", "SIGNING_KEY_FINGERPRINT", "SSH_HOST_FINGERPRINT"}),
			pick(r, []string{r.chars(40, hexUpper), "SHA256:" + strings.TrimRight(r.b64(32), "=")})
	case 9:
		return pick(r, []string{"BUILD_ID", "PIPELINE_ID", "RUN_ID"}), r.chars(20, lowerABC+digits)
	default:
		return pick(r, []string{"TRACEPARENT"}), "00-" + r.hex(32) + "-" + r.hex(16) + "-01"
	}
}

// publicValue returns a value that has a secret-sounding name or a token's
// shape but is public by design.
func (r rng) publicValue() (string, string) {
	switch r.IntN(12) {
	case 0:
		return "STRIPE_PUBLISHABLE_KEY", "pk_live_" + r.chars(24, base62)
	case 1:
		return "RECAPTCHA_SITE_KEY", "6L" + r.chars(38, b64URLSet)
	case 2:
		return "GOOGLE_CLIENT_ID", r.digitsN(12) + "-" + r.chars(32, lowerABC+digits) + ".apps.googleusercontent.com"
	case 3:
		return "SENTRY_DSN", "https://" + r.hex(32) + "@o" + r.digitsN(6) + ".ingest.sentry.io/" + r.digitsN(7)
	case 4:
		return "VAPID_PUBLIC_KEY", "B" + r.chars(86, b64URLSet)
	case 5:
		claims := fmt.Sprintf(`{"u":"%s","a":"cl%s"}`, r.word(), r.chars(23, lowerABC+digits))
		return "MAPBOX_ACCESS_TOKEN", "pk." + base64.RawURLEncoding.EncodeToString([]byte(claims)) + "." + r.chars(22, b64URLSet)
	case 6:
		return "KMS_KEY_ID", "arn:aws:kms:us-east-1:" + r.digitsN(12) + ":key/" + r.uuid()
	case 7:
		return "GITHUB_CLIENT_ID", "Iv1." + r.hex(16)
	case 8:
		return "PUSHER_APP_KEY", r.hex(20)
	case 9:
		return "SOPS_AGE_RECIPIENT", "age1" + r.chars(58, "qpzry9x8gf2tvdw0s3jn54khce6mua7l")
	case 10:
		return "ALGOLIA_SEARCH_ONLY_KEY", r.hex(32)
	default:
		return pick(r, []string{"TOKEN_URL", "PASSWORD_RESET_URL", "SECRETS_ENDPOINT"}),
			pick(r, []string{"https://oauth2.googleapis.com/token", "https://login.microsoftonline.com/common/oauth2/v2.0/token", "/account/password/reset", "https://vault.internal:8200"})
	}
}

// settingValue returns a name that mentions a secret and a value that is
// just a setting.
func (r rng) settingValue() (string, string) {
	kv := pick(r, [][2]string{
		{"PASSWORD_MIN_LENGTH", "12"}, {"TOKEN_TTL", "3600"}, {"SECRET_NAME", "prod/db/password"}, {"AUTH_HEADER", "Authorization"},
		{"API_KEY_HEADER", "X-Api-Key"}, {"PASSWORD_HASHER", "argon2id"}, {"TOKEN_ISSUER", "https://auth.internal/"},
		{"SECRETS_BACKEND", "vault"}, {"API_KEY_ROTATION_DAYS", "90"}, {"PASSWORD_FILE", "/run/secrets/db_password"},
		{"GITHUB_TOKEN_SCOPES", "repo,read:org"}, {"JWT_ALGORITHM", "RS256"}, {"SESSION_COOKIE_NAME", "__Host-session"},
		{"TOKEN_ENDPOINT_AUTH_METHOD", "client_secret_basic"}, {"SECRET_KEY_BASE_FILE", "config/master.key"},
	})
	return kv[0], kv[1]
}

// encryptedValue returns a value encrypted at rest as SOPS writes it into
// dotenv, INI, JSON and YAML files, or, less often, a KMS ciphertext as
// Lambda environments hold it: high-entropy, and not a leak.
func (r rng) encryptedValue() string {
	if r.chance(0.25) {
		return "AQICAHh" + r.chars(r.between(180, 260), b64Set) + "=="
	}
	return "ENC[AES256_GCM,data:" + r.b64(r.between(12, 40)) + ",iv:" + r.b64(32) + ",tag:" + r.b64(16) + ",type:str]"
}

// exprFor returns a code expression that reads key from elsewhere.
func (r rng) exprFor(lang, key string) string {
	low := lowerSnake(key)
	switch lang {
	case "go":
		return pick(r, []string{`os.Getenv("` + key + `")`, "cfg." + pascal(key), `secrets.Get(ctx, "` + kebab(key) + `")`, `viper.GetString("` + dotted(key) + `")`, `r.Header.Get("Authorization")`})
	case "py":
		return pick(r, []string{`os.environ["` + key + `"]`, `os.getenv("` + key + `")`, "settings." + key, "get_password()", `request.headers["Authorization"]`, `keyring.get_password("` + r.word() + `", "` + r.user() + `")`, `config("` + key + `")`})
	case "js":
		return pick(r, []string{"process.env." + key, `process.env["` + key + `"]`, "config.get('" + dotted(key) + "')", "req.headers.authorization", "await getSecret('" + kebab(key) + "')"})
	case "java":
		return pick(r, []string{`System.getenv("` + key + `")`, `props.getProperty("` + dotted(key) + `")`, `vault.read("secret/` + low + `")`})
	case "php":
		return pick(r, []string{"getenv('" + key + "')", "$_ENV['" + key + "']", "env('" + key + "')"})
	case "shell":
		return pick(r, []string{"$(vault kv get -field=" + low + " secret/" + r.word() + ")",
			"$(aws secretsmanager get-secret-value --secret-id prod/" + kebab(key) + " --query SecretString --output text)",
			"${" + key + ":?" + key + " must be set}", "$(gcloud secrets versions access latest --secret=" + kebab(key) + ")", "$(pass show " + r.word() + "/" + low + ")"})
	case "hcl":
		return pick(r, []string{"var." + low, "data.aws_secretsmanager_secret_version." + low + ".secret_string", "random_password." + r.word() + ".result",
			"sensitive(var." + low + ")", "data.vault_generic_secret." + r.word() + ".data[\"" + low + "\"]"})
	case "ruby":
		return pick(r, []string{`ENV["` + key + `"]`, `ENV.fetch("` + key + `")`, "Rails.application.credentials." + low})
	}
	return "${" + key + "}"
}

// negative returns one hard negative for a carrier of language lang
// ("config" for files that only hold strings). The mix is weighted toward
// what repositories hold most: placeholders, references and digests; code
// carriers also get expressions that read the value from elsewhere.
func (c *corpus) negative(lang string) credential {
	r := c.r
	key := pick(r, secretishKeys())
	weights := []int{26, 26, 22, 12, 10, 4, 0} // placeholder, reference, digest, public, setting, encrypted, expression
	if lang != "config" {
		weights[6] = 45
	}
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	kind := 0
	for n >= weights[kind] {
		n -= weights[kind]
		kind++
	}
	var fl field
	switch kind {
	case 0:
		fl = plain(key, r.placeholder(key))
	case 1:
		fl = plain(key, r.reference(key))
	case 2:
		fl = plain(r.digestValue())
	case 3:
		fl = plain(r.publicValue())
	case 4:
		fl = plain(r.settingValue())
	case 5:
		fl = plain(key, r.encryptedValue())
	default:
		fl = field{key: key, value: r.exprFor(lang, key), expr: true}
	}
	return credential{fields: []field{fl}}
}

// plainSetting returns an ordinary, non-secret configuration field.
func (c *corpus) plainSetting() field {
	r := c.r
	svc := r.word()
	return pick(r, []field{
		plain("PORT", fmt.Sprint(pick(r, []int{3000, 8000, 8080, 8443, 9090}))),
		plain("LOG_LEVEL", pick(r, []string{"info", "debug", "warn"})),
		plain("DB_HOST", r.hostname()),
		plain("DB_PORT", "5432"),
		plain("DB_NAME", svc),
		plain("DB_USER", r.user()),
		plain("REDIS_HOST", svc+"-redis"),
		plain("FEATURE_"+strings.ToUpper(r.word())+"_ENABLED", pick(r, []string{"true", "false"})),
		plain("TIMEOUT_SECONDS", fmt.Sprint(r.between(5, 120))),
		plain("AWS_REGION", pick(r, []string{"us-east-1", "eu-west-1", "ap-southeast-2"})),
		plain("S3_BUCKET", svc+"-"+pick(r, []string{"uploads", "exports", "backups"})+"-prod"),
		plain("SERVICE_NAME", svc),
		plain("WORKERS", fmt.Sprint(r.between(1, 16))),
		plain("CORS_ORIGINS", "https://app."+r.domain()+",https://admin."+r.domain()),
		plain("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4317"),
		plain("TZ", "UTC"),
		plain("NODE_ENV", "production"),
		plain("JAVA_OPTS", "-Xms256m -Xmx"+fmt.Sprint(pick(r, []int{512, 1024, 2048}))+"m"),
		plain("SMTP_HOST", "smtp."+r.domain()),
		plain("SMTP_PORT", "587"),
		plain("SMTP_USER", "notifications@"+r.domain()),
		plain("PUBLIC_URL", "https://"+svc+"."+r.domain()),
		plain("MAX_UPLOAD_MB", fmt.Sprint(r.between(5, 500))),
		plain("CACHE_TTL", fmt.Sprint(r.between(60, 86400))),
	})
}
