package secrets

func genericCases() []ruleCase {
	return []ruleCase{
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
		// Authorization headers.
		{rule: "authorization-header", file: "request.http", input: "Authorization: Bearer Qm7xvC8ZtR2mLw9VpX3nB7cY", secret: "Qm7xvC8ZtR2mLw9VpX3nB7cY"},
		{rule: "authorization-header", file: "request.http", input: "Authorization: Bearer $TOKEN"},
	}
}
