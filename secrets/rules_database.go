package secrets

import (
	"strings"

	"github.com/shipshape-dev/shipshape/result"
)

// databaseRules find passwords in database connection strings and the
// credentials of hosted database services.
func databaseRules() []Rule {
	return []Rule{
		{
			ID:          "database-url-password",
			Description: "Password in a database connection URL",
			Severity:    result.SeverityHigh,
			Keywords: []string{"postgres://", "postgresql://", "mysql://", "mariadb://", "mongodb://", "mongodb+srv://",
				"redis://", "rediss://", "amqp://", "amqps://", "mssql://", "sqlserver://", "clickhouse://", "cockroachdb://",
				"postgres+", "postgresql+", "mysql+", "mariadb+", "mssql+", "oracle://", "oracle+", "cockroachdb+", "clickhouse+"},
			// SQLAlchemy URLs name a driver after a plus (postgresql+psycopg2).
			Regex: `(?i)\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|clickhouse|cockroachdb|oracle)` +
				`(?:\+[a-z0-9_]+)?://(?P<key>[^\s:@/"'<>]*):(?P<secret>[^\s@/"'<>]{4,})@[A-Za-z0-9._\[\]-]+`,
			MaxLength: 400,
			// user:password and postgres:postgres are the examples of
			// documentation and test fixtures.
			check: func(c *candidate) bool { return !strings.EqualFold(c.key, c.secret) && plausiblePassword(c.secret) },
		},
		{
			ID:          "jdbc-url-password",
			Description: "Password in a JDBC URL (password= property, or Oracle's user/password@ form)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"jdbc:"},
			Regex: `(?i)\bjdbc:[a-z][0-9a-z]*:[^\s"'<>]{0,300}?[;?&:]password=(?P<secret>[^\s;&"'<>]{3,200})|` +
				`(?i)\bjdbc:oracle:(?:thin|oci8?):[^\s/:@"'<>]+/(?P<secret2>[^\s@"'<>]{3,200})@`,
			MaxLength: 600,
			check:     func(c *candidate) bool { return plausiblePassword(c.secret) },
		},
		{
			ID:          "connection-string-password",
			Description: "Password in an ADO.NET, SQL Server or ODBC connection string (Password= or Pwd=)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"password=", "pwd="},
			// Another connection-string key in the same string tells a
			// connection string from any other password= text. ODBC
			// braces a value that holds ; or =.
			Regex: `(?i)(?:server|data source|datasource|host|hostname|address|addr|network address|driver|dsn|uid|user id|userid|username|database|initial catalog)` +
				`[ \t]*=[^\r\n"']{0,400}?;[ \t]*(?:password|pwd)[ \t]*=[ \t]*(?P<secret>\{[^}\r\n]{1,200}\}|[^;"'\r\n{]{3,200})` +
				`|(?i)(?:^|[;"'\s])(?:password|pwd)[ \t]*=[ \t]*(?P<secret2>\{[^}\r\n]{1,200}\}|[^;"'\r\n{]{3,200});[^\r\n"']{0,400}?` +
				`(?:server|data source|datasource|host|hostname|address|driver|dsn|uid|user id|userid|database|initial catalog)[ \t]*=`,
			Entropy:   2,
			MaxLength: 800,
			check:     func(c *candidate) bool { return plausiblePassword(c.secret) },
		},

		// Hosted database services.
		{
			ID:          "mongodb-atlas-service-account-secret",
			Description: "MongoDB Atlas service account client secret",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"mdb_sa_sk_"},
			Regex:       `\b(mdb_sa_sk_[0-9A-Za-z_-]{40})(?:[^0-9A-Za-z_-]|$)`,
			Entropy:     4,
			MaxLength:   70,
		},
		{
			ID:          "mongodb-atlas-api-private-key",
			Description: "MongoDB Atlas programmatic API private key assigned to an Atlas name",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"atlas_private", "atlasprivate", "atlas-private", "mongodb_atlas", "mongodbatlas", "mongodb-atlas"},
			Regex:       infraAssigned("secret", `(?:mongodb[_-]?)?atlas[_-]?(?:api[_-]?)?private[_-]?key|mongodb[_-]?atlas[\w.-]{0,20}(?:private|secret)`, infraUUID),
			Entropy:     3.3,
			MaxLength:   160,
		},
		{
			ID:          "planetscale-api-token",
			Description: "PlanetScale service token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"pscale_tkn_"},
			Regex:       `\b(pscale_tkn_[0-9A-Za-z_=.-]{32,64})(?:[^0-9A-Za-z_=.-]|$)`,
			Entropy:     4,
			MaxLength:   100,
		},
		{
			ID:          "planetscale-password",
			Description: "PlanetScale database password",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"pscale_pw_"},
			Regex:       `\b(pscale_pw_[0-9A-Za-z_=.-]{32,64})(?:[^0-9A-Za-z_=.-]|$)`,
			Entropy:     4,
			MaxLength:   100,
		},
		{
			ID:          "planetscale-oauth-token",
			Description: "PlanetScale OAuth token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"pscale_oauth_"},
			Regex:       `\b(pscale_oauth_[0-9A-Za-z_=.-]{32,64})(?:[^0-9A-Za-z_=.-]|$)`,
			Entropy:     4,
			MaxLength:   100,
		},
		{
			ID:          "supabase-personal-access-token",
			Description: "Supabase personal access token (Management API)",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"sbp_"},
			Regex:       `\b(sbp_[0-9a-f]{40})\b`,
			Entropy:     3,
			MaxLength:   60,
		},
		{
			ID:          "supabase-secret-key",
			Description: "Supabase project secret API key (bypasses row-level security)",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"sb_secret_"},
			Regex:       `\b(sb_secret_[0-9A-Za-z_-]{31,40})(?:[^0-9A-Za-z_-]|$)`,
			Entropy:     4,
			MaxLength:   70,
		},
		{
			ID:          "databricks-api-token",
			Description: "Databricks personal access token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"dapi"},
			Regex:       `\b(dapi[0-9a-f]{32}(?:-\d)?)(?:[^0-9A-Za-z-]|$)`,
			Entropy:     3,
			MaxLength:   60,
		},
		{
			ID:          "snowflake-password",
			Description: "Snowflake password or token assigned to a Snowflake or SnowSQL name",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"snowflake", "snowsql_pwd"},
			Regex: infraAssigned("secret", `snowflake[\w.-]{0,20}(?:password|passwd|pwd|token|secret)|snowsql_pwd`,
				"[^\\s\"'`;,&(){}<>\\[\\]]{8,200}"),
			Entropy:   3,
			MaxLength: 280,
			check:     func(c *candidate) bool { return plausiblePassword(c.secret) && mixedValue(c.secret) },
		},
		{
			ID:          "neon-api-key",
			Description: "Neon API key assigned to a Neon name",
			Severity:    result.SeverityCritical,
			// napi_ also starts every Node-API symbol: look near Neon names.
			Keywords:  []string{"neon_api", "neonapi", "neon-api"},
			Regex:     infraAssigned("secret", `neon[_-]?api`, `napi_[0-9A-Za-z]{20,100}`),
			Entropy:   3.5,
			MaxLength: 180,
		},
		{
			ID:          "upstash-redis-token",
			Description: "Upstash Redis REST or QStash token assigned to an Upstash name",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"upstash", "qstash"},
			Regex:       infraAssigned("secret", `(?:upstash|qstash)[\w.-]{0,25}(?:token|key)`, `[0-9A-Za-z_+/=-]{40,300}`),
			Entropy:     4,
			MaxLength:   380,
		},
		{
			ID:          "redis-cloud-api-key",
			Description: "Redis Cloud API key or secret assigned to a Redis Cloud name",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"rediscloud", "redis_cloud", "redis-cloud"},
			Regex:       infraAssigned("secret", `redis[_-]?cloud[\w.-]{0,20}(?:key|secret|token)`, `[0-9A-Za-z]{20,100}`),
			Entropy:     3.5,
			MaxLength:   180,
		},
		{
			ID:          "elastic-api-key",
			Description: "Elasticsearch or Elastic Cloud API key (base64 id:key) assigned to an Elastic name",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"elastic", "es_api_key", "es-api-key", "kibana_api_key"},
			Regex: infraAssigned("secret", `elastic(?:search)?[\w.-]{0,20}(?:api[_-]?key|apikey)|(?:es|kibana)[_-]api[_-]?key`,
				`[0-9A-Za-z+/_-]{40,200}={0,2}`),
			Validate:  validElasticAPIKey,
			MaxLength: 300,
		},
		{
			ID:          "clickhouse-cloud-api-secret-key",
			Description: "ClickHouse Cloud API secret key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"4b1d"},
			Regex:       `\b(4b1d[0-9A-Za-z]{38})\b`,
			Entropy:     4,
			MaxLength:   60,
		},
		{
			ID:          "firebase-cloud-messaging-server-key",
			Description: "Firebase Cloud Messaging legacy server key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{":apa91b"},
			Regex:       `\b(AAAA[0-9A-Za-z_-]{7}:APA91b[0-9A-Za-z_-]{134})(?:[^0-9A-Za-z_-]|$)`,
			Entropy:     4,
			MaxLength:   180,
		},
		{
			ID:          "couchbase-capella-api-key",
			Description: "Couchbase Capella API key secret assigned to a Couchbase or Capella name",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"couchbase", "capella"},
			Regex:       infraAssigned("secret", `(?:couchbase|capella)[\w.-]{0,20}(?:secret|key|token)`, `[0-9A-Za-z+/_-]{40,200}={0,2}`),
			Entropy:     4.5,
			MaxLength:   280,
		},
		{
			ID:          "astra-db-application-token",
			Description: "DataStax Astra DB application token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"astracs:"},
			Regex:       `\b(AstraCS:[A-Za-z]{24}:[0-9a-f]{64})\b`,
			Entropy:     4,
			MaxLength:   110,
		},
	}
}

