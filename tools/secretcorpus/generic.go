package secretcorpus

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"hash"
	"net/url"
)

// domains are the made-up organisations whose hosts appear in URLs.
func domains() []string {
	return []string{"acmecorp.io", "northwind.dev", "globex.net", "initech.cloud", "umbrella-corp.com", "hooli.xyz", "vandelay.co", "soylent.ai"}
}

func (r rng) domain() string { return pick(r, domains()) }

// userURL builds scheme://user:password@host/path with the user information
// escaped as net/url escapes it.
func userURL(scheme, user, password, host, path, query string) string {
	u := url.URL{Scheme: scheme, User: url.UserPassword(user, password), Host: host, Path: path, RawQuery: query}
	return u.String()
}

// jwt returns a compact JWS signed with HMAC over a fresh random key, with
// realistic claims. The signature is genuine for that key.
func jwt(r rng) string {
	alg, h := "HS256", sha256.New
	if r.chance(0.3) {
		alg, h = "HS512", func() hash.Hash { return sha512.New() }
	}
	header := fmt.Sprintf(`{"alg":"%s","typ":"JWT"}`, alg)
	iat := 1_700_000_000 + r.IntN(60_000_000)
	var claims string
	switch r.IntN(3) {
	case 0: // a Supabase-style service key
		claims = fmt.Sprintf(`{"iss":"supabase","ref":"%s","role":"service_role","iat":%d,"exp":%d}`, r.chars(20, lowerABC), iat, iat+315_360_000)
	case 1: // a user access token
		claims = fmt.Sprintf(`{"sub":"%s","name":"%s %s","email":"%s@%s","iss":"https://auth.%s/","aud":"api","scope":"read:orders write:orders","iat":%d,"exp":%d}`,
			r.uuid(), r.title(), r.title(), r.word(), r.domain(), r.domain(), iat, iat+3600)
	default: // a service-to-service token
		claims = fmt.Sprintf(`{"sub":"svc-%s","iss":"%s","aud":["%s-api"],"iat":%d,"exp":%d,"jti":"%s"}`,
			r.word(), r.word(), r.word(), iat, iat+86400*365, r.hexBytes(8))
	}
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(claims))
	mac := hmac.New(h, r.bytes(32))
	mac.Write([]byte(signing))
	return signing + "." + enc.EncodeToString(mac.Sum(nil))
}

