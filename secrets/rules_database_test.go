package secrets

func databaseCases() []ruleCase {
	return []ruleCase{
		{rule: "database-url-password", input: "DATABASE_URL=postgres://app:S3cr3tPassw0rd@db.internal:5432/app", secret: "S3cr3tPassw0rd"},
		{rule: "database-url-password", input: "mongodb+srv://svc:q8Zt2LmN4vXp@cluster0.ab1cd.mongodb.net/prod", secret: "q8Zt2LmN4vXp"},
		{rule: "database-url-password", input: "postgres://app:${DB_PASSWORD}@db:5432/app"},
		{rule: "database-url-password", input: "redis://localhost:6379/0"},
		{rule: "jdbc-url-password", file: "application.properties", input: "spring.datasource.url=jdbc:mysql://db.internal:3306/app?user=app&password=rG3nmfZN^#3yKJ&useSSL=true", secret: "rG3nmfZN^#3yKJ"},
		{rule: "jdbc-url-password", input: "jdbc:sqlserver://db.internal:1433;databaseName=app;user=app;password=rG3nmfZN^#3yKJ;encrypt=true", secret: "rG3nmfZN^#3yKJ"},
		{rule: "jdbc-url-password", input: "url=jdbc:oracle:thin:scott/amhU718W9BL7@//db.internal:1521/ORCL", secret: "amhU718W9BL7"},
		{rule: "jdbc-url-password", input: "jdbc:postgresql://db:5432/app?user=app&password=${DB_PASSWORD}"},
		{rule: "jdbc-url-password", input: "jdbc:sqlserver://db:1433;databaseName=app;password={0}"},
		// No password.
		{rule: "jdbc-url-password", input: "jdbc:mysql://db:3306/app?useSSL=true"},
		{rule: "connection-string-password", file: "appsettings.json", input: `"DefaultConnection": "Server=tcp:sql.internal,1433;Initial Catalog=app;User ID=app;Password=LUTv7Zh0eL*hjopf;Encrypt=True;"`, secret: "LUTv7Zh0eL*hjopf"},
		{rule: "connection-string-password", file: "odbc.ini", input: "DRIVER={ODBC Driver 18 for SQL Server};SERVER=sql.internal;DATABASE=app;UID=app;PWD={dLi;YuAzWLLazZ}", secret: "{dLi;YuAzWLLazZ}"},
		{rule: "connection-string-password", file: "web.config", input: `<add name="Main" connectionString="Password=LUTv7Zh0eL*hjopf;Data Source=sql.internal;Initial Catalog=app" />`, secret: "LUTv7Zh0eL*hjopf"},
		{rule: "connection-string-password", file: "app.config", input: "Server=sql.internal;Database=app;User Id=app;Password={0};"},
		{rule: "connection-string-password", file: "appsettings.json", input: `"Server=sql;Database=app;User Id=sa;Password=$(DbPassword);"`},
		// No password.
		{rule: "connection-string-password", file: "app.config", input: "Server=sql;Database=app;Trusted_Connection=True;"},
		// Not a connection string.
		{rule: "connection-string-password", file: "notes.txt", input: "password=Xk9mQ2vL8pZw"},
		{rule: "mongodb-atlas-service-account-secret", input: "MONGODB_ATLAS_CLIENT_SECRET=mdb_sa_sk_ACmtxyT-SDvrrSVkRmAd7RCs13sQWs_RsjVKs0mE", secret: "mdb_sa_sk_ACmtxyT-SDvrrSVkRmAd7RCs13sQWs_RsjVKs0mE"},
		// Too short.
		{rule: "mongodb-atlas-service-account-secret", input: "mdb_sa_sk_ACmtxyT-SDvrrSVkRmAd"},
		{rule: "mongodb-atlas-api-private-key", input: "MONGODB_ATLAS_PRIVATE_KEY=f7eb9340-051e-467a-b4a3-6ee0987b3544", secret: "f7eb9340-051e-467a-b4a3-6ee0987b3544"},
		{rule: "mongodb-atlas-api-private-key", file: "ci.yaml", input: "ATLAS_PRIVATE_KEY: f7eb9340-051e-467a-b4a3-6ee0987b3544", secret: "f7eb9340-051e-467a-b4a3-6ee0987b3544"},
		// A project id.
		{rule: "mongodb-atlas-api-private-key", input: "MONGODB_ATLAS_PROJECT_ID=f7eb9340-051e-467a-b4a3-6ee0987b3544"},
		{rule: "mongodb-atlas-api-private-key", input: "MONGODB_ATLAS_PRIVATE_KEY=<private-key>"},
		{rule: "planetscale-api-token", input: "PLANETSCALE_SERVICE_TOKEN=pscale_tkn_9J9lC3uNYqPLOupHzCEUXp7dnsNWG2-5gxpLGIftSSj", secret: "pscale_tkn_9J9lC3uNYqPLOupHzCEUXp7dnsNWG2-5gxpLGIftSSj"},
		// Too short.
		{rule: "planetscale-api-token", input: "PLANETSCALE_SERVICE_TOKEN=pscale_tkn_9J9lC3uNYqPLOu"},
		{rule: "planetscale-password", input: "DATABASE_PASSWORD=pscale_pw_td1UYtFyv2h1WYUluv6e_l-hHMBYcv32Z9mFMYGKBFM", secret: "pscale_pw_td1UYtFyv2h1WYUluv6e_l-hHMBYcv32Z9mFMYGKBFM"},
		// Too short.
		{rule: "planetscale-password", input: "DATABASE_PASSWORD=pscale_pw_td1UYtFyv2h1WYU"},
		{rule: "planetscale-oauth-token", input: "PSCALE_TOKEN=pscale_oauth_Ya0AzzD4USxSwZoc8PDVwOJjRkh0XONuzMgeCS1vAvF", secret: "pscale_oauth_Ya0AzzD4USxSwZoc8PDVwOJjRkh0XONuzMgeCS1vAvF"},
		// Too short.
		{rule: "planetscale-oauth-token", input: "PSCALE_TOKEN=pscale_oauth_Ya0AzzD4USxS"},
		{rule: "planetscale-password", input: "DATABASE_PASSWORD=pscale_pw_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
		{rule: "supabase-personal-access-token", input: "SUPABASE_ACCESS_TOKEN=sbp_0bdb0e7ab8d7e349effade2925fd81b34bf7e8df", secret: "sbp_0bdb0e7ab8d7e349effade2925fd81b34bf7e8df"},
		// Too short.
		{rule: "supabase-personal-access-token", input: "SUPABASE_ACCESS_TOKEN=sbp_0bdb0e7ab8d7e349effade2925"},
		{rule: "supabase-secret-key", input: "SUPABASE_SECRET_KEY=sb_secret_FCX3dprYdkzPuC6o0A4-RiTLs8V4Kiq", secret: "sb_secret_FCX3dprYdkzPuC6o0A4-RiTLs8V4Kiq"},
		{rule: "supabase-secret-key", input: "SUPABASE_SECRET_KEY=sb_secret_..."},
		// A publishable key is meant to be public.
		{rule: "supabase-secret-key", input: "SUPABASE_PUBLISHABLE_KEY=sb_publishable_FCX3dprYdkzPuC6o0A4-RiTLs8V4Kiq"},
		{rule: "databricks-api-token", input: "DATABRICKS_TOKEN=dapi8a28f7d134bb8831b5bd5a03d76e82f1", secret: "dapi8a28f7d134bb8831b5bd5a03d76e82f1"},
		{rule: "databricks-api-token", file: ".databrickscfg", input: "token = dapi8a28f7d134bb8831b5bd5a03d76e82f1-2", secret: "dapi8a28f7d134bb8831b5bd5a03d76e82f1-2"},
		// Upper-case hexadecimal.
		{rule: "databricks-api-token", input: "DATABRICKS_TOKEN=dapi8A28F7D134BB8831B5BD5A03D76E82F1"},
		// Too short.
		{rule: "databricks-api-token", input: "dapi8a28f7d134bb8831"},
		{rule: "snowflake-password", file: ".env", input: "SNOWFLAKE_PASSWORD=J9!M5q6pF2vhYFWK", secret: "J9!M5q6pF2vhYFWK"},
		{rule: "snowflake-password", file: "profiles.yml", input: `snowflake_password: "J9!M5q6pF2vhYFWK"`, secret: "J9!M5q6pF2vhYFWK"},
		{rule: "snowflake-password", file: "profiles.yml", input: "SNOWFLAKE_PASSWORD={{ env_var('SNOWFLAKE_PASSWORD') }}"},
		{rule: "snowflake-password", file: "config.ini", input: "snowflake_password = settings.snowflake.password"},
		// Not a credential.
		{rule: "snowflake-password", input: "SNOWFLAKE_ACCOUNT=xy12345.eu-west-1"},
		{rule: "neon-api-key", input: "NEON_API_KEY=napi_s0v5zc3x6aggaacrhqoh03lpg2yv1a8mxbsoi9v47v8oicsggbjrqk22sdj5dit4", secret: "napi_s0v5zc3x6aggaacrhqoh03lpg2yv1a8mxbsoi9v47v8oicsggbjrqk22sdj5dit4"},
		// Node-API code.
		{rule: "neon-api-key", file: "addon.cc", input: "napi_value result = napi_create_string_utf8(env, text, len, &out);"},
		{rule: "neon-api-key", input: "NEON_API_KEY=napi_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
		{rule: "upstash-redis-token", input: "UPSTASH_REDIS_REST_TOKEN=AGj7ASQgNlNhx2Ywcty2lDy7E2K8jg5D6K8NyfBShQejqvDa54ebLXd7-peSRhaw8YjwosojY82FT8o", secret: "AGj7ASQgNlNhx2Ywcty2lDy7E2K8jg5D6K8NyfBShQejqvDa54ebLXd7-peSRhaw8YjwosojY82FT8o"},
		{rule: "upstash-redis-token", input: "UPSTASH_REDIS_REST_URL=https://eu1-fond-mole-12345.upstash.io"},
		{rule: "upstash-redis-token", input: "UPSTASH_REDIS_REST_TOKEN=${UPSTASH_REDIS_REST_TOKEN}"},
		{rule: "redis-cloud-api-key", input: "REDISCLOUD_SECRET_KEY=y62Wwleqjw0U0wq91n9Y0DJJV0OC1QvJqRgqzUuGItWKVclyYF", secret: "y62Wwleqjw0U0wq91n9Y0DJJV0OC1QvJqRgqzUuGItWKVclyYF"},
		{rule: "redis-cloud-api-key", input: "REDISCLOUD_URL=redis://default@redis-12345.c1.us-east-1-2.ec2.cloud.redislabs.com:12345"},
		// An ascending run, no secret.
		{rule: "redis-cloud-api-key", input: "REDISCLOUD_ACCESS_KEY=abcdefghijklmnopqrstuvwxyz"},
		{rule: "elastic-api-key", input: "ELASTIC_API_KEY=MFZsNXF3VUl5NHpWN0lKZlE5UEI6ZmFjVlMwQU9OOF85a0JFZzI1TnFlQg==", secret: "MFZsNXF3VUl5NHpWN0lKZlE5UEI6ZmFjVlMwQU9OOF85a0JFZzI1TnFlQg=="},
		// Decodes to text that is not id:key.
		{rule: "elastic-api-key", input: "ELASTIC_API_KEY=bm90IGFuIGVsYXN0aWMga2V5IGF0IGFsbCwgc29ycnk="},
		{rule: "elastic-api-key", input: "ELASTIC_CLOUD_ID=deployment:ZXUtd2VzdC0xLmF3cy5mb3VuZC5pbyRhYmMkZGVm"},
		{rule: "clickhouse-cloud-api-secret-key", input: "CLICKHOUSE_KEY_SECRET=4b1d4lrt3ddJc14xEPX7dd1YQtAWPbJHzcm8NHprzA", secret: "4b1d4lrt3ddJc14xEPX7dd1YQtAWPbJHzcm8NHprzA"},
		// Part of a hexadecimal digest.
		{rule: "clickhouse-cloud-api-secret-key", input: "sha256:4b1d000000000000000000000000000000000000000000000000000000000000"},
		// Too short.
		{rule: "clickhouse-cloud-api-secret-key", input: "4b1d4lrt3ddJc14xEPX7"},
		{rule: "firebase-cloud-messaging-server-key", input: "FCM_SERVER_KEY=AAAAbgaJuSi:APA91bjubRpmCw8wnyzGO7NHH71K0oKlyWUFQ9qy3dfKqTCJVgKeOTMo5VjhlRg04YaZydVhnBSgXvj-y_6n3DikJWufFKbgHJIN0EYs4W9WXfuBAowVogol35Di99tK_OCXW9OZgolW", secret: "AAAAbgaJuSi:APA91bjubRpmCw8wnyzGO7NHH71K0oKlyWUFQ9qy3dfKqTCJVgKeOTMo5VjhlRg04YaZydVhnBSgXvj-y_6n3DikJWufFKbgHJIN0EYs4W9WXfuBAowVogol35Di99tK_OCXW9OZgolW"},
		{rule: "firebase-cloud-messaging-server-key", input: "Authorization: key=AAAA:APA91bXXXXXXXX"},
		// A device registration token, not a server key.
		{rule: "firebase-cloud-messaging-server-key", input: "token = dQw4w9WgXcQ:APA91bjubRpmCw8wnyzGO7NHH71K0oKlyWUFQ9qy3dfKqTCJVgKeOTMo5VjhlRg04YaZydVhnBSgXvj-y_6n3DikJWufFKbgHJIN0EYs4W9WXfuBAowVogol35Di99tK_OCXW9OZgolW"},
		{rule: "couchbase-capella-api-key", input: "COUCHBASE_CAPELLA_API_SECRET=jasuBWFClgqsHYJ6ifHxntduKbEQCq5sbjw+YW6jlWe2/HmfAteH5+oT1ZgeIjhi", secret: "jasuBWFClgqsHYJ6ifHxntduKbEQCq5sbjw+YW6jlWe2/HmfAteH5+oT1ZgeIjhi"},
		{rule: "couchbase-capella-api-key", input: "COUCHBASE_CONNECTION_STRING=couchbases://cb.abcdef.cloud.couchbase.com"},
		{rule: "couchbase-capella-api-key", input: "CAPELLA_API_KEY=abababababababababababababababababababababababababababababab"},
		{rule: "astra-db-application-token", input: "ASTRA_DB_APPLICATION_TOKEN=AstraCS:dFltEEWKipsbjQlBIzOdyvSp:31e44dd703db3280e59f722493741e69ec5cf4f96cdc308ead908dc5c7d5df06", secret: "AstraCS:dFltEEWKipsbjQlBIzOdyvSp:31e44dd703db3280e59f722493741e69ec5cf4f96cdc308ead908dc5c7d5df06"},
		{rule: "astra-db-application-token", input: "ASTRA_DB_APPLICATION_TOKEN=AstraCS:..."},
		// Too short.
		{rule: "astra-db-application-token", input: "AstraCS:dFltEEWKipsbjQlBIzOdyvSp:31e44dd703db3280e59f7224937"},
		{rule: "database-url-password", input: "SQLALCHEMY_DATABASE_URI=postgresql+psycopg2://svc_app:rG3nmfZN973yKJ@10.68.134.229:5432/app", secret: "rG3nmfZN973yKJ"},
		// The documentation's shape.
		{rule: "database-url-password", input: "DATABASE_URL=postgres://user:password@localhost:5432/app"},
		// A test database whose password is its user name.
		{rule: "database-url-password", input: `export DATABASE_URL="postgres://postgres:postgres@localhost:5432/app_test"`},
	}
}