// plausiblePassword rejects values that stand for a password rather than
// being one: format and template parameters ({0}, {password}, @Password,
// :password), and values that name a password.
func plausiblePassword(v string) bool {
	if len(v) > 2 && v[0] == '{' && v[len(v)-1] == '}' {
		if inner := v[1 : len(v)-1]; isIdentifier(inner) || strings.Trim(inner, "0123456789") == "" {
			return false
		}
	}
	if len(v) > 1 && strings.IndexByte("@:$", v[0]) >= 0 && isIdentifier(v[1:]) {
		return false
	}
	low := strings.ToLower(v)
	return !strings.Contains(low, "password") && !strings.Contains(low, "passwd")
}

// mixedValue asks of a value assigned to a name (rather than of a fixed
// format) that it mix letters with digits or symbols and not be a dotted
// reference into code (settings.db.password).
func mixedValue(v string) bool {
	var letter, other bool
	for i := 0; i < len(v); i++ {
		c := v[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			letter = true
		} else if c != '.' && c != '_' {
			other = true
		}
	}
	if !letter || !other {
		return false
	}
	parts := strings.Split(v, ".")
	if len(parts) > 1 {
		for _, p := range parts {
			if !isIdentifier(p) {
				return true
			}
		}
		return false
	}
	return true
}

// validElasticAPIKey decodes an encoded Elasticsearch API key: an id and
// a key joined by a colon, both long and of the URL-safe alphabet.
func validElasticAPIKey(s string) bool {
	b, ok := infraBase64(s)
	if !ok {
		return false
	}
	id, key, ok := strings.Cut(string(b), ":")
	return ok && len(id) >= 16 && len(key) >= 16 && urlSafeText(id) && urlSafeText(key)
}

// urlSafeText reports strings of letters, digits, - and _.
func urlSafeText(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