// genericFormats are passwords, keys and tokens that have no vendor
// prefix, database and service URLs that carry a password, and JWTs.
func genericFormats() []tokenFormat {
	return []tokenFormat{
		single("generic-password", 45, []string{
			"DB_PASSWORD", "POSTGRES_PASSWORD", "MYSQL_ROOT_PASSWORD", "MYSQL_PASSWORD", "REDIS_PASSWORD",
			"SMTP_PASSWORD", "ADMIN_PASSWORD", "LDAP_BIND_PASSWORD", "KEYSTORE_PASSWORD", "RABBITMQ_DEFAULT_PASS",
			"ELASTIC_PASSWORD", "GRAFANA_ADMIN_PASSWORD", "PASSWORD", "DATABASE_PASS", "MONGO_INITDB_ROOT_PASSWORD",
			"SFTP_PASSWD", "PGPASSWORD", "KAFKA_SASL_PASSWORD", "MAIL_PASSWORD", "REPLICATION_PASSWORD",
		}, func(r rng) string { return r.password() }),
		single("generic-api-key", 16, []string{
			"API_KEY", "X_API_KEY", "SERVICE_API_KEY", "PAYMENTS_API_KEY", "INTERNAL_API_KEY", "GEOCODER_API_KEY",
			"ALGOLIA_ADMIN_API_KEY", "MEILI_MASTER_KEY", "WEATHER_API_KEY", "PARTNER_API_KEY",
		}, func(r rng) string {
			switch r.IntN(4) {
			case 0:
				return r.hex(32)
			case 1:
				return r.chars(40, base62)
			case 2:
				return r.b64url(32)
			default:
				return r.chars(8, base62) + "." + r.chars(32, base62)
			}
		}),
		single("generic-secret", 22, []string{
			"CLIENT_SECRET", "APP_SECRET", "SECRET_KEY", "JWT_SECRET", "SESSION_SECRET", "COOKIE_SECRET",
			"WEBHOOK_SECRET", "ENCRYPTION_KEY", "SIGNING_KEY", "RAILS_MASTER_KEY", "NEXTAUTH_SECRET", "OAUTH_CLIENT_SECRET",
		}, func(r rng) string {
			switch r.IntN(5) {
			case 0: // Django's get_random_secret_key alphabet, without characters that need quoting
				return r.chars(50, lowerABC+digits+"!@%^*(-_=+)")
			case 1:
				return r.b64(32)
			case 2:
				return r.hexBytes(32)
			case 3:
				return r.hexBytes(16)
			default:
				return r.chars(r.between(32, 48), base62)
			}
		}),
		single("generic-token", 12, []string{"AUTH_TOKEN", "ACCESS_TOKEN", "BEARER_TOKEN", "SERVICE_TOKEN", "API_TOKEN", "REFRESH_TOKEN", "BOT_TOKEN"}, func(r rng) string {
			switch r.IntN(3) {
			case 0:
				return r.b64url(32)
			case 1:
				return r.hexBytes(20)
			default:
				return r.chars(48, base62)
			}
		}),
		single("jwt", 12, []string{"ACCESS_TOKEN", "ID_TOKEN", "SERVICE_JWT", "SUPABASE_SERVICE_ROLE_KEY", "API_JWT", "AUTH_BEARER"}, jwt),
		single("postgres-url", 9, []string{"DATABASE_URL", "POSTGRES_URL", "PG_DSN", "SQLALCHEMY_DATABASE_URI"}, func(r rng) string {
			q := pick(r, []string{"", "sslmode=require", "sslmode=verify-full&application_name=" + r.word()})
			return userURL(pick(r, []string{"postgres", "postgresql", "postgresql+psycopg2"}), r.user(), r.password(), r.hostname()+":5432", "/"+r.word(), q)
		}),
		single("mysql-url", 6, []string{"MYSQL_URL", "DATABASE_URL", "DB_DSN"}, func(r rng) string {
			return userURL(pick(r, []string{"mysql", "mysql2", "mysql+pymysql"}), r.user(), r.password(), r.hostname()+":3306", "/"+r.word(), "")
		}),
		single("mongodb-url", 7, []string{"MONGODB_URI", "MONGO_URL", "MONGO_URI"}, func(r rng) string {
			if r.chance(0.6) {
				return userURL("mongodb+srv", r.user(), r.password(), "cluster0."+r.chars(5, lowerABC+digits)+".mongodb.net", "/"+r.word(), "retryWrites=true&w=majority")
			}
			h := r.word() + "-mongo"
			return userURL("mongodb", r.user(), r.password(), h+"-0:27017,"+h+"-1:27017", "/"+r.word(), "replicaSet=rs0&authSource=admin")
		}),
		single("redis-url", 6, []string{"REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL"}, func(r rng) string {
			if r.chance(0.5) {
				return userURL("rediss", "default", r.password(), r.word()+"-"+r.chars(5, lowerABC+digits)+".cache.amazonaws.com:6380", "/0", "")
			}
			return "redis://:" + url.PathEscape(r.chars(32, base62)) + "@" + r.word() + "-redis:6379/" + fmt.Sprint(r.IntN(4))
		}),
		single("amqp-url", 4, []string{"AMQP_URL", "RABBITMQ_URL", "BROKER_URL"}, func(r rng) string {
			return userURL(pick(r, []string{"amqp", "amqps"}), r.user(), r.password(), r.word()+"-mq."+r.domain()+":5671", "/"+r.word(), "")
		}),
		single("mssql-connection-string", 4, []string{"ConnectionStrings__Default", "SQL_CONNECTION_STRING", "DB_CONNECTION"}, func(r rng) string {
			return fmt.Sprintf("Server=tcp:%s.database.windows.net,1433;Initial Catalog=%s;User ID=%s;Password=%s;Encrypt=True;TrustServerCertificate=False;",
				r.word(), r.word(), r.user(), r.chars(r.between(16, 24), base62+"!@%^*-_+"))
		}),
		single("jdbc-url", 4, []string{"JDBC_URL", "SPRING_DATASOURCE_URL"}, func(r rng) string {
			return fmt.Sprintf("jdbc:postgresql://%s:5432/%s?user=%s&password=%s&ssl=true", r.hostname(), r.word(), r.user(), r.chars(r.between(16, 24), base62))
		}),
		single("url-basic-auth", 6, []string{"PIP_INDEX_URL", "ARTIFACTORY_URL", "NEXUS_URL", "WEBHOOK_URL", "GIT_REMOTE"}, func(r rng) string {
			host := pick(r, []string{"nexus", "artifactory", "registry", "git", "jenkins"}) + "." + r.domain()
			return userURL("https", r.user(), r.password(), host, pick(r, []string{"/repository/pypi/simple", "/artifactory/api/npm/npm-virtual/", "/" + r.word() + "/" + r.word() + ".git", "/hooks/deploy"}), "")
		}),
	}
}
