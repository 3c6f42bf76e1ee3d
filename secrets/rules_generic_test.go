package secrets

import "testing"

func genericCases() []ruleCase {
	uuidKey := sampleUUID("kucoin-secret")
	return []ruleCase{
		// Declarations with a type between name and value, and the
		// assignment operators of make and PHP.
		{rule: "generic-api-key", file: "internal/config/config.go", input: "package config\n\nvar deployToken string = \"Vq7Tn2Lw9Rk4Xz8Pm3Hs\"", secret: "Vq7Tn2Lw9Rk4Xz8Pm3Hs", line: 3},
		{rule: "generic-api-key", file: "keys.go", input: "const (\n\tsigningSecret string = \"h8Kp2Wq9Lz4Rv7Nx\"\n)", secret: "h8Kp2Wq9Lz4Rv7Nx", line: 2},
		{rule: "generic-api-key", file: "app/src/main/kotlin/Config.kt", input: "object Config {\n    val apiToken: String = \"Rw4Kz8Lp2Vq7Nm9X\"\n}", secret: "Rw4Kz8Lp2Vq7Nm9X", line: 2},
		{rule: "generic-api-key", file: "lib/db.php", input: "<?php\n$dbPassword = '';\n$dbPassword .= \"Jx7Qm2Kv9Lp4Wz8R\";", secret: "Jx7Qm2Kv9Lp4Wz8R", line: 3},
		{rule: "generic-api-key", file: "lib/client.php", input: "$apiKey ??= 'Tz5Nq8Lk2Wv7Rm4P';", secret: "Tz5Nq8Lk2Wv7Rm4P", line: 1},
		{rule: "generic-api-key", file: "Makefile", input: "# registry login for the release job\nREGISTRY_TOKEN ::= Lm3Vx8Qk2Rz7Wp4N\n", secret: "Lm3Vx8Qk2Rz7Wp4N", line: 2},
		{rule: "generic-api-key", file: "build/release.mk", input: "DEPLOY_PASSWORD :::= \"Pk9Wm2Xq7Lv4Rz8T\"", secret: "Pk9Wm2Xq7Lv4Rz8T", line: 1},
		{rule: "generic-api-key", file: "internal/config/config.go", input: `var apiToken string = os.Getenv("API_TOKEN")`},
		{rule: "generic-api-key", file: "Makefile", input: "DEPLOY_TOKEN ::= $(shell cat .deploy-token)"},
		{rule: "generic-api-key", file: "lib/db.php", input: `$dbPassword .= $suffix;`},
		// .env content inside a JSON string, its lines joined by \n.
		{rule: "generic-api-key", file: "helm/values.json", input: "{\n  \"app.env\": \"DATABASE_HOST=db.internal\\nSESSION_SECRET=Hq3Lz8Wv2Kp7Nx4R\\nDEBUG=false\"\n}", secret: "Hq3Lz8Wv2Kp7Nx4R", line: 2},
		{rule: "generic-api-key", file: "helm/values.json", input: `{"app.env": "API_TOKEN=${API_TOKEN}\nDEBUG=true"}`},
		// A UUID is a credential only under the name of a service that
		// issues UUIDs as keys.
		{rule: "generic-api-key", file: "config.yaml", input: "exchange:\n  kucoinSecret: \"" + uuidKey + "\"", secret: uuidKey, line: 2},
		{rule: "generic-api-key", file: "alerts.env", input: "OPSGENIE_API_KEY=" + uuidKey, secret: uuidKey, line: 1},
		{rule: "generic-api-key", file: "config.yaml", input: "  request_token: \"" + uuidKey + "\""},
		{rule: "generic-api-key", file: "config.yaml", input: "  kucoin_secret_name: \"" + uuidKey + "\""},
		{rule: "generic-api-key", file: ".env", input: "DB_PASSWORD=Welcome12345678", secret: "Welcome12345678", line: 1},
		// Placeholders: names in braces or brackets, masks, a credential's
		// name for its value, sequential runs.
		{rule: "generic-api-key", file: ".env", input: "BILLING_API_KEY={BillingKey}"},
		{rule: "generic-api-key", file: "README.md", input: "Set `api_key: [YOUR-KEY]` in the config."},
		{rule: "generic-api-key", file: ".env", input: "SLACK_BOT_TOKEN=xoxb-2840572913-4829175036-####################"},
		{rule: "generic-api-key", file: "fixtures.json", input: `"legacy_token": "xoxp-1234567890",`},
		{rule: "generic-api-key", file: "billing.php", input: `'payment_secret_key' => 'pk9_abcdefghijklmnop4821',`},
		{rule: "command-line-password", file: "docs/backup.sh", input: "sshpass -p [PASSWORD] ssh backup@10.0.0.5"},
		{rule: "command-line-password", file: "docs/api.sh", input: `curl -s -u "username:password" https://api.internal/v2/status`},
		{rule: "command-line-password", file: "docs/api.sh", input: `curl -s -u "ci:Gq8Wz2Lm7Kx4Rv9P" https://api.internal/v2/status`, secret: "Gq8Wz2Lm7Kx4Rv9P", line: 1},
		// Rails' CSRF token and a Maven coordinate are not credentials.
		{rule: "generic-xml-secret", file: "views/form.html", input: `<input type="hidden" name="authenticity_token" value="Jq7Lm2Xv9Kp4Rz8Wt3Nb6Hs1Df5Gc0Ye" />`},
		{rule: "generic-api-key", file: "pom.txt", input: `deps = "io.jsonwebtoken:jjwt-impl-0.12.6"`},
		// An element whose value sits on its own line.
		{rule: "generic-xml-secret", file: ".m2/settings.xml", input: "<settings>\n  <servers>\n    <server>\n      <id>nexus</id>\n      <password>\n        Qn4Wz8Kv2Lm7Rx9P\n      </password>", secret: "Qn4Wz8Kv2Lm7Rx9P", line: 6},
		{rule: "generic-xml-secret", file: ".m2/settings.xml", input: "<server>\n  <password>\n    ${env.NEXUS_PASSWORD}\n  </password>"},
		// One line, in the shapes of many languages and formats.
		{rule: "generic-api-key", file: ".env", input: "DB_PASSWORD=Xk9#mQ2vL8pZ", secret: "Xk9#mQ2vL8pZ"},
		{rule: "generic-api-key", file: "config.yaml", input: "  api_key: 7d9f2a4c1e8b6035af", secret: "7d9f2a4c1e8b6035af"},
		{rule: "generic-api-key", file: "settings.json", input: `{"client_secret": "aB3$kL9mQz7Wx2"}`, secret: "aB3$kL9mQz7Wx2"},
		{rule: "generic-api-key", file: "main.go", input: `const apiToken = "Zq4Lm8Xv2Rk7Pw9T"`, secret: "Zq4Lm8Xv2Rk7Pw9T"},
		{rule: "generic-api-key", file: "app.py", input: `SECRET_KEY = 'f8Kx2#pL9mQ4vZ7w'`, secret: "f8Kx2#pL9mQ4vZ7w"},
		{rule: "generic-api-key", file: "config.php", input: `'password' => 'Tr0ub4dor&3Xq',`, secret: "Tr0ub4dor&3Xq"},
		{rule: "generic-api-key", file: "deploy.sh", input: `curl --user admin --password=Pq8sLx2Vm4Kz "$URL"`, secret: "Pq8sLx2Vm4Kz"},
		{rule: "generic-api-key", file: "app.config", input: `Server=db;User Id=sa;Password=Yh7Kp2Lx9Qm4;`}, // connection-string-password reports it
		// References, placeholders and values that are not credentials.
		{rule: "generic-api-key", file: "app.py", input: `password = os.environ.get("DB_PASSWORD")`},
		{rule: "generic-api-key", file: "app.py", input: `password = get_password_from_vault()`},
		{rule: "generic-api-key", file: "setup.sh", input: `python -c 'password = os.environ["DATABASE_PASSWORD_PROD"]'`},
		{rule: "generic-api-key", file: "notebook.ipynb", input: `"api_key = os.getenv('SERVICE_API_KEY_PROD')\n",`},
		{rule: "generic-api-key", file: "Dockerfile", input: `RUN node -e "const token = process.env.NPM_TOKEN_CI_X1"`},
		{rule: "generic-api-key", file: "build.gradle", input: `password = System.getenv("SIGNING_PASSWORD_V2")`},
		{rule: "generic-api-key", file: "deploy.ps1", input: `$apiKey = $env:NUGET_API_KEY_PROD1`},
		{rule: "generic-api-key", file: "main.go", input: `token := req.Header.Get("Authorization")`},
		{rule: "generic-api-key", file: "main.go", input: `password = userPassword123`},
		{rule: "generic-api-key", file: "values.yaml", input: `password: {{ .Values.db.password }}`},
		{rule: "generic-api-key", file: ".env", input: `API_KEY=${API_KEY}`},
		{rule: "generic-api-key", file: ".env", input: `API_KEY=changeme-please`},
		{rule: "generic-api-key", file: "config.yaml", input: `password: correcthorsebattery`},
		{rule: "generic-api-key", file: "deploy.yaml", input: `  secretName: db-credentials-v2`},
		{rule: "generic-api-key", file: "config.yaml", input: `token_url: https://auth.example.com/token`},
		{rule: "generic-api-key", file: "app.json", input: `"session_token": "123e4567-e89b-12d3-a456-426614174000"`},
		{rule: "generic-api-key", file: "package-lock.json", input: `"integrity": "sha512-Qm7xvC8ZtR2mLw9VpX3nB7cY4hJdF6gA1sK5eU0oI2q=="`},
		{rule: "generic-api-key", file: "auth.py", input: `password_hash = "5f4dcc3b5aa765d61d8327deb882cf99"`},
		{rule: "generic-api-key", file: "main.go", input: `password := "hunter2"`},
		{rule: "", file: "README.md", input: "Set the token in your environment before running the tests.\nThe password must be at least 12 characters."},
		// A name on one line, its value on the next.
		{rule: "generic-api-key-above", file: "deploy.yaml", input: "env:\n  - name: DB_PASSWORD\n    value: \"Jk8#vQ2mLp9X\"", secret: "Jk8#vQ2mLp9X"},
		{rule: "generic-api-key-above", file: "Info.plist", input: "<key>apiToken</key>\n<string>pK7xM2qL9vZ4wR8t</string>", secret: "pK7xM2qL9vZ4wR8t"},
		{rule: "generic-api-key-above", file: "task.json", input: `{"name": "API_SECRET", "value": "Wm4Rt8Zq2Lx7Pv9K"}`, secret: "Wm4Rt8Zq2Lx7Pv9K"},
		{rule: "generic-api-key-above", file: "deploy.yaml", input: "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db\n        key: password"},
		{rule: "generic-api-key-above", file: "deploy.yaml", input: "env:\n  - name: TOKEN_URL\n    value: \"https://auth.internal/token\""},
		// XML elements and attributes.
		{rule: "generic-xml-secret", file: "settings.xml", input: "<password>Qz8Lm2Xv7Kp4Rw9T</password>", secret: "Qz8Lm2Xv7Kp4Rw9T"},
		{rule: "generic-xml-secret", file: "web.config", input: `<add key="ApiSecret" value="Lp9Xv2Qm7Kz4Rt8W" />`, secret: "Lp9Xv2Qm7Kz4Rt8W"},
		{rule: "generic-xml-secret", file: "settings.xml", input: "<password>${env.MAVEN_PASSWORD}</password>"},
		// More names and shapes.
		{rule: "generic-api-key", file: "config.yaml", input: `  RABBITMQ_DEFAULT_PASS: "quartz-plasma-bramble-ocean0"`, secret: "quartz-plasma-bramble-ocean0"},
		{rule: "generic-api-key", file: "values.yaml", input: `  databasePass: ezsHWzYZk7QTESD4bbdseY+b2AXKI0bGcT+G5vbdI/E=`, secret: "ezsHWzYZk7QTESD4bbdseY+b2AXKI0bGcT+G5vbdI/E="},
		{rule: "generic-api-key", file: "config.toml", input: `redis_password = "sAbKmyksihHB.HOV8gaz"`, secret: "sAbKmyksihHB.HOV8gaz"},
		{rule: "generic-api-key", file: "config.inc.php", input: `define('KAFKA_SASL_PASSWORD', 'VogdeoE17ws@fsYk3Q@e.@Pg70PKrZTo');`, secret: "VogdeoE17ws@fsYk3Q@e.@Pg70PKrZTo"},
		{rule: "generic-api-key", file: "settings.json", input: `"adminPassword": "velvet-coral-orchid-copper0",`, secret: "velvet-coral-orchid-copper0"},
		{rule: "generic-api-key", file: "compass.yaml", input: `compass: northbound-4815`},
		{rule: "generic-api-key", file: ".env", input: `SERVICE_API_KEY=local-dev-only`},
		{rule: "generic-api-key", file: "values.yaml", input: `signingKeyFingerprint: 85E91DBEF272A99FE84072D196029197ACBE3812`},
		{rule: "generic-api-key", file: "fixtures.json", input: `"fake_api_key": "test_api_key_218",`},
		{rule: "generic-api-key", file: "settings.py", input: `SECRET_KEY = 'ENC[AES256_GCM,data:Nxbg5kbEp5YnH3ZyWwr2bZxgdZA=,iv:1uJpLSNQfcp=,tag:Q3D1xS==,type:str]'`},
		{rule: "generic-api-key", file: "values.yaml", input: `  MAPBOX_ACCESS_TOKEN: "pk.eyJ1IjoiY29zbW9zIiwiYSI6ImNsem93eHhkZWZ3cTVram5rN3NxOHNid3oifQ._UEXXuL3-lFXoq-k31MJ2C"`},
		{rule: "generic-api-key", file: "en.json", input: `  "settings.api_keys.create": "Create a new API key",`},
		{rule: "generic-api-key", file: "app.yml", input: `    stripe-secret-key: sk_live_...`},
		{rule: "generic-api-key", file: "compose.yml", input: `      - ENCRYPTION_KEY=@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/k/)`},
		{rule: "generic-api-key", file: "defaults.go", input: `	datadogApiKey = "#{DatadogApiKey}#"`},
		{rule: "generic-api-key", file: "sealed.yaml", input: `    DB_PASSWORD: AgBlpk/rVAr2FH/EZn7u5wPGKziKU0TBMsCoNPgOpn+R2sQeMeAJ+zqZ0jMnCIK7WujF0A8wWTR+QPKMSubtVkFDwBDUJ7lZ/FTRJRznj3YtxE5ki64sCen1XRPqkqo5OZ9sd4VB8m/orhc8nwjg68dJwVkhHC6HHBLbrugtmaqXLgWSGcQeHgx`},
		{rule: "generic-api-key", file: "eval.ipynb", input: `    "DB_PASSWORD = \"Jk8#vQ2mLp9X\"\n",`, secret: "Jk8#vQ2mLp9X"},
		{rule: "generic-api-key", file: "eval.ipynb", input: `    "REDIS_PASSWORD = os.environ[\"REDIS_PASSWORD\"]\n",`},
		{rule: "generic-api-key", file: "main.tf", input: `  private_key = sensitive(var.private_key)`},
		{rule: "generic-api-key", file: "task-definition.json", input: `{ "name": "DB_PASSWORD", "valueFrom": "arn:aws:ssm:us-east-1:527735849437:parameter/dune/db_password" }`},
		{rule: "generic-api-key", file: "app.yml", input: `password_hasher: argon2id`},
		{rule: "generic-api-key", file: "values.yaml", input: `  nextauthSecret: 595de8d58686c7eb21ef1053fbf8d505a93514662a9666ccffd7c796e22d2da2`, secret: "595de8d58686c7eb21ef1053fbf8d505a93514662a9666ccffd7c796e22d2da2"},
		{rule: "generic-api-key", file: "app.yml", input: `    pgpassword: Y3fsCr0G6POUjnmX`, secret: "Y3fsCr0G6POUjnmX"},
		{rule: "generic-api-key-above", file: "hdfs-site.xml", input: "<property>\n    <name>x.api.key</name>\n    <value>e0d8b5360dfa1af8444dbbae9b3e954f</value>", secret: "e0d8b5360dfa1af8444dbbae9b3e954f"},
		{rule: "generic-csv-secret", file: "accounts.csv", input: "1004,access-token,hazel@umbrella-corp.com,staging,2Xx2ZORU93O9S5ZwH3PUpp8NGR6wDpCEIan4QvY63C2KGiUy,2025-06-11T11:18:00Z", secret: "2Xx2ZORU93O9S5ZwH3PUpp8NGR6wDpCEIan4QvY63C2KGiUy"},
		{rule: "generic-csv-secret", file: "accounts.csv", input: "1003,installation-id,nutmeg@umbrella-corp.com,prod,dceb6f4c-2c2b-40be-a760-9adef23a3c65,2025-02-21T23:04:00Z"},
		{rule: "generic-csv-secret", file: "notes.txt", input: "1004,access-token,hazel@umbrella-corp.com,staging,2Xx2ZORU93O9S5ZwH3PUpp8NGR6wDpCEIan4QvY63C2KGiUy,2025-06-11T11:18:00Z"},
		{rule: "url-basic-auth", file: ".git-credentials", input: "https://root:meU%40_pMClVBV4EH8HHLJREC9@git.soylent.ai", secret: "meU%40_pMClVBV4EH8HHLJREC9"},
		{rule: "url-basic-auth", file: "values.yaml", input: "  pipIndexUrl: https://pine_rw:fossil-crane-quill-indigo9@artifactory.hooli.xyz/api/npm/", secret: "fossil-crane-quill-indigo9"},
		{rule: "url-basic-auth", file: "README.md", input: "git clone https://user:password@example.com/repo.git"},
		{rule: "url-basic-auth", file: ".env", input: "PIP_INDEX_URL=https://ci:${PIP_TOKEN}@pypi.internal/simple"},
		{rule: "pgpass-password", file: "home/bob/.pgpass", input: "db.internal:5432:mint:etl:537aceb3ed6eb4923665226e0086f23b", secret: "537aceb3ed6eb4923665226e0086f23b"},
		{rule: "pgpass-password", file: "notes.txt", input: "db.internal:5432:mint:etl:537aceb3ed6eb4923665226e0086f23b"},
		{rule: "command-line-password", file: ".bash_history", input: "mysql -h db.local -u root -p'hZCDvfmTeZ141Qr' basil", secret: "hZCDvfmTeZ141Qr"},
		{rule: "command-line-password", file: "deploy.sh", input: `curl -sf -u deploy:Qm7xvC8ZtR2mLw9 https://ci.internal/api`, secret: "Qm7xvC8ZtR2mLw9"},
		{rule: "command-line-password", file: ".bash_history", input: "mysql -h db.local -u root -p basil"},
		// Authorization headers.
		{rule: "authorization-header", file: "request.http", input: "Authorization: Bearer Qm7xvC8ZtR2mLw9VpX3nB7cY", secret: "Qm7xvC8ZtR2mLw9VpX3nB7cY"},
		{rule: "authorization-header", file: "request.http", input: "Authorization: Bearer $TOKEN"},
		{rule: "authorization-header", file: "curl.sh", input: "Authorization: Basic ZGVwbG95OlF6OExtMlh2N0twNFJ3OVQ=", secret: "ZGVwbG95OlF6OExtMlh2N0twNFJ3OVQ="},
		{rule: "authorization-header", file: "auth_test.go", input: "Authorization: Basic jpvcGVuc2VzYW1lYWxhZGRpb"},
		{rule: "authorization-header", file: "auth_test.go", input: "Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l"},
		{rule: "generic-api-key", file: "test.log", input: "--- PASS: TestInterruptor (0.00s)"},
		{rule: "authorization-header", file: "worker.log", input: `headers={'Authorization': 'Bearer /run/secrets/db_password'}`},
		{rule: "authorization-header", file: "worker.log", input: `headers={'Authorization': 'Bearer /mQE3PlihnGqNpxVpG8c1OERfceU1V/HBAX5d34F', 'User-Agent': 'reef/1.0'}`, secret: "/mQE3PlihnGqNpxVpG8c1OERfceU1V/HBAX5d34F"},
	}
}

// TestMavenFilterTokens: the substitution tokens of a pom's resource
// filtering are no secrets (found in Debian's maven-repo poms).
func TestMavenFilterTokens(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	pom := "<replacements>\n  <replacement>\n    <token>@package@</token>\n    <value>${packageVersion.package}</value>\n  </replacement>\n  <replacement>\n    <token>@projectversion@</token>\n  </replacement>\n</replacements>\n"
	if fs := s.ScanBytes("usr/share/maven-repo/x/1.0/x-1.0.pom", []byte(pom)); len(fs) != 0 {
		t.Errorf("findings in a pom's filter tokens: %v", fs)
	}
}
